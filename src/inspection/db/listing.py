"""Reads for list views: a page of checklists with their items and targets in three queries.

Reading each checklist's items and targets one checklist at a time cost two queries per
checklist (GET /checklists took 2.5-11.5 s on a large data set); a page is read whole.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from inspection.db.tables import ChecklistItemRow, ChecklistRow, RequestRow

__all__ = ["checklist_page", "items_by_checklist", "targets_by_checklist"]

_CHUNK = 500  # ids per IN list


def _filtered(
    query: Any,
    unit_id: str | None,
    status: str | None,
    window_from: date | None,
    window_to: date | None,
) -> Any:
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
) -> tuple[list[ChecklistRow], int]:
    """One page of checklists, newest first, filtered as `list_checklists` does; and how many
    checklists the filters keep in all."""
    total = session.exec(
        _filtered(
            select(func.count()).select_from(ChecklistRow),
            unit_id,
            status,
            window_from,
            window_to,
        )
    ).one()
    query = _filtered(select(ChecklistRow), unit_id, status, window_from, window_to)
    rows = session.exec(
        query.order_by(col(ChecklistRow.id).desc()).offset(offset).limit(limit)
    ).all()
    return list(rows), int(total)


def items_by_checklist(
    session: Session, checklist_ids: Sequence[int]
) -> dict[int, list[ChecklistItemRow]]:
    """Each checklist's items in their order."""
    found: dict[int, list[ChecklistItemRow]] = defaultdict(list)
    for start in range(0, len(checklist_ids), _CHUNK):
        chunk = checklist_ids[start : start + _CHUNK]
        query = (
            select(ChecklistItemRow)
            .where(col(ChecklistItemRow.checklist_id).in_(chunk))
            .order_by(col(ChecklistItemRow.checklist_id), col(ChecklistItemRow.position))
        )
        for item in session.exec(query):
            found[item.checklist_id].append(item)
    return found


def targets_by_checklist(session: Session, checklist_ids: Sequence[int]) -> dict[int, list[str]]:
    """Each checklist's active targets (credit codes) in their order."""
    found: dict[int, list[str]] = defaultdict(list)
    for start in range(0, len(checklist_ids), _CHUNK):
        chunk = checklist_ids[start : start + _CHUNK]
        query = (
            select(RequestRow.checklist_id, RequestRow.credit_code)
            .where(col(RequestRow.checklist_id).in_(chunk))
            .where(col(RequestRow.active))
            .order_by(col(RequestRow.checklist_id), col(RequestRow.position), col(RequestRow.id))
        )
        for checklist_id, code in session.exec(query):
            found[checklist_id].append(code)
    return found
