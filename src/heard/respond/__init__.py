"""The agent's side: reflections, acknowledgements, apologies, questions, reply acts, draft review (DESIGN.md layer 3)."""

from heard.respond.reflection import Reflection, reflect

__all__ = ["Reflection", "reflect"]
