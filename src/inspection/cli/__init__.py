"""The `inspection` command line: thin, every command calls the library.

Bad input ends in one line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import sys

import typer

from inspection.cli.admin import audit_app, keys_app
from inspection.cli.demo import demo, samples
from inspection.cli.draw import draw_app
from inspection.cli.regions import regions_app
from inspection.cli.service import db_app, serve
from inspection.cli.solver import check, generate, solve
from inspection.cli.worker import worker

__all__ = ["app", "main"]

app = typer.Typer(
    name="inspection",
    help="Inspect Once (综合查一次): plan joint enterprise inspections.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command()(solve)
app.command()(check)
app.command()(generate)
app.command()(serve)
app.command()(worker)
app.add_typer(db_app, name="db")
app.command()(demo)
app.add_typer(keys_app, name="keys")
app.add_typer(audit_app, name="audit")
app.add_typer(draw_app, name="draw")
app.add_typer(regions_app, name="regions")
app.command()(samples)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        sys.exit(0)
