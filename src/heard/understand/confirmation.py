"""``confirmation``: after a reflection, did the customer confirm it, correct it, add more, or none?"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from heard.understand.analysis import prepare_text

Kind = Literal["confirm", "correct", "add", "none"]

_CONFIRM = re.compile(
    r"^\W*(yes|yeah|yep|yup|exactly|precisely|correct|right|that'?s (right|it|correct|exactly it)|spot on|you got it"
    r"|absolutely|indeed|true|mhm|uh-huh|finally someone (gets|understands) it|that'?s what i'?m saying)\b",
    re.I,
)
_CORRECT = re.compile(
    r"^\W*(no\b|nope|not (exactly|quite|really|at all)|that'?s not (it|what|right|true|correct)|you'?re not listening"
    r"|you misunderstood|it wasn'?t|it was not|actually\b|well,? actually|i didn'?t say|i never said|wrong"
    r"|(sort of|kind of|partly|partially|almost|close|yes|yeah|yep|right)\W+but\b|sort of\b|kind of\b|partly\b)",
    re.I,
)
_ADD = re.compile(
    r"^\W*(and\b|also\b|plus\b|on top of (that|this)|what'?s more|not only that|another thing|and another thing"
    r"|oh and|not just that|it'?s worse|even worse|besides)",
    re.I,
)
_ALSO = re.compile(r"\b(also|too|as well|another thing|on top of)\b", re.I)
_ADD_AFTER_YES = re.compile(r"\b(and|also|plus|but also|on top of that|what'?s more)\b", re.I)


class Confirmation(BaseModel):
    """How the customer answered a reflection, and the new information their reply carries."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Kind = Field(description="confirm, correct, add, or none of these.")
    new: str | None = Field(description="The correction or addition in the customer's words, if any.")


def _rest(text: str, match: re.Match) -> str | None:
    rest = text[match.end() :].lstrip(" ,.;:!-—").strip()
    return rest if len(rest.split()) >= 2 else None


def confirmation(reply: str) -> Confirmation:
    """Read the customer's answer to a reflection.

    >>> confirmation("Yes, exactly.").kind
    'confirm'
    >>> confirmation("No, it was 4 pm, not 3 pm.").new
    'it was 4 pm, not 3 pm.'
    >>> confirmation("And they scratched my table too.").kind
    'add'
    """
    text, _ = prepare_text(reply, 2_000)
    text = text.strip()
    if m := _CORRECT.match(text):
        return Confirmation(kind="correct", new=_rest(text, m) or None)
    if m := _CONFIRM.match(text):
        rest = _rest(text, m)
        if rest and _ADD_AFTER_YES.match(rest) or rest and len(rest.split()) >= 4:
            return Confirmation(kind="add", new=rest)
        return Confirmation(kind="confirm", new=None)
    if m := _ADD.match(text):
        return Confirmation(kind="add", new=_rest(text, m) or text)
    if _ALSO.search(text):
        return Confirmation(kind="add", new=text)
    return Confirmation(kind="none", new=None)
