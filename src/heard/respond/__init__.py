"""The agent's side: reflections, acknowledgements, apologies, questions, reply acts, draft review (DESIGN.md layer 3)."""

from heard.respond.acknowledgement import Apology, acknowledge, apology
from heard.respond.questions import Question, questions
from heard.respond.reflection import Reflection, reflect

__all__ = ["Apology", "Question", "Reflection", "acknowledge", "apology", "questions", "reflect"]
