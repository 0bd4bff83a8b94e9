"""``heard bench import``: messages/s that ``heard import`` stores and analyses, and its peak memory.

For each archive size (default 25,000 and 100,000 messages) a synthetic archive is written to a
temporary folder (``heard.insights.synthetic``), then imported, in a fresh process each time,
into a fresh SQLite database and, when reachable, a fresh schema of PostgreSQL: a team is
created and the whole archive goes through ``import_archive`` (redaction, analysis of every
customer message with the complaint frame, acts of every agent reply, bulk writes). Figures per
run: messages stored per second of wall time (pool start and model loading included), CPU
seconds of the importer and of its analyser processes, and the peak resident memory of the
importer and of the largest analyser process (``getrusage``). Equal peaks at both sizes mean
memory is flat in the archive's size. A smaller run with ``--workers 0`` (analysis in the
importer's own process, two model threads) shows what the process pool brings.

Run as a module, ``python -m heard.bench.importing ARCHIVE URL WORKERS`` does one import and
prints its figures as JSON (what ``bench_import`` starts for each run).
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TEAM = "bench"


def _one(archive: Path, url: str, workers: int) -> dict:
    """Import ``archive`` into ``url`` for a new team; the figures of that run."""
    from heard.insights.archive import read_archive
    from heard.service import import_archive
    from heard.store import Database, migrate, repo

    db = Database.connect(url)
    migrate(db)
    with db.write() as session:
        repo.create_team(session=session, name=TEAM)
    start, cpu = time.perf_counter(), time.process_time()
    summary = import_archive(db, team=TEAM, rows=read_archive(archive), workers=workers)
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    db.dispose()
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "messages": summary.messages_added,
        "analysed": summary.analysed,
        "acts_read": summary.acts_read,
        "conversations": summary.conversations_added,
        "seconds": round(seconds, 1),
        "messages_per_s": round(summary.messages_added / seconds, 1),
        "importer_cpu_s": round(cpu, 1),
        "analysers_cpu_s": round(children.ru_utime + children.ru_stime, 1),
        "peak_mb_importer": round(me.ru_maxrss / 1024, 1),  # Linux reports KiB
        "peak_mb_largest_analyser": round(children.ru_maxrss / 1024, 1),
    }


def _run(archive: Path, url: str, workers: int) -> dict:
    env = {**os.environ, "HEARD_THREADS": "2" if workers == 0 else "1"}
    done = subprocess.run(
        [sys.executable, "-m", "heard.bench.importing", str(archive), url, str(workers)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the import run failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _postgres_reason(url: str) -> str | None:
    try:
        import psycopg

        with psycopg.connect(url.replace("+psycopg", ""), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as e:  # noqa: BLE001 (any failure means: skip PostgreSQL, say why)
        return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
    return None


def bench_import(
    sizes: tuple[int, ...] = (25_000, 100_000),
    *,
    workers: int = 2,
    postgres: str | None = None,
    inline: int = 10_000,
) -> dict:
    """Figures per database and size: ``{"sqlite": {"25000": {...}, ...}, "postgresql": ..., "pool_vs_inline": ...}``."""
    from heard.bench.serve import _postgres_schema
    from heard.insights.synthetic import write_archive

    figures: dict = {"workers": workers, "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    tmp = Path(tempfile.mkdtemp(prefix="heard-bench-import-"))
    try:
        archives = {}
        for size in sorted({*sizes, *([inline] if inline else [])}):
            archives[size] = tmp / f"archive-{size}.jsonl"
            write_archive(archives[size], size, seed=0)
        reason = _postgres_reason(postgres) if postgres else None
        if reason:
            figures["postgresql_skipped"] = reason
        for size in sizes:
            sqlite = f"sqlite:///{tmp / f'sqlite-{size}.db'}"
            figures.setdefault("sqlite", {})[str(size)] = _run(archives[size], sqlite, workers)
            if postgres and not reason:
                with _postgres_schema(postgres) as url:  # a fresh schema for each run
                    figures.setdefault("postgresql", {})[str(size)] = _run(archives[size], url, workers)
        if inline:
            figures["pool_vs_inline"] = {
                f"workers={workers}": _run(archives[inline], f"sqlite:///{tmp / 'pool.db'}", workers),
                "workers=0": _run(archives[inline], f"sqlite:///{tmp / 'inline.db'}", 0),
            }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    figures["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    return figures


if __name__ == "__main__":
    path, database_url, processes = sys.argv[1], sys.argv[2], int(sys.argv[3])
    print(json.dumps(_one(Path(path), database_url, processes)))
