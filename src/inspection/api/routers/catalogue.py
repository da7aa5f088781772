"""The item catalogue (检查事项清单): a unit's items, its editions, Excel in and out."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query, Response, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from inspection.api.auth import allow
from inspection.api.deps import RowId, SessionDep, SettingsDep
from inspection.errors import TooLargeError
from inspection.services.access import Actor, Role
from inspection.services.catalogue import queries
from inspection.services.catalogue import service as catalogue
from inspection.services.catalogue.models import (
    CatalogueEditionDetail,
    CatalogueEditionPublic,
    CatalogueItemCreate,
    CatalogueItemPatch,
    CatalogueItemPublic,
    CatalogueListing,
    PublishRequest,
    RetireRequest,
)
from inspection.services.spreadsheets import catalogue_files
from inspection.services.spreadsheets.io import size_text

__all__ = ["router"]

router = APIRouter(tags=["item catalogue"])
# a unit for its own catalogue, coordinators and admins for any unit's
Keeper = Annotated[Actor, Depends(allow(Role.UNIT, Role.COORDINATOR, Role.ADMIN))]
# who reads a catalogue: its keepers and the auditors
Reader = Annotated[Actor, Depends(allow(Role.UNIT, Role.COORDINATOR, Role.ADMIN, Role.AUDITOR))]
UnitId = Annotated[str, Path(min_length=1, max_length=64)]

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
_FILE: dict[int | str, dict[str, Any]] = {
    200: {"content": {XLSX: {}, CSV: {}}, "description": "the file"},
}


@router.get("/units/{unit_id}/catalogue")
def read_catalogue(
    unit_id: UnitId,
    session: SessionDep,
    actor: Reader,
    on: Annotated[date | None, Query(description="the day 'current' means; today")] = None,
    include_retired: bool = False,
    include_drafts: bool = False,
) -> CatalogueListing:
    """A unit's catalogue: its current items (published and not retired by `on`), with the
    retired ones and the drafts when asked, and its editions."""
    return queries.list_catalogue(session, actor, unit_id, on, include_retired, include_drafts)


@router.get("/units/{unit_id}/catalogue/items")
def list_items(
    unit_id: UnitId,
    session: SessionDep,
    actor: Reader,
    on: Annotated[date | None, Query(description="the day 'current' means; today")] = None,
    include_retired: bool = False,
    include_drafts: bool = False,
) -> list[CatalogueItemPublic]:
    """A unit's current items, with the retired ones and the drafts when asked."""
    return queries.list_catalogue(
        session, actor, unit_id, on, include_retired, include_drafts
    ).items


@router.post("/units/{unit_id}/catalogue/items", status_code=status.HTTP_201_CREATED)
def add_item(
    unit_id: UnitId,
    data: CatalogueItemCreate,
    session: SessionDep,
    response: Response,
    actor: Keeper,
) -> CatalogueItemPublic:
    """Add an item to a unit's catalogue as a draft (its code unused in the unit: 409)."""
    created = catalogue.add_item(session, actor, unit_id, data)
    response.headers["Location"] = f"/api/v1/catalogue/items/{created.id}"
    return created


@router.patch("/catalogue/items/{item_id}")
def edit_item(
    item_id: RowId, patch: CatalogueItemPatch, session: SessionDep, actor: Keeper
) -> CatalogueItemPublic:
    """Change a draft (a published item is revised instead: 409)."""
    return catalogue.edit_draft(session, actor, item_id, patch)


@router.post("/catalogue/items/{item_id}/revise", status_code=status.HTTP_201_CREATED)
def revise_item(
    item_id: RowId, patch: CatalogueItemPatch, session: SessionDep, actor: Keeper
) -> CatalogueItemPublic:
    """Draft the next revision of a published item (same code), with the changes given
    (`{}` for none); the published one stays in effect until an edition publishes it."""
    return catalogue.revise_item(session, actor, item_id, patch)


@router.post("/catalogue/items/{item_id}/retire")
def retire_item(
    item_id: RowId, request: RetireRequest, session: SessionDep, actor: Keeper
) -> CatalogueItemPublic:
    """Retire a published item from a date on; it stays on record."""
    return catalogue.retire_item(session, actor, item_id, request)


@router.post("/units/{unit_id}/catalogue/publish", status_code=status.HTTP_201_CREATED)
def publish(
    unit_id: UnitId, request: PublishRequest, session: SessionDep, actor: Keeper
) -> CatalogueEditionDetail:
    """Publish every draft of the unit as its next edition, in effect from `effective_from`;
    a new revision retires the one it replaces on that date."""
    return catalogue.publish_catalogue(session, actor, unit_id, request)


@router.get("/units/{unit_id}/catalogue/editions")
def list_editions(
    unit_id: UnitId, session: SessionDep, actor: Reader
) -> list[CatalogueEditionPublic]:
    """The unit's editions, oldest first."""
    return queries.list_editions(session, actor, unit_id)


@router.get("/units/{unit_id}/catalogue/editions/{edition}")
def read_edition(
    unit_id: UnitId, edition: RowId, session: SessionDep, actor: Reader
) -> CatalogueEditionDetail:
    """One edition with the item revisions it published."""
    return queries.get_edition(session, actor, unit_id, edition)


def _download(content: bytes, media_type: str, filename: str) -> Response:
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_")
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


@router.get("/units/{unit_id}/catalogue/export.xlsx", response_class=Response, responses=_FILE)
def export_xlsx(
    unit_id: UnitId, session: SessionDep, actor: Reader, include_drafts: bool = True
) -> Response:
    """The unit's current items (and its drafts, unless `include_drafts=false`) as Excel,
    in the columns the import reads."""
    content = catalogue_files.catalogue_xlsx(session, actor, unit_id, include_drafts)
    return _download(content, XLSX, f"{unit_id}检查事项清单.xlsx")


@router.get("/units/{unit_id}/catalogue/export.csv", response_class=Response, responses=_FILE)
def export_csv(
    unit_id: UnitId, session: SessionDep, actor: Reader, include_drafts: bool = True
) -> Response:
    """The unit's catalogue as CSV (UTF-8 with BOM, so Excel opens it)."""
    content = catalogue_files.catalogue_csv(session, actor, unit_id, include_drafts)
    return _download(content, CSV, f"{unit_id}检查事项清单.csv")


class CatalogueImportSummary(BaseModel):
    """What an import of a catalogue file did: drafts added and drafts changed."""

    added: int
    updated: int
    unchanged: int
    items: list[CatalogueItemPublic]


@router.post("/units/{unit_id}/catalogue/import", status_code=status.HTTP_201_CREATED)
async def import_catalogue(
    unit_id: UnitId, file: UploadFile, session: SessionDep, settings: SettingsDep, actor: Keeper
) -> CatalogueImportSummary:
    """Add or update drafts from an .xlsx or .csv file, all rows or none (every bad row
    listed: `errors: [{row, column, problem}]`); it never publishes by itself.

    A code new to the unit becomes a draft; a draft's code updates that draft; a published
    item's code whose row says something else drafts its next revision.
    """
    data = await file.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise TooLargeError(f"文件超过 {size_text(settings.max_upload_bytes)} 上限", "file")
    done = await run_in_threadpool(
        catalogue_files.import_catalogue,
        session,
        actor,
        unit_id,
        data,
        file.filename,
        settings.max_upload_bytes,
    )
    return CatalogueImportSummary(
        added=done.added, updated=done.updated, unchanged=done.unchanged, items=done.items
    )
