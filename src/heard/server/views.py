"""Stored rows as API models (routes never return ORM rows)."""

from __future__ import annotations

from heard.server.schemas import ConversationPublic, FollowUpPublic, MessagePublic
from heard.store.tables import ConversationRow, FollowUpRow, MessageRow


def conversation_public(row: ConversationRow, customer: str | None) -> ConversationPublic:
    return ConversationPublic.model_validate(row).model_copy(update={"customer": customer})


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
        acts_source=row.acts_source,
        policy=row.policy or [],
        action=row.action,
    )


def follow_up_public(row: FollowUpRow) -> FollowUpPublic:
    return FollowUpPublic.model_validate(row)
