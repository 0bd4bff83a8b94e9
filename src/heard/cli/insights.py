"""``heard insights`` and ``heard archive``: learning from past conversations, from files.

Thin commands over heard.insights; ``heard insights --team`` reads the service's database.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from heard.cli.app import _fail, _report, app, bench_app, err, out
from heard.errors import HeardError

archive_app = typer.Typer(help="Read and make archives of past conversations.", no_args_is_help=True)
app.add_typer(archive_app, name="archive")


Format = Annotated[
    str | None, typer.Option("--format", help="csv, jsonl, tweets or tickets (default: from the extension).")
]
Brands = Annotated[list[str], typer.Option("--brand", help="Tweets: the company's own account (repeatable).")]


@app.command()
def insights(
    source: Annotated[
        Path | None,
        typer.Argument(
            help="A JSONL of incidents, or an archive of conversations (or use --team).", exists=True
        ),
    ] = None,
    team: Annotated[
        str | None, typer.Option("--team", help="Read this team's incidents from the service's database.")
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(help="With --team: the database [HEARD_DATABASE_URL, default heard-data/heard.db]."),
    ] = None,
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder for report.html, figures.json and CSVs.")
    ] = Path("insights"),
    format: Format = None,
    brand: Brands = [],  # noqa: B006 (typer reads the default)
    period: Annotated[str, typer.Option(help="month or week.")] = "month",
    since: Annotated[
        datetime | None, typer.Option(help="With --team: conversations opened on or after this (UTC).")
    ] = None,
    until: Annotated[
        datetime | None, typer.Option(help="With --team: conversations opened before this (UTC).")
    ] = None,
    title: Annotated[str | None, typer.Option(help="The report's title.")] = None,
    refit_themes: Annotated[
        bool,
        typer.Option(
            "--refit-themes/--stored-themes",
            help="With --team: refit the team's themes now (the worker does it weekly) or read the stored ones.",
        ),
    ] = False,
) -> None:
    """Write the insights report (HTML with charts, JSON, CSV) from incidents or past conversations,
    or from a team's incidents in the service's database (--team)."""
    from heard.insights.report import write_report

    if period not in ("month", "week"):
        raise typer.BadParameter(f"month or week, not {period!r}", param_hint="--period")
    if (source is None) == (team is None):
        raise typer.BadParameter("give a FILE, or --team NAME to read the service's database, not both")
    try:
        if team is not None:
            report = _team_report(team, database_url, period, since, until, title, refit=refit_themes)
        else:
            report = _file_report(source, format, brand, period, title or "heard insights")
    except HeardError as e:
        raise _fail(e) from None
    files = write_report(report, out_dir)
    for n, rec in enumerate(report.recommendations, start=1):
        out.print(f"{n}. {rec.text}")
    err.print(f"wrote {', '.join(f.name for f in files)} to {out_dir}")


def _file_report(source, format, brand, period, title):
    from heard.insights.incidents import BadRow, load_incidents, with_themes
    from heard.insights.report import build_report

    rows = list(load_incidents(source, format=format, brands=brand))
    incidents = [r for r in rows if not isinstance(r, BadRow)]
    for bad in (r for r in rows if isinstance(r, BadRow)):
        err.print(f"[yellow]skipped[/yellow] {bad.reason}")
    err.print(f"{len(incidents)} incidents, {len(rows) - len(incidents)} bad rows")
    incidents, themes = with_themes(incidents)
    return build_report(incidents, generated_at=datetime.now(UTC), themes=themes, title=title, period=period)


def _team_report(team, database_url, period, since, until, title, *, refit: bool = False):
    from heard.insights._time import as_utc
    from heard.insights.stored import team_report
    from heard.settings import Settings
    from heard.store import Database, migrate, repo

    settings = Settings(**({"database_url": database_url} if database_url else {}))
    db = Database.connect(settings.url())
    try:
        migrate(db)
        if refit:
            from heard.insights.stored_themes import refit_themes

            with db.write() as session:
                fitted = refit_themes(session, repo.team_by_name(session=session, name=team).id)
            err.print(
                f"themes v{fitted.version}: {len(fitted.themes)}"
                if fitted
                else "too few incidents for themes"
            )
        with db.read() as session:
            found = repo.team_by_name(session=session, name=team)
            report = team_report(
                session=session, team_id=found.id, now=datetime.now(UTC), period=period,
                since=as_utc(since) if since else None, until=as_utc(until) if until else None, title=title,
            )  # fmt: skip
    finally:
        db.dispose()
    err.print(f"{report.conversations} incidents of team {team!r}")
    moving = [t for t in report.themes if t.new or t.growing]
    for t in moving:
        err.print(f"{'new' if t.new else 'growing'} this week: {t.name} ({t.recent})")
    return report


@app.command("import")
def import_(
    source: Annotated[Path, typer.Argument(help="The export file.", exists=True, dir_okay=False)],
    team: Annotated[str, typer.Option("--team", help="The team whose history this is.")],
    format: Format = None,
    brand: Brands = [],  # noqa: B006
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            envvar="HEARD_DATABASE_URL",
            help="SQLAlchemy URL (default: SQLite in HEARD_DATA_DIR).",
        ),
    ] = None,
    workers: Annotated[int, typer.Option(min=0, help="Analyser processes (0: analyse in this process).")] = 2,
    batch_size: Annotated[int, typer.Option(min=1, help="Messages per batch and per transaction.")] = 500,
    progress: Annotated[bool, typer.Option(help="Show a progress bar on stderr.")] = True,
) -> None:
    """Load past conversations into the store for a team: analysed, redacted, idempotent by id.

    Bad rows are reported with their line numbers at the end; the rest is imported.
    """
    from heard.cli.importing import run_import

    try:
        run_import(
            source, team=team, format=format, brands=brand, database_url=database_url,
            workers=workers, batch_size=batch_size, progress=progress, out=out, err=err,
        )  # fmt: skip
    except HeardError as e:
        raise _fail(e) from None


@archive_app.command("read")
def archive_read(
    source: Annotated[Path, typer.Argument(help="The export file.", exists=True)],
    format: Format = None,
    brand: Brands = [],  # noqa: B006
) -> None:
    """Read an export and print its messages as JSONL (conversation_id, role, text, at, ...); bad rows go to stderr."""
    from heard.insights.archive import ArchiveMessage, read_archive

    read = bad = 0
    try:
        for row in read_archive(source, format=format, brands=brand):
            if isinstance(row, ArchiveMessage):
                sys.stdout.write(row.model_dump_json(exclude_none=True) + "\n")
                read += 1
            else:
                err.print(f"[yellow]skipped[/yellow] {row.reason}")
                bad += 1
    except HeardError as e:
        raise _fail(e) from None
    err.print(f"read {read} messages, skipped {bad} bad rows")


@archive_app.command("make")
def archive_make(
    target: Annotated[Path, typer.Argument(help="The file to write (.jsonl or .csv).")],
    messages: Annotated[int, typer.Option(min=1)] = 100_000,
    incidents: Annotated[
        int | None,
        typer.Option(min=1, help="Write this many synthetic incidents (JSONL) instead of messages."),
    ] = None,
    seed: int = 0,
) -> None:
    """Write a synthetic archive of support conversations (for measuring import and analysis at scale),
    or synthetic incidents with known effects (to try heard insights)."""
    from heard.insights.synthetic import synthetic_incidents, write_archive

    if incidents is None:
        err.print(f"wrote {write_archive(target, messages, seed=seed)} messages to {target}")
        return
    with target.open("w", encoding="utf-8") as f:
        for incident in synthetic_incidents(incidents, seed=seed):
            f.write(incident.model_dump_json(exclude_none=True) + "\n")
    err.print(f"wrote {incidents} incidents to {target}")


@bench_app.command("archive")
def bench_archive(
    data: Annotated[
        Path, typer.Option(help="The archive to read (heard archive make writes one).", exists=True)
    ],
    format: Format = None,
    analyse: Annotated[int | None, typer.Option(help="Analyse only the first N messages.")] = None,
    frame: Annotated[bool, typer.Option(help="Read the complaint frame too.")] = False,
    threads: Annotated[int, typer.Option(help="Model threads (HEARD_THREADS).")] = 2,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Messages/s read, and read plus analysed, from an archive, with peak memory at a tenth and at the end."""
    os.environ.setdefault("HEARD_THREADS", str(threads))  # read when the models load, below
    from heard.bench.archive import bench_archive as run

    _report("archive", run(data, format=format, analyse=analyse, frame=frame), as_json)


@bench_app.command("insights")
def bench_insights(
    incidents: Annotated[
        list[int] | None,
        typer.Option("--incidents", help="Team sizes for the report and assignment (repeatable)."),
    ] = None,
    refit_only: Annotated[
        list[int] | None, typer.Option("--refit-only", help="Team sizes for the refit alone (repeatable).")
    ] = None,
    seed: int = 0,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """A team's report over stored themes, one new incident assigned, and the worker's refit: time and memory."""
    from heard.bench.insights import BUDGETS
    from heard.bench.insights import bench_insights as run
    from heard.cli import render

    figures = run(tuple(incidents or (2000, 16000)), refit_only=tuple(refit_only or (100_000,)), seed=seed)
    if as_json:
        print(json.dumps(figures, indent=2))
        return
    flat = {
        f"{size}_{key}": value
        for size, f in figures.items()
        for key, value in f.items()
        if key != "incidents"
    }
    goal = {
        f"{size}_{key}": budget
        for size in figures
        for key, budget in BUDGETS.items()
        if f"{size}_{key}" in flat
    }
    out.print(render.figures("insights", flat, budgets=goal))


@bench_app.command("import")
def bench_import(
    messages: Annotated[
        list[int] | None, typer.Option("--messages", help="Archive sizes to import (repeatable).")
    ] = None,
    workers: Annotated[int, typer.Option(min=0, help="Analyser processes.")] = 2,
    postgres: Annotated[
        str | None, typer.Option("--database-url", help="PostgreSQL URL to measure too ('' to skip).")
    ] = "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    inline: Annotated[
        int, typer.Option(help="Size of the pool-versus-in-process comparison (0 to skip).")
    ] = 10_000,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Messages/s imported and analysed from a synthetic archive, on SQLite and PostgreSQL, and peak memory at two sizes."""
    from heard.bench.importing import bench_import as run
    from heard.cli import render

    sizes = tuple(messages or (25_000, 100_000))
    figures = run(sizes, workers=workers, postgres=postgres or None, inline=inline)
    if as_json:
        print(json.dumps(figures, indent=2))
        return
    flat: dict = {"analyser processes": workers}
    for db in ("sqlite", "postgresql"):
        for size, f in figures.get(db, {}).items():
            for key, value in f.items():
                flat[f"{db}_{size}_{key}"] = value
    for kind, f in figures.get("pool_vs_inline", {}).items():
        flat[f"{inline}_messages_{kind}_messages_per_s"] = f["messages_per_s"]
        flat[f"{inline}_messages_{kind}_cpu_s"] = round(f["importer_cpu_s"] + f["analysers_cpu_s"], 1)
    for key in ("postgresql_skipped", "load_average_at_start", "load_average_at_end"):
        if key in figures:
            flat[key] = str(figures[key])
    goal = {k: 300 for k in flat if k.startswith(("sqlite", "postgresql")) and k.endswith("messages_per_s")}
    out.print(render.figures("import", flat, budgets=goal))
