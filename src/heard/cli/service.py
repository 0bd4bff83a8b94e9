"""The service commands: ``heard serve``, ``heard worker``, ``heard migrate``, ``heard team``,
``heard key``, ``heard policy``. Heavy imports (uvicorn, SQLAlchemy) happen inside the commands."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from heard.errors import HeardError

out = Console(highlight=False)
err = Console(stderr=True, highlight=False)
team_app = typer.Typer(help="Teams and their API keys.", no_args_is_help=True)
key_app = typer.Typer(help="API keys: list, issue, revoke.", no_args_is_help=True)
policy_app = typer.Typer(help="Policy catalogues: validate, import, export.", no_args_is_help=True)

Host = Annotated[str | None, typer.Option(help="Address to listen on [HEARD_HOST, default 127.0.0.1].")]
Port = Annotated[int | None, typer.Option(help="Port [HEARD_PORT, default 8000].")]
Workers = Annotated[int | None, typer.Option(help="Server processes [HEARD_WORKERS, default 1].")]
TeamName = Annotated[str, typer.Option("--team", help="The team's name.")]


def _settings(**overrides):
    from heard.settings import Settings

    given = {k: v for k, v in overrides.items() if v is not None}
    # Worker processes read the environment: pass command-line choices on through it.
    for key, value in given.items():
        os.environ[f"HEARD_{key.upper()}"] = str(value)
    return Settings(**given)


def _fail(error: HeardError) -> typer.Exit:
    err.print(f"[red]{error}[/red]")
    return typer.Exit(2)


def _migrated(settings):
    from heard.store import Database, migrate

    db = Database.connect(settings.url())
    migrate(db)
    return db


@contextlib.contextmanager
def _store():
    """The migrated store for one command: a HeardError becomes the CLI's error, the engine closes."""
    db = _migrated(_settings())
    try:
        yield db
    except HeardError as e:
        raise _fail(e) from None
    finally:
        db.dispose()


def serve(host: Host = None, port: Port = None, workers: Workers = None) -> None:
    """Run the API server (migrations are applied first; a demo team is created on an empty database)."""
    import uvicorn

    from heard.server.bootstrap import ensure_demo_team

    settings = _settings(host=host, port=port, workers=workers)
    db = _migrated(settings)
    key = ensure_demo_team(db, settings.data_dir) if settings.demo_team else None
    db.dispose()
    url = f"http://{settings.host}:{settings.port}"
    keyfile = settings.data_dir / "demo-api-key"
    said = [
        f"heard is serving on [bold]{url}[/bold]",
        f"  console {url}/ (sign in with an API key), API {url}/v1, schema {url}/openapi.json, docs {url}/docs",
        f"  database {_safe(settings.url())}",
    ]
    if key and sys.stdout.isatty():  # a person is reading: show it once
        said.append(f"created team 'demo'; its admin API key (also in {keyfile}):\n  {key}")
    elif key:  # output going to a log file: the key stays in its private file only
        said.append(f"created team 'demo'; its admin API key is in {keyfile}")
    elif keyfile.exists():
        said.append(f"the demo team's API key is in {keyfile}")
    out.print("\n".join(said), soft_wrap=True)
    uvicorn.run(
        "heard.server.asgi:app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_level=settings.log_level,
    )


def _safe(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def worker(
    once: Annotated[bool, typer.Option(help="One pass over the due follow-ups, then exit.")] = False,
    stop_after_idle: Annotated[
        float | None, typer.Option(help="Exit after this many seconds with nothing to deliver.")
    ] = None,
) -> None:
    """Deliver due follow-ups to each team's webhook, with retries and backoff."""
    import logging

    from heard.server.worker import run

    settings = _settings()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(name)s %(message)s")
    _migrated(settings).dispose()
    try:
        totals = run(settings, once=once, stop_after_idle=stop_after_idle)
    except KeyboardInterrupt:  # Ctrl-C: a follow-up in flight is sent again once its claim expires
        err.print("worker stopped")
        return
    out.print(" ".join(f"{k}={v}" for k, v in totals.items()))


def migrate() -> None:
    """Apply the database migrations (``heard serve`` does this itself)."""
    from heard.store import current_revision

    db = _migrated(_settings())
    out.print(f"database at migration {current_revision(db)}")
    db.dispose()


@team_app.command("create")
def team_create(
    name: Annotated[str, typer.Argument(help="The team's name.")],
    policies: Annotated[bool, typer.Option(help="Start with heard's example policy catalogue.")] = True,
) -> None:
    """Create a team with an admin user; prints the admin's API key (shown once)."""
    from heard.errors import Conflict
    from heard.server.bootstrap import create_team_with_admin

    db = _migrated(_settings())
    with db.read() as session:
        if any(t for t in session.scalars(_team_named(name))):
            db.dispose()
            raise _fail(Conflict(f"a team named {name!r} exists; choose another name"))
    key = create_team_with_admin(db, name, policies=policies)
    db.dispose()
    out.print(key)


def _team_named(name: str):
    from sqlalchemy import select

    from heard.store.tables import TeamRow

    return select(TeamRow).where(TeamRow.name == name)


def _team_id(session, team: str) -> int:
    from heard.store import repo

    return repo.team_by_name(session=session, name=team).id


@key_app.command("list")
def key_list(team: TeamName) -> None:
    """The team's keys: id, first characters, user, role, and when each was revoked."""
    from heard.store import repo

    with _store() as db, db.read() as session:
        keys = repo.list_keys(session=session, team_id=_team_id(session, team))
    for k in keys:
        state = f"revoked {k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "active"
        out.print(f"{k.id}\t{k.prefix}…\t{k.user}\t{k.role}\t{state}")


@key_app.command("revoke")
def key_revoke(
    key: Annotated[str, typer.Argument(help="The key's id or its first characters (from 'heard key list').")],
    team: TeamName,
) -> None:
    """Revoke a key: every server process refuses it within a second, its console sessions end."""
    from heard.store import repo

    with _store() as db, db.write() as session:
        team_id = _team_id(session, team)
        key_id = (
            int(key) if key.isdigit() else repo.key_by_prefix(session=session, team_id=team_id, prefix=key)
        )
        revoked = repo.revoke_key(session=session, team_id=team_id, key_id=key_id)
    out.print(f"revoked key {revoked.id} ({revoked.prefix}…) of {revoked.user}")


@key_app.command("issue")
def key_issue(
    user: Annotated[str, typer.Option("--user", help="The user's name.")],
    team: TeamName,
) -> None:
    """A new API key for a user of the team; printed once."""
    from sqlalchemy import select

    from heard.errors import RecordNotFound
    from heard.store import repo
    from heard.store.tables import UserRow

    with _store() as db, db.write() as session:
        team_id = _team_id(session, team)
        found = session.scalar(select(UserRow).where(UserRow.team_id == team_id, UserRow.name == user))
        if found is None:
            raise RecordNotFound(
                f"team {team!r} has no user {user!r}; 'heard key list --team {team}' shows them"
            )
        new_key = repo.issue_key(session=session, user=found)
    out.print(new_key)


@policy_app.command("validate")
def policy_validate(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Check a policy catalogue; errors name the field and the fix."""
    from heard.respond import load_catalogue

    try:
        catalogue = load_catalogue(file.read_text("utf-8"))
    except (HeardError, UnicodeDecodeError) as e:
        raise _fail(e if isinstance(e, HeardError) else HeardError(f"{file} is not UTF-8")) from None
    out.print(f"{file}: valid, {len(catalogue.remedies)} remedies, currency {catalogue.currency}")


@policy_app.command("example")
def policy_example() -> None:
    """Print heard's example catalogue (YAML), to start your own from."""
    from heard.respond.policy import example_catalogue_text

    print(example_catalogue_text(), end="")


@policy_app.command("import")
def policy_import(file: Annotated[Path, typer.Argument(exists=True, dir_okay=False)], team: TeamName) -> None:
    """Validate a catalogue and make it the team's (the old one is replaced)."""
    from heard.respond import dump_catalogue, load_catalogue
    from heard.store import repo

    try:
        catalogue = load_catalogue(file.read_text("utf-8"))
    except HeardError as e:
        raise _fail(e) from None
    db = _migrated(_settings())
    with db.write() as session:
        found = session.scalar(_team_named(team))
        if found is None:
            raise _fail(HeardError(f"no team named {team!r}; create it with 'heard team create {team}'"))
        repo.put_policy(session=session, team_id=found.id, catalogue=dump_catalogue(catalogue))
    db.dispose()
    out.print(f"team {team!r} now has {len(catalogue.remedies)} remedies")


@policy_app.command("export")
def policy_export(team: TeamName) -> None:
    """Print the team's catalogue as YAML."""
    from heard.store import repo

    db = _migrated(_settings())
    with db.read() as session:
        found = session.scalar(_team_named(team))
        text = repo.get_policy(session=session, team_id=found.id) if found else None
    db.dispose()
    if text is None:
        raise _fail(HeardError(f"team {team!r} has no policy catalogue (or no such team)"))
    print(text, end="")


def register(app: typer.Typer) -> None:
    app.command()(serve)
    app.command()(worker)
    app.command()(migrate)
    app.add_typer(team_app, name="team")
    app.add_typer(key_app, name="key")
    app.add_typer(policy_app, name="policy")
