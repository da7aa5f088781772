"""Published rounds: what enterprises and units have been announced."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from inspection.db.tables import EnterpriseRow, PlanRoundRow, PlanRow, PlanUnscheduledRow
from inspection.services.plans import get_plan

__all__ = ["published_rounds", "unscheduled_of"]


def published_rounds(
    session: Session,
    date_from: date | None = None,
    date_to: date | None = None,
    unit: str | None = None,
    enterprise: str | None = None,
    town: str | None = None,
) -> list[tuple[PlanRoundRow, EnterpriseRow]]:
    """Rounds of the live published plans (not superseded), by day then enterprise."""
    query = (
        select(PlanRoundRow, EnterpriseRow)
        .join(PlanRow, col(PlanRow.id) == col(PlanRoundRow.plan_id))
        .join(EnterpriseRow, col(EnterpriseRow.credit_code) == col(PlanRoundRow.credit_code))
        .where(col(PlanRow.published_at).is_not(None))
        .where(col(PlanRow.superseded_by).is_(None))
    )
    if date_from is not None:
        query = query.where(PlanRoundRow.day >= date_from)
    if date_to is not None:
        query = query.where(PlanRoundRow.day <= date_to)
    if enterprise is not None:
        query = query.where(PlanRoundRow.credit_code == enterprise)
    if town is not None:
        query = query.where(EnterpriseRow.town == town)
    rows = list(session.exec(query.order_by(col(PlanRoundRow.day), col(PlanRoundRow.credit_code))))
    # units are a JSON list: filtered here rather than with dialect-specific JSON operators
    return [(r, e) for r, e in rows if unit is None or unit in r.units]


def unscheduled_of(session: Session, plan_id: int) -> list[PlanUnscheduledRow]:
    """The requests a plan leaves out, with their reason codes."""
    get_plan(session, plan_id)
    query = (
        select(PlanUnscheduledRow)
        .where(PlanUnscheduledRow.plan_id == plan_id)
        .order_by(col(PlanUnscheduledRow.request_id))
    )
    return list(session.exec(query))
