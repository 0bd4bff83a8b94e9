"""Databases for the store and server tests: SQLite in a temporary folder, and the real
PostgreSQL at 127.0.0.1:5432 (database ``test``) in a schema of its own per test, dropped after.

Without a reachable PostgreSQL its tests are skipped with the reason, except under CI
(``CI=true``), where they fail: CI must run them.
"""

from __future__ import annotations

import contextlib
import functools
import os
import uuid
from collections.abc import Iterator

import pytest

PG_URL = os.environ.get("HEARD_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
# The newest migration: the store, the readiness check and `heard migrate` report it.
MIGRATION_HEAD = "0006_integrations"


@functools.cache
def postgres_unreachable() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can."""
    try:
        import psycopg
    except ImportError as e:
        return f"psycopg is not installed ({e})"
    try:
        with psycopg.connect(PG_URL.replace("+psycopg", ""), connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as e:
        return f"cannot connect to {PG_URL}: {str(e).strip().splitlines()[0]}"
    return None


def require_postgres() -> None:
    reason = postgres_unreachable()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI must run the PostgreSQL tests, but {reason}")
    pytest.skip(f"PostgreSQL tests skipped: {reason}")


@contextlib.contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL whose connections work in a fresh schema of the test database, dropped after."""
    require_postgres()
    import psycopg

    schema = f"heard_test_{uuid.uuid4().hex[:12]}"
    plain = PG_URL.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'heard.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def db(database_url):
    from heard.store import Database, migrate

    database = Database.connect(database_url)
    migrate(database)
    yield database
    database.dispose()
