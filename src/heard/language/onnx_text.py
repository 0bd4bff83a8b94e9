"""An ONNX text model on onnxruntime and tokenizers: the loading and batching that the
sentence encoder (``heard.language.encoder``) and the emotion model
(``heard.understand.emotions``) share. Both take ``input_ids`` and ``attention_mask``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from heard.errors import ModelMissing


class OnnxTextModel:
    """Tokenizer and ONNX session, loaded together once; ``what`` names the model in errors,
    ``extra`` lists further files the model needs in ``directory``."""

    def __init__(
        self,
        directory: Path,
        model_file: str,
        *,
        output: str,
        max_tokens: int,
        what: str,
        threads: int = 1,
        extra: Sequence[str] = (),
    ):
        import onnxruntime
        from tokenizers import Tokenizer

        files = {name: directory / name for name in (model_file, "tokenizer.json", *extra)}
        missing = [str(p) for p in files.values() if not p.is_file()]
        if missing:
            raise ModelMissing(f"{what} files are missing: {', '.join(missing)}; reinstall heard")
        self.files = files
        self.output = output
        self.tokenizer = Tokenizer.from_file(str(files["tokenizer.json"]))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_tokens)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = onnxruntime.InferenceSession(
            str(files[model_file]), options, providers=["CPUExecutionProvider"]
        )

    def run(self, encodings: Sequence) -> np.ndarray:
        """The model's output for one batch, one row per encoding, padded to the longest."""
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), width), dtype=np.int64)
        mask = np.zeros((len(encodings), width), dtype=np.int64)
        for row, e in enumerate(encodings):
            ids[row, : len(e.ids)] = e.ids
            mask[row, : len(e.ids)] = 1
        return self.session.run([self.output], {"input_ids": ids, "attention_mask": mask})[0]

    def run_sorted(self, encodings: Sequence, columns: int, *, batch_size: int = 32) -> np.ndarray:
        """The output for every encoding, shape (len(encodings), columns), in their order;
        encodings of similar length share a batch, so little of a batch is padding."""
        order = sorted(range(len(encodings)), key=lambda k: len(encodings[k].ids))
        out = np.zeros((len(encodings), columns), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            out[chunk] = self.run([encodings[k] for k in chunk])
        return out
