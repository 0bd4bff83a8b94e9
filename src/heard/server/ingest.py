"""Taking in one message: redact, analyse, move the playbook state, store, answer.

The slow part (analysis, reflection, questions) runs outside any write transaction. The
write then checks that the conversation did not change meanwhile (its ``version``) and
otherwise does the turn again on the new state, so two messages arriving at once are both
stored and each sees the other. A repeated ``external_id`` returns the stored answer.
"""

from __future__ import annotations

import functools
import logging
import unicodedata
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

import heard
from heard.errors import Conflict, EmptyText
from heard.playbook import PlaybookState, Said, Turn, advance
from heard.respond import beyond_policy, load_catalogue
from heard.respond.policy import Catalogue
from heard.server.deps import Caller
from heard.server.schemas import MessageCreate, MessageResult
from heard.server.views import message_public
from heard.store import Database, repo
from heard.store.tables import MessageRow
from heard.understand.pii import redact

ATTEMPTS = 5
log = logging.getLogger("heard.server")


def _replay(row: MessageRow, stage: str) -> MessageResult:
    return MessageResult(**message_public(row).model_dump(), stage=stage, replayed=True)


def catalogue_of(text: str | None) -> Catalogue | None:
    """A team's stored catalogue, parsed (once per text)."""
    return _parsed(text) if text else None


@functools.lru_cache(maxsize=256)
def _parsed(text: str) -> Catalogue:
    """Catalogues are stored as validated YAML and change rarely: parse each text once."""
    return load_catalogue(text)


def visible(text: str) -> bool:
    """Something a person could read: not only whitespace, zero-width or control characters."""
    return any(not c.isspace() and unicodedata.category(c) not in ("Cf", "Cc", "Zs") for c in text)


def ingest_message(db: Database, caller: Caller, conversation_id: int, body: MessageCreate) -> MessageResult:
    """Store one message of a conversation and answer with the analysis and the next best action."""
    if not visible(body.text):
        # Stored, an empty message would break every later reading of the conversation.
        raise EmptyText(
            f"the {body.role}'s message has no visible text (only spaces, zero-width or control "
            "characters); send what was written"
        )
    at = (body.at or datetime.now(UTC)).astimezone(UTC)
    for _ in range(ATTEMPTS):
        with db.read() as session:
            conv = repo.get_conversation(
                session=session, team_id=caller.team_id, conversation_id=conversation_id
            )
            if body.external_id and (
                seen := repo.message_by_external_id(
                    session=session, conversation_id=conv.id, external_id=body.external_id
                )
            ):
                return _replay(seen, conv.stage)
            team = repo.get_team(session=session, team_id=caller.team_id)
            earlier = repo.message_texts(session=session, conversation_id=conv.id)
            catalogue = catalogue_of(repo.get_policy(session=session, team_id=caller.team_id))
            version, state = conv.version, PlaybookState.model_validate(conv.state)
        redaction = redact(body.text) if team.redact_pii else None
        text = redaction.text if redaction else body.text
        fields: dict = {"analysis": None, "acts": None, "acts_source": None, "policy": None}
        if body.role == "customer":
            turn, fields["analysis"] = _customer(state, earlier, text, at, body.typing, catalogue)
        else:
            turn, fields = _agent(state, text, at, body.acts, catalogue)
        try:
            with db.write() as session:
                conv = repo.get_conversation(
                    session=session, team_id=caller.team_id, conversation_id=conversation_id, for_update=True
                )
                if conv.version != version:
                    # another message landed meanwhile: do the turn again on the new state
                    log.info("conversation %s changed while message was read; turn done again", conv.id)
                    continue
                row = repo.add_message(
                    session=session,
                    team_id=caller.team_id,
                    conversation_id=conv.id,
                    role=body.role,
                    text=text,
                    external_id=body.external_id,
                    at=at,
                    action=turn.action.model_dump(mode="json"),
                    redactions=[f.model_dump() for f in redaction.found] if redaction else [],
                    produced_by=(fields["analysis"] or {}).get("produced_by", {"heard": heard.__version__}),
                    **fields,
                )
                _apply(conv, turn, fields["analysis"])
                return MessageResult(**message_public(row).model_dump(), stage=conv.stage, replayed=False)
        except IntegrityError:
            continue  # the same external_id was stored by a concurrent retry: the next read replays it
    raise Conflict("the conversation changed too often while this message was read; send it again")


def _history(earlier: list[tuple[str, str]]) -> list[Said]:
    # The earlier messages' texts are what the words of the action quote; their state is stored.
    return [Said(role=role, text=t, at=None) for role, t in earlier]  # type: ignore[arg-type]


def _customer(state, earlier: list[tuple[str, str]], text, at, typing, catalogue) -> tuple[Turn, dict]:
    analysis = heard.analyze(text)
    said = Said(role="customer", text=text, at=at.timestamp(), analysis=analysis)
    turn = advance(state, said, _history(earlier), typing=typing, catalogue=catalogue)
    return turn, analysis.model_dump(mode="json")


def _agent(state, text, at, acts, catalogue) -> tuple[Turn, dict]:
    source = "declared" if acts is not None else "detected"
    done = sorted(acts if acts is not None else (k for k, v in heard.acts(text).items() if v >= 0.5))
    breaches = beyond_policy(text, catalogue, state.category or "other") if catalogue else []
    turn = advance(state, Said(role="agent", text=text, at=at.timestamp(), acts=done))
    fields = {
        "analysis": None,
        "acts": done,
        "acts_source": source,
        "policy": [b.model_dump() for b in breaches],
    }
    return turn, fields


def _apply(conv, turn: Turn, analysis: dict | None) -> None:
    conv.state = turn.state.model_dump(mode="json")
    conv.stage = turn.state.stage
    conv.next_action = turn.action.model_dump(mode="json")
    conv.category = turn.state.category
    conv.peak_upset = turn.state.peak_upset
    conv.messages += 1
    conv.version += 1
    conv.updated_at = datetime.now(UTC)
    if conv.status == "resolved" and turn.action.kind == "reflect":
        conv.status, conv.resolved_at = "open", None  # the problem is back
