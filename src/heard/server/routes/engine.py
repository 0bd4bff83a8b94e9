"""Stateless engine calls: analyze, reflect and review one text. Nothing is stored."""

from __future__ import annotations

from fastapi import APIRouter

import heard
from heard.errors import TooLarge
from heard.server.deps import CallerDep, DatabaseDep, SettingsDep
from heard.server.ingest import catalogue_of
from heard.server.schemas import AnalyzeCreate, ReflectCreate, ReflectionPublic, ReviewCreate
from heard.store import repo

router = APIRouter(tags=["engine"])


def check_length(texts: str | list[str], limit: int) -> None:
    size = len(texts) if isinstance(texts, str) else sum(len(t) for t in texts)
    if size > limit:
        raise TooLarge(f"the text has {size:,} characters; the limit is {limit:,} (HEARD_MAX_MESSAGE_CHARS)")


@router.post("/analyze", response_model=heard.Analysis)
def analyze(body: AnalyzeCreate, _caller: CallerDep, settings: SettingsDep) -> heard.Analysis:
    """How upset the customer is, why, the feeling to reflect, and the complaint frame."""
    check_length(body.text, settings.max_message_chars)
    return heard.analyze(body.text, frame=body.frame)


@router.post("/reflect", response_model=ReflectionPublic)
def reflect(body: ReflectCreate, _caller: CallerDep, settings: SettingsDep) -> ReflectionPublic:
    """A reflection of the customer's message (or burst) with a feeling guess."""
    check_length(body.text, settings.max_message_chars)
    r = heard.reflect(body.text, reply=body.reply)
    return ReflectionPublic(text=r.text, feeling=r.feeling, reason=r.reason)


@router.post("/review", response_model=heard.DraftReview)
def review(
    body: ReviewCreate, caller: CallerDep, db: DatabaseDep, settings: SettingsDep
) -> heard.DraftReview:
    """How well a draft follows the playbook here, with findings and rewrites; a promise beyond
    the team's policy catalogue is a finding too. Context: ``customer``, ``conversation``, or
    ``conversation_id`` (one of yours)."""
    check_length(body.draft, settings.max_message_chars)
    conversation = [m.model_dump() for m in body.conversation] if body.conversation else None
    with db.read() as session:
        if body.conversation_id is not None:
            conv = repo.get_conversation(
                session=session, team_id=caller.team_id, conversation_id=body.conversation_id
            )
            messages = repo.messages_of(session=session, conversation_id=conv.id)
            conversation = [{"role": m.role, "text": m.text, "at": m.at.isoformat()} for m in messages]
        catalogue = repo.get_policy(session=session, team_id=caller.team_id)
    return heard.review(
        body.draft,
        customer=body.customer,
        conversation=conversation,
        at=body.at,
        policy=catalogue_of(catalogue),
    )
