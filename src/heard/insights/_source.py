"""Reading export files line by line: UTF-8 checks, CSV records with their line numbers, bad rows."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from heard.errors import MalformedInput


class BadRow(BaseModel):
    """A row, record or line that could not be read; the reader skipped it and went on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    line: int = Field(description="The line of the file where it starts (1-based).")
    reason: str = Field(description="What is wrong with it and what to change, with the error code.")


def bad(line: int, message: str) -> BadRow:
    """A ``BadRow`` at ``line`` whose reason carries MalformedInput's code."""
    return BadRow(line=line, reason=str(MalformedInput(message, line=line)))


TOO_DEEP = "JSON nested too deeply to be a message; a message is one flat object"


def unstorable(value: str) -> str | None:
    """Why a text read from a file cannot be stored as it is (a NUL character, which PostgreSQL
    refuses, or a lone surrogate such as a JSON ``\\ud800``, which no database encodes), or None."""
    if "\x00" in value:
        return "it holds a NUL character (\\u0000); remove it"
    if any("\ud800" <= ch <= "\udfff" for ch in value):
        return "it holds a lone surrogate (such as \\ud800), which is not text; remove it"
    return None


def not_utf8(text: str) -> bool:
    """Lines are decoded with ``surrogateescape``: a byte that is not UTF-8 shows as a surrogate."""
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8", errors="surrogateescape", newline="") as f:
        yield from f


def text_lines(path: Path) -> Iterator[tuple[int, str] | BadRow]:
    """(line number, line) for each non-blank UTF-8 line, or a BadRow for one that is not UTF-8."""
    for number, line in enumerate(lines(path), start=1):
        if not line.strip():
            continue
        if not_utf8(line):
            yield bad(number, "the line is not UTF-8; convert the file to UTF-8")
        else:
            yield number, line


def json_lines(path: Path) -> Iterator[tuple[int, object] | BadRow]:
    """(line number, parsed value) for each line of a JSON Lines file, or a BadRow saying what is wrong."""
    for item in text_lines(path):
        if isinstance(item, BadRow):
            yield item
            continue
        number, line = item
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as e:
            yield bad(number, f"not JSON ({e.msg.removesuffix(' at')} at column {e.colno})")
        except RecursionError:
            yield bad(number, TOO_DEEP)


def csv_records(
    path: Path, required: tuple[str, ...] = ("conversation_id", "role", "text")
) -> Iterator[tuple[int, dict[str, str] | None, str | None]]:
    """(starting line, record, problem) for each CSV record after the header; one of record and problem.

    Raises:
        MalformedInput: the header row lacks a required column (every row would fail).
    """
    counted = CountedLines(lines(path))
    reader = csv.DictReader(counted)
    header = reader.fieldnames or []
    missing = [name for name in required if name not in header]
    if missing:
        raise MalformedInput(
            f"the header row has no {', '.join(missing)} column; the first row must name the columns "
            "(docs/import.md lists them)",
            line=1,
        )
    while True:
        start = counted.count + 1
        counted.taken = []
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield start, None, f"unreadable CSV ({e})"
            continue
        rows_inside = _rows_inside(counted.taken, header)
        if rows_inside:
            # An unclosed quote swallowed the rows after it: report the line and read them again.
            yield (
                start,
                None,
                f'a quote (") opened on this line is not closed, so {rows_inside} following rows were '
                'read into it; close the quote or double it ("") inside a field',
            )
            counted.push_back(counted.taken[1:])
            reader = csv.DictReader(counted, fieldnames=header)
            continue
        if None in record or any(v is None for v in record.values()):
            yield (
                start,
                None,
                f"expected {len(reader.fieldnames or [])} fields, the row has a different number",
            )
        elif any(not_utf8(v) for v in record.values()):
            yield start, None, "the row is not UTF-8; convert the file to UTF-8"
        else:
            yield start, record, None


_ROLES = {"customer", "agent"}


def _rows_inside(taken: list[str], header: list[str]) -> int:
    """How many lines after a record's first are complete rows of the file on their own (as many
    fields as the header, a known role or a tweet id): then a quote left open merged them, not a message with
    line breaks in it."""
    key = "role" if "role" in header else "tweet_id" if "tweet_id" in header else None
    if len(taken) < 2 or key is None:
        return 0
    at = header.index(key)
    count = 0
    for line in taken[1:]:
        try:
            fields = next(csv.reader([line]))
        except (csv.Error, StopIteration):
            continue
        value = fields[at].strip().lower() if len(fields) == len(header) else ""
        if value in _ROLES or (key == "tweet_id" and value.isdigit()):
            count += 1
    return count


class CountedLines:
    """Lines of a file, counting how many were handed to the CSV reader (records may span lines)."""

    def __init__(self, lines: Iterable[str]):
        self.lines = iter(lines)
        self.count = 0
        self.taken: list[str] = []  # the lines of the record being read
        self.again: list[str] = []  # lines to hand out again, in order

    def __iter__(self) -> CountedLines:
        return self

    def __next__(self) -> str:
        line = self.again.pop(0) if self.again else next(self.lines)
        self.count += 1
        self.taken.append(line)
        return line

    def push_back(self, lines: list[str]) -> None:
        self.again = lines + self.again
        self.count -= len(lines)
