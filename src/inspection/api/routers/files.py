"""Spreadsheets in and out, and calendar feeds: how enforcement staff actually work."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import BaseModel, Field

from inspection.api.auth import FeedActorDep, allow
from inspection.api.deps import NoIdempotencyKey, RowId, SessionDep, SettingsDep
from inspection.errors import TooLargeError
from inspection.services.access import Actor, Role
from inspection.services.spreadsheets import imports
from inspection.services.spreadsheets.classes import import_classes
from inspection.services.spreadsheets.exports import rounds_csv, rounds_xlsx
from inspection.services.spreadsheets.imports import ImportMode
from inspection.services.spreadsheets.io import size_text
from inspection.services.spreadsheets.round_lines import (
    plan_file_name,
    plan_lines,
    unit_calendar_feed,
)
from inspection.services.spreadsheets.template import (
    checklist_template_csv,
    checklist_template_xlsx,
)
from inspection.services.trust.keys import IssuedKey, issue_feed_token
from inspection.settings import Settings

__all__ = ["router"]

router = APIRouter(tags=["spreadsheets and calendars"])
Admin = Annotated[Actor, Depends(allow(Role.ADMIN))]
Classifier = Annotated[Actor, Depends(allow(Role.COORDINATOR, Role.ADMIN))]
Writer = Annotated[Actor, Depends(allow(Role.UNIT, Role.COORDINATOR))]
Coordinator = Annotated[Actor, Depends(allow(Role.COORDINATOR))]
AnyoneWhoWrites = Annotated[Actor, Depends(allow(Role.UNIT, Role.COORDINATOR, Role.ADMIN))]

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
        raise TooLargeError(f"文件超过 {size_text(settings.max_upload_bytes)} 上限", "file")
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


class ChecklistImportSummary(ImportSummary):
    """What an import of checklists stored, and what it found imported before."""

    unchanged: int = Field(description="checklists imported before with the same content")
    unchanged_ids: list[str]
    amended: int = Field(description="checklists imported before, amended (on_change=amend)")
    amended_ids: list[str]
    warnings: list[str] = Field(
        default_factory=list, description="what the yearly caps said about the targets stored"
    )


@router.post(
    "/checklists/import",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"description": "nothing new: every checklist was imported before"}},
)
async def import_checklists(
    file: UploadFile,
    session: SessionDep,
    settings: SettingsDep,
    actor: Writer,
    response: Response,
    on_change: ImportMode = ImportMode.REFUSE,
) -> ChecklistImportSummary:
    """Submit every checklist of an .xlsx or .csv file, or none.

    A checklist is named by its unit and its 清单编号: one imported before with the same
    content is not stored again (`unchanged`); one with other content is refused (422,
    its row named) unless `on_change=amend`, which amends it. Every row's problems come
    back together (`errors: [{row, column, problem}]`).
    """
    data = await _read(file, settings)
    # parsing and storing take seconds for a large file: off the event loop, so that
    # every other request is still answered meanwhile
    done = await run_in_threadpool(
        imports.import_checklists,
        session,
        actor,
        data,
        file.filename,
        settings.max_upload_bytes,
        on_change,
    )
    if not done.created:
        response.status_code = status.HTTP_200_OK
    return ChecklistImportSummary(
        created=len(done.created),
        ids=[str(c.id) for c in done.created],
        unchanged=len(done.unchanged),
        unchanged_ids=[str(c.id) for c in done.unchanged],
        amended=len(done.amended),
        amended_ids=[str(c.id) for c in done.amended],
        warnings=done.warnings,
    )


@router.post("/units/import", status_code=status.HTTP_201_CREATED)
async def import_units(
    file: UploadFile, session: SessionDep, settings: SettingsDep, actor: Admin
) -> ImportSummary:
    """Register every unit of an .xlsx or .csv file, or none."""
    data = await _read(file, settings)
    created = await run_in_threadpool(
        imports.import_units, session, actor, data, file.filename, settings.max_upload_bytes
    )
    return ImportSummary(created=len(created), ids=[u.id for u in created])


@router.post("/enterprises/import", status_code=status.HTTP_201_CREATED)
async def import_enterprises(
    file: UploadFile, session: SessionDep, settings: SettingsDep, actor: Admin
) -> ImportSummary:
    """Register every enterprise of an .xlsx or .csv file, or none."""
    data = await _read(file, settings)
    created = await run_in_threadpool(
        imports.import_enterprises, session, actor, data, file.filename, settings.max_upload_bytes
    )
    return ImportSummary(created=len(created), ids=[e.credit_code for e in created])


class ClassesImportSummary(BaseModel):
    """What an import of enterprises' classes changed: every row of the file, or nothing."""

    updated: int
    credit_codes: list[str]


@router.post("/enterprises/classes/import")
async def import_enterprise_classes(
    file: UploadFile, session: SessionDep, settings: SettingsDep, actor: Classifier
) -> ClassesImportSummary:
    """Set the risk class, credit class and no-disturb flag of every enterprise of an .xlsx
    or .csv file, or of none (columns 统一社会信用代码, 风险等级, 风险等级来源, 风险等级日期,
    信用等级, 信用等级来源, 信用等级日期, 无事不扰 (是/否), 无事不扰来源, 纳入日期; an empty
    cell leaves that class as it is). Every row's problems come back together."""
    data = await _read(file, settings)
    codes = await run_in_threadpool(
        import_classes, session, actor, data, file.filename, settings.max_upload_bytes
    )
    return ClassesImportSummary(updated=len(codes), credit_codes=codes)


@router.get("/plans/{plan_id}/export.xlsx", response_class=Response, responses=_FILE)
def export_plan(plan_id: RowId, session: SessionDep, actor: Coordinator) -> Response:
    """The plan's rounds as an Excel workbook (another region's plan: 404)."""
    lines = plan_lines(session, plan_id, actor.region_path)
    content = rounds_xlsx(lines, title=f"排期{plan_id}")
    return _download(content, XLSX, plan_file_name(session, plan_id, "xlsx"))


@router.get("/plans/{plan_id}/export.csv", response_class=Response, responses=_FILE)
def export_plan_csv(plan_id: RowId, session: SessionDep, actor: Coordinator) -> Response:
    """The plan's rounds as CSV (another region's plan: 404)."""
    content = rounds_csv(plan_lines(session, plan_id, actor.region_path))
    return _download(content, CSV, plan_file_name(session, plan_id, "csv"))


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
    feed = unit_calendar_feed(session, actor, unit_id, date_from, date_to)
    return Response(feed, media_type="text/calendar; charset=utf-8")


class FeedToken(IssuedKey):
    """A unit's calendar feed token, and the address to subscribe to."""

    url: str


@router.post("/units/{unit_id}/feed-token", status_code=status.HTTP_201_CREATED)
def feed_token(
    unit_id: str,
    session: SessionDep,
    settings: SettingsDep,
    request: Request,
    actor: AnyoneWhoWrites,
    _no_replay: None = NoIdempotencyKey,
) -> FeedToken:
    """Issue a calendar feed token for a unit (shown once, so no `Idempotency-Key`: 422);
    revoke it like any key.

    A unit issues its own; coordinators (who already read every unit's rounds) and
    admins any unit's. The link starts with `INSPECTION_PUBLIC_URL` when it is set (the
    request's own address otherwise).
    """
    issued = issue_feed_token(session, actor, unit_id)
    path = request.app.url_path_for("unit_calendar", unit_id=unit_id)
    if settings.public_url:
        base = settings.public_url.rstrip("/")
    else:
        base = str(request.base_url).rstrip("/")
    return FeedToken(**issued.model_dump(), url=f"{base}{path}?token={issued.key}")
