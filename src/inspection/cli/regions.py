"""`inspection regions …`: the administrative regions (行政区划) imported and listed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from sqlmodel import Session

from inspection.cli.common import fail, open_engine, out
from inspection.errors import InspectionError
from inspection.services.access import Actor, Role
from inspection.services.regions.service import DEFAULT_CODE, import_regions, list_regions

__all__ = ["regions_app"]

regions_app = typer.Typer(help="Regions (行政区划): import, list.", no_args_is_help=True)
_CLI = Actor(name="cli", role=Role.ADMIN)


@regions_app.command("import")
def regions_import(
    file: Annotated[Path, typer.Argument(help="CSV with columns code,name,level,parent.")],
    default: Annotated[
        str | None,
        typer.Option(
            "--default",
            help=f"The code in FILE of the district the default region ({DEFAULT_CODE}) is.",
        ),
    ] = None,
) -> None:
    """Add the regions of a CSV file, all or nothing; a bad row: one line, exit 2."""
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        fail(f"FILE: 无法读取 {file}：{type(error).__name__}")
    with open_engine() as engine, Session(engine) as session:
        try:
            added = import_regions(session, _CLI, text, default)
        except InspectionError as error:
            fail(f"{file.name}: {error.detail}")
    out.print(f"{len(added)} 个行政区划已导入")


@regions_app.command("list")
def regions_list() -> None:
    """Every region, by path."""
    with open_engine() as engine, Session(engine) as session:
        table = Table("code", "name", "level", "parent", "path")
        for region in list_regions(session, _CLI):
            table.add_row(region.code, region.name, region.level, region.parent or "", region.path)
    out.print(table)
