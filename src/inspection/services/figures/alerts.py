"""Repeat warnings (重复检查预警): enterprises visited again and again, and joins missed.

Read from the ledger of live published visits (:mod:`inspection.services.ledger`), one
row per placed request, so only what is announced is warned about. Two kinds:

- **repeat** (重复检查): an enterprise visited in separate live rounds twice or more
  within the window (default 60 days: the later round's day minus the earlier's is at
  most the window). Rounds follow each other into one alert while each comes within
  the window of the one before it; an enterprise visited twice in spring and twice in
  autumn has two alerts.
- **missed_join** (可合并未合并): two separate live rounds at one enterprise within the
  window where one round could have joined the other: each of its requests, by a unit
  not in the other round, was joinable and its checklist's window (earliest..latest)
  held the other round's day. Only a whole round going along saves the enterprise a
  visit, so a big joint round is not flagged because one of its units could have
  gone elsewhere.

"Case-driven" checks (投诉举报, 转办交办 and the like) happen when a case calls for them,
and a second visit for a case is no failure of planning: they are the categories the
district exempts from the yearly caps (the rule settings' ``cap_exempt_categories``,
:func:`inspection.services.rules.settings.rule_settings`), one list the coordinators
already keep. A round counts for the repeat warning when it holds a request that is
not case-driven; a missed join needs a joinable request that is not case-driven, and
another round that is neither all case-driven nor holds a non-joinable request (a
complaint check is alone in its round by rule).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from itertools import pairwise
from typing import Any, Final

from pydantic import BaseModel, Field
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from inspection.db.regions import enterprises_in
from inspection.db.tables import ChecklistRow, EnterpriseRow, LiveVisitRow, PlanRoundRow
from inspection.errors import InvalidInputError
from inspection.services.reference.kinds import InspectionType
from inspection.services.rules.settings import rule_settings

__all__ = [
    "DEFAULT_WINDOW_DAYS",
    "MAX_ALERT_VISITS",
    "MAX_WINDOW_DAYS",
    "AlertEnterprise",
    "AlertKind",
    "AlertRound",
    "Alerts",
    "JoinableRequest",
    "MissedJoinAlert",
    "RepeatAlert",
    "alerts",
]

DEFAULT_WINDOW_DAYS: Final = 60
MAX_WINDOW_DAYS: Final = 366
MAX_ALERT_VISITS: Final = 200_000
"""The most live visits one answer reads (a district's year is far fewer): past it, narrow."""


class AlertKind(StrEnum):
    """The kinds of repeat warning (labels: the desk's labels.js)."""

    REPEAT = "repeat"
    """重复检查: visited in separate rounds twice or more within the window."""
    MISSED_JOIN = "missed_join"
    """可合并未合并: a unit could have joined another unit's round but did not."""


class AlertEnterprise(BaseModel):
    """The enterprise an alert is about."""

    credit_code: str
    name: str
    town: str


class AlertRound(BaseModel):
    """A live published round named by an alert."""

    round_id: int
    date: date
    lead_unit: str
    units: list[str]


class RepeatAlert(BaseModel):
    """An enterprise visited in separate rounds twice or more within the window."""

    kind: AlertKind = AlertKind.REPEAT
    enterprise: AlertEnterprise
    rounds: list[AlertRound] = Field(description="the rounds, by date (two or more)")
    closest_days: int = Field(description="days between the closest two of the rounds")
    units: list[str] = Field(description="every unit taking part in the rounds")


class JoinableRequest(BaseModel):
    """The request that could have joined the other round."""

    request_id: int
    checklist_id: int
    title: str
    reference: str | None
    unit: str
    category: InspectionType
    earliest: date
    latest: date


class MissedJoinAlert(BaseModel):
    """Two separate rounds at one enterprise where one could have joined the other."""

    kind: AlertKind = AlertKind.MISSED_JOIN
    enterprise: AlertEnterprise
    round: AlertRound = Field(description="the round that could have joined the other")
    other: AlertRound = Field(description="the round it could have joined")
    requests: list[JoinableRequest] = Field(
        description="the round's requests, each of which could have gone along"
    )
    days_apart: int


class Alerts(BaseModel):
    """The repeat warnings over the live published rounds, as asked."""

    date_from: date | None
    date_to: date | None
    window_days: int
    town: str | None
    unit: str | None
    kind: AlertKind | None = Field(description="the kind asked for; none: both lists")
    case_driven: list[InspectionType] = Field(
        description="the categories not counted (the rule settings' cap_exempt_categories)"
    )
    repeats: list[RepeatAlert]
    missed_joins: list[MissedJoinAlert]


@dataclass
class _Request:
    request: JoinableRequest
    case_driven: bool

    @property
    def joinable(self) -> bool:
        return self.request.category != InspectionType.COMPLAINT


@dataclass
class _Round:
    public: AlertRound
    credit_code: str
    requests: list[_Request] = field(default_factory=list)

    @property
    def counts(self) -> bool:
        """Whether it counts as a visit for the warnings (not all case-driven)."""
        return any(not r.case_driven for r in self.requests)

    @property
    def may_be_joined(self) -> bool:
        """Whether another request could have been placed in it."""
        return self.counts and all(r.joinable for r in self.requests)


def _in_range(
    query: Any,
    date_from: date | None,
    date_to: date | None,
    town: str | None,
    region_path: str | None = None,
) -> Any:
    if region_path is not None:
        query = query.where(col(LiveVisitRow.credit_code).in_(enterprises_in(region_path)))
    if date_from is not None:
        query = query.where(col(LiveVisitRow.day) >= date_from)
    if date_to is not None:
        query = query.where(col(LiveVisitRow.day) <= date_to)
    if town is not None:
        query = query.where(col(LiveVisitRow.town) == town)
    return query


def _live_rounds(
    session: Session,
    date_from: date | None,
    date_to: date | None,
    town: str | None,
    case_driven: set[str],
    region_path: str | None,
) -> tuple[dict[str, list[_Round]], dict[str, AlertEnterprise]]:
    """The live rounds in range, by enterprise and date; the enterprises.

    Raises:
        InvalidInputError: more than :data:`MAX_ALERT_VISITS` visits in range (field ``from``).
    """
    count = _in_range(
        sa_select(func.count()).select_from(LiveVisitRow), date_from, date_to, town, region_path
    )
    visits = session.execute(count).scalar_one()
    if visits > MAX_ALERT_VISITS:
        raise InvalidInputError(
            f"所选范围有 {visits} 项已发布的检查，预警最多核对 {MAX_ALERT_VISITS} 项；"
            "请缩小日期范围",
            "from",
        )
    query = (
        select(LiveVisitRow, ChecklistRow, PlanRoundRow, EnterpriseRow)
        .join(ChecklistRow, col(ChecklistRow.id) == col(LiveVisitRow.checklist_id))
        .join(PlanRoundRow, col(PlanRoundRow.id) == col(LiveVisitRow.round_id))
        .join(EnterpriseRow, col(EnterpriseRow.credit_code) == col(LiveVisitRow.credit_code))
        .order_by(
            col(LiveVisitRow.credit_code),
            col(LiveVisitRow.day),
            col(LiveVisitRow.round_id),
            col(LiveVisitRow.request_id),
        )
    )
    query = _in_range(query, date_from, date_to, town, region_path)
    rounds: dict[int, _Round] = {}
    enterprises: dict[str, AlertEnterprise] = {}
    for visit, checklist, round_, enterprise in session.exec(query):
        assert checklist.id is not None
        entry = rounds.get(visit.round_id)
        if entry is None:
            entry = rounds[visit.round_id] = _Round(
                AlertRound(
                    round_id=visit.round_id,
                    date=visit.day,
                    lead_unit=round_.lead_unit_id,
                    units=list(round_.units),
                ),
                visit.credit_code,
            )
        enterprises.setdefault(
            visit.credit_code,
            AlertEnterprise(
                credit_code=enterprise.credit_code, name=enterprise.name, town=enterprise.town
            ),
        )
        # the ledger's copy of the checklist's InspectionType
        category = InspectionType(visit.category)
        entry.requests.append(
            _Request(
                JoinableRequest(
                    request_id=visit.request_id,
                    checklist_id=checklist.id,
                    title=checklist.title,
                    reference=checklist.reference,
                    unit=checklist.unit_id,
                    category=category,
                    earliest=checklist.earliest,
                    latest=checklist.latest,
                ),
                category in case_driven,
            )
        )
    by_enterprise: dict[str, list[_Round]] = defaultdict(list)
    for entry in rounds.values():
        by_enterprise[entry.credit_code].append(entry)
    for entries in by_enterprise.values():
        entries.sort(key=lambda r: (r.public.date, r.public.round_id))
    return by_enterprise, enterprises


def _involves(unit: str | None, *rounds: AlertRound) -> bool:
    return unit is None or any(unit in r.units for r in rounds)


def _repeats(
    rounds: list[_Round], enterprise: AlertEnterprise, window: int, unit: str | None
) -> list[RepeatAlert]:
    """Chains of counted rounds, each within the window of the one before."""
    counted = [r.public for r in rounds if r.counts]
    chains: list[list[AlertRound]] = []
    for round_ in counted:
        if chains and (round_.date - chains[-1][-1].date).days <= window:
            chains[-1].append(round_)
        else:
            chains.append([round_])
    return [
        RepeatAlert(
            enterprise=enterprise,
            rounds=chain,
            closest_days=min((b.date - a.date).days for a, b in pairwise(chain)),
            units=sorted({u for r in chain for u in r.units}),
        )
        for chain in chains
        if len(chain) >= 2 and _involves(unit, *chain)
    ]


def _could_join(request: _Request, other: AlertRound) -> bool:
    public = request.request
    return (
        request.joinable
        and not request.case_driven
        and public.unit not in other.units
        and public.earliest <= other.date <= public.latest
    )


def _missed_joins(
    rounds: list[_Round], enterprise: AlertEnterprise, window: int, unit: str | None
) -> list[MissedJoinAlert]:
    """Rounds that could have gone along, whole, with another round within the window."""
    found: list[MissedJoinAlert] = []
    for own in rounds:
        for other in rounds:
            apart = abs((other.public.date - own.public.date).days)
            if other is own or apart > window or not other.may_be_joined:
                continue
            if not _involves(unit, own.public, other.public):
                continue
            if own.requests and all(_could_join(r, other.public) for r in own.requests):
                found.append(
                    MissedJoinAlert(
                        enterprise=enterprise,
                        round=own.public,
                        other=other.public,
                        requests=[r.request for r in own.requests],
                        days_apart=apart,
                    )
                )
    return found


def alerts(
    session: Session,
    date_from: date | None = None,
    date_to: date | None = None,
    window_days: int = DEFAULT_WINDOW_DAYS,
    town: str | None = None,
    unit: str | None = None,
    kind: AlertKind | None = None,
    region_path: str | None = None,
) -> Alerts:
    """The repeat warnings over the live published rounds whose days are in the range.

    Only rounds in the range are looked at: a round just before `date_from` does not
    make one just after it a repeat.

    Args:
        session: The caller's session.
        date_from: First day of the rounds looked at.
        date_to: Last day of the rounds looked at.
        window_days: Rounds this many days apart or fewer are "within the window" (1-366).
        town: Only enterprises of this town.
        unit: Only alerts naming a round this unit takes part in (a unit key's own).
        kind: Only this kind (the other list comes back empty).
        region_path: Only enterprises of this region and those under it (None: all).

    Raises:
        InvalidInputError: a window out of range (field ``window_days``), a reversed range,
            or a range with too many visits to read (field ``from``).
    """
    if not 1 <= window_days <= MAX_WINDOW_DAYS:
        raise InvalidInputError(
            f"时间窗口 {window_days} 天超出范围：须为 1 至 {MAX_WINDOW_DAYS} 天", "window_days"
        )
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InvalidInputError(f"开始日期 {date_from} 晚于结束日期 {date_to}", "to")
    case_driven = rule_settings(session).cap_exempt_categories
    by_enterprise, enterprises = _live_rounds(
        session, date_from, date_to, town, {str(c) for c in case_driven}, region_path
    )
    repeats: list[RepeatAlert] = []
    missed: list[MissedJoinAlert] = []
    for code, rounds in by_enterprise.items():
        if kind in (None, AlertKind.REPEAT):
            repeats += _repeats(rounds, enterprises[code], window_days, unit)
        if kind in (None, AlertKind.MISSED_JOIN):
            missed += _missed_joins(rounds, enterprises[code], window_days, unit)
    # the closest repeats first: they are the ones to look at
    repeats.sort(key=lambda a: (a.closest_days, a.rounds[0].date, a.enterprise.credit_code))
    missed.sort(key=lambda a: (a.round.date, a.enterprise.credit_code, a.round.round_id))
    return Alerts(
        date_from=date_from,
        date_to=date_to,
        window_days=window_days,
        town=town,
        unit=unit,
        kind=kind,
        case_driven=list(case_driven),
        repeats=repeats,
        missed_joins=missed,
    )
