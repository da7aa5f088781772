"""Long lists of values cut into IN (...) lists every driver takes.

psycopg refuses a statement with more than 65,535 parameters and SQLite one with more
than 32,766: a province's plan reads rows for 120,000 enterprises and re-plans 185,000
rounds, so such reads go through :func:`chunks`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Final, TypeVar

__all__ = ["IN_LIST_SIZE", "chunks"]

IN_LIST_SIZE: Final = 5_000
"""Values per IN (...) list: well inside every driver's limit on parameters."""

_T = TypeVar("_T")


def chunks(values: Sequence[_T], size: int | None = None) -> Iterator[Sequence[_T]]:
    """`values` in consecutive slices of at most `size` (`IN_LIST_SIZE` unless given; none
    for no values)."""
    step = size if size is not None else IN_LIST_SIZE
    for start in range(0, len(values), step):
        yield values[start : start + step]
