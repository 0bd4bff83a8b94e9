"""Reading a team's past conversations: one streaming reader per export format.

Every reader yields, in file order, an ``ArchiveMessage`` for each message it could read and a
``BadRow`` (with its line number and the reason) for each one it could not, and goes on. It
reads a line or a record at a time, so memory stays flat in the size of the file.
The formats are documented in docs/import.md; ``read_archive`` picks the reader.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from heard.errors import UnknownFormat
from heard.insights._source import BadRow, bad, csv_records, json_lines, unstorable
from heard.insights._time import as_utc

Role = Literal["customer", "agent"]
FORMATS = ("csv", "jsonl", "tweets", "tickets")
_ROLES = {"customer": "customer", "agent": "agent"}
_TIME_FIELDS = ("at", "time")


class ArchiveMessage(BaseModel):
    """One message of a past conversation, as read from an export."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    conversation_id: str = Field(description="The conversation (thread, ticket) it belongs to.")
    role: Role = Field(description="Who wrote it: the customer or the company's agent.")
    text: str = Field(description="What they wrote.")
    at: datetime | None = Field(default=None, description="When, in UTC, where the export says.")
    external_id: str | None = Field(default=None, description="The message's id in the source, if any.")
    author: str | None = Field(default=None, description="The account or user that wrote it, if known.")
    line: int = Field(description="The line of the file where it starts (1-based).")


Row = ArchiveMessage | BadRow


def message_from_record(record: object, line: int) -> Row:
    """An ``ArchiveMessage`` from one CSV row or JSON object of the documented schema."""
    if not isinstance(record, dict):
        return bad(
            line, f"expected an object with conversation_id, role and text, got {type(record).__name__}"
        )
    conversation = record.get("conversation_id")
    if conversation is None or str(conversation).strip() == "":
        return bad(line, "conversation_id is missing; every message needs the id of its conversation")
    role = _ROLES.get(str(record.get("role", "")).strip().lower())
    if role is None:
        return bad(line, f"role is {record.get('role')!r}; write customer or agent")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return bad(line, "text is missing or empty")
    stamp = next((record[k] for k in _TIME_FIELDS if record.get(k) not in (None, "")), None)
    try:
        at = as_utc(stamp, what="time") if stamp is not None else None
    except ValueError as e:
        return bad(line, str(e))
    external = record.get("id")
    author = record.get("author")
    return ArchiveMessage(
        conversation_id=str(conversation).strip(),
        role=role,
        text=text,
        at=at,
        external_id=str(external) if external not in (None, "") else None,
        author=str(author) if author not in (None, "") else None,
        line=line,
    )


def read_jsonl(path: Path) -> Iterator[Row]:
    """Messages from a JSON Lines file: one object a line (docs/import.md, "CSV and JSONL")."""
    for item in json_lines(path):
        if isinstance(item, BadRow):
            yield item
            continue
        number, record = item
        yield message_from_record(record, number)


def read_csv(path: Path) -> Iterator[Row]:
    """Messages from a CSV file with a header row (docs/import.md, "CSV and JSONL")."""
    for line, record, problem in csv_records(path):
        yield bad(line, problem) if problem else message_from_record(record, line)


def read_archive(path: str | Path, *, format: str | None = None, brands: Iterable[str] = ()) -> Iterator[Row]:
    """Messages and bad rows from an export, streamed in file order.

    Args:
        path: the export file.
        format: csv, jsonl, tweets or tickets; by default from the file's extension (.csv,
            .jsonl or .ndjson); tweet and ticket exports need it named.
        brands: for tweets, the company's own accounts (their tweets are the agent's side).

    Raises:
        UnknownFormat: the format is not one heard reads.
        FileNotFoundError: there is no such file.
    """
    path = Path(path)
    if format is None:
        format = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}.get(path.suffix.lower())
        if format is None:
            raise UnknownFormat(
                f"cannot tell the format of {path.name!r} from its extension; name it: {', '.join(FORMATS)}"
            )
    if format not in FORMATS:
        raise UnknownFormat(f"unknown format {format!r}; heard reads {', '.join(FORMATS)}")
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    return _storable(_reader(path, format, brands))


def _reader(path: Path, format: str, brands: Iterable[str]) -> Iterator[Row]:
    if format == "csv":
        return read_csv(path)
    if format == "jsonl":
        return read_jsonl(path)
    if format == "tweets":
        from heard.insights.tweets import read_tweets

        return read_tweets(path, brands=brands)
    from heard.insights.tickets import read_tickets

    return read_tickets(path)


def _storable(rows: Iterator[Row]) -> Iterator[Row]:
    """Every format's messages, with those no database can store turned into bad rows."""
    for row in rows:
        if isinstance(row, ArchiveMessage):
            for name in ("conversation_id", "text", "external_id", "author"):
                value = getattr(row, name)
                problem = unstorable(value) if value else None
                if problem:
                    row = bad(row.line, f"{name}: {problem}")
                    break
        yield row
