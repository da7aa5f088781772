"""Officer rosters (执法人员): the roster, days off, recusals, imports, and each officer's
own calendar feed."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, UploadFile, status
from fastapi.concurrency import run_in_threadpool

from inspection.api.auth import FeedActorDep, allow
from inspection.api.deps import NoIdempotencyKey, RowId, SessionDep, SettingsDep
from inspection.api.routers.files import XLSX, FeedToken
from inspection.api.routers.files import _download as download
from inspection.api.routers.files import _read as read_upload
from inspection.services.access import Actor, Role
from inspection.services.officers import service as officers
from inspection.services.officers.models import (
    DaysOff,
    OfficerCreate,
    OfficerEdit,
    OfficerPublic,
    RecusalCreate,
)
from inspection.services.spreadsheets.officers import (
    OfficerImport,
    import_officers,
    roster_template_xlsx,
    roster_xlsx,
)
from inspection.services.spreadsheets.round_lines import officer_calendar_feed

__all__ = ["router"]

router = APIRouter(tags=["officers"])
Manager = Annotated[Actor, Depends(allow(Role.UNIT, Role.COORDINATOR, Role.ADMIN))]
Issuer = Annotated[Actor, Depends(allow(Role.UNIT, Role.COORDINATOR))]
_XLSX_FILE: dict[int | str, dict[str, object]] = {
    200: {"content": {XLSX: {}}, "description": "the file"}
}


@router.get("/officers")
def list_officers(
    session: SessionDep,
    actor: Manager,
    unit: Annotated[str | None, Query(max_length=64)] = None,
    active_only: bool = False,
) -> list[OfficerPublic]:
    """A unit's roster (a unit key: its own, whatever `unit` says), by unit then name."""
    return officers.list_officers(session, actor, unit, active_only)


@router.post("/officers", status_code=status.HTTP_201_CREATED)
def create_officer(
    data: OfficerCreate, session: SessionDep, response: Response, actor: Manager
) -> OfficerPublic:
    """Add an officer to a unit's roster (a unit key: its own unit's)."""
    created = officers.create_officer(session, actor, data)
    response.headers["Location"] = f"/api/v1/officers/{created.id}"
    return created


@router.get("/officers/template.xlsx", response_class=Response, responses=_XLSX_FILE)
def roster_template(_actor: Manager) -> Response:
    """The roster template: 执法单位编号, 姓名, 执法证号, 证件有效期至, 休息日期, 回避企业."""
    return download(roster_template_xlsx(), XLSX, "执法人员名册模板.xlsx")


@router.get("/officers/export.xlsx", response_class=Response, responses=_XLSX_FILE)
def export_roster(
    session: SessionDep, actor: Manager, unit: Annotated[str | None, Query(max_length=64)] = None
) -> Response:
    """The active officers as the import reads them (a unit key: its own unit's)."""
    return download(roster_xlsx(session, actor, unit), XLSX, "执法人员名册.xlsx")


@router.post("/officers/import")
async def import_roster(
    file: UploadFile, session: SessionDep, settings: SettingsDep, actor: Manager
) -> OfficerImport:
    """Add or update every officer of an .xlsx or .csv roster, or none.

    A badge number (执法证号) already registered updates that officer: its days off
    and recusals become the row's. Every row's problems come back together
    (`errors: [{row, column, problem}]`).
    """
    data = await read_upload(file, settings)
    return await run_in_threadpool(
        import_officers, session, actor, data, file.filename, settings.max_upload_bytes
    )


@router.get("/officers/{officer_id}")
def read_officer(officer_id: RowId, session: SessionDep, actor: Manager) -> OfficerPublic:
    """One officer with days off and recusals."""
    return officers.get_officer(session, actor, officer_id)


@router.put("/officers/{officer_id}")
def update_officer(
    officer_id: RowId, data: OfficerEdit, session: SessionDep, actor: Manager
) -> OfficerPublic:
    """Change an officer's name, badge number, certificate expiry or activity."""
    return officers.update_officer(session, actor, officer_id, data)


@router.post("/officers/{officer_id}/deactivate")
def deactivate_officer(officer_id: RowId, session: SessionDep, actor: Manager) -> OfficerPublic:
    """Take an officer off the roster: kept for the record, never drawn again."""
    return officers.deactivate_officer(session, actor, officer_id)


@router.put("/officers/{officer_id}/days-off")
def set_days_off(
    officer_id: RowId, data: DaysOff, session: SessionDep, actor: Manager
) -> OfficerPublic:
    """Replace an officer's days off."""
    return officers.set_days_off(session, actor, officer_id, data.days)


@router.post("/officers/{officer_id}/recusals", status_code=status.HTTP_201_CREATED)
def add_recusal(
    officer_id: RowId, data: RecusalCreate, session: SessionDep, actor: Manager
) -> OfficerPublic:
    """Record an enterprise the officer must not inspect: a declared conflict of interest
    (`conflict`) or the enterprise's request (`requested`)."""
    return officers.add_recusal(session, actor, officer_id, data)


@router.delete("/officers/{officer_id}/recusals/{credit_code}")
def remove_recusal(
    officer_id: RowId,
    credit_code: str,
    session: SessionDep,
    actor: Manager,
) -> OfficerPublic:
    """Lift an officer's recusal from an enterprise."""
    return officers.remove_recusal(session, actor, officer_id, credit_code)


@router.get(
    "/officers/{officer_id}/calendar.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}, "description": "an iCalendar feed"}},
)
def officer_calendar(
    officer_id: RowId,
    session: SessionDep,
    actor: FeedActorDep,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
) -> Response:
    """The published rounds an officer is drawn for, as a calendar feed.

    Pass the officer's feed token as `?token=`; it reads this feed only (another
    officer's is 404). The officer's unit and coordinators read it with their keys.
    """
    feed = officer_calendar_feed(session, actor, officer_id, date_from, date_to)
    return Response(feed, media_type="text/calendar; charset=utf-8")


@router.post("/officers/{officer_id}/feed", status_code=status.HTTP_201_CREATED)
def officer_feed_token(
    officer_id: RowId,
    session: SessionDep,
    settings: SettingsDep,
    request: Request,
    actor: Issuer,
    _no_replay: None = NoIdempotencyKey,
) -> FeedToken:
    """Issue an officer's own calendar feed token (shown once); revoke it like any key.

    The officer's unit issues it, or a coordinator.
    """
    issued = officers.issue_officer_feed(session, actor, officer_id)
    path = request.app.url_path_for("officer_calendar", officer_id=str(officer_id))
    base = (settings.public_url or str(request.base_url)).rstrip("/")
    return FeedToken(**issued.model_dump(), url=f"{base}{path}?token={issued.key}")
