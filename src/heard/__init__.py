"""heard: an open, offline de-escalation copilot for customer-service teams.

    >>> import heard
    >>> a = heard.analyze("I am very upset: the movers never came.")
    >>> a.level in heard.LEVELS
    True

Importing heard is cheap: models load on first use.
"""

from __future__ import annotations

from heard.errors import EmptyText, HeardError, MalformedInput, ModelMissing, NotText
from heard.understand import LEVELS, MAX_CHARS, Analysis, Cue, analyze, analyze_many

__version__ = "0.1.0"

__all__ = [
    "LEVELS",
    "MAX_CHARS",
    "Analysis",
    "Cue",
    "EmptyText",
    "HeardError",
    "MalformedInput",
    "ModelMissing",
    "NotText",
    "__version__",
    "analyze",
    "analyze_many",
]
