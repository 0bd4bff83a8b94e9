"""Connecting to the database: SQLite (WAL) by default, PostgreSQL by URL; migrations on start.

Writes go through ``Database.write()``. On SQLite it starts the transaction with
``BEGIN IMMEDIATE`` so two writers queue on the lock instead of failing when a read
transaction tries to turn into a write; on PostgreSQL rows are locked where they change
(``SELECT ... FOR UPDATE``, see ``repo``).
"""

from __future__ import annotations

import contextlib
import importlib.resources
import os
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

_LOCK_ID = 0x68656172  # "hear": the advisory lock that serialises migrations on PostgreSQL


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=10000"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("immediate") else "BEGIN")


def _private_file(path: Path) -> None:
    """Create the SQLite file readable by its owner only (it holds customers' messages); SQLite
    gives its -wal and -shm files the same mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))


def make_engine(url: str) -> Engine:
    """An engine for this URL; SQLite files get WAL mode, and are created private in their folder.

    ``hide_parameters``: a failing statement's error (and so any traceback logged) never shows
    the values bound to it, which are customers' messages."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:" and not parsed.database.startswith("file:"):
            _private_file(Path(parsed.database))
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 10}, hide_parameters=True
        )
        _sqlite_setup(engine)
        return engine
    return create_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True, hide_parameters=True)


def optimistic_attempts(
    attempts: int = 12, *, first_wait: float = 0.005, longest_wait: float = 0.25
) -> Iterator[int]:
    """Attempt numbers for an optimistic write, with a jittered, growing pause between them.

    Writers that read a version, work outside the lock and then find the version moved go
    round again; the random pause spreads them out so they stop colliding (full jitter, as
    in exponential backoff for contended writes). The caller answers a conflict after the last.
    """
    for attempt in range(attempts):
        if attempt:
            time.sleep(random.uniform(0, min(longest_wait, first_wait * 2**attempt)))
        yield attempt


@dataclass(frozen=True)
class Database:
    """An engine with its two kinds of session: ``read()`` and ``write()``."""

    engine: Engine
    _reader: sessionmaker = field(init=False, repr=False)
    _writer: sessionmaker = field(init=False, repr=False)

    def __post_init__(self) -> None:
        immediate = self.engine.execution_options(immediate=True)
        object.__setattr__(self, "_reader", sessionmaker(self.engine, expire_on_commit=False))
        object.__setattr__(self, "_writer", sessionmaker(immediate, expire_on_commit=False))

    @classmethod
    def connect(cls, url: str) -> Database:
        return cls(make_engine(url))

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session:
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose transaction commits on success and rolls back on error."""
        with self._writer() as session, session.begin():
            yield session

    def ready(self) -> bool:
        """Whether the database answers."""
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT 1")).scalar() == 1

    def dispose(self) -> None:
        self.engine.dispose()


def _alembic_config(connection):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(importlib.resources.files("heard.store") / "migrations"))
    config.attributes["connection"] = connection
    return config


def migrate(db: Database) -> None:
    """Apply every migration not yet applied. Safe when several processes start at once."""
    from alembic import command

    with db.engine.begin() as conn:
        if db.is_postgres:
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
        command.upgrade(_alembic_config(conn), "head")


def current_revision(db: Database) -> str | None:
    """The migration the database is at, or None before the first."""
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
