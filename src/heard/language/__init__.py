"""Text primitives: the spaCy pipeline, sentence splitting and the cue lexicon (DESIGN.md layer 1)."""

from heard.language.cues import Cue, find_cues
from heard.language.pipeline import load_pipeline
from heard.language.sentences import split_sentences

__all__ = ["Cue", "find_cues", "load_pipeline", "split_sentences"]
