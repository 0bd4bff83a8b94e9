"""The agent's side: reflections, acknowledgements, apologies, questions, reply acts, draft review (DESIGN.md layer 3)."""

from heard.respond.acknowledgement import Apology, acknowledge, apology
from heard.respond.acts import ACTS, ActReading, SentenceActs, acts, read_acts
from heard.respond.questions import Question, questions
from heard.respond.reflection import Reflection, reflect
from heard.respond.review import DraftReview, Finding, review

__all__ = [
    "ACTS",
    "ActReading",
    "Apology",
    "DraftReview",
    "Finding",
    "Question",
    "Reflection",
    "SentenceActs",
    "acknowledge",
    "acts",
    "apology",
    "questions",
    "read_acts",
    "reflect",
    "review",
]
