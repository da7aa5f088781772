"""What every command of the CLI shares: the consoles and the one-line failure."""

from __future__ import annotations

from typing import NoReturn

import typer
from rich.console import Console
from rich.text import Text

__all__ = ["EXIT_BAD_INPUT", "EXIT_VIOLATION", "err", "fail", "out"]

err = Console(stderr=True, highlight=False)
out = Console(highlight=False, soft_wrap=True)  # long Chinese lines: never broken mid-phrase

EXIT_VIOLATION = 1
EXIT_BAD_INPUT = 2


def fail(message: str) -> NoReturn:
    """Print one line to stderr and exit with the bad-input code."""
    err.print(Text(f"error: {message}"), soft_wrap=True)
    raise typer.Exit(EXIT_BAD_INPUT)
