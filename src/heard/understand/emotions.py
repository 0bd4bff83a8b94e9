"""The emotion model: 27 GoEmotions emotions + neutral, each an independent probability.

A fine-tuned all-MiniLM-L6-v2 (see ``models/emotions/MODEL_CARD.md``), run with
onnxruntime and tokenizers: no torch, no network. Scores are calibrated per label so
that an emotion is *present* exactly when its value is >= 0.5.

Long texts are cut into windows of whole sentences no longer than the model was trained
on (64 tokens), and each emotion takes its highest value over the windows: a furious
paragraph in a long, calm letter still reads furious.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from heard.errors import ModelMissing
from heard.language import split_sentences

MODEL = "emotions.v1"

EMOTIONS: tuple[str, ...] = (
    "admiration", "amusement", "anger", "annoyance", "approval", "caring", "confusion",
    "curiosity", "desire", "disappointment", "disapproval", "disgust", "embarrassment",
    "excitement", "fear", "gratitude", "grief", "joy", "love", "nervousness", "optimism",
    "pride", "realization", "relief", "remorse", "sadness", "surprise", "neutral",
)  # fmt: skip

MAX_TOKENS = 64  # the length the model was fine-tuned on, [CLS] and [SEP] included


def model_dir() -> Path:
    return Path(str(importlib.resources.files("heard.understand") / "models" / "emotions"))


class EmotionModel:
    """Tokenizer, ONNX session and per-label thresholds, loaded together once."""

    def __init__(self, directory: Path, *, threads: int = 1):
        import onnxruntime
        from tokenizers import Tokenizer

        files = {
            name: directory / name for name in ("emotions.int8.onnx", "tokenizer.json", "thresholds.json")
        }
        missing = [str(p) for p in files.values() if not p.is_file()]
        if missing:
            raise ModelMissing(f"emotion model files are missing: {', '.join(missing)}; reinstall heard")
        self.tokenizer = Tokenizer.from_file(str(files["tokenizer.json"]))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(MAX_TOKENS)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = onnxruntime.InferenceSession(
            str(files["emotions.int8.onnx"]), options, providers=["CPUExecutionProvider"]
        )
        thresholds = json.loads(files["thresholds.json"].read_text("utf-8"))["thresholds"]
        t = np.clip(np.array([thresholds[label] for label in EMOTIONS], dtype=np.float32), 1e-4, 1 - 1e-4)
        self._offset = np.log(t / (1 - t))  # logit(threshold): subtracting it puts the threshold at 0.5

    def windows(self, text: str) -> list[str]:
        """Cut ``text`` into pieces of whole sentences that fit the model."""
        sentences = split_sentences(text) or [text]
        sizes = [len(e.ids) - 2 for e in self.tokenizer.encode_batch(sentences)]
        pieces, current, used = [], [], 0
        for sentence, size in zip(sentences, sizes, strict=True):
            if current and used + size > MAX_TOKENS - 2:
                pieces.append(" ".join(current))
                current, used = [], 0
            current.append(sentence)
            used += size
        pieces.append(" ".join(current))
        return pieces

    def encodings(self, text: str) -> list:
        """The model's input for ``text``: one encoding when it fits (the usual case: the
        text is tokenized once), else one per window of whole sentences."""
        whole = self.tokenizer.encode(text)
        if not whole.overflowing:
            return [whole]
        return self.tokenizer.encode_batch(self.windows(text))

    def logits(self, encodings: Sequence) -> np.ndarray:
        """Raw logits, one row per encoding, padded to the longest."""
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
        return self.session.run(["logits"], {"input_ids": ids, "attention_mask": mask})[0]

    def predict(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        """Calibrated probabilities, shape (len(texts), 28); inputs of similar length share a batch."""
        owner, inputs = [], []
        for i, text in enumerate(texts):
            for encoding in self.encodings(text):
                owner.append(i)
                inputs.append(encoding)
        order = sorted(range(len(inputs)), key=lambda k: len(inputs[k].ids))
        logits = np.empty((len(inputs), len(EMOTIONS)), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            logits[chunk] = self.logits([inputs[k] for k in chunk])
        probs = 1.0 / (1.0 + np.exp(-(logits - self._offset)))
        out = np.zeros((len(texts), len(EMOTIONS)), dtype=np.float32)
        np.maximum.at(out, np.array(owner), probs)
        return out


@functools.cache
def load_emotion_model() -> EmotionModel:
    """The shipped emotion model, loaded on first use (``HEARD_THREADS`` sets its threads, default 1)."""
    return EmotionModel(model_dir(), threads=int(os.environ.get("HEARD_THREADS", "1")))
