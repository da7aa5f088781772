"""Spreadsheets in and out, and calendar feeds: how enforcement staff actually work."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, UploadFile, status
from fastapi.responses import Response
from pydantic import BaseModel

from inspection.api.auth import FeedActorDep, allow
from inspection.api.deps import RowId, SessionDep, SettingsDep
from inspection.errors import ForbiddenError, NotFoundError, TooLargeError
from inspection.services import imports
from inspection.services.audit import Actor
from inspection.services.exports import rounds_csv, rounds_xlsx, unit_calendar_ics
from inspection.services.keys import IssuedKey, create_key
from inspection.services.round_lines import plan_lines, unit_lines
from inspection.services.tabular import checklist_template_csv, checklist_template_xlsx
from inspection.settings import Settings

__all__ = ["router"]

router = APIRouter(tags=["spreadsheets and calendars"])
Admin = Annotated[Actor, Depends(allow("admin"))]
Writer = Annotated[Actor, Depends(allow("unit", "coordinator"))]
Coordinator = Annotated[Actor, Depends(allow("coordinator"))]
AnyoneWhoWrites = Annotated[Actor, Depends(allow("unit", "coordinator", "admin"))]
FeedIssuer = Annotated[Actor, Depends(allow("unit", "coordinator", "admin"))]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


class ImportSummary(BaseModel):
    """What an import stored: all rows of the file, or nothing."""

    created: int
    ids: list[str]


def _download(content: bytes, media_type: str, filename: str) -> Response:
    # RFC 6266: an ASCII fallback name, and the real one in UTF-8
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_")
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


async def _read(upload: UploadFile, settings: Settings) -> bytes:
    data = await upload.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise TooLargeError(f"文件超过 {settings.max_upload_bytes // 1_000_000} MB 上限", "file")
    return data


_FILE: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX: {}, CSV: {}}, "description": "the file"},
}


@router.get("/checklists/template.xlsx", response_class=Response, responses=_FILE)
def checklist_template(_actor: AnyoneWhoWrites) -> Response:
    """The checklist template: one row per item, with an example and instructions."""
    return _download(checklist_template_xlsx(), XLSX, "检查清单导入模板.xlsx")


@router.get("/checklists/template.csv", response_class=Response, responses=_FILE)
def checklist_template_as_csv(_actor: AnyoneWhoWrites) -> Response:
    """The checklist template as CSV (UTF-8 with BOM, so Excel opens it)."""
    return _download(checklist_template_csv(), CSV, "检查清单导入模板.csv")


@router.post("/checklists/import", status_code=status.HTTP_201_CREATED)
async def import_checklists(
    file: UploadFile, session: SessionDep, settings: SettingsDep, actor: Writer
) -> ImportSummary:
    """Submit every checklist of an .xlsx or .csv file, or none.

    Every row's problems come back together (`errors: [{row, column, problem}]`).
    """
    created = imports.import_checklists(session, actor, await _read(file, settings), file.filename)
    return ImportSummary(created=len(created), ids=[str(c.id) for c in created])


@router.post("/units/import", status_code=status.HTTP_201_CREATED)
async def import_units(
    file: UploadFile, session: SessionDep, settings: SettingsDep, actor: Admin
) -> ImportSummary:
    """Register every unit of an .xlsx or .csv file, or none."""
    created = imports.import_units(session, actor, await _read(file, settings), file.filename)
    return ImportSummary(created=len(created), ids=[u.id for u in created])


@router.post("/enterprises/import", status_code=status.HTTP_201_CREATED)
async def import_enterprises(
    file: UploadFile, session: SessionDep, settings: SettingsDep, actor: Admin
) -> ImportSummary:
    """Register every enterprise of an .xlsx or .csv file, or none."""
    created = imports.import_enterprises(session, actor, await _read(file, settings), file.filename)
    return ImportSummary(created=len(created), ids=[e.credit_code for e in created])


@router.get("/plans/{plan_id}/export.xlsx", response_class=Response, responses=_FILE)
def export_plan(plan_id: RowId, session: SessionDep, _actor: Coordinator) -> Response:
    """The plan's rounds as an Excel workbook."""
    lines = plan_lines(session, plan_id)
    return _download(rounds_xlsx(lines, title=f"排期{plan_id}"), XLSX, f"排期{plan_id}.xlsx")


@router.get("/plans/{plan_id}/export.csv", response_class=Response, responses=_FILE)
def export_plan_csv(plan_id: RowId, session: SessionDep, _actor: Coordinator) -> Response:
    """The plan's rounds as CSV."""
    return _download(rounds_csv(plan_lines(session, plan_id)), CSV, f"排期{plan_id}.csv")


@router.get(
    "/units/{unit_id}/calendar.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}, "description": "an iCalendar feed"}},
)
def unit_calendar(
    unit_id: str,
    session: SessionDep,
    actor: FeedActorDep,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
) -> Response:
    """The published rounds a unit takes part in, as a feed a calendar application subscribes to.

    Calendar applications send no headers: pass the unit's feed token as `?token=`.
    A unit (key or token) sees its own feed only; another unit's is 404.
    """
    if actor.role in ("unit", "feed") and actor.unit_id != unit_id:
        raise NotFoundError(f"执法单位 {unit_id} 不存在", "unit_id")
    if actor.role not in ("unit", "feed", "coordinator"):
        raise ForbiddenError("日历订阅仅限执法单位和协调人", "Authorization")
    name, lines = unit_lines(session, unit_id, date_from, date_to)
    feed = unit_calendar_ics(unit_id, name, lines, generated=datetime.now(UTC))
    return Response(feed, media_type="text/calendar; charset=utf-8")


class FeedToken(IssuedKey):
    """A unit's calendar feed token, and the address to subscribe to."""

    url: str


@router.post("/units/{unit_id}/feed-token", status_code=status.HTTP_201_CREATED)
def feed_token(unit_id: str, session: SessionDep, request: Request, actor: FeedIssuer) -> FeedToken:
    """Issue a calendar feed token for a unit (shown once); revoke it like any key.

    A unit issues its own; coordinators (who already read every unit's rounds) and
    admins any unit's.
    """
    if actor.role == "unit" and actor.unit_id != unit_id:
        raise NotFoundError(f"执法单位 {unit_id} 不存在", "unit_id")
    issued = create_key(session, actor, "feed", unit_id, name=f"日历订阅-{unit_id}")
    url = str(request.url_for("unit_calendar", unit_id=unit_id)) + f"?token={issued.key}"
    return FeedToken(**issued.model_dump(), url=url)
