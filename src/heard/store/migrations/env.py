"""Alembic environment: heard passes the connection in (``heard.store.database.migrate``)."""

from alembic import context

from heard.store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through heard.store.migrate(), which passes the connection")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
