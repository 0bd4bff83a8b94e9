"""Stream a JSONL file of messages through ``analyze_many``, one JSON result per line.

Memory stays bounded: lines are read and analysed a batch at a time. A bad line (not
UTF-8, not JSON, no text) is reported on stderr with its line number and skipped, or
stops the run with ``strict``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn, TransferSpeedColumn

from heard.errors import HeardError, MalformedInput
from heard.understand import analyze_many
from heard.understand.analysis import prepare_text

BATCH = 64
EXPECTED = 'each line must be a JSON object with a "text" string (and an optional "id"), or a JSON string'


@dataclass
class Summary:
    analysed: int = 0
    skipped: int = 0


def _parse(raw: bytes, number: int, max_chars: int) -> tuple[object, str]:
    """The (id, text) of one line, or MalformedInput naming the line."""
    try:
        record = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as e:
        raise MalformedInput(f"not UTF-8 (byte {e.start}); re-save the file as UTF-8", line=number) from None
    except json.JSONDecodeError as e:
        raise MalformedInput(f"not valid JSON ({e.msg}, column {e.colno}); {EXPECTED}", line=number) from None
    if isinstance(record, str):
        record = {"text": record}
    if not isinstance(record, dict) or "text" not in record:
        raise MalformedInput(f'no "text" field; {EXPECTED}', line=number)
    try:
        prepare_text(record["text"], max_chars)
    except HeardError as e:
        raise MalformedInput(e.detail, line=number) from None
    return record.get("id"), record["text"]


def analyze_jsonl(
    path: Path,
    sink: TextIO,
    *,
    max_chars: int,
    strict: bool = False,
    frame: bool = True,
    console: Console | None = None,
) -> Summary:
    """Analyse every line of ``path``, writing ``{"line", "id", ...analysis}`` lines to ``sink``."""
    console = console or Console(stderr=True)
    summary = Summary()
    if not path.is_file():
        raise MalformedInput(f"no such file: {path}; give the path of a JSONL file")
    pending: list[tuple[int, object, str]] = []

    def flush() -> None:
        results = analyze_many(
            (text for _, _, text in pending), max_chars=max_chars, batch_size=BATCH, frame=frame
        )
        for (number, ident, _), result in zip(pending, results, strict=True):
            sink.write(json.dumps({"line": number, "id": ident, **result.model_dump(mode="json")}) + "\n")
        summary.analysed += len(pending)
        pending.clear()

    columns = (TextColumn("analysing"), BarColumn(), TransferSpeedColumn(), TimeRemainingColumn())
    with path.open("rb") as f, Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("analyse", total=path.stat().st_size)
        for number, raw in enumerate(f, start=1):
            progress.advance(task, len(raw))
            if not raw.strip():
                continue
            try:
                ident, text = _parse(raw, number, max_chars)
            except MalformedInput as e:
                if strict:
                    raise
                console.print(f"[yellow]{e}[/yellow] (skipped)", highlight=False)
                summary.skipped += 1
                continue
            pending.append((number, ident, text))
            if len(pending) >= BATCH:
                flush()
        flush()
    return summary
