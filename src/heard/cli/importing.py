"""``heard import``: the command around ``heard.service.import_archive`` (progress bar, bad rows, summary)."""

from __future__ import annotations

import codecs
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn

from heard.errors import HeardError, MalformedInput

_EXTENSIONS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
_SNIFF = 1 << 16


def check_encoding(path: Path) -> None:
    """Refuse a file that is plainly not UTF-8 (UTF-16 or -32, or mostly undecodable at its start).

    A few bad bytes further on are bad rows, reported with their lines; a file in another
    encoding would make every row bad, so it is refused at once with what to do.
    """
    with path.open("rb") as f:
        head = f.read(_SNIFF)
    boms = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    # UTF-16 text has a NUL in nearly every other byte; one stray NUL in UTF-8 is a bad row.
    if head.startswith(boms) or head.count(b"\x00") * 8 > len(head):
        raise MalformedInput(
            f"{path.name} looks like UTF-16 or UTF-32, not UTF-8; convert it first "
            f"(for example: iconv -f UTF-16 -t UTF-8 {path.name} > {path.stem}.utf8{path.suffix})"
        )
    lines = head.split(b"\n")[:-1] if len(head) == _SNIFF else head.split(b"\n")
    broken = 0
    for line in lines:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            broken += 1
    if lines and broken * 2 > len(lines):
        raise MalformedInput(
            f"{path.name} is not UTF-8 ({broken} of its first {len(lines)} lines are not); convert it first "
            f"(for example: iconv -f WINDOWS-1252 -t UTF-8 {path.name} > {path.stem}.utf8{path.suffix})"
        )


def count_lines(path: Path) -> int:
    """Lines in the file (the progress bar's total: every row knows its line)."""
    count, last = 0, b"\n"
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def _connect(database_url: str | None):
    from sqlalchemy.exc import OperationalError

    from heard.settings import Settings
    from heard.store import Database, migrate

    url = database_url or Settings().url()
    db = Database.connect(url)
    try:
        migrate(db)
    except OperationalError as e:
        db.dispose()
        first = str(e.orig or e).strip().splitlines()[0]
        raise HeardError(
            f"cannot open the database ({first}); check --database-url or HEARD_DATABASE_URL"
        ) from None
    return db


def run_import(
    source: Path,
    *,
    team: str,
    format: str | None,
    brands: list[str],
    database_url: str | None,
    workers: int,
    batch_size: int,
    progress: bool,
    out: Console,
    err: Console,
) -> None:
    """Import ``source`` for ``team`` and print the summary and the bad rows."""
    from heard.insights.archive import read_archive
    from heard.service import import_archive

    fmt = format or _EXTENSIONS.get(source.suffix.lower())
    rows = read_archive(source, format=fmt, brands=brands)  # checks the format and the file
    check_encoding(source)
    total = count_lines(source)
    db = _connect(database_url)
    started = time.perf_counter()
    # Bad rows wait in a temporary file (on disk past 1 MB), to be listed at the end.
    with tempfile.SpooledTemporaryFile(1 << 20, mode="w+", encoding="utf-8") as bad_rows:
        bar = Progress(
            TextColumn("importing"),
            BarColumn(),
            TaskProgressColumn(),
            TextColumn("{task.fields[said]}"),
            TimeElapsedColumn(),
            console=err,
            disable=not progress,
        )
        with bar:
            task = bar.add_task("import", total=max(total, 1), said="")

            def on_batch(s) -> None:
                rate = s.messages_added / max(time.perf_counter() - started, 1e-9)
                said = f"{s.messages_added:,} added, {s.messages_skipped:,} skipped, {s.bad_rows:,} bad, {rate:,.0f}/s"
                bar.update(task, completed=s.last_line, said=said)

            try:
                summary = import_archive(
                    db, team=team, rows=rows, format=fmt or "other", batch_size=batch_size, workers=workers,
                    on_batch=on_batch, on_bad_row=lambda row: bad_rows.write(row.reason.replace("\n", " ") + "\n"),
                )  # fmt: skip
            finally:
                db.dispose()
            bar.update(task, completed=max(total, 1))
        seconds = time.perf_counter() - started
        if summary.bad_rows:
            err.print(f"[yellow]{summary.bad_rows} bad rows skipped[/yellow] (the rest was imported):")
            bad_rows.seek(0)
            for line in bad_rows:
                err.print(f"  {line.rstrip()}", soft_wrap=True, markup=False)
    out.print(
        f"team {team!r}: {summary.conversations_added:,} conversations added"
        f" ({summary.conversations_updated:,} stored before got new messages),"
        f" {summary.messages_added:,} messages added ({summary.analysed:,} customer messages analysed,"
        f" {summary.acts_read:,} agent replies read, {summary.redacted:,} with personal data redacted),"
        f" {summary.messages_skipped:,} skipped as already present, {summary.bad_rows:,} bad rows,"
        f" {summary.incidents:,} incidents recorded;"
        f" {seconds:.1f} s, {summary.messages_added / max(seconds, 1e-9):,.0f} messages/s",
        soft_wrap=True,
    )
