"""The customer's side: emotions, how upset, the feeling to say back (DESIGN.md layer 2)."""

from heard.language import Cue
from heard.understand.analysis import MAX_CHARS, Analysis, analyze, analyze_many
from heard.understand.complaint import Complaint, Fault, Part, Problem
from heard.understand.confirmation import Confirmation, confirmation
from heard.understand.emotions import EMOTIONS
from heard.understand.pii import Redaction, redact
from heard.understand.upset import LEVELS, Level

__all__ = [
    "EMOTIONS",
    "LEVELS",
    "MAX_CHARS",
    "Analysis",
    "Complaint",
    "Confirmation",
    "Cue",
    "Fault",
    "Level",
    "Part",
    "Problem",
    "Redaction",
    "analyze",
    "analyze_many",
    "confirmation",
    "redact",
]
