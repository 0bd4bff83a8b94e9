"""``heard bench archive``: reading and analysing an archive of past conversations, in bounded memory.

Streams the archive through ``read_archive`` and every message through ``analyze_many``
(customer and agent messages alike, so the figure is conservative), and prints messages per
second for reading alone and for reading plus analysis (per second of wall time, and per second
of CPU the process got, which shows the cost when other work shares the machine), with the
peak resident memory after the first tenth of the archive and at the end: equal figures mean
memory stays flat in the archive's size. ``heard archive make`` writes a synthetic archive to measure on.

This measures reading and analysis alone; ``heard bench import`` measures the whole import into the store.
"""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from pathlib import Path


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def bench_archive(
    path: Path, *, format: str | None = None, analyse: int | None = None, frame: bool = False
) -> dict:
    """Throughput and memory of reading ``path`` and analysing (up to ``analyse``) of its messages."""
    from heard.insights.archive import ArchiveMessage, read_archive
    from heard.understand import analyze_many

    start = time.perf_counter()
    read = bad = 0
    for row in read_archive(path, format=format):
        if isinstance(row, ArchiveMessage):
            read += 1
        else:
            bad += 1
    read_seconds = time.perf_counter() - start
    limit = read if analyse is None else min(analyse, read)
    checkpoints: dict[str, float] = {}

    def texts() -> Iterator[str]:
        n = 0
        for row in read_archive(path, format=format):
            if not isinstance(row, ArchiveMessage):
                continue
            if n == limit:
                return
            if n == limit // 10:
                checkpoints["peak_mb_after_a_tenth"] = round(_peak_mb(), 1)
            n += 1
            yield row.text

    list(analyze_many(["warm the models up"], frame=frame))
    start, cpu = time.perf_counter(), _cpu_seconds()
    analysed = sum(1 for _ in analyze_many(texts(), frame=frame))
    seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
    return {
        "messages": read,
        "bad_rows": bad,
        "read_per_s": round(read / read_seconds, 1),
        "analysed": analysed,
        "frame": frame,
        "read_and_analysed_per_s": round(analysed / seconds, 1),
        # Per second of CPU the process got (all its threads): what a busy machine hides.
        "read_and_analysed_per_cpu_s": round(analysed / cpu, 1),
        **checkpoints,
        "peak_mb_at_end": round(_peak_mb(), 1),
    }
