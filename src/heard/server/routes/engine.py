"""Stateless engine calls: analyze and reflect one text. Nothing is stored."""

from __future__ import annotations

from fastapi import APIRouter

import heard
from heard.errors import TooLarge
from heard.server.deps import CallerDep, SettingsDep
from heard.server.schemas import AnalyzeCreate, ReflectCreate, ReflectionPublic

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
