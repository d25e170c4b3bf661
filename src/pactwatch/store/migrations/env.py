"""Alembic environment: the engine comes from pactwatch, never from an ini file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Engine

from pactwatch.store.schema import metadata

engine = context.config.attributes.get("engine")
if not isinstance(engine, Engine):
    raise RuntimeError("run migrations through pactwatch.store.migrate, which passes the engine")

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
