"""Persistence (DESIGN.md layer 5): SQLAlchemy 2 tables, queries, the follow-up queue, migrations.

SQLite (WAL) by default, PostgreSQL by URL. ``repo`` and ``jobs`` functions flush and leave
the commit to the caller.
"""

from heard.store.database import Database, current_revision, make_engine, migrate, optimistic_attempts

__all__ = ["Database", "current_revision", "make_engine", "migrate", "optimistic_attempts"]
