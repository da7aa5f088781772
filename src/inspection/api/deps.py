"""Dependencies shared by the routers, as `Annotated` aliases."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.errors import InvalidInputError
from inspection.services.reference.today import district_today
from inspection.settings import Settings

__all__ = [
    "MAX_ROW_ID",
    "NoIdempotencyKey",
    "RegionQuery",
    "RowId",
    "SessionDep",
    "SettingsDep",
    "TodayDep",
    "get_session",
    "get_settings_of_app",
]

# the largest id a row can have (the id columns are INTEGER, 32 bits on PostgreSQL); a larger
# number in a URL would overflow the driver (a 500), so it is a 422 like any invalid parameter
MAX_ROW_ID = 2**31 - 1

RowId = Annotated[int, Path(ge=1, le=MAX_ROW_ID)]

RegionQuery = Annotated[
    str | None,
    Query(
        max_length=12,
        description="a region's code (the caller's or one under it); default: the caller's region",
    ),
]
"""A `region` query parameter: a region the caller sees (GET /regions); another is 404."""


async def get_session(request: Request) -> AsyncIterator[Session]:
    """One session per request; the services commit, anything left open is rolled back.

    An async dependency, so that opening and closing the session cost no thread hand-off
    (a sync one runs its start and its end on a worker thread each: under 16 concurrent
    submissions every hand-off costs the server GIL switches). Neither touches the
    database here: a session connects at its first statement (in the endpoint's thread),
    and one whose transaction has ended (the services commit) has already given its
    connection back. A session still in a transaction (a read, a failure) is rolled back
    and closed on a worker thread, as before: database I/O never runs on the event loop.
    """
    engine: Engine = request.app.state.engine
    session = Session(engine)
    try:
        yield session
    finally:
        if session.in_transaction():
            await run_in_threadpool(session.close)
        else:
            session.close()


SessionDep = Annotated[Session, Depends(get_session)]


def get_settings_of_app(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(get_settings_of_app)]


def today_of_app(settings: SettingsDep) -> date:
    """The day the service takes as today: the settings' `today` if set, else the
    district's local date."""
    return settings.today or district_today()


TodayDep = Annotated[date, Depends(today_of_app)]


def refuse_idempotency_key(
    idempotency_key: Annotated[
        str | None,
        Header(description="refused (422): the answer carries a secret, never stored or replayed"),
    ] = None,
) -> None:
    """For a route whose answer carries a secret (an issued key): no `Idempotency-Key`.

    Its stored answer would keep the key in plain text, and a replay would hand it out
    again; the caller who is unsure whether a key was issued lists the keys instead.

    Raises:
        InvalidInputError: the request carries an `Idempotency-Key`.
    """
    if idempotency_key is not None:
        raise InvalidInputError(
            "此操作的回答含一次性密钥，不保存、不重放，不能带 Idempotency-Key；"
            "如不确定上次是否已签发，请查询密钥列表并吊销多余的密钥",
            "Idempotency-Key",
        )


NoIdempotencyKey = Depends(refuse_idempotency_key)
"""Declare on a route whose answer carries a secret: `dependencies=[NoIdempotencyKey]`."""
