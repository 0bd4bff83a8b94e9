"""heard: an open, offline de-escalation copilot for customer-service teams.

    >>> import heard
    >>> a = heard.analyze("I am very upset: the movers never came.")
    >>> a.level in heard.LEVELS
    True

Importing heard is cheap: models load on first use.
"""

from __future__ import annotations

from heard._version import __version__
from heard.errors import EmptyText, HeardError, MalformedInput, ModelMissing, NotText
from heard.insights import Theme, ThemeSet, themes
from heard.respond import Apology, Question, Reflection, acknowledge, apology, questions, reflect
from heard.understand import (
    LEVELS,
    MAX_CHARS,
    Analysis,
    Complaint,
    Confirmation,
    Cue,
    analyze,
    analyze_many,
    confirmation,
)

__all__ = [
    "LEVELS",
    "MAX_CHARS",
    "Analysis",
    "Apology",
    "Complaint",
    "Confirmation",
    "Cue",
    "EmptyText",
    "HeardError",
    "MalformedInput",
    "ModelMissing",
    "NotText",
    "Question",
    "Reflection",
    "Theme",
    "ThemeSet",
    "__version__",
    "acknowledge",
    "analyze",
    "analyze_many",
    "apology",
    "confirmation",
    "questions",
    "reflect",
    "themes",
]
