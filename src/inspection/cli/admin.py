"""`inspection keys …` and `inspection audit …`: keys issued and revoked, the trail verified."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from sqlmodel import Session

from inspection.cli.common import EXIT_VIOLATION, fail, open_engine, out
from inspection.errors import InspectionError
from inspection.services.access import KEY_ROLES, Actor, Role
from inspection.services.trust.audit import verify_chain
from inspection.services.trust.keys import create_key, list_keys, revoke_key

__all__ = ["audit_app", "keys_app"]

keys_app = typer.Typer(help="API keys: issue, list, revoke.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
_CLI = Actor(name="cli", role=Role.ADMIN)


def _key_role(text: str) -> Role:
    """The role named on the command line, or one line and exit 2."""
    if text not in KEY_ROLES:
        fail(f"--role: 未知的角色 {text}（可选：{'、'.join(KEY_ROLES)}）")
    return Role(text)


@keys_app.command("create")
def keys_create(
    role: Annotated[str, typer.Option("--role", help=f"One of {', '.join(KEY_ROLES)}.")],
    unit: Annotated[str | None, typer.Option("--unit", help="The unit of a unit key.")] = None,
    name: Annotated[str, typer.Option("--name", help="Who holds it.")] = "",
    head: Annotated[
        bool, typer.Option("--head", help="A unit key of the unit's head (approves checklists).")
    ] = False,
    region: Annotated[
        str | None,
        typer.Option("--region", help="The region (code) a coordinator's or auditor's key sees."),
    ] = None,
) -> None:
    """Issue a key; it is printed once and only its hash is stored."""
    with open_engine() as engine, Session(engine) as session:
        try:
            issued = create_key(
                session, _CLI, _key_role(role), unit, name, unit_head=head, region=region
            )
        except InspectionError as error:
            field = error.field or "role"
            flag = {"unit_id": "unit", "unit_head": "head"}.get(field, field)
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
                f"{key.role}（负责人）" if key.unit_head else key.role,
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
