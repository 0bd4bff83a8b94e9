"""The ONNX loading and batching shared by the sentence encoder and the emotion model."""

import numpy as np
import pytest

from heard.errors import ModelMissing
from heard.language.encoder import load_encoder
from heard.language.onnx_text import OnnxTextModel
from heard.understand.emotions import EmotionModel


def test_missing_files_are_named(tmp_path):
    with pytest.raises(ModelMissing, match="emotion model files are missing: .*thresholds.json"):
        EmotionModel(tmp_path)
    with pytest.raises(ModelMissing, match="sentence encoder files are missing"):
        OnnxTextModel(tmp_path, "x.onnx", output="y", max_tokens=8, what="sentence encoder")


def test_sorted_batches_keep_the_input_order():
    encoder = load_encoder()
    texts = ["A long sentence about a parcel that never came to my door.", "Hi.", "Refund me now please."]
    encodings = encoder.tokenizer.encode_batch(texts)
    together = encoder.run_sorted(encodings, 384, batch_size=1)
    alone = np.vstack([encoder.run([e]) for e in encodings])
    assert np.allclose(together, alone, atol=1e-6)
