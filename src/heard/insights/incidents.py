"""Incidents: what each resolved conversation teaches, as one plain record.

The service will record incidents as conversations close (with the steps the scorecard found,
the remedy given and the satisfaction the follow-up brought back). ``incident_from_conversation``
builds what the analysis alone can tell from a past conversation: category, root cause, fault,
the peak of upset, whether and how fast it fell. The fields it cannot know stay empty.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from heard.insights._source import BadRow, bad, lines, text_lines
from heard.insights.archive import ArchiveMessage, read_archive
from heard.insights.themes import ThemeSet, themes
from heard.playbook import StepId
from heard.understand import LEVELS, Analysis, Fault, Level, analyze_many
from heard.understand.complaint import Category

Outcome = Literal["resolved", "unresolved", "unknown"]
FollowUp = Literal["not_needed", "pending", "done", "missed"]
_SETTLED = ("calm", "concerned")  # the levels a de-escalated conversation ends at


class Incident(BaseModel):
    """One conversation's incident: what went wrong, how it went, and what was done."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(description="The conversation's id.")
    customer: str | None = Field(default=None, description="Who the customer is, to find repeat contacts.")
    agent: str | None = Field(default=None, description="The agent who handled it.")
    category: Category = Field(default="other", description="The complaint category.")
    root_cause: str | None = Field(
        default=None, description="What went wrong, from the complaint frame; an agent or lead may edit it."
    )
    theme: str | None = Field(
        default=None, description="The theme's name, from heard.themes over root causes."
    )
    fault: Fault = Field(default="unclear", description="Whom the customer held responsible.")
    outcome: Outcome = Field(default="unknown", description="Whether the problem was resolved.")
    peak_upset: float = Field(default=0.0, ge=0, le=1, description="The customer's highest upset, 0..1.")
    peak_level: Level = Field(default="calm", description="The level at that peak.")
    final_level: Level | None = Field(default=None, description="The level of the customer's last message.")
    deescalated: bool | None = Field(
        default=None,
        description="The upset fell from its peak (upset or worse) to calm or concerned by the end; "
        "None when the customer was never upset.",
    )
    messages_to_deescalate: int | None = Field(
        default=None, description="Messages from the peak to the first calm or concerned customer message."
    )
    minutes_to_deescalate: float | None = Field(default=None, description="Minutes over the same stretch.")
    steps_done: list[StepId] = Field(
        default_factory=list, description="The playbook steps the agent did, in the order first done."
    )
    remedy: str | None = Field(default=None, description="The remedy given: refund, reschedule, credit, ...")
    follow_up: FollowUp = Field(default="not_needed", description="Whether the follow-up was done.")
    satisfaction: float | None = Field(
        default=None, ge=1, le=5, description="The satisfaction the follow-up brought back, 1..5."
    )
    opened_at: datetime | None = Field(default=None, description="When the conversation started.")
    closed_at: datetime | None = Field(default=None, description="When it ended.")

    @property
    def angry(self) -> bool:
        """The customer was angry or furious at the peak."""
        return LEVELS.index(self.peak_level) >= LEVELS.index("angry")

    @property
    def upset(self) -> bool:
        """The customer was at least upset at the peak."""
        return LEVELS.index(self.peak_level) >= LEVELS.index("upset")


def incident_from_conversation(
    messages: Sequence[ArchiveMessage], *, analyses: Sequence[Analysis] | None = None
) -> Incident:
    """The incident the analysis can read from one past conversation (messages in time order).

    Args:
        messages: the conversation's messages; customer messages are analysed.
        analyses: their analyses, one per customer message in order, if already made.

    Raises:
        ValueError: there are no messages, or they belong to more than one conversation.
    """
    if not messages:
        raise ValueError("a conversation needs at least one message")
    ids = {m.conversation_id for m in messages}
    if len(ids) > 1:
        raise ValueError(f"the messages belong to {len(ids)} conversations; give one conversation at a time")
    customer = [i for i, m in enumerate(messages) if m.role == "customer"]
    if analyses is None:
        analyses = list(analyze_many(messages[i].text for i in customer))
    if len(analyses) != len(customer):
        raise ValueError(f"got {len(analyses)} analyses for {len(customer)} customer messages")
    first = messages[0]
    base = {
        "id": first.conversation_id,
        "customer": next((messages[i].author for i in customer if messages[i].author), None),
        "agent": next((m.author for m in messages if m.role == "agent" and m.author), None),
        "opened_at": first.at,
        "closed_at": messages[-1].at,
    }
    if not customer:
        return Incident(**base)
    peak = max(range(len(analyses)), key=lambda k: (analyses[k].upset, -k))
    framed = next((a for a in analyses if a.complaint is not None), None)
    root = None
    if framed is not None and framed.complaint is not None:
        part = framed.complaint.happened or framed.complaint.expected or framed.complaint.impact
        root = part.text if part else None
    if root is None and framed is not None:
        root = messages[customer[analyses.index(framed)]].text[:200]
    top = analyses[peak]
    was_upset = LEVELS.index(top.level) >= LEVELS.index("upset")
    settled = next((k for k in range(peak + 1, len(analyses)) if analyses[k].level in _SETTLED), None)
    deescalated = was_upset and analyses[-1].level in _SETTLED and settled is not None
    steps = minutes = None
    if deescalated and settled is not None:
        steps = customer[settled] - customer[peak]
        start, end = messages[customer[peak]].at, messages[customer[settled]].at
        minutes = round((end - start).total_seconds() / 60, 1) if start and end else None
    return Incident(
        **base,
        category=framed.complaint.category if framed and framed.complaint else "other",
        root_cause=root,
        fault=(framed or top).fault,
        peak_upset=top.upset,
        peak_level=top.level,
        final_level=analyses[-1].level,
        deescalated=deescalated if was_upset else None,
        messages_to_deescalate=steps,
        minutes_to_deescalate=minutes,
    )


def conversations(
    rows: Iterable[object], *, bad_rows: bool = False, idle: int = 10_000
) -> Iterator[list[ArchiveMessage] | BadRow]:
    """Messages grouped into conversations, each in the order read; bad rows are passed over
    (or passed on, where they come, with ``bad_rows``).

    Conversations may interleave (tweet threads do). A conversation is complete once ``idle``
    messages of other conversations have passed since its last one, or at the end, so memory
    holds only the conversations still going, not the archive.
    """
    open_: OrderedDict[str, tuple[int, list[ArchiveMessage]]] = OrderedDict()
    for n, row in enumerate(rows):
        if not isinstance(row, ArchiveMessage):
            if bad_rows and isinstance(row, BadRow):
                yield row
            continue
        _, messages = open_.pop(row.conversation_id, (n, []))
        messages.append(row)
        open_[row.conversation_id] = (n, messages)
        while open_ and next(iter(open_.values()))[0] < n - idle:
            yield open_.popitem(last=False)[1][1]
    while open_:
        yield open_.popitem(last=False)[1][1]


def with_themes(incidents: Sequence[Incident], **options) -> tuple[list[Incident], ThemeSet]:
    """The incidents with ``theme`` set from ``heard.themes`` over their root causes, and the themes.

    Incidents that already name a theme keep it; those without a root cause get none. When every
    grouped incident has a time, themes that are new or growing are marked (``options`` go to
    ``themes``: ``now``, ``window``, ...).
    """
    pick = [k for k, i in enumerate(incidents) if i.root_cause and not i.theme]
    texts = [incidents[k].root_cause or "" for k in pick]
    stamps = [incidents[k].opened_at for k in pick]
    timed = all(s is not None for s in stamps) and bool(stamps)
    found = themes(texts, times=stamps if timed else None, **options)
    named = list(incidents)
    for k, label in zip(pick, found.labels, strict=True):
        if label >= 0:
            named[k] = incidents[k].model_copy(update={"theme": found.themes[label].name})
    return named, found


def load_incidents(
    path: str | Path, *, format: str | None = None, brands: Iterable[str] = ()
) -> Iterator[Incident | BadRow]:
    """Incidents from a file: a JSONL of incidents (one ``Incident`` a line), or an archive of
    conversations (any format ``read_archive`` reads) turned into incidents by the analysis.

    A JSONL file is an archive when its first object has ``role`` and ``conversation_id``.
    """
    path = Path(path)
    if format is None and path.suffix.lower() in (".jsonl", ".ndjson") and not _is_archive(path):
        yield from _incident_lines(path)
        return
    for messages in conversations(read_archive(path, format=format, brands=brands), bad_rows=True):
        yield messages if isinstance(messages, BadRow) else incident_from_conversation(messages)


def _is_archive(path: Path) -> bool:
    for line in lines(path):
        if line.strip():
            try:
                first = json.loads(line)
            except json.JSONDecodeError:
                return False
            return isinstance(first, dict) and "role" in first and "conversation_id" in first
    return False


def _incident_lines(path: Path) -> Iterator[Incident | BadRow]:
    for item in text_lines(path):
        if isinstance(item, BadRow):
            yield item
            continue
        number, line = item
        try:
            yield Incident.model_validate_json(line)
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "the line"
            yield bad(number, f"not an incident: {where}: {first['msg']}")
