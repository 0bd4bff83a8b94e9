"""Transcripts to score: chat (messages) and calls (timed segments), from JSON or CSV.

Formats (``docs/transcripts.md``):

- chat, JSON: ``[{"role": "customer", "text": "...", "at": "2026-03-01T10:00:05Z"}, ...]`` or
  ``{"messages": [...]}``; ``at`` is optional (ISO 8601 or seconds).
- call, JSON: ``{"segments": [{"role": "agent", "text": "...", "start": 12.4, "end": 15.0}, ...]}``
  or a list whose items all have ``start`` and ``end`` (seconds from the start of the call).
- CSV with a header row: ``role,text`` and optionally ``at`` (chat), or ``role,text,start,end`` (call).

Anything malformed raises ``InvalidTranscript`` naming the file, the line (CSV) or the field
(JSON: ``messages[3].role``).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from heard.errors import InvalidTranscript
from heard.understand.conversation import Message, Role, seconds, to_message

MAX_BYTES = 20_000_000  # one transcript; a bigger file is almost certainly not one conversation
_CHAT_COLUMNS = {"role", "text", "at"}
_CALL_COLUMNS = {"role", "text", "start", "end"}


class Segment(BaseModel):
    """One stretch of speech in a call, with when it started and ended (seconds)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    role: Role
    text: str
    start: float
    end: float


class Transcript(BaseModel):
    """A chat (messages) or a call (segments), in time order."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["chat", "call"]
    messages: list[Message] = Field(description="Chat messages; for a call, its turns (segments merged).")
    segments: list[Segment] = Field(default_factory=list, description="A call's segments by start time.")


def _segment(item: object, where: str) -> Segment:
    if not isinstance(item, Mapping):
        raise InvalidTranscript(f"{where}: expected an object with role, text, start and end")
    unknown = set(item) - _CALL_COLUMNS
    if unknown:
        raise InvalidTranscript(
            f"{where}: unknown field {sorted(unknown)[0]!r}; a segment has role, text, start, end"
        )
    message = to_message({k: item.get(k) for k in ("role", "text")}, where=where)
    start, end = (seconds(item.get(k), where=f"{where}.{k}") for k in ("start", "end"))
    if start is None or end is None:
        raise InvalidTranscript(
            f"{where}.{'start' if start is None else 'end'}: a call segment needs start and end"
        )
    if end < start:
        raise InvalidTranscript(f"{where}.end: ends at {end} before it starts at {start}")
    return Segment(role=message.role, text=message.text, start=start, end=end)


def _turns(segments: list[Segment]) -> list[Message]:
    """A call's turns: consecutive segments of one speaker joined, timed at their first start."""
    turns: list[Message] = []
    for s in segments:
        if turns and turns[-1].role == s.role:
            turns[-1] = Message(role=s.role, text=f"{turns[-1].text} {s.text}", at=turns[-1].at)
        else:
            turns.append(Message(role=s.role, text=s.text, at=s.start))
    return turns


def _call(segments: list[Segment]) -> Transcript:
    ordered = sorted(segments, key=lambda s: (s.start, s.end))
    return Transcript(kind="call", messages=_turns(ordered), segments=ordered)


def read_transcript(data: object) -> Transcript:
    """A transcript from parsed JSON: a list of messages or segments, or an object holding one."""
    if isinstance(data, Transcript):
        return data
    if isinstance(data, Mapping):
        keys = set(data) & {"messages", "segments"}
        if len(keys) != 1:
            raise InvalidTranscript('expected an object with "messages" (chat) or "segments" (call)')
        key = keys.pop()
        items = data[key]
        if not isinstance(items, list):
            raise InvalidTranscript(f"{key}: expected a list, got {type(items).__name__}")
        if key == "segments":
            return _call([_segment(item, f"segments[{i}]") for i, item in enumerate(items)])
        data = items
    if not isinstance(data, list) or isinstance(data, str):
        raise InvalidTranscript(
            "expected a list of messages (role, text, at) or segments (role, text, start, end)"
        )
    if not data:
        raise InvalidTranscript("the transcript has no messages")
    if all(isinstance(i, Mapping) and "start" in i for i in data):
        return _call([_segment(item, f"segments[{i}]") for i, item in enumerate(data)])
    return Transcript(
        kind="chat", messages=[to_message(item, where=f"messages[{i}]") for i, item in enumerate(data)]
    )


def _from_csv(text: str) -> Transcript:
    reader = csv.DictReader(io.StringIO(text))
    columns = set(reader.fieldnames or [])
    if not {"role", "text"} <= columns:
        raise InvalidTranscript("line 1: the header needs the columns role and text", line=None)
    call = "start" in columns or "end" in columns
    unknown = columns - (_CALL_COLUMNS if call else _CHAT_COLUMNS)
    if unknown:
        raise InvalidTranscript(f"line 1: unknown column {sorted(unknown)[0]!r}")
    rows = []
    for row in reader:
        line = reader.line_num
        if None in row or any(v is None for v in row.values()):
            raise InvalidTranscript(f"expected {len(columns)} columns", line=line)
        try:
            rows.append(_segment(row, "row") if call else to_message(row, where="row"))
        except InvalidTranscript as e:
            raise InvalidTranscript(
                e.detail.replace("row.", "column ").replace("row:", "row"), line=line
            ) from None
    if not rows:
        raise InvalidTranscript("the transcript has no rows under its header")
    return _call(rows) if call else Transcript(kind="chat", messages=rows)


def load_transcript(path: str | Path) -> Transcript:
    """Read a transcript file: ``.json`` or ``.csv`` (UTF-8)."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InvalidTranscript(
                f"larger than {MAX_BYTES // 1_000_000} MB; split it into conversations", source=path.name
            )
        data = path.read_bytes()
    except OSError as e:
        raise InvalidTranscript(f"cannot be read: {e.strerror}", source=str(path)) from None
    return parse_transcript(data, path.name)


def parse_transcript(data: bytes, name: str) -> Transcript:
    """Read a transcript from a file's bytes (an upload, say); ``name``'s suffix, ``.json`` or
    ``.csv``, says the format, and errors name it.

    >>> parse_transcript(b"role,text\\ncustomer,Where is my parcel?\\n", "chat.csv").kind
    'chat'
    """
    try:
        if len(data) > MAX_BYTES:
            raise InvalidTranscript(f"larger than {MAX_BYTES // 1_000_000} MB; split it into conversations")
        if not data.strip():
            raise InvalidTranscript("the file is empty")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise InvalidTranscript(f"not UTF-8 (byte {e.start}); convert it to UTF-8") from None
        suffix = Path(name).suffix.lower()
        if suffix == ".csv":
            return _from_csv(text)
        if suffix != ".json":
            raise InvalidTranscript("expected a .json or .csv file")
        try:
            parsed = json.loads(text)
        except json.JSONDecodeError as e:
            raise InvalidTranscript(f"not valid JSON ({e.msg})", line=e.lineno) from None
        except RecursionError:
            raise InvalidTranscript("JSON nested too deeply; a transcript is an object with a list") from None
        return read_transcript(parsed)
    except InvalidTranscript as e:
        if e.source:
            raise
        raise InvalidTranscript(e.detail, source=name) from None
