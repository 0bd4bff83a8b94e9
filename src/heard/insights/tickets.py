"""Helpdesk ticket exports in JSON: each ticket a conversation, its public comments the messages.

Shapes (docs/import.md, "Helpdesk tickets"): a JSON document ``{"tickets": [...]}`` or a bare
array of tickets (``.json``), or one ticket per line (``.jsonl``, ``.ndjson``). A ticket has
``id``, ``requester_id`` and ``comments``, each with ``id``, ``author_id``, ``body`` and
``created_at``. A comment by the requester (or whose ``author_role`` is ``end-user`` or
``customer``) is the customer's; others are the agent's; private notes (``public: false``) are
not part of the conversation and are left out.

The JSON document is read a ticket at a time with the standard library's decoder over a sliding
buffer, so memory holds one ticket, not the export. A document that breaks mid-way cannot be
read past the break (JSON has no way to resynchronise): the break is reported with its line and
reading stops; exports that may hold broken records are better written as JSON Lines, where a
bad line is skipped and reading goes on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from heard.insights._source import TOO_DEEP, bad, lines, not_utf8
from heard.insights._time import as_utc
from heard.insights.archive import ArchiveMessage, Row

_CUSTOMER_ROLES = {"end-user", "end_user", "customer", "requester", "user"}
_AGENT_ROLES = {"agent", "admin", "staff", "support"}
_TICKETS_KEY = re.compile(r'"tickets"\s*:\s*\[')
_CHUNK = 1 << 20
MAX_TICKET_CHARS = 64 << 20  # one ticket larger than this is reported, not read


def _document_items(path: Path) -> Iterator[tuple[int, object, str | None]]:
    """(line, item, problem) for each element of the tickets array in a JSON document."""
    decoder = json.JSONDecoder()
    with path.open(encoding="utf-8", errors="surrogateescape") as f:
        buf, pos, line, eof = "", 0, 1, False

        def more() -> bool:
            nonlocal buf, pos, eof
            chunk = f.read(_CHUNK)
            eof = not chunk
            buf, pos = buf[pos:] + chunk, 0
            return bool(chunk)

        def skip(chars: str) -> None:
            nonlocal pos, line
            while True:
                while pos < len(buf) and buf[pos] in chars:
                    line += buf[pos] == "\n"
                    pos += 1
                if pos < len(buf) or not more():
                    return

        skip(" \t\r\n\ufeff")
        if buf[pos : pos + 1] == "{":
            while not (found := _TICKETS_KEY.search(buf, pos)) and not eof:
                keep = max(pos, len(buf) - 64)  # the key may straddle two chunks
                line += buf.count("\n", pos, keep)
                pos = keep
                more()
            if not found:
                yield line, None, 'found no "tickets" array; the export must be {"tickets": [...]} or [...]'
                return
            line += buf.count("\n", pos, found.end())
            pos = found.end()
        elif buf[pos : pos + 1] == "[":
            pos += 1
        else:
            yield line, None, 'not a JSON ticket export; it must be {"tickets": [...]}, [...] or JSON Lines'
            return
        while True:
            skip(" \t\r\n,")
            if pos >= len(buf) or buf[pos] == "]":
                return
            while True:
                try:
                    item, end = decoder.raw_decode(buf, pos)
                    break
                except RecursionError:
                    yield line, None, f"{TOO_DEEP}; the rest of the export cannot be read"
                    return
                except json.JSONDecodeError as e:
                    if eof or len(buf) - pos > MAX_TICKET_CHARS:
                        where = line + buf.count("\n", pos, e.pos)
                        yield where, None, f"broken JSON ({e.msg}); the rest of the export cannot be read"
                        return
                    more()
            yield line, item, None
            line += buf.count("\n", pos, end)
            pos = end


def _line_items(path: Path) -> Iterator[tuple[int, object, str | None]]:
    for number, text in enumerate(lines(path), start=1):
        if not text.strip():
            continue
        try:
            yield number, json.loads(text), None
        except json.JSONDecodeError as e:
            yield number, None, f"not JSON ({e.msg} at column {e.colno})"
        except RecursionError:
            yield number, None, TOO_DEEP


def _messages(ticket: object, line: int) -> Iterator[Row]:
    if not isinstance(ticket, dict) or ticket.get("id") in (None, ""):
        yield bad(line, "a ticket must be an object with an id")
        return
    ticket_id = str(ticket["id"])
    requester = ticket.get("requester_id")
    if requester is None and isinstance(ticket.get("requester"), dict):
        requester = ticket["requester"].get("id")
    comments = ticket.get("comments")
    if comments is None and isinstance(ticket.get("description"), str):
        comments = [
            {"body": ticket["description"], "author_id": requester, "created_at": ticket.get("created_at")}
        ]
    if not isinstance(comments, list):
        yield bad(line, f"ticket {ticket_id} has no comments list")
        return
    for n, comment in enumerate(comments, start=1):
        if not isinstance(comment, dict):
            yield bad(line, f"ticket {ticket_id}, comment {n} is not an object")
            continue
        if comment.get("public") is False:
            continue  # an internal note: the customer never saw it
        body = comment.get("body") or comment.get("plain_body") or comment.get("text")
        if not isinstance(body, str) or not body.strip():
            yield bad(line, f"ticket {ticket_id}, comment {n} has no body")
            continue
        if not_utf8(body):
            yield bad(line, f"ticket {ticket_id}, comment {n} is not UTF-8; convert the export to UTF-8")
            continue
        stated = str(comment.get("author_role") or "").lower()
        author = comment.get("author_id")
        if stated in _CUSTOMER_ROLES or stated in _AGENT_ROLES:
            role = "customer" if stated in _CUSTOMER_ROLES else "agent"
        elif requester is not None and author is not None:
            role = "customer" if str(author) == str(requester) else "agent"
        else:
            yield bad(
                line, f"ticket {ticket_id}, comment {n}: give requester_id and author_id, or author_role"
            )
            continue
        try:
            at = as_utc(comment["created_at"], what="created_at") if comment.get("created_at") else None
        except ValueError as e:
            yield bad(line, f"ticket {ticket_id}, comment {n}: {e}")
            continue
        external = comment.get("id")
        yield ArchiveMessage(
            conversation_id=ticket_id,
            role=role,
            text=body,
            at=at,
            external_id=f"{ticket_id}/{external}" if external is not None else None,
            author=str(author) if author is not None else None,
            line=line,
        )


def read_tickets(path: Path) -> Iterator[Row]:
    """Messages from a helpdesk ticket export; the line of each ticket is where it starts."""
    items = _line_items(path) if path.suffix.lower() in (".jsonl", ".ndjson") else _document_items(path)
    for line, item, problem in items:
        if problem:
            yield bad(line, problem)
        else:
            yield from _messages(item, line)
