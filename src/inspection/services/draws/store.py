"""What the draws read and write: the register's population and classes, the draw rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from inspection.db.regions import in_region
from inspection.db.tables import DrawRow, EnterpriseRow
from inspection.services.draws.models import UNGRADED

__all__ = [
    "enterprise_names",
    "frozen_population",
    "mark_revealed",
    "register_classes",
    "register_filters",
    "set_checklists",
]


def _class_of(risk_class: str | None) -> str:
    return risk_class if risk_class else UNGRADED


def register_classes(session: Session) -> set[str]:
    """Every risk class the register gives an enterprise (`未分级` for none)."""
    query = select(EnterpriseRow.risk_class).distinct()
    return {_class_of(value) for value in session.exec(query)}


def register_filters(session: Session) -> dict[str, list[str]]:
    """The register's industries, towns and risk classes, sorted: what a draw may choose."""
    rows = session.exec(
        select(EnterpriseRow.industry, EnterpriseRow.town, EnterpriseRow.risk_class)
    ).all()
    return {
        "industries": sorted({industry for industry, _, _ in rows if industry}),
        "towns": sorted({town for _, town, _ in rows if town}),
        "risk_classes": sorted({_class_of(risk) for _, _, risk in rows}),
    }


def frozen_population(
    session: Session,
    industries: Collection[str],
    towns: Collection[str],
    risk_classes: Collection[str],
    region_path: str | None = None,
) -> dict[str, list[str]]:
    """The credit codes matching the filters (empty: all), by class, each class sorted;
    with `region_path`, only enterprises of that region or under it.

    Enterprises on the no-disturb list (无事不扰) are left out: a draw makes routine checks,
    which may not visit them.
    """
    query = select(EnterpriseRow.credit_code, EnterpriseRow.risk_class).where(
        col(EnterpriseRow.no_disturb).is_(False)
    )
    query = in_region(query, EnterpriseRow.region_id, region_path)
    if industries:
        query = query.where(col(EnterpriseRow.industry).in_(sorted(industries)))
    if towns:
        query = query.where(col(EnterpriseRow.town).in_(sorted(towns)))
    population: dict[str, list[str]] = defaultdict(list)
    for code, risk_class in session.exec(query):
        grade = _class_of(risk_class)
        if not risk_classes or grade in risk_classes:
            population[grade].append(code)
    return {grade: sorted(codes) for grade, codes in sorted(population.items())}


def enterprise_names(session: Session, codes: Sequence[str]) -> dict[str, str]:
    """The names of these enterprises by credit code (one query)."""
    if not codes:
        return {}
    query = select(EnterpriseRow.credit_code, EnterpriseRow.name).where(
        col(EnterpriseRow.credit_code).in_(sorted(set(codes)))
    )
    return dict(session.exec(query).all())


def mark_revealed(session: Session, draw_id: int, values: dict[str, Any], at: datetime) -> bool:
    """Set a draw's reveal, once: False when it was revealed already (by a call beside this)."""
    result = session.execute(
        update(DrawRow)
        .where(col(DrawRow.id) == draw_id)
        .where(col(DrawRow.revealed_at).is_(None))
        .values(revealed_at=at, **values)
    )
    session.flush()
    return bool(getattr(result, "rowcount", 0) == 1)


def set_checklists(session: Session, draw_id: int, checklist_ids: list[int]) -> None:
    """Link a draw just revealed to the checklists it made."""
    session.execute(
        update(DrawRow).where(col(DrawRow.id) == draw_id).values(checklist_ids=checklist_ids)
    )
    session.flush()
