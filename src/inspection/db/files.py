"""The data folder's files: the embedded SQLite database, and the lock a server holds on it.

A server holds a shared `flock` on ``inspection.lock`` in its data folder for its lifetime
(several servers may share a folder); rebuilding the folder's database takes the lock
exclusively, so it is refused while any server runs there instead of deleting the
database under it. The kernel drops the lock with the process, so a killed server
leaves no stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "DATABASE_NAME",
    "LOCK_NAME",
    "DataDirBusyError",
    "database_files",
    "database_path",
    "rebuilding",
    "serving",
]

DATABASE_NAME = "inspection.db"
"""The embedded SQLite database's file name in the data folder."""
LOCK_NAME = "inspection.lock"
"""The lock file's name in the data folder."""


class DataDirBusyError(RuntimeError):
    """The data folder is locked: a server uses it, or its database is being rebuilt."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(str(data_dir))
        self.data_dir = data_dir


def database_path(data_dir: Path) -> Path:
    """The embedded SQLite database of a data folder."""
    return data_dir / DATABASE_NAME


def database_files(data_dir: Path) -> tuple[Path, ...]:
    """The database and the journal files SQLite's WAL mode keeps beside it."""
    database = database_path(data_dir)
    return (database, Path(f"{database}-wal"), Path(f"{database}-shm"))


@contextmanager
def _locked(data_dir: Path, operation: int) -> Iterator[None]:
    data_dir.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(data_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, operation | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DataDirBusyError(data_dir) from None
        yield
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock


@contextmanager
def serving(data_dir: Path) -> Iterator[None]:
    """Hold the folder's lock shared while a server runs (created if missing).

    Raises:
        DataDirBusyError: the folder's database is being rebuilt.
    """
    with _locked(data_dir, fcntl.LOCK_SH):
        yield


@contextmanager
def rebuilding(data_dir: Path) -> Iterator[None]:
    """Hold the folder's lock exclusively while its database is deleted and rebuilt.

    Raises:
        DataDirBusyError: a server holds the folder (or another rebuild runs).
    """
    with _locked(data_dir, fcntl.LOCK_EX):
        yield
