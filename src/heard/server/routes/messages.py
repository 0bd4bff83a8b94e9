"""Messages of a conversation: each answered with the analysis and the next best action."""

from __future__ import annotations

from fastapi import APIRouter, Response

from heard.server.deps import CallerDep, DatabaseDep, SettingsDep
from heard.server.ingest import ingest_message
from heard.server.routes.engine import check_length
from heard.server.schemas import MessageCreate, MessageResult

router = APIRouter(prefix="/conversations", tags=["messages"])


@router.post(
    "/{conversation_id}/messages",
    response_model=MessageResult,
    status_code=201,
    responses={200: {"model": MessageResult, "description": "A delivery of a stored external_id: replayed."}},
)
def add_message(
    conversation_id: int,
    body: MessageCreate,
    caller: CallerDep,
    db: DatabaseDep,
    settings: SettingsDep,
    response: Response,
) -> MessageResult:
    """Add a customer's or an agent's message. A repeated ``external_id`` answers 200 with the
    stored result and stores nothing new."""
    check_length(body.text, settings.max_message_chars)
    result = ingest_message(db, caller, conversation_id, body)
    if result.replayed:
        response.status_code = 200
    return result
