"""Taking in one message over the API: the request's fields to ``heard.service.ingest_message``,
its answer to the API's model. The work (reading, the fold, storing) is the service's."""

from __future__ import annotations

from heard import service
from heard.server.deps import Caller
from heard.server.schemas import MessageCreate, MessageResult
from heard.server.views import message_public


def ingest_message(db, caller: Caller, conversation_id: int, body: MessageCreate) -> MessageResult:
    """Store one message of a conversation and answer with the analysis and the next best action."""
    done = service.ingest_message(
        db, team_id=caller.team_id, user_id=caller.user_id, conversation_id=conversation_id, role=body.role,
        text=body.text, at=body.at, external_id=body.external_id, typing=body.typing, acts=body.acts,
    )  # fmt: skip
    return MessageResult(
        **message_public(done.message).model_dump(), stage=done.stage, replayed=done.replayed
    )
