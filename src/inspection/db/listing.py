"""Reads for list views: a page of checklists and how many the filters keep.

Reading each checklist's items and targets one checklist at a time cost two queries per
checklist (GET /checklists took 2.5-11.5 s on a large data set); a page is read here and its
items and targets in two queries (`repository.items_of_checklists`, `targets_of_checklists`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from inspection.db.regions import in_region
from inspection.db.tables import ChecklistRow, UnitRow

__all__ = ["checklist_page"]

_CHUNK = 500  # ids per IN list


def _filtered(
    query: Any,
    unit_id: str | None,
    status: str | None,
    window_from: date | None,
    window_to: date | None,
    region_path: str | None = None,
) -> Any:
    if region_path is not None:  # checklists of the units in or under the region
        units = in_region(select(UnitRow.id), UnitRow.region_id, region_path)
        query = query.where(col(ChecklistRow.unit_id).in_(units))
    if unit_id is not None:
        query = query.where(ChecklistRow.unit_id == unit_id)
    if status is not None:
        query = query.where(ChecklistRow.status == status)
    if window_from is not None:
        query = query.where(ChecklistRow.latest >= window_from)
    if window_to is not None:
        query = query.where(ChecklistRow.earliest <= window_to)
    return query


def checklist_page(
    session: Session,
    unit_id: str | None,
    status: str | None,
    window_from: date | None,
    window_to: date | None,
    limit: int,
    offset: int,
    region_path: str | None = None,
) -> tuple[list[ChecklistRow], int]:
    """One page of checklists, newest first, filtered as `list_checklists` does (with
    `region_path`, of units in or under that region); and how many the filters keep in all."""
    total = session.exec(
        _filtered(
            select(func.count()).select_from(ChecklistRow),
            unit_id,
            status,
            window_from,
            window_to,
            region_path,
        )
    ).one()
    query = _filtered(select(ChecklistRow), unit_id, status, window_from, window_to, region_path)
    rows = session.exec(
        query.order_by(col(ChecklistRow.id).desc()).offset(offset).limit(limit)
    ).all()
    return list(rows), int(total)
