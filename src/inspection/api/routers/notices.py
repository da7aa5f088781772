"""Notices of joint inspection (联合检查通知书): JSON for clients, A4 pages for printing.

Coordinators and auditors read every notice; a unit key the visits its unit takes
part in (another visit is 404, like an unknown code). A cancelled visit has no
notice (409). The pages are served like the verification page, outside `/api/v1`,
but need a key like any route: the desk fetches them with its key and opens them
in a window of their own to print.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse

from inspection.api.auth import allow
from inspection.api.deps import SessionDep
from inspection.api.notice_page import NOTICE_HEADERS, notices_page
from inspection.services.access import Actor, Role
from inspection.services.notices.build import day_notices, notice_of_code
from inspection.services.notices.models import Notice
from inspection.settings import Settings

__all__ = ["page_router", "router"]

Reader = Annotated[Actor, Depends(allow(Role.COORDINATOR, Role.AUDITOR, Role.UNIT))]
Code = Annotated[str, Path(max_length=64, description="the visit's inspection code")]
Day = Annotated[date, Query(description="the day of the visits, `YYYY-MM-DD`")]
Unit = Annotated[
    str | None,
    Query(max_length=64, description="only the visits this unit takes part in (a unit: its own)"),
]

router = APIRouter(prefix="/notices", tags=["notices"])
page_router = APIRouter(prefix="/notices", tags=["notices"])

_HTML: dict[int | str, dict[str, Any]] = {200: {"content": {"text/html": {}}}}


def _context(request: Request) -> dict[str, str]:
    settings: Settings = request.app.state.settings
    base = settings.public_url or str(request.base_url)
    return {"district": settings.district_name, "base_url": base.rstrip("/")}


@router.get("")
def list_notices(
    day: Day, session: SessionDep, actor: Reader, request: Request, unit: Unit = None
) -> list[Notice]:
    """Every notice of a day's published visits the key may read, by town and enterprise."""
    return day_notices(session, actor, day, unit, **_context(request))


@router.get("/{code}")
def get_notice(code: Code, session: SessionDep, actor: Reader, request: Request) -> Notice:
    """The notice of the visit a code names: units and lead unit, officers with badge
    numbers, items with legal basis, documents to prepare, the lead unit's contact, the
    enterprise's rights and the verification address. 409 once the visit is cancelled."""
    return notice_of_code(session, actor, code, **_context(request))


@page_router.get("", response_class=HTMLResponse, responses=_HTML)
def day_page(
    day: Day, session: SessionDep, actor: Reader, request: Request, unit: Unit = None
) -> HTMLResponse:
    """A day's notices to print, one per A4 page (a sentence when there are none)."""
    notices = day_notices(session, actor, day, unit, **_context(request))
    return HTMLResponse(notices_page(notices, day), headers=NOTICE_HEADERS)


@page_router.get("/{code}", response_class=HTMLResponse, responses=_HTML)
def notice_page(code: Code, session: SessionDep, actor: Reader, request: Request) -> HTMLResponse:
    """One notice to print on an A4 page."""
    notice = notice_of_code(session, actor, code, **_context(request))
    return HTMLResponse(notices_page([notice]), headers=NOTICE_HEADERS)
