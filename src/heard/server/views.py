"""Stored rows as API models (routes never return ORM rows)."""

from __future__ import annotations

from datetime import UTC, datetime

from heard import service
from heard.insights.stored import follow_up_state
from heard.server.schemas import (
    ConversationPublic,
    FollowUpPublic,
    IncidentPublic,
    LinePublic,
    MessagePublic,
    PracticeSessionDetail,
    PracticeSessionPublic,
    PracticeTurnPublic,
)
from heard.service.practice import PracticeSession
from heard.store.repo import IncidentContext
from heard.store.tables import ConversationRow, FollowUpRow, MessageRow, PracticeSessionRow
from heard.understand.upset import level_of


def conversation_public(
    row: ConversationRow,
    customer: str | None,
    *,
    waiting_since: datetime | None = None,
    now: datetime | None = None,
) -> ConversationPublic:
    """A conversation as the API and the console list it, with its next action as it stands at
    ``now`` (default: now): a "wait" stored while the customer was mid-burst is "reflect" once
    they stopped."""
    state = row.state or {}
    level = level_of(state.get("last_upset", 0.0)) if state.get("last_customer_at") is not None else None
    action = service.next_action(row, now=now or datetime.now(UTC))
    return ConversationPublic.model_validate(row).model_copy(
        update={"customer": customer, "level": level, "waiting_since": waiting_since, "next_action": action}
    )


def message_public(row: MessageRow) -> MessagePublic:
    return MessagePublic(
        id=row.id,
        conversation_id=row.conversation_id,
        role=row.role,
        text=row.text,
        external_id=row.external_id,
        at=row.at,
        redacted=[r["kind"] for r in row.redactions],
        analysis=row.analysis,
        acts=row.acts,
        author=row.author,
        acts_source=row.acts_source,
        policy=row.policy or [],
        action=row.action,
    )


def follow_up_public(row: FollowUpRow) -> FollowUpPublic:
    return FollowUpPublic.model_validate(row)


def incident_public(context: IncidentContext, now: datetime) -> IncidentPublic:
    row, conversation, customer, follow_up = context
    return IncidentPublic.model_validate(row).model_copy(
        update={
            "customer": customer,
            "opened_at": conversation.created_at,
            "resolved_at": conversation.resolved_at,
            "follow_up": follow_up_state(follow_up, now),
        }
    )


def practice_public(row: PracticeSessionRow, trainee: str) -> PracticeSessionPublic:
    return PracticeSessionPublic(
        id=row.id, user_id=row.user_id, trainee=trainee, scenario_id=row.scenario_id,
        scenario_title=row.scenario_title, difficulty=row.difficulty, seed=row.seed, replies=row.turns,
        mood=row.mood, outcome=row.outcome, score=row.score, missed=row.missed, started_at=row.started_at,
        ended_at=row.ended_at,
    )  # fmt: skip


def practice_turn(turn) -> PracticeTurnPublic:
    """The engine's turn (``heard.simulate.PracticeTurn``) with the reply as a line."""
    shown = turn.model_dump(mode="json")
    return PracticeTurnPublic.model_validate({**shown, "reply": {"text": turn.reply, "at": turn.at}})


def practice_detail(s: PracticeSession) -> PracticeSessionDetail:
    public = practice_public(s.row, s.trainee)
    return PracticeSessionDetail(
        **public.model_dump(),
        opening=[LinePublic.model_validate(line) for line in s.practice.opening],
        turns=[practice_turn(t) for t in s.turns],
    )
