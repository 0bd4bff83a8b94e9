"""heard: an open, offline de-escalation copilot for customer-service teams.

    >>> import heard
    >>> a = heard.analyze("I am very upset: the movers never came.")
    >>> a.level in heard.LEVELS
    True

Importing heard is cheap: models load on first use.
"""

from __future__ import annotations

from heard._version import __version__
from heard.errors import EmptyText, HeardError, InvalidTranscript, MalformedInput, ModelMissing, NotText
from heard.playbook import Scorecard, Transcript, load_transcript, score_conversation
from heard.respond import (
    ACTS,
    ActReading,
    Apology,
    DraftReview,
    Finding,
    Question,
    Reflection,
    acknowledge,
    acts,
    apology,
    questions,
    read_acts,
    reflect,
    review,
)
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
    "ACTS",
    "LEVELS",
    "MAX_CHARS",
    "ActReading",
    "Analysis",
    "Apology",
    "Complaint",
    "Confirmation",
    "Cue",
    "DraftReview",
    "EmptyText",
    "Finding",
    "HeardError",
    "InvalidTranscript",
    "MalformedInput",
    "ModelMissing",
    "NotText",
    "Question",
    "Reflection",
    "Scorecard",
    "Transcript",
    "__version__",
    "acknowledge",
    "acts",
    "analyze",
    "analyze_many",
    "apology",
    "confirmation",
    "load_transcript",
    "questions",
    "read_acts",
    "reflect",
    "review",
    "score_conversation",
]
