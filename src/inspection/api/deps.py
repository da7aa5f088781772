"""Dependencies shared by the routers, as `Annotated` aliases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Engine
from sqlmodel import Session

__all__ = ["SessionDep", "get_session"]


def get_session(request: Request) -> Iterator[Session]:
    """One session per request; the services commit, anything left open is rolled back."""
    engine: Engine = request.app.state.engine
    with Session(engine) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
