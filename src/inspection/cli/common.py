"""What every command of the CLI shares: the consoles, the one-line failure, the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.text import Text
from sqlalchemy import Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from inspection.db.engine import make_engine, upgrade
from inspection.settings import Settings, get_settings

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_VIOLATION",
    "err",
    "fail",
    "load_settings",
    "open_engine",
    "out",
]

err = Console(stderr=True, highlight=False)
out = Console(highlight=False, soft_wrap=True)  # long Chinese lines: never broken mid-phrase

EXIT_VIOLATION = 1
EXIT_BAD_INPUT = 2


def fail(message: str) -> NoReturn:
    """Print one line to stderr and exit with the bad-input code."""
    err.print(Text(f"error: {message}"), soft_wrap=True)
    raise typer.Exit(EXIT_BAD_INPUT)


def load_settings() -> Settings:
    """The environment's settings; one line naming the setting and exit 2 when one is bad."""
    try:
        return get_settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "_".join(str(part) for part in first["loc"]).upper()
        named = f"INSPECTION_{where}: " if where else ""
        fail(f"{named}{first['msg'].removeprefix('Value error, ')}")


@contextmanager
def open_engine(failure: str = "database") -> Iterator[Engine]:
    """The settings' database, upgraded; one line (`failure: …`) and exit 2 when it cannot be
    reached, upgraded or used."""
    settings = get_settings()
    try:
        engine = make_engine(
            settings.resolved_database_url(), settings.db_pool_size, settings.db_max_overflow
        )
    except ArgumentError as exc:
        fail(f"INSPECTION_DATABASE_URL: {exc}")
    try:
        upgrade(engine)
        yield engine
    except SQLAlchemyError as exc:  # an unreachable server or a refused login
        fail(f"{failure}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        engine.dispose()
