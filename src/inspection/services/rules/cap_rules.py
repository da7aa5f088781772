"""Cap rules (频次上限): coordinators set them, everyone reads them and the caps' standings.

A rule is never deleted, only deactivated: the year's counts were made under it
and the audit trail names it. Two active rules for the same unit, industry and
risk class would leave the count to a tie-break nobody chose: the second is a 409
naming the first. (Two coordinators creating the same rule at the same instant
are not serialised: there is no unique index on active rules; the count then
takes the lower limit, see :func:`~inspection.services.rules.caps.rule_for`.)
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session, col, select

from inspection.db import repository
from inspection.db.tables import CapRuleRow, EnterpriseRow
from inspection.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from inspection.services.access import Actor, Role, may_see_unit_record, unit_scope
from inspection.services.rules.cap_rule_models import (
    CapRuleCreate,
    CapRulePublic,
    CapRuleUpdate,
    CapStandingPublic,
    ChecklistTargetCaps,
    EnterpriseCaps,
)
from inspection.services.rules.caps import CapRule, CapScope, CapStanding, standings
from inspection.services.trust.audit import record, snapshot

__all__ = [
    "add_cap_rule",
    "checklist_caps",
    "create_cap_rule",
    "enterprise_caps",
    "list_cap_rules",
    "list_caps",
    "target_sentence",
    "update_cap_rule",
]


def _public(row: CapRuleRow) -> CapRulePublic:
    assert row.id is not None
    return CapRulePublic(
        id=row.id,
        unit_id=row.unit_id,
        industry=row.industry,
        risk_class=row.risk_class,
        yearly_limit=row.yearly_limit,
        basis=row.basis,
        active=row.active,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _describe(row: CapRuleRow) -> str:
    return CapRule(
        row.id or 0, row.unit_id, row.industry, row.risk_class, row.yearly_limit, row.basis
    ).describe()


def _check_manager(actor: Actor) -> None:
    if actor.role not in (Role.COORDINATOR, Role.SYSTEM):
        raise ForbiddenError("频次上限规则仅限协调人设置", "Authorization")


def _check_no_twin(session: Session, row: CapRuleRow) -> None:
    """Refuse a second active rule for the same unit, industry and risk class."""
    query = (
        select(CapRuleRow)
        .where(col(CapRuleRow.active))
        .where(CapRuleRow.industry == row.industry)
        .where(CapRuleRow.risk_class == row.risk_class)
    )
    if row.unit_id is None:
        query = query.where(col(CapRuleRow.unit_id).is_(None))
    else:
        query = query.where(CapRuleRow.unit_id == row.unit_id)
    for other in session.exec(query):
        if other.id != row.id:
            whose = f"执法单位 {row.unit_id}" if row.unit_id else "各单位合计"
            raise ConflictError(
                f"{whose}对同一行业和风险等级已有有效的频次规则 {other.id}"
                f"（{_describe(other)}，每年 {other.yearly_limit} 次）；请修改或停用该规则",
                "unit_id",
            )


def create_cap_rule(session: Session, actor: Actor, data: CapRuleCreate) -> CapRulePublic:
    """Store a cap rule, audited.

    Raises:
        ForbiddenError: the actor is not a coordinator.
        InvalidInputError: an unknown unit (field ``unit_id``).
        ConflictError: an active rule for the same unit, industry and risk class exists.
    """
    _check_manager(actor)
    return add_cap_rule(session, actor, data)


def add_cap_rule(session: Session, actor: Actor, data: CapRuleCreate) -> CapRulePublic:
    """Store a cap rule, audited, for a caller that has checked who acts (the samples' loader).

    Raises:
        InvalidInputError: an unknown unit (field ``unit_id``).
        ConflictError: an active rule for the same unit, industry and risk class exists.
    """
    if data.unit_id is not None and repository.get_unit(session, data.unit_id) is None:
        raise InvalidInputError(f"未知的执法单位 {data.unit_id}", "unit_id")
    now = datetime.now(UTC)
    row = CapRuleRow(
        unit_id=data.unit_id,
        industry=data.industry,
        risk_class=data.risk_class,
        yearly_limit=data.yearly_limit,
        basis=data.basis,
        active=data.active,
        created_at=now,
        updated_at=now,
    )
    if row.active:
        _check_no_twin(session, row)
    session.add(row)
    session.flush()
    created = _public(row)
    record(session, actor, "cap_rule.create", "cap_rule", created.id, None, snapshot(created))
    session.commit()
    return created


def update_cap_rule(
    session: Session, actor: Actor, rule_id: int, data: CapRuleUpdate
) -> CapRulePublic:
    """Change a cap rule's fields that are sent; `active=false` deactivates it. Audited.

    Raises:
        ForbiddenError: the actor is not a coordinator.
        NotFoundError: no rule has this id.
        ConflictError: the change makes it a twin of another active rule.
    """
    _check_manager(actor)
    row = session.get(CapRuleRow, rule_id)
    if row is None:
        raise NotFoundError(f"频次规则 {rule_id} 不存在", "id")
    before = _public(row)
    for field, value in data.model_dump(exclude_none=True).items():
        setattr(row, field, value)
    if row.active:
        _check_no_twin(session, row)
    row.updated_at = datetime.now(UTC)
    session.add(row)
    session.flush()
    after = _public(row)
    action = "cap_rule.deactivate" if before.active and not after.active else "cap_rule.update"
    record(session, actor, action, "cap_rule", rule_id, snapshot(before), snapshot(after))
    session.commit()
    return after


def list_cap_rules(session: Session, active: bool | None = None) -> list[CapRulePublic]:
    """Every cap rule (or only the active or inactive ones), oldest first."""
    query = select(CapRuleRow).order_by(col(CapRuleRow.id))
    if active is not None:
        query = query.where(CapRuleRow.active == active)
    return [_public(row) for row in session.exec(query)]


def _standing_public(standing: CapStanding, name: str) -> CapStandingPublic:
    return CapStandingPublic(**standing.model_dump(), summary=standing.sentence(name))


def _by_enterprise(
    session: Session, rows: list[EnterpriseRow], year: int, unit_id: str | None
) -> list[EnterpriseCaps]:
    found = standings(session, year, [r.credit_code for r in rows], unit_id)
    grouped: dict[str, list[CapStanding]] = {}
    for standing in found:
        grouped.setdefault(standing.credit_code, []).append(standing)
    return [
        EnterpriseCaps(
            credit_code=row.credit_code,
            name=row.name,
            town=row.town,
            industry=row.industry,
            risk_class=row.risk_class,
            caps=[_standing_public(s, row.name) for s in grouped[row.credit_code]],
        )
        for row in sorted(rows, key=lambda r: r.credit_code)
        if row.credit_code in grouped
    ]


def list_caps(
    session: Session,
    actor: Actor,
    year: int,
    enterprise: str | None = None,
    unit_id: str | None = None,
    town: str | None = None,
    name: str | None = None,
) -> list[EnterpriseCaps]:
    """Per enterprise with a cap, what each cap used and has left in `year`.

    A unit key sees its own unit's caps and the enterprise-wide ones, whatever
    `unit_id` says; others see every unit's, or `unit_id`'s and the enterprise-wide.
    """
    scope = unit_scope(actor, unit_id)
    query = select(EnterpriseRow)
    if enterprise:
        query = query.where(EnterpriseRow.credit_code == enterprise.strip().upper())
    if town:
        query = query.where(EnterpriseRow.town == town)
    if name:
        query = query.where(col(EnterpriseRow.name).contains(name))
    return _by_enterprise(session, list(session.exec(query)), year, scope)


def enterprise_caps(session: Session, actor: Actor, credit_code: str, year: int) -> EnterpriseCaps:
    """One enterprise's caps in `year` (none when no rule applies to it).

    Raises:
        NotFoundError: no enterprise has this credit code.
    """
    row = repository.get_enterprise(session, credit_code)
    if row is None:
        raise NotFoundError(f"企业 {credit_code} 不存在", "credit_code")
    found = _by_enterprise(session, [row], year, unit_scope(actor, None))
    if found:
        return found[0]
    return EnterpriseCaps(
        credit_code=row.credit_code,
        name=row.name,
        town=row.town,
        industry=row.industry,
        risk_class=row.risk_class,
        caps=[],
    )


def target_sentence(standing: CapStanding, this_year: bool) -> str:
    """How a checklist's target says what a cap leaves.

    For example 本单位今年在该企业还可检查 1 次（上限 2 次，已安排 1 次）; the rule itself
    is the standing's ``rule``.
    """
    when = "今年" if this_year else f"{standing.year}年"
    who = "本单位" if standing.scope == CapScope.UNIT else "各单位合计"
    return (
        f"{who}{when}在该企业还可检查 {standing.left} 次"
        f"（上限 {standing.yearly_limit} 次，已安排 {standing.used} 次）"
    )


def checklist_caps(
    session: Session, actor: Actor, checklist_id: int, today: date | None = None
) -> list[ChecklistTargetCaps]:
    """For each target of the checklist, what its unit's cap and the enterprise-wide cap
    leave in the year the window starts in.

    Raises:
        NotFoundError: no checklist has this id, or it is another unit's.
    """
    row = repository.get_checklist(session, checklist_id)
    if row is None or not may_see_unit_record(actor, row.unit_id):
        raise NotFoundError(f"检查清单 {checklist_id} 不存在", "id")
    assert row.id is not None
    targets = [r.credit_code for r in repository.checklist_requests(session, row.id)]
    year = row.earliest.year
    this_year = year == (today or datetime.now(UTC).date()).year
    found = standings(session, year, targets, row.unit_id)
    names = dict(
        session.exec(
            select(EnterpriseRow.credit_code, EnterpriseRow.name).where(
                col(EnterpriseRow.credit_code).in_(targets)
            )
        ).all()
    )
    answer = []
    for code in targets:
        own = [s for s in found if s.credit_code == code]
        own.sort(key=lambda s: s.scope != CapScope.UNIT)  # the unit's own cap first
        answer.append(
            ChecklistTargetCaps(
                credit_code=code,
                name=names.get(code, code),
                year=year,
                caps=[_standing_public(s, names.get(code, "")) for s in own],
                sentences=[target_sentence(s, this_year) for s in own],
            )
        )
    return answer
