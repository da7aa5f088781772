"""Dependencies shared by the routers, as `Annotated` aliases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.settings import Settings

__all__ = [
    "MAX_ROW_ID",
    "RowId",
    "SessionDep",
    "SettingsDep",
    "get_session",
    "get_settings_of_app",
]

# the largest id a row can have (the id columns are INTEGER, 32 bits on PostgreSQL); a larger
# number in a URL would overflow the driver (a 500), so it is a 422 like any invalid parameter
MAX_ROW_ID = 2**31 - 1

RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]


def get_session(request: Request) -> Iterator[Session]:
    """One session per request; the services commit, anything left open is rolled back."""
    engine: Engine = request.app.state.engine
    with Session(engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def get_settings_of_app(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings_of_app)]
