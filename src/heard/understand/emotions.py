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

from heard.language import split_sentences
from heard.language.onnx_text import OnnxTextModel

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


class EmotionModel(OnnxTextModel):
    """Tokenizer, ONNX session and per-label thresholds, loaded together once."""

    def __init__(self, directory: Path, *, threads: int = 1):
        super().__init__(
            directory,
            "emotions.int8.onnx",
            output="logits",
            max_tokens=MAX_TOKENS,
            what="emotion model",
            threads=threads,
            extra=("thresholds.json",),
        )
        thresholds = json.loads(self.files["thresholds.json"].read_text("utf-8"))["thresholds"]
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

    def predict(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        """Calibrated probabilities, shape (len(texts), 28); inputs of similar length share a batch."""
        owner, inputs = [], []
        for i, text in enumerate(texts):
            for encoding in self.encodings(text):
                owner.append(i)
                inputs.append(encoding)
        logits = self.run_sorted(inputs, len(EMOTIONS), batch_size=batch_size)
        probs = 1.0 / (1.0 + np.exp(-(logits - self._offset)))
        out = np.zeros((len(texts), len(EMOTIONS)), dtype=np.float32)
        np.maximum.at(out, np.array(owner), probs)
        return out


@functools.cache
def load_emotion_model() -> EmotionModel:
    """The shipped emotion model, loaded on first use (``HEARD_THREADS`` sets its threads, default 1)."""
    return EmotionModel(model_dir(), threads=int(os.environ.get("HEARD_THREADS", "1")))
