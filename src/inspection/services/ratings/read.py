"""Reading ratings: every rating with its visit (coordinators and auditors), and aggregates
per unit (everyone with a key; a unit its own, over enough ratings only).

A rating belongs to every unit of the visit's round (the code's live round). Small groups
leak: a unit that could narrow an aggregate to one rating, or compare two answers that
differ by one rating, would read that enterprise's score. So a unit's aggregate covers a
whole calendar year (no narrower period), is withheld under
:data:`MIN_RATINGS_FOR_UNITS` ratings, and counts the year's ratings in the order they
arrived by whole blocks of that many: it changes only when a block of five more is full.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from inspection.db.regions import in_region
from inspection.db.tables import (
    EnterpriseRow,
    InspectionCodeRow,
    PlanRoundRow,
    VisitRatingRow,
)
from inspection.services.access import Actor, figures_region
from inspection.services.ratings.models import (
    MIN_RATINGS_FOR_UNITS,
    TOO_FEW,
    RatingAggregate,
    RatingPublic,
    RatingSummary,
)
from inspection.services.reference.service import unit_names

__all__ = ["DISTRICT", "list_ratings", "rating_summary", "unit_aggregate"]

DISTRICT = "全区"


@dataclass(frozen=True)
class _Rated:
    rating: VisitRatingRow
    units: list[str]  # lead unit first
    enterprise_name: str
    town: str


def _rated(
    session: Session, start: date | None, end: date | None, region_path: str | None = None
) -> list[_Rated]:
    """The ratings of visits in the range, with their round's units and enterprise; with
    `region_path`, of visits at enterprises of that region or under it."""
    query = (
        select(VisitRatingRow, PlanRoundRow.units, PlanRoundRow.lead_unit_id, EnterpriseRow)
        .join(InspectionCodeRow, col(InspectionCodeRow.code) == col(VisitRatingRow.code))
        .join(PlanRoundRow, col(PlanRoundRow.id) == col(InspectionCodeRow.round_id))
        .join(EnterpriseRow, col(EnterpriseRow.credit_code) == col(InspectionCodeRow.credit_code))
    )
    query = in_region(query, EnterpriseRow.region_id, region_path)
    if start is not None:
        query = query.where(col(VisitRatingRow.day) >= start)
    if end is not None:
        query = query.where(col(VisitRatingRow.day) <= end)
    found = []
    for rating, units, lead, enterprise in session.exec(query):
        order = [lead, *sorted(u for u in units if u != lead)]
        found.append(_Rated(rating, order, enterprise.name, enterprise.town))
    return found


def list_ratings(
    session: Session,
    date_from: date | None = None,
    date_to: date | None = None,
    unit: str | None = None,
    town: str | None = None,
    complaints_only: bool = False,
    limit: int = 500,
    offset: int = 0,
    region_path: str | None = None,
) -> tuple[int, list[RatingPublic]]:
    """Ratings of the visits in the range (the visits' days), complaints first, then the
    newest visit first; for coordinators and auditors only (the route's rule); with
    `region_path`, the visits at enterprises of that region or under it.

    Returns:
        How many match, and the page asked for.
    """
    names = unit_names(session)
    rows = [
        r
        for r in _rated(session, date_from, date_to, region_path)
        if (unit is None or unit in r.units)
        and (town is None or r.town == town)
        and (not complaints_only or r.rating.complaint)
    ]
    rows.sort(key=lambda r: r.rating.code)
    rows.sort(key=lambda r: r.rating.day, reverse=True)
    rows.sort(key=lambda r: not r.rating.complaint)
    page = rows[offset : offset + limit]
    return len(rows), [
        RatingPublic(
            code=r.rating.code,
            date=r.rating.day,
            enterprise_name=r.enterprise_name,
            town=r.town,
            units=r.units,
            unit_names=[names.get(u, u) for u in r.units],
            score=r.rating.score,
            comment=r.rating.comment,
            complaint=r.rating.complaint,
            has_complaint=bool(r.rating.complaint),
            rated_at=r.rating.rated_at,
        )
        for r in page
    ]


def _aggregate(unit_id: str | None, name: str, ratings: list[VisitRatingRow]) -> RatingAggregate:
    scores = [r.score for r in ratings]
    complaints = sum(1 for r in ratings if r.complaint)
    return RatingAggregate(
        unit_id=unit_id,
        unit_name=name,
        withheld=False,
        count=len(scores),
        count_text=f"{len(scores)}条",
        mean_score=round(sum(scores) / len(scores), 2) if scores else None,
        distribution=[scores.count(score) for score in range(1, 6)],
        complaints=complaints,
    )


def unit_aggregate(unit_id: str, name: str, ratings: list[VisitRatingRow]) -> RatingAggregate:
    """A unit's own aggregate: whole blocks of the ratings in the order they came, or nothing."""
    ratings = sorted(ratings, key=lambda r: (r.rated_at, r.code))
    covered = len(ratings) - len(ratings) % MIN_RATINGS_FOR_UNITS
    if covered < MIN_RATINGS_FOR_UNITS:
        return RatingAggregate(
            unit_id=unit_id,
            unit_name=name,
            withheld=True,
            count=None,
            count_text=TOO_FEW,
            mean_score=None,
            distribution=None,
            complaints=None,
        )
    return _aggregate(unit_id, name, ratings[:covered])


def rating_summary(session: Session, actor: Actor, year: int) -> RatingSummary:
    """A year's ratings (the visits' days in it) per unit, and the district's.

    Coordinators and auditors get every unit with ratings and the district (a key of a
    region: the visits at its region's enterprises and those under it); a unit key
    only its own unit, withheld under :data:`MIN_RATINGS_FOR_UNITS` ratings and counted
    by whole blocks of that many, and no district line.
    """
    names = unit_names(session)
    rated = _rated(session, date(year, 1, 1), date(year, 12, 31), figures_region(actor))
    by_unit: dict[str, list[VisitRatingRow]] = {}
    for r in rated:
        for unit_id in r.units:
            by_unit.setdefault(unit_id, []).append(r.rating)
    if actor.is_unit:
        assert actor.unit_id is not None
        own = by_unit.get(actor.unit_id, [])
        unit_name = names.get(actor.unit_id, actor.unit_id)
        return RatingSummary(
            year=year, units=[unit_aggregate(actor.unit_id, unit_name, own)], district=None
        )
    units = [
        _aggregate(unit_id, names.get(unit_id, unit_id), by_unit[unit_id])
        for unit_id in sorted(by_unit)
    ]
    district = _aggregate(None, DISTRICT, [r.rating for r in rated])
    return RatingSummary(year=year, units=units, district=district)
