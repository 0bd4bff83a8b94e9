"""Text primitives: the spaCy pipeline, sentence splitting and the cue lexicon, sentence embeddings (DESIGN.md layer 1)."""

from heard.language.cues import PROBLEM_KINDS, Cue, find_cues
from heard.language.encoder import embed
from heard.language.perspective import shift_tokens
from heard.language.pipeline import load_pipeline, parse, unshouted
from heard.language.sentences import sentence_spans, split_sentences

__all__ = [
    "PROBLEM_KINDS",
    "Cue",
    "embed",
    "find_cues",
    "load_pipeline",
    "parse",
    "sentence_spans",
    "shift_tokens",
    "split_sentences",
    "unshouted",
]
