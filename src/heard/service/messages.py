"""Taking in one message: redact, read it once, move the conversation by the fold, store, answer.

The reading (a customer message's analysis, an agent message's acts with their source) is made
here, once, and stored with the message; every later reader uses the stored one. The slow
part runs outside any write transaction. The write then checks that the conversation did not
change meanwhile (its ``version``) and otherwise does the step again on the new state, so two
messages arriving at once are both stored and each sees the other. A repeated ``external_id``
returns the stored message.
"""

from __future__ import annotations

import functools
import logging
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

import heard
from heard.errors import Conflict, EmptyText
from heard.playbook import PlaybookState, Said, Turn, advance, suggest
from heard.respond import beyond_policy, load_catalogue, read_acts
from heard.respond.policy import Catalogue
from heard.store import Database, optimistic_attempts, repo
from heard.store.tables import MessageRow, UserRow
from heard.understand import Analysis
from heard.understand.pii import redact

log = logging.getLogger("heard.service")


@dataclass(frozen=True)
class Ingested:
    """The stored message, where the conversation stands after it, and whether it was a replay."""

    message: MessageRow
    stage: str
    replayed: bool


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


def ingest_message(
    db: Database,
    *,
    team_id: int,
    conversation_id: int,
    role: str,
    text: str,
    at: datetime | None = None,
    user_id: int | None = None,
    author: str | None = None,
    external_id: str | None = None,
    typing: bool = False,
    acts: Collection[str] | None = None,
) -> Ingested:
    """Store one message of a conversation with its reading; the conversation moves on by the fold.

    Args:
        at: when it was sent; default now.
        user_id: the user whose key or session sent it: an agent message's author.
        author: who wrote an agent message when no user sent it (an import, a helpdesk).
        acts: an agent message's acts when the sender knows them (declared); else detected.
    """
    if not visible(text):
        # Stored, an empty message would break every later reading of the conversation.
        raise EmptyText(
            f"the {role}'s message has no visible text (only spaces, zero-width or control characters); "
            "send what was written"
        )
    at = (at or datetime.now(UTC)).astimezone(UTC)
    for _ in optimistic_attempts():
        with db.read() as session:
            conv = repo.get_conversation(session=session, team_id=team_id, conversation_id=conversation_id)
            if external_id and (
                seen := repo.message_by_external_id(
                    session=session, conversation_id=conv.id, external_id=external_id
                )
            ):
                return Ingested(seen, conv.stage, replayed=True)
            team = repo.get_team(session=session, team_id=team_id)
            earlier = repo.message_readings(session=session, conversation_id=conv.id)
            catalogue = catalogue_of(repo.get_policy(session=session, team_id=team_id))
            if role == "agent" and author is None and user_id is not None:
                user = session.get(UserRow, user_id)
                author = user.name if user is not None else None
            version, state = conv.version, PlaybookState.model_validate(conv.state)
        redaction = redact(text) if team.redact_pii else None
        stored_text = redaction.text if redaction else text
        history = _history(earlier)
        fields: dict = {
            "analysis": None,
            "acts": None,
            "acts_source": None,
            "act_reading": None,
            "policy": None,
        }
        suggestions = None
        if role == "customer":
            turn, fields["analysis"], suggestions = _customer(
                state, history, stored_text, at, typing, catalogue
            )
        else:
            turn, fields = _agent(state, stored_text, at, acts, catalogue)
        try:
            with db.write() as session:
                conv = repo.get_conversation(
                    session=session, team_id=team_id, conversation_id=conversation_id, for_update=True
                )
                if conv.version != version:
                    # another message landed meanwhile: do the step again on the new state
                    log.info("conversation %s changed while message was read; step done again", conv.id)
                    continue
                row = repo.add_message(
                    session=session,
                    team_id=team_id,
                    conversation_id=conv.id,
                    role=role,
                    text=stored_text,
                    external_id=external_id,
                    at=at,
                    author=author if role == "agent" else None,
                    action=turn.action.model_dump(mode="json"),
                    redactions=[f.model_dump() for f in redaction.found] if redaction else [],
                    produced_by=(fields["analysis"] or {}).get("produced_by", {"heard": heard.__version__}),
                    **fields,
                )
                _apply(conv, turn, suggestions)
                return Ingested(row, conv.stage, replayed=False)
        except IntegrityError:
            continue  # the same external_id was stored by a concurrent retry: the next read replays it
    raise Conflict("the conversation changed too often while this message was read; send it again")


def _history(earlier: list[tuple[str, str, dict | None]]) -> list[Said]:
    """The earlier messages, the last customer ones with their stored readings (the story the
    words quote); older ones need only their text."""
    customer = [k for k, (role, _, _) in enumerate(earlier) if role == "customer"]
    recent = set(customer[-8:])
    return [
        Said(role=role, text=text, at=None,  # type: ignore[arg-type]
             analysis=Analysis.model_validate(reading) if k in recent and reading else None)
        for k, (role, text, reading) in enumerate(earlier)
    ]  # fmt: skip


def _customer(state, history: list[Said], text, at, typing, catalogue) -> tuple[Turn, dict, dict]:
    analysis = heard.analyze(text)  # the message's one reading, stored with it
    said = Said(role="customer", text=text, at=at.timestamp(), analysis=analysis)
    turn = advance(state, said, history, typing=typing, catalogue=catalogue)
    told = [m for m in history if m.role == "customer"] + [said]
    recent = [m.analysis for m in told[-8:]]
    # The suggestion panel's lines, drafted now from the stored readings, read on every page load.
    readings = recent if all(a is not None for a in recent) else None
    lines = suggest(turn.state, [m.text for m in told], readings=readings)  # type: ignore[arg-type]
    return turn, analysis.model_dump(mode="json"), lines.model_dump(mode="json")


def _agent(state, text, at, acts, catalogue) -> tuple[Turn, dict]:
    source = "declared" if acts is not None else "detected"
    reading = read_acts(text)  # the reply's one reading: the scorecard judges its sentences later
    done = sorted(acts if acts is not None else reading.present())
    breaches = beyond_policy(text, catalogue, state.category or "other") if catalogue else []
    turn = advance(state, Said(role="agent", text=text, at=at.timestamp(), acts=done))
    if breaches:  # warned when offered, not first at resolve: the customer has been told
        said = [
            f'offer_solutions: the reply promised "{b.promise}": {b.message}; ask a lead' for b in breaches
        ]
        turn = turn.model_copy(
            update={"action": turn.action.model_copy(update={"warnings": [*turn.action.warnings, *said]})}
        )
    fields = {
        "analysis": None,
        "acts": done,
        "acts_source": source,
        "act_reading": reading.model_dump(mode="json"),
        "policy": [b.model_dump() for b in breaches],
    }
    return turn, fields


def keep_turn(conv, turn: Turn, at: datetime) -> None:
    """Store where a step of the fold left the conversation on its row (a message, a resolve)."""
    conv.state = turn.state.model_dump(mode="json")
    conv.stage = turn.state.stage
    conv.next_action = turn.action.model_dump(mode="json")
    conv.category = turn.state.category
    conv.peak_upset = turn.state.peak_upset
    conv.version += 1
    conv.updated_at = at


def _apply(conv, turn: Turn, suggestions: dict | None) -> None:
    keep_turn(conv, turn, datetime.now(UTC))
    if suggestions is not None:
        conv.suggestions = suggestions
    else:  # the agent wrote: the apology owed or the reference asked may have changed
        conv.suggestions = _after_agent(conv.suggestions, turn.state)
    conv.messages += 1
    if conv.status == "resolved" and turn.action.kind == "reflect":
        conv.status, conv.resolved_at = "open", None  # the problem is back


def _after_agent(lines: dict | None, state: PlaybookState) -> dict | None:
    """The stored lines once the agent has replied: no apology once one was made."""
    if lines is None:
        return None
    return {**lines, "apology": None} if state.apologised else lines
