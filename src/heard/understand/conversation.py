"""Messages of a conversation, and whether the customer is still venting.

A chat transcript is a list of messages with a role (customer or agent), the text and,
optionally, the time it was sent. Times are ISO 8601 strings ("2026-03-01T10:00:05Z") or
seconds (any origin, for example seconds since the chat opened); either way they become
seconds so gaps can be measured.

The customer is *still venting* (playbook step 2) when the messages since the agent last
spoke are a burst: several in a row, each within ``BURST_GAP`` seconds of the one before
(or three or more when there are no times), the last of them neither asks anything nor
closes, and they wrote within the last ``QUIET`` seconds. A reply then interrupts them.
``interrupts`` is the only place this is decided: the state machine, the review and the
scorecard all ask it, each with the reply's time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from heard.errors import InvalidTranscript

Role = Literal["customer", "agent"]
BURST_GAP = 60.0  # seconds between two customer messages that still belong to one burst
QUIET = 30.0  # seconds without a customer message after which their burst is over
_ASKS_OR_CLOSES = re.compile(r"\?\s*$|\b(thanks|thank you|cheers|bye|that's all|ok(ay)?\.?)\s*[.!]*$", re.I)


class Message(BaseModel):
    """One chat message."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: Role
    text: str
    at: float | None = Field(default=None, description="When it was sent, in seconds; None if unknown.")


def seconds(value: object, *, where: str) -> float | None:
    """A time as seconds: ISO 8601 text or a number; None stays None.

    >>> seconds("2026-03-01T10:00:05Z", where="at") - seconds("2026-03-01T10:00:00Z", where="at")
    5.0
    >>> seconds(12.5, where="at")
    12.5
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidTranscript(f"{where}: expected an ISO time or seconds, got {_short(value)}")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        text = value.strip()
        try:
            return float(text)
        except ValueError:
            pass
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise InvalidTranscript(
                f"{where}: {_short(value)} is not a time; use ISO 8601 (2026-03-01T10:00:05Z) or seconds"
            ) from None
        return moment.timestamp()
    raise InvalidTranscript(f"{where}: expected an ISO time or seconds, got {type(value).__name__}")


def _short(value: object) -> str:
    shown = repr(value)
    return shown if len(shown) <= 24 else shown[:21] + "..."


def to_message(item: object, *, where: str) -> Message:
    """A message from a ``Message`` or a mapping with role, text and optional at."""
    if isinstance(item, Message):
        return item
    if not isinstance(item, Mapping):
        raise InvalidTranscript(f"{where}: expected an object with role and text, got {type(item).__name__}")
    role = item.get("role")
    if role not in ("customer", "agent"):
        raise InvalidTranscript(f"{where}.role: expected 'customer' or 'agent', got {_short(role)}")
    text = item.get("text")
    # The text is the customer's personal data: errors say what is wrong with it, never what it says.
    if not isinstance(text, str):
        raise InvalidTranscript(
            f"{where}.text: expected the message text as a string, got {type(text).__name__}"
        )
    if not text.strip():
        raise InvalidTranscript(f"{where}.text: the message text is empty")
    unknown = set(item) - {"role", "text", "at"}
    if unknown:
        raise InvalidTranscript(
            f"{where}: unknown field {sorted(unknown)[0]!r}; a message has role, text and at"
        )
    return Message(role=role, text=text, at=seconds(item.get("at"), where=f"{where}.at"))


def to_messages(items: Iterable[object]) -> list[Message]:
    """Messages from ``Message`` objects or mappings; a bad one raises ``InvalidTranscript``
    naming it (``messages[3].role: ...``)."""
    if isinstance(items, str | bytes) or not isinstance(items, Iterable):
        raise InvalidTranscript("expected a list of messages, each with role and text")
    return [to_message(item, where=f"messages[{i}]") for i, item in enumerate(items)]


def customer_burst(messages: Sequence[Message]) -> list[Message]:
    """The customer's messages since the agent last spoke, oldest first."""
    burst: list[Message] = []
    for message in reversed(messages):
        if message.role == "agent":
            break
        burst.append(message)
    return burst[::-1]


def asks_or_closes(text: str) -> bool:
    """The message asks something or signs off: the customer is waiting for an answer, not venting."""
    return bool(_ASKS_OR_CLOSES.search(text.strip()))


def burst_interrupted(
    times: Sequence[float | None],
    *,
    settled: bool,
    at: float | None,
    gap: float = BURST_GAP,
    quiet: float = QUIET,
) -> bool:
    """The one interruption rule: would a reply at ``at`` cut into the customer's burst?

    A burst is the customer's messages since the agent last spoke (``times``, oldest first):
    two or more, each within ``gap`` seconds of the one before (three or more when times are
    unknown). It is live unless its last message asks or signs off (``settled``) or the
    customer has been quiet for ``quiet`` seconds by ``at``. ``at`` is the reply's time; it
    may be None only when the burst's times are unknown too (a transcript without times).

    >>> burst_interrupted([0, 20], settled=False, at=25)
    True
    >>> burst_interrupted([0, 20], settled=False, at=140)
    False
    """
    if len(times) < 2 or settled:
        return False
    if any(t is None for t in times):
        return len(times) >= 3 and (at is None or times[-1] is None)
    if not all(0 <= b - a <= gap for a, b in zip(times, times[1:], strict=False)):  # type: ignore[operator]
        return False
    if at is None:
        raise ValueError("the reply's time is needed to tell whether it interrupts a timed burst")
    return at - times[-1] < quiet  # type: ignore[operator]


def interrupts(messages: Sequence[Message], *, at: float | None) -> bool:
    """Would a reply at ``at`` interrupt the customer, who is mid-burst (playbook step 7)?

    >>> interrupts([Message(role="customer", text="It never came.", at=0),
    ...             Message(role="customer", text="Nobody called me.", at=20)], at=25)
    True
    """
    burst = customer_burst(messages)
    settled = bool(burst) and asks_or_closes(burst[-1].text)
    return burst_interrupted([m.at for m in burst], settled=settled, at=at)
