"""Yearly caps (频次上限), counted from the ledger of live published visits.

A cap rule says how many inspections a year one unit (`unit_id`), or all units
together (`unit_id` None, the enterprise-wide cap a district may set), may make at
an enterprise of an industry and risk class. Of the active rules that match a unit
and an enterprise, the most specific decides (industry and risk class named beat
one named beat none), then the lowest limit, then the oldest rule.

What a cap counts, as format 1.1 says it: for a unit, the live rounds at the
enterprise that hold a counted request of the unit; for the enterprise-wide cap,
the live rounds at the enterprise that hold any counted request (a joint round
counts once: that is the point of inspecting once). A request is counted unless
its checklist's kind is in the rule settings' exempt categories (case-driven
checks). The year is the calendar year of the round's day. The ledger holds what
was announced; once outcomes are recorded it is what was carried out.

One count serves every reader: the plan's problem (:func:`remaining_caps`), the
checklist's targets and the submission's warnings and refusals
(:func:`submission_caps`), and the desk's caps per enterprise (:func:`standings`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel
from sqlmodel import Session, col, select

from inspection.db import prebuilt
from inspection.db.tables import EnterpriseRow, LiveVisitRow
from inspection.errors import ConflictError, NotFoundError
from inspection.services.reference.kinds import InspectionType
from inspection.services.rules.settings import MISSING_SETTINGS, SETTINGS_ID
from inspection.solver.schema_rules import Caps, EnterpriseCap, UnitEnterpriseCap

__all__ = [
    "CapReachedError",
    "CapRule",
    "CapScope",
    "CapStanding",
    "SubmissionCaps",
    "active_cap_rules",
    "enterprise_names",
    "exempt_and_rules",
    "remaining_caps",
    "rule_for",
    "standings",
    "submission_caps",
    "year_use",
]

_CHUNK = 500  # credit codes per IN (...) list


class CapScope(StrEnum):
    """Whom a cap limits."""

    UNIT = "unit"
    """One unit's inspections at the enterprise."""
    ENTERPRISE = "enterprise"
    """All units' inspections at the enterprise together (a joint round counts once)."""


@dataclass(frozen=True)
class CapRule:
    """An active cap rule, as the counting reads it."""

    id: int
    unit_id: str | None
    industry: str
    risk_class: str
    yearly_limit: int
    basis: str

    def matches(self, industry: str, risk_class: str | None) -> bool:
        """Whether it applies to an enterprise of this industry and risk class."""
        return (not self.industry or self.industry == industry) and (
            not self.risk_class or self.risk_class == (risk_class or "")
        )

    @property
    def specificity(self) -> int:
        """How much of the enterprise it names: 0 (every enterprise) to 2."""
        return bool(self.industry) + bool(self.risk_class)

    def describe(self) -> str:
        """How a message names the rule: its basis, else what it matches."""
        if self.basis:
            return self.basis
        scope = "、".join(
            p for p in (self.industry, self.risk_class and f"{self.risk_class}类") if p
        )
        return f"频次规则 {self.id}（{scope or '全部企业'}）"


def active_cap_rules(session: Session) -> list[CapRule]:
    """Every active cap rule, oldest first."""
    return [_cap_rule(tuple(row)) for row in prebuilt.active_cap_rule_rows(session)]


def _cap_rule(values: tuple[Any, ...]) -> CapRule:
    """A rule from its columns `id, unit_id, industry, risk_class, yearly_limit, basis`."""
    rule_id, unit_id, industry, risk_class, yearly_limit, basis = values
    return CapRule(
        id=rule_id or 0,
        unit_id=unit_id,
        industry=industry,
        risk_class=risk_class,
        yearly_limit=yearly_limit,
        basis=basis,
    )


def exempt_and_rules(session: Session) -> tuple[frozenset[str], list[CapRule]]:
    """The kinds of check the caps do not count and every active rule, oldest first: what
    :func:`~inspection.services.rules.settings.cap_exempt_kinds` and
    :func:`active_cap_rules` answer, in one statement
    (every submission reads both).

    Raises:
        NotFoundError: the database was not migrated (no settings row).
    """
    found = prebuilt.cap_settings_and_rules(session, SETTINGS_ID)
    if found is None:
        raise NotFoundError(MISSING_SETTINGS, "settings")
    kinds, rules = found
    return frozenset(str(InspectionType(kind)) for kind in kinds), [_cap_rule(r) for r in rules]


def rule_for(
    rules: Sequence[CapRule], unit_id: str | None, industry: str, risk_class: str | None
) -> CapRule | None:
    """The rule that caps `unit_id` (None: all units together) at such an enterprise."""
    matching = [r for r in rules if r.unit_id == unit_id and r.matches(industry, risk_class)]
    if not matching:
        return None
    return min(matching, key=lambda r: (-r.specificity, r.yearly_limit, r.id))


@dataclass(frozen=True)
class YearUse:
    """The live rounds a year's caps count, by (unit, enterprise) and by enterprise."""

    pairs: Counter[tuple[str, str]]
    enterprises: Counter[str]


def _chunks(codes: Collection[str] | None) -> Iterable[list[str] | None]:
    if codes is None:
        yield None
        return
    ordered = sorted(set(codes))
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def year_use(
    session: Session,
    year: int,
    exempt: Collection[str],
    credit_codes: Collection[str] | None = None,
    outside: tuple[date, date] | None = None,
) -> YearUse:
    """What the ledger's rounds of `year` use of the caps.

    Args:
        session: The session to read with.
        year: The calendar year counted.
        exempt: Kinds of check not counted.
        credit_codes: Only these enterprises (None: every enterprise).
        outside: Leave out the rounds of these days (a plan's horizon: its problem's
            pinned rounds are counted by the planner itself).
    """
    pair_rounds: set[tuple[int, str, str]] = set()
    enterprise_rounds: set[tuple[int, str]] = set()
    for chunk in _chunks(credit_codes):
        if chunk == []:
            continue
        query = (
            select(LiveVisitRow.round_id, LiveVisitRow.unit_id, LiveVisitRow.credit_code)
            .where(col(LiveVisitRow.day) >= date(year, 1, 1))
            .where(col(LiveVisitRow.day) <= date(year, 12, 31))
            .distinct()
        )
        if exempt:
            query = query.where(col(LiveVisitRow.category).not_in(sorted(exempt)))
        if chunk is not None:
            query = query.where(col(LiveVisitRow.credit_code).in_(chunk))
        if outside is not None:
            start, end = outside
            query = query.where((col(LiveVisitRow.day) < start) | (col(LiveVisitRow.day) > end))
        for round_id, unit_id, code in session.exec(query):
            pair_rounds.add((round_id, unit_id, code))
            enterprise_rounds.add((round_id, code))
    return YearUse(
        pairs=Counter((unit, code) for _, unit, code in pair_rounds),
        enterprises=Counter(code for _, code in enterprise_rounds),
    )


def _years(start: date, end: date) -> range:
    return range(start.year, end.year + 1)


def _enterprise_classes(
    session: Session, codes: Collection[str]
) -> dict[str, tuple[str, str | None]]:
    found: dict[str, tuple[str, str | None]] = {}
    for chunk in _chunks(codes):
        if not chunk:
            continue
        for code, industry, risk in session.exec(
            select(
                EnterpriseRow.credit_code, EnterpriseRow.industry, EnterpriseRow.risk_class
            ).where(col(EnterpriseRow.credit_code).in_(chunk))
        ):
            found[code] = (industry, risk)
    return found


def remaining_caps(
    session: Session,
    start: date,
    end: date,
    pairs: Collection[tuple[str, str]],
    enterprises: Mapping[str, tuple[str, str | None]],
) -> Caps:
    """What is left of the caps for a plan over [start, end], as the problem states it.

    The ledger's rounds outside the horizon are counted; those inside are the plan's
    pinned rounds, which the planner counts itself. A horizon across New Year gets,
    for each cap, the least left in any of its years (lawful on every day of it).

    Args:
        session: The session to read with.
        start: The horizon's first day.
        end: The horizon's last day.
        pairs: The (unit, enterprise) pairs the problem's requests name.
        enterprises: The problem's enterprises: credit code to (industry, risk class).
    """
    exempt, rules = exempt_and_rules(session)
    if not rules:
        return Caps(exempt_categories=tuple(sorted(exempt)))
    uses = [
        year_use(session, year, exempt, enterprises.keys(), outside=(start, end))
        for year in _years(start, end)
    ]
    unit_caps = []
    for unit_id, code in sorted(set(pairs)):
        industry, risk = enterprises[code]
        rule = rule_for(rules, unit_id, industry, risk)
        if rule is not None:
            left = min(rule.yearly_limit - use.pairs[unit_id, code] for use in uses)
            unit_caps.append(
                UnitEnterpriseCap(unit=unit_id, enterprise=code, remaining=max(0, left))
            )
    enterprise_caps = []
    for code in sorted(enterprises):
        industry, risk = enterprises[code]
        rule = rule_for(rules, None, industry, risk)
        if rule is not None:
            left = min(rule.yearly_limit - use.enterprises[code] for use in uses)
            enterprise_caps.append(EnterpriseCap(enterprise=code, remaining=max(0, left)))
    return Caps(
        exempt_categories=tuple(sorted(exempt)),
        unit_enterprise=tuple(unit_caps),
        enterprise=tuple(enterprise_caps),
    )


class CapStanding(BaseModel):
    """One cap at one enterprise in one year: its rule, what the ledger used, what is left."""

    scope: CapScope
    unit_id: str | None
    credit_code: str
    year: int
    rule_id: int
    rule: str
    yearly_limit: int
    used: int
    left: int

    def sentence(self, enterprise_name: str = "") -> str:
        """The standing as the desk and messages say it."""
        at = f"企业{enterprise_name or self.credit_code}"
        whose = f"{self.unit_id}在{at}" if self.scope == CapScope.UNIT else f"各单位在{at}合计"
        return (
            f"{self.year}年{whose}的检查上限为 {self.yearly_limit} 次（{self.rule}），"
            f"已安排 {self.used} 次，剩余 {self.left} 次"
        )


def _standing(rule: CapRule, unit_id: str | None, code: str, year: int, used: int) -> CapStanding:
    return CapStanding(
        scope=CapScope.UNIT if unit_id is not None else CapScope.ENTERPRISE,
        unit_id=unit_id,
        credit_code=code,
        year=year,
        rule_id=rule.id,
        rule=rule.describe(),
        yearly_limit=rule.yearly_limit,
        used=used,
        left=max(0, rule.yearly_limit - used),
    )


def standings(
    session: Session,
    year: int,
    credit_codes: Collection[str],
    unit_id: str | None = None,
    known: tuple[frozenset[str], list[CapRule]] | None = None,
) -> list[CapStanding]:
    """The caps of these enterprises in `year`: the enterprise-wide one, and each unit's
    (only `unit_id`'s when given), by enterprise then unit. `known`: the exempt kinds and
    the active rules when the caller has read them (:func:`exempt_and_rules`)."""
    exempt, rules = known if known is not None else exempt_and_rules(session)
    if not rules:
        return []
    use = year_use(session, year, exempt, credit_codes)
    classes = _enterprise_classes(session, credit_codes)
    units = sorted({r.unit_id for r in rules if r.unit_id is not None})
    if unit_id is not None:
        units = [unit_id]
    found: list[CapStanding] = []
    for code in sorted(classes):
        industry, risk = classes[code]
        whole = rule_for(rules, None, industry, risk)
        if whole is not None:
            found.append(_standing(whole, None, code, year, use.enterprises[code]))
        for unit in units:
            rule = rule_for(rules, unit, industry, risk)
            if rule is not None:
                found.append(_standing(rule, unit, code, year, use.pairs[unit, code]))
    return found


class CapReachedError(ConflictError):
    """A checklist targets an enterprise at which its unit's yearly cap is used up."""

    def __init__(self, detail: str, field: str, caps: list[CapStanding]) -> None:
        super().__init__(detail, field)
        self.caps = caps

    def extensions(self) -> dict[str, Any]:
        """The caps in the way, with their rule and count."""
        return {"caps": [c.model_dump(mode="json") for c in self.caps]}


@dataclass(frozen=True)
class SubmissionCaps:
    """What the caps say about a checklist's targets.

    Attributes:
        used_up: For each target index whose unit cap is used up in every year of the
            window, the standing of the year the window starts in.
        warnings: Sentences about targets that are close to a cap (one visit left), or
            whose enterprise-wide cap is used up (only an announced round can take them).
        standings: Every cap of the unit and the enterprise-wide ones at the targets,
            for the window's first year.
    """

    used_up: dict[int, CapStanding]
    warnings: list[str]
    standings: list[CapStanding]


def enterprise_names(session: Session, codes: Collection[str]) -> dict[str, str]:
    """The names of these enterprises, by credit code (unknown codes left out)."""
    names: dict[str, str] = {}
    for chunk in _chunks(codes):
        if chunk:
            query = select(EnterpriseRow.credit_code, EnterpriseRow.name)
            names.update(session.exec(query.where(col(EnterpriseRow.credit_code).in_(chunk))).all())
    return names


def submission_caps(
    session: Session,
    unit_id: str,
    category: str,
    targets: Sequence[str],
    earliest: date,
    latest: date,
) -> SubmissionCaps:
    """What the yearly caps say about a checklist of `unit_id` of this kind at `targets`."""
    known = exempt_and_rules(session)  # one statement where two reads were
    exempt, rules = known
    if category in exempt or not targets or not rules:
        return SubmissionCaps({}, [], [])
    by_year = {
        year: {
            (s.scope, s.credit_code): s for s in standings(session, year, targets, unit_id, known)
        }
        for year in _years(earliest, latest)
    }
    first = by_year[earliest.year]
    if not any(by_year.values()):  # no cap applies to these targets
        return SubmissionCaps({}, [], [])
    names = enterprise_names(session, targets)
    used_up: dict[int, CapStanding] = {}
    warnings: list[str] = []
    for index, code in enumerate(targets):
        own = [
            year[CapScope.UNIT, code] for year in by_year.values() if (CapScope.UNIT, code) in year
        ]
        if own and len(own) == len(by_year) and all(s.left == 0 for s in own):
            used_up[index] = own[0]
            continue
        standing = first.get((CapScope.UNIT, code))
        if standing is not None and standing.left == 1:
            warnings.append(f"检查对象 {code}：{standing.sentence(names.get(code, ''))}")
        whole = first.get((CapScope.ENTERPRISE, code))
        if whole is not None and whole.left == 0:
            whole_says = whole.sentence(names.get(code, ""))
            warnings.append(f"检查对象 {code}：{whole_says}；只能并入已发布的联合检查")
    return SubmissionCaps(used_up, warnings, [s for year in [first] for s in year.values()])
