"""Persistence: SQLAlchemy 2, SQLite by default, PostgreSQL by URL (DESIGN.md layer 5)."""
