"""Alembic environment: runs on the connection handed over by inspection.db.engine.upgrade."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from inspection.db import tables  # noqa: F401  (registers the tables on the metadata)
from inspection.db.engine import tables_of_the_service

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "run migrations through inspection.db.engine.upgrade or `inspection db upgrade`"
    )
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    include_name=tables_of_the_service,
)
with context.begin_transaction():
    context.run_migrations()
