"""The agent's side: reflections, acknowledgements, apologies, questions, reply acts, draft review (DESIGN.md layer 3)."""

from heard.respond.acknowledgement import Apology, acknowledge, apology
from heard.respond.acts import ACTS, ActReading, SentenceActs, acts, read_acts
from heard.respond.policy import Catalogue, Remedy, dump_catalogue, example_catalogue, load_catalogue
from heard.respond.questions import Question, questions
from heard.respond.reflection import Reflection, reflect
from heard.respond.review import DraftReview, Finding, review
from heard.respond.solutions import PolicyBreach, Solution, beyond_policy, solutions

__all__ = [
    "ACTS",
    "ActReading",
    "Apology",
    "Catalogue",
    "DraftReview",
    "Finding",
    "PolicyBreach",
    "Question",
    "Reflection",
    "Remedy",
    "SentenceActs",
    "Solution",
    "acknowledge",
    "acts",
    "apology",
    "beyond_policy",
    "dump_catalogue",
    "example_catalogue",
    "load_catalogue",
    "questions",
    "read_acts",
    "reflect",
    "review",
    "solutions",
]
