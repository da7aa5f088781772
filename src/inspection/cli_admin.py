"""`inspection keys …` and `inspection audit …`: keys issued and revoked, the trail verified."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.table import Table
from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlmodel import Session

from inspection.cli_common import EXIT_VIOLATION, fail, out
from inspection.db.engine import make_engine, upgrade
from inspection.errors import InspectionError
from inspection.services.audit import Actor, verify_chain
from inspection.services.keys import ROLES, create_key, list_keys, revoke_key
from inspection.settings import get_settings

__all__ = ["audit_app", "keys_app", "open_engine"]

keys_app = typer.Typer(help="API keys: issue, list, revoke.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
_CLI = Actor(name="cli", role="admin")


@contextmanager
def open_engine() -> Iterator[Engine]:
    """The settings' database, upgraded; one line and exit 2 when it cannot be reached."""
    url = get_settings().resolved_database_url()
    try:
        engine = make_engine(url)
    except ArgumentError as exc:
        fail(f"INSPECTION_DATABASE_URL: {exc}")
    try:
        upgrade(engine)
        yield engine
    except SQLAlchemyError as exc:
        fail(f"database: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        engine.dispose()


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option("--role", help=f"One of {', '.join(ROLES)}.")],
    unit: Annotated[str | None, typer.Option("--unit", help="The unit of a unit key.")] = None,
    name: Annotated[str, typer.Option("--name", help="Who holds it.")] = "",
) -> None:
    """Issue a key; it is printed once and only its hash is stored."""
    with open_engine() as engine, Session(engine) as session:
        try:
            issued = create_key(session, _CLI, role, unit, name)
        except InspectionError as error:
            flag = {"unit_id": "unit"}.get(error.field or "role", error.field or "role")
            fail(f"--{flag}: {error.detail}")
    out.print(f"key {issued.id} ({issued.role}, {issued.name}): {issued.key}", soft_wrap=True)
    out.print("保存好此密钥：它只显示这一次。")


@keys_app.command("list")
def keys_list() -> None:
    """Every key, without the keys themselves."""
    with open_engine() as engine, Session(engine) as session:
        table = Table("id", "role", "unit", "name", "prefix", "created", "revoked")
        for key in list_keys(session):
            table.add_row(
                str(key.id),
                key.role,
                key.unit_id or "",
                key.name,
                key.prefix,
                f"{key.created_at:%Y-%m-%d %H:%M}",
                "yes" if key.revoked else "",
            )
    out.print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[int, typer.Argument(help="The key's id.")]) -> None:
    """Revoke a key at once."""
    with open_engine() as engine, Session(engine) as session:
        try:
            revoke_key(session, _CLI, key_id)
        except InspectionError as error:
            fail(f"KEY_ID: {error.detail}")
    out.print(f"key {key_id} revoked")


@audit_app.command("verify")
def audit_verify() -> None:
    """Recompute the chain; exit 1 naming the first broken entry."""
    with open_engine() as engine, Session(engine) as session:
        report = verify_chain(session)
    if report.ok:
        out.print(f"audit trail intact: {report.entries} entries")
        return
    out.print(
        f"audit trail BROKEN at entry {report.first_broken}: {report.problem} "
        f"({report.entries} entries verified before it)"
    )
    raise typer.Exit(EXIT_VIOLATION)
