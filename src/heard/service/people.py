"""People: how each agent follows the playbook, for a lead who coaches a person, not a queue.

An agent's conversations are the resolved ones they wrote most of the replies in (each agent
message records its author when stored). Each is scored on its stored readings, as its own
scorecard is; per agent: the steps most often missed, the de-escalation rate (of the
conversations where the customer was upset at all) and the same by week."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from heard.insights.stored import stored_scorecard
from heard.playbook import Scorecard, most_missed
from heard.store import Database, repo
from heard.store.tables import MessageRow

UNKNOWN = "(not recorded)"  # replies stored before authors were kept, or sent without a user


@dataclass
class AgentRecord:
    """One agent's conversations, scored."""

    author: str
    conversations: int = 0
    upset: int = 0  # conversations where the customer was upset at all
    deescalated: int = 0
    missed: list[tuple[str, int]] = field(default_factory=list)
    weeks: dict[str, tuple[int, int]] = field(default_factory=dict)  # ISO week: (upset, de-escalated)

    @property
    def deescalation_rate(self) -> float | None:
        return round(self.deescalated / self.upset, 2) if self.upset else None


def author_of(messages: list[MessageRow]) -> str:
    """Who wrote most of a conversation's replies (the first of them on a tie)."""
    authors = Counter(m.author or UNKNOWN for m in messages if m.role == "agent")
    return authors.most_common(1)[0][0] if authors else UNKNOWN


def by_agent(db: Database, *, team_id: int, conversations: int = 200) -> list[AgentRecord]:
    """The last ``conversations`` resolved conversations, by agent, most conversations first."""
    with db.read() as session:
        rows, _ = repo.list_conversations(
            session=session, team_id=team_id, limit=conversations, offset=0, status="resolved"
        )
        scored: list[tuple[str, str, Scorecard]] = []
        for row, _ in rows:
            messages = repo.messages_of(session=session, conversation_id=row.id)
            if any(m.role == "agent" for m in messages):
                week = "{}-W{:02d}".format(*row.updated_at.isocalendar()[:2])
                scored.append((author_of(messages), week, stored_scorecard(messages)))
    records: dict[str, AgentRecord] = {}
    cards: dict[str, list[Scorecard]] = {}
    for author, week, card in scored:
        r = records.setdefault(author, AgentRecord(author))
        cards.setdefault(author, []).append(card)
        r.conversations += 1
        if card.deescalated is not None:
            upset, down = r.weeks.get(week, (0, 0))
            r.weeks[week] = (upset + 1, down + card.deescalated)
            r.upset += 1
            r.deescalated += card.deescalated
    for author, r in records.items():
        r.missed = most_missed(cards[author])
        r.weeks = dict(sorted(r.weeks.items()))
    return sorted(records.values(), key=lambda r: (-r.conversations, r.author))
