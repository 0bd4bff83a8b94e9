"""What the console's pages show, shaped from the API's models: the upset trend, the playbook
steps done and to come, queues grouped by level. Templates only loop and branch over these;
every judgement (levels, steps, solutions, findings) comes from the engine and the store.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from heard.playbook import Scorecard, playbook_steps
from heard.server.schemas import ConversationPublic, MessagePublic
from heard.understand import LEVELS
from heard.understand.upset import level_floors

# Steps the playbook states as "don't": missing them means the agent slipped, not that they
# are still to do.
_DONT_STEPS = {"stay_calm", "avoid_interruptions", "take_responsibility"}
TREND_WIDTH, TREND_HEIGHT, TREND_PAD = 600, 120, 10


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    level: str
    label: str
    message_id: int


@dataclass(frozen=True)
class Band:
    level: str
    y: float
    height: float


@dataclass(frozen=True)
class Trend:
    """The customer's upset over their messages, as SVG coordinates in a fixed viewBox."""

    points: list[Point]
    line: str
    bands: list[Band]
    width: int = TREND_WIDTH
    height: int = TREND_HEIGHT
    summary: str = ""


def _y(upset: float) -> float:
    return round(TREND_PAD + (1 - upset) * (TREND_HEIGHT - 2 * TREND_PAD), 1)


def trend(timeline: list[MessagePublic]) -> Trend | None:
    """The trend line of upset over the customer's messages (None before they wrote)."""
    said = [m for m in timeline if m.role == "customer" and m.analysis is not None]
    if not said:
        return None
    step = (TREND_WIDTH - 2 * TREND_PAD) / max(len(said) - 1, 1)
    points = [
        Point(
            x=round(TREND_PAD + (i * step if len(said) > 1 else (TREND_WIDTH - 2 * TREND_PAD) / 2), 1),
            y=_y(m.analysis.upset),
            level=m.analysis.level,
            label=f"Message {i + 1}: {m.analysis.level}, upset {round(m.analysis.upset * 100)} of 100",
            message_id=m.id,
        )
        for i, m in enumerate(said)
    ]
    floors = list(level_floors().items())
    bands = []
    for i, (level, floor) in enumerate(floors):
        top = floors[i + 1][1] if i + 1 < len(floors) else 1.0
        bands.append(Band(level=level, y=_y(top), height=round(_y(floor) - _y(top), 1)))
    first, last = said[0].analysis, said[-1].analysis
    peak = max(said, key=lambda m: m.analysis.upset).analysis
    summary = (
        f"Upset over {len(said)} customer message{'s' if len(said) > 1 else ''}: "
        f"first {first.level}, peak {peak.level}, now {last.level}."
    )
    return Trend(points=points, line=" ".join(f"{p.x},{p.y}" for p in points), bands=bands, summary=summary)


@dataclass(frozen=True)
class StepView:
    id: str
    number: int
    name: str
    does: str
    status: str  # done | now | to_come | slipped | not_needed | missed
    evidence: list[str] = field(default_factory=list)


def _agent_quoted(result) -> bool:
    """The evidence quotes the agent's own messages (``#3: "..."``): what they said, not what
    they have not said yet ("the agent never owned the problem")."""
    return bool(result.evidence) and result.evidence[0].startswith("#")


def steps(
    card: Scorecard | None, current: str | None, *, resolved: bool, agent_replied: bool = True
) -> list[StepView]:
    """The playbook's steps for this conversation: done, the one to do now, to come, or slipped.

    A scorecard's "missed" means "not yet" while the conversation is open, except for the
    steps the playbook states as "don't" (stay calm, no interruptions, own it) when the agent's
    own words broke them: then the agent slipped. Once resolved, a missed step stays missed.
    Before the agent's first reply nothing is done or slipped yet: every step still to be
    taken is to come (the scorecard's "stay calm: done" only means no reply broke it).
    """
    results = {s.step: s for s in card.steps} if card else {}
    views = []
    for s in playbook_steps():
        result = results.get(s.id)
        status = result.status if result else "missed"
        # the "don't" steps are not needed only because nothing has been said yet: still to come
        if not agent_replied and not resolved and (status != "not_needed" or s.id in _DONT_STEPS):
            status = "now" if s.id == current else "to_come"
        elif status == "missed":
            if s.id in _DONT_STEPS and result is not None and _agent_quoted(result):
                status = "slipped"
            elif not resolved:
                status = "now" if s.id == current else "to_come"
        elif s.id == current and not resolved and status != "done":
            status = "now"
        views.append(
            StepView(
                id=s.id,
                number=s.number,
                name=s.name,
                does=s.does,
                status=status,
                evidence=result.evidence[:2] if result and status not in {"to_come", "now"} else [],
            )
        )
    return views


@dataclass(frozen=True)
class LevelGroup:
    level: str
    conversations: list[ConversationPublic]


def by_level(conversations: list[ConversationPublic]) -> list[LevelGroup]:
    """Conversations grouped by their level, most upset first; those with no customer word last."""
    groups = [
        LevelGroup(level=level, conversations=[c for c in conversations if c.level == level])
        for level in reversed(LEVELS)
    ]
    waiting = [c for c in conversations if c.level is None]
    return groups + [LevelGroup(level="none", conversations=waiting)]


def iso(at: datetime | None) -> str:
    """A time for a <time datetime=...> attribute (the script shows it in the reader's zone)."""
    return at.isoformat().replace("+00:00", "Z") if at else ""
