"""Stateless engine calls: analyze, reflect and review one text. Nothing is stored."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter

import heard
from heard import service
from heard.errors import HeardError, MalformedInput, TooLarge
from heard.server.deps import CallerDep, DatabaseDep, SettingsDep
from heard.server.schemas import AnalyzeCreate, ReflectCreate, ReflectionPublic, ReviewCreate
from heard.service import catalogue_of
from heard.store import repo
from heard.understand.conversation import seconds

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
    if body.conversation_id is not None:
        # A stored conversation: the draft goes out now unless the caller says when (never
        # "right after the last message", which would call every later draft an interruption).
        when = _instant(body.at) if body.at is not None else datetime.now(UTC)
        return service.review_draft(
            db,
            team_id=caller.team_id,
            conversation_id=body.conversation_id,
            draft=body.draft,
            at=when,
            customer=body.customer,
        )
    conversation = [m.model_dump() for m in body.conversation] if body.conversation else None
    with db.read() as session:
        catalogue = repo.get_policy(session=session, team_id=caller.team_id)
    return heard.review(
        body.draft,
        customer=body.customer,
        conversation=conversation,
        at=body.at,
        policy=catalogue_of(catalogue),
    )


def _instant(at: str | float) -> datetime:
    """The draft's time as a UTC datetime; a time outside the years 1 to 9999 is the caller's to fix."""
    try:
        return datetime.fromtimestamp(seconds(at, where="at"), UTC)
    except (OverflowError, OSError, ValueError) as e:
        if isinstance(e, HeardError):  # already says what to change
            raise
        raise MalformedInput("at is out of range: give a time within the years 1 to 9999 in UTC") from None
