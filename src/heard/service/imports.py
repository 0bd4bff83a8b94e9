"""Importing an archive as a use case (``heard import`` is its adapter): a team's past
conversations into the store, streamed in batches.

For each batch of ``batch_size`` messages read from an archive (``read_archive``):

1. each message gets its key: the export's own id, or one made from its content
   (``message_key``); messages already stored under their conversation are dropped (one query),
   so a re-run adds nothing twice and does not analyse again;
2. personal data is redacted as the team's setting says, as for live messages;
3. the analyser pool (``insights.analysers.Analysers``) analyses the customer messages and
   reads the acts of the agent messages, sentence by sentence, while the batch before is being
   written: each message stores its whole reading, as a live one does, so its scorecard and
   incident run no model again;
4. one write transaction creates the conversations and customers first seen, inserts the
   messages in bulk and updates each conversation's summary.

Memory holds at most ``AHEAD + 1`` batches, whatever the size of the archive. Imported
conversations are history: they are stored as resolved (at their last message) with
``source="import"``, so the incidents and insights built from resolved conversations include
them; no follow-up is scheduled and no next action suggested. docs/import.md has the details.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from heard._version import __version__
from heard.insights._source import BadRow, bad
from heard.insights.analysers import Analysers
from heard.insights.archive import ArchiveMessage
from heard.playbook import NextAction, PlaybookState, Said, advance
from heard.respond import ActReading
from heard.store import Database, repo
from heard.store.tables import ConversationRow
from heard.understand import Analysis
from heard.understand.pii import redact

AHEAD = 1  # batches analysed ahead of the one being written
INCIDENT_PAGE = 200  # conversations whose incidents are read and written at a time
ID_CHARS = 200  # the width of external_id columns; longer ids are stored as their hash
CHANNELS = {"csv": "chat", "jsonl": "chat", "tweets": "social", "tickets": "email"}
SOURCE = "import"
# Stored with every imported message: heard suggested nothing when it was written.
ACTION = NextAction(
    kind="await_reply", step="learn", why="imported by heard import: a past message, no action was suggested"
).model_dump(mode="json")


@dataclass
class ImportSummary:
    """What an import did; updated after every batch (progress reads it)."""

    conversations_added: int = 0
    conversations_updated: int = 0  # stored before, got new messages
    messages_added: int = 0
    messages_skipped: int = 0  # stored already (a re-run), or repeated in the file
    analysed: int = 0  # customer messages analysed
    acts_read: int = 0  # agent messages whose acts were read
    bad_rows: int = 0
    redacted: int = 0  # messages in which personal data was replaced
    incidents: int = 0  # incidents recorded (new conversations, and stored ones that grew)
    # ids of conversations stored before this run that got new messages: their incidents are read again
    grown: set[int] = field(default_factory=set, repr=False)
    batches: int = 0
    last_line: int = 0  # the file's line reached (for a progress bar)


@dataclass
class _Plan:
    """One batch between reading and writing."""

    messages: list[tuple[ArchiveMessage, str, str, str, list]] = field(default_factory=list)
    # (message, conversation key, message key, text to store, redactions)
    pending: object = None
    last_line: int = 0


def _fit(key: str) -> str:
    if len(key) <= ID_CHARS:
        return key
    return "h:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def message_key(message: ArchiveMessage) -> str:
    """The id a message is stored under in its conversation: the export's id where it has one,
    else ``h:`` and a hash of its role, time and text, so the same message gets the same key
    on every run, in whatever order the export lists it. (Two messages of one conversation
    with the same role, time and text are taken as one: a repeat in the export.)"""
    if message.external_id:
        return _fit(message.external_id)
    at = message.at.isoformat() if message.at else "-"
    text = f"{message.role}\n{at}\n{message.text}".encode("utf-8", "surrogatepass")
    return "h:" + hashlib.sha256(text).hexdigest()[:32]


def import_archive(
    db: Database,
    *,
    team: str,
    rows: Iterable[ArchiveMessage | BadRow],
    format: str = "jsonl",
    batch_size: int = 500,
    workers: int = 2,
    frame: bool = True,
    on_batch: Callable[[ImportSummary], None] | None = None,
    on_bad_row: Callable[[BadRow], None] | None = None,
) -> ImportSummary:
    """Store past conversations for ``team``, from the rows of ``read_archive``.

    Args:
        db: the store (migrated).
        team: the team's name.
        rows: messages and bad rows, in file order (any iterable; it is read a batch at a time).
        format: the export's format; sets the conversations' channel.
        batch_size: messages per batch and per write transaction.
        workers: analyser processes (0: analyse in this process).
        frame: read the complaint frame of customer messages (as the service does).
        on_batch: called with the running summary after each batch is written.
        on_bad_row: called for each row that could not be read or analysed; the import goes on.

    Raises:
        RecordNotFound: there is no team of that name.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    with db.read() as session:
        found = repo.team_by_name(session=session, name=team)
        team_id, redacting = found.id, found.redact_pii
        # Conversations with a higher id were created by this run: extending them is no "update".
        before = repo.last_conversation_id(session=session, team_id=team_id)
    summary = ImportSummary()
    started = datetime.now(UTC)

    def report(row: BadRow) -> None:
        summary.bad_rows += 1
        if on_bad_row is not None:
            on_bad_row(row)

    channel = CHANNELS.get(format, "other")
    with Analysers(workers, frame=frame) as pool:
        ahead: deque[_Plan] = deque()
        for batch in _batches(rows, batch_size, report, summary):
            plan = _plan(db, team_id, batch, redacting, summary)
            plan.pending = pool.submit([(m.role, text) for m, _, _, text, _ in plan.messages])
            ahead.append(plan)
            if len(ahead) > AHEAD:
                _write(
                    db, team_id, ahead.popleft(), pool, (channel, started, before), summary, report, on_batch
                )
        while ahead:
            _write(db, team_id, ahead.popleft(), pool, (channel, started, before), summary, report, on_batch)
        _record_incidents(db, team_id, pool, summary)
    return summary


def _record_incidents(db: Database, team_id: int, pool: Analysers, summary: ImportSummary) -> None:
    """Every imported conversation is resolved history, so each gets its incident, as a resolved
    live one does (``stored.read_incident``): after the messages, since a conversation may run
    over many batches. Those without one are found by a query, a page at a time (memory stays
    flat); those that grew in this run (``summary.grown``) are read again."""
    grown = sorted(summary.grown)
    after = 0
    while True:
        with db.read() as session:
            missing = repo.imported_without_incident(
                session=session, team_id=team_id, after_id=after, limit=INCIDENT_PAGE
            )
            ids = list(dict.fromkeys(missing + grown[:INCIDENT_PAGE]))
            grown = grown[INCIDENT_PAGE:]
            if not ids:
                return
            conversations = [
                [
                    {"conversation_id": m.conversation_id, "role": m.role, "text": m.text, "at": m.at,
                     "analysis": m.analysis, "act_reading": m.act_reading}
                    for m in repo.messages_of(session=session, conversation_id=cid)
                ]
                for cid in ids
            ]  # fmt: skip
        read = pool.incidents(conversations)
        with db.write() as session:
            for cid, fields in zip(ids, read, strict=True):
                row = repo.get_conversation(session=session, team_id=team_id, conversation_id=cid)
                # None: the engine could not read it; the incident keeps what the row knows
                repo.record_incident(
                    session=session, conversation=row, root_cause=None, outcome=None, read=fields or {}
                )
                summary.incidents += 1
        # the query's page is done (its ids ascend); the grown ones ride along outside its order
        after = missing[-1] if missing else after


def _batches(
    rows: Iterable[ArchiveMessage | BadRow],
    size: int,
    report: Callable[[BadRow], None],
    summary: ImportSummary,
) -> Iterator[list[ArchiveMessage]]:
    batch: list[ArchiveMessage] = []
    for row in rows:
        if isinstance(row, ArchiveMessage):
            batch.append(row)
            if len(batch) == size:
                yield batch
                batch = []
        else:
            report(row)
            summary.last_line = max(summary.last_line, row.line)
    if batch:
        yield batch


def _plan(db: Database, team_id: int, batch: list[ArchiveMessage], redacting: bool, summary) -> _Plan:
    """Keys, drop what is stored already or repeated, redact: what is left to analyse and write."""
    keyed = [(m, _fit(m.conversation_id), message_key(m)) for m in batch]
    with db.read() as session:
        convs = repo.conversations_by_external_id(
            session=session, team_id=team_id, external_ids={c for _, c, _ in keyed}
        )
        stored = repo.stored_message_ids(
            session=session,
            conversation_ids=[c.id for c in convs.values()],
            external_ids={k for _, _, k in keyed},
        )
        ids = {ext: c.id for ext, c in convs.items()}
    plan, seen = _Plan(last_line=max(m.line for m in batch)), set()
    for m, conv, key in keyed:
        if (conv, key) in seen or (ids.get(conv), key) in stored:
            summary.messages_skipped += 1
            continue
        seen.add((conv, key))
        if redacting:
            redaction = redact(m.text)
            text, found = redaction.text, [f.model_dump() for f in redaction.found]
        else:
            text, found = m.text, []
        plan.messages.append((m, conv, key, text, found))
    return plan


def _write(db, team_id, plan: _Plan, pool: Analysers, context, summary, report, on_batch) -> None:
    results = pool.results(plan.pending)
    ready = []
    for (m, conv, key, text, found), (kind, value) in zip(plan.messages, results, strict=True):
        if kind == "error":
            report(bad(m.line, str(value)))
        else:
            ready.append((m, conv, key, text, found, kind, value))
    for attempt in range(3):
        try:
            counts = _store(db, team_id, ready, *context)
            break
        except IntegrityError:
            # another import (or the service) stored the same conversation or message meanwhile:
            # the next attempt reads it and leaves it out
            if attempt == 2:
                raise
    added, skipped, new_convs, grown = counts
    summary.messages_added += added
    summary.messages_skipped += skipped
    summary.conversations_added += new_convs
    summary.conversations_updated += len(set(grown) - summary.grown)
    summary.grown.update(grown)
    summary.analysed += sum(1 for r in ready if r[5] == "analysis")
    summary.acts_read += sum(1 for r in ready if r[5] == "acts")
    summary.redacted += sum(1 for r in ready if r[4])
    summary.batches += 1
    summary.last_line = max(summary.last_line, plan.last_line)
    if on_batch is not None:
        on_batch(summary)


def _store(
    db: Database, team_id: int, ready: list, channel: str, started: datetime, before: int
) -> tuple[int, int, int, list[int]]:
    """One write transaction for a batch: (messages added, skipped, conversations added, the ids
    of conversations stored before this run that got new messages)."""
    if not ready:
        return 0, 0, 0, []
    now = datetime.now(UTC)
    with db.write() as session:
        convs = repo.conversations_by_external_id(
            session=session, team_id=team_id, external_ids={r[1] for r in ready}, for_update=db.is_postgres
        )
        # what was stored since the batch was planned (the batch before held the same message)
        stored = repo.stored_message_ids(
            session=session,
            conversation_ids=[c.id for c in convs.values()],
            external_ids={r[2] for r in ready},
        )
        existing = {c.external_id: c.id for c in convs.values()}
        fresh = [r for r in ready if (existing.get(r[1]), r[2]) not in stored]
        skipped = len(ready) - len(fresh)
        first_customer: dict[str, str] = {}
        for m, conv, *_ in fresh:
            if m.role == "customer" and m.author and conv not in first_customer:
                first_customer[conv] = _fit(m.author)
        customers = repo.customers_for(session=session, team_id=team_id, refs=set(first_customer.values()))
        new, first_at = [], {}
        for m, conv, *_ in fresh:
            first_at.setdefault(conv, m.at or started)
        for conv in first_at:
            if conv not in convs:
                ref = first_customer.get(conv)
                row = ConversationRow(
                    team_id=team_id,
                    customer_id=customers[ref] if ref else None,
                    channel=channel,
                    status="resolved",
                    stage="closing",
                    state=PlaybookState(stage="closing").model_dump(mode="json"),
                    external_id=conv,
                    source=SOURCE,
                    created_at=first_at[conv],  # history keeps its own times
                    updated_at=first_at[conv],
                    messages=0,
                    version=0,
                )
                convs[conv] = row
                new.append(row)
            elif convs[conv].customer_id is None and conv in first_customer:
                convs[conv].customer_id = customers[first_customer[conv]]
        session.add_all(new)
        session.flush()
        rows, by_conv = [], {}
        for m, conv, key, text, found, kind, value in fresh:
            row = convs[conv]
            at = m.at or row.updated_at or started  # no time in the export: the message before's, or now
            rows.append(
                {
                    "team_id": team_id,
                    "conversation_id": row.id,
                    "role": m.role,
                    "text": text,
                    "external_id": key,
                    "at": at,
                    "analysis": value if kind == "analysis" else None,
                    "acts": _present(value) if kind == "acts" else None,
                    "acts_source": "detected" if kind == "acts" else None,
                    "act_reading": value if kind == "acts" else None,
                    "author": m.author[:100] if m.role == "agent" and m.author else None,
                    "action": ACTION,
                    "policy": None,
                    "redactions": found,
                    "produced_by": value["produced_by"] if kind == "analysis" else {"heard": __version__},
                    "created_at": now,
                }
            )
            _fold(row, m.role, text, value, at)
            by_conv[conv] = row
        repo.add_messages(session=session, rows=rows)
        return len(rows), skipped, len(new), [row.id for row in by_conv.values() if row.id <= before]


def _present(reading: dict) -> list[str]:
    """The acts an agent message's stored reading finds (as the service detects them)."""
    return sorted(ActReading.model_validate(reading).present())


def _fold(row: ConversationRow, role: str, text: str, value, at: datetime) -> None:
    """Move an imported conversation on by one message with the playbook's fold step, on the
    reading just stored (no model run, no words drafted: nothing to suggest in history)."""
    state = PlaybookState.model_validate(row.state or {})
    if role == "customer":
        said = Said(role="customer", text=text, at=at.timestamp(), analysis=Analysis.model_validate(value))
    else:
        said = Said(role="agent", text=text, at=at.timestamp(), acts=_present(value))
    state = advance(state, said, words=False).state
    row.state = state.model_dump(mode="json")
    row.category, row.peak_upset = state.category, state.peak_upset
    row.messages += 1
    row.version += 1
    row.created_at, row.updated_at = min(row.created_at, at), max(row.updated_at, at)
    if row.source == SOURCE:
        row.status, row.resolved_at = "resolved", row.updated_at
