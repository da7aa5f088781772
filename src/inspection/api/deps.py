"""Dependencies shared by the routers, as `Annotated` aliases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.settings import Settings

__all__ = ["SessionDep", "SettingsDep", "get_session", "get_settings_of_app"]


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
