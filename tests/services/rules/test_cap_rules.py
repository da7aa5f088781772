"""Cap rules as coordinators manage them, and the caps shown per enterprise and per
checklist target; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.db.tables import AuditEntryRow, CapRuleRow, ChecklistRow, EnterpriseRow
from inspection.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from inspection.services.access import Actor, Role
from inspection.services.rules.cap_rule_models import CapRuleCreate, CapRuleUpdate
from inspection.services.rules.cap_rules import (
    checklist_caps,
    create_cap_rule,
    enterprise_caps,
    list_cap_rules,
    list_caps,
    update_cap_rule,
)
from inspection.services.rules.caps import CapScope, active_cap_rules
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP
from tests.support.world import fill_week, run_published_week

UNIT_KEY = Actor(name="scjg", role=Role.UNIT, unit_id="SCJG")
AUDITOR = Actor(name="audit", role=Role.AUDITOR)


def _rule(**changes: object) -> CapRuleCreate:
    data: dict[str, object] = {"unit_id": "SCJG", "yearly_limit": 2, "basis": "市场监管频次规则"}
    data.update(changes)
    return CapRuleCreate.model_validate(data)


def _actions(session: Session) -> list[str]:
    entries = session.exec(
        select(AuditEntryRow)
        .where(AuditEntryRow.entity == "cap_rule")
        .order_by(col(AuditEntryRow.id))
    )
    return [e.action for e in entries]


def test_a_rule_is_created_changed_and_deactivated_never_deleted_and_audited(
    engine: Engine,
) -> None:
    with Session(engine) as session:
        fill_week(session)
        created = create_cap_rule(session, ACTOR, _rule(industry="餐饮", risk_class="B"))
        assert (created.unit_id, created.industry, created.risk_class) == ("SCJG", "餐饮", "B")
        assert created.active
        changed = update_cap_rule(session, ACTOR, created.id, CapRuleUpdate(yearly_limit=3))
        assert changed.yearly_limit == 3
        assert changed.industry == "餐饮"  # what was not sent stays
        gone = update_cap_rule(session, ACTOR, created.id, CapRuleUpdate(active=False))
        assert not gone.active
        assert [r.id for r in list_cap_rules(session)] == [created.id]
        assert list_cap_rules(session, active=True) == []
        assert active_cap_rules(session) == []
        assert session.get(CapRuleRow, created.id) is not None
        assert _actions(session) == ["cap_rule.create", "cap_rule.update", "cap_rule.deactivate"]
        last = session.exec(
            select(AuditEntryRow).where(AuditEntryRow.action == "cap_rule.deactivate")
        ).one()
        assert last.before is not None
        assert last.before["active"] is True
        assert last.after is not None
        assert last.after["active"] is False


def test_a_second_active_rule_for_the_same_unit_industry_and_class_is_refused(
    engine: Engine,
) -> None:
    with Session(engine) as session:
        fill_week(session)
        first = create_cap_rule(session, ACTOR, _rule(risk_class="A"))
        with pytest.raises(ConflictError) as refused:
            create_cap_rule(session, ACTOR, _rule(risk_class="A", yearly_limit=5))
        assert f"频次规则 {first.id}" in refused.value.detail
        assert "市场监管频次规则" in refused.value.detail
        # another class, another unit, the enterprise-wide cap: all fine
        other = create_cap_rule(session, ACTOR, _rule(risk_class="B"))
        create_cap_rule(session, ACTOR, _rule(unit_id="XFJY", risk_class="A"))
        whole = create_cap_rule(session, ACTOR, _rule(unit_id=None, risk_class="A"))
        with pytest.raises(ConflictError, match="各单位合计"):
            create_cap_rule(session, ACTOR, _rule(unit_id=None, risk_class="A"))
        # changing a rule into a twin is refused too; once the first is inactive, it is not
        with pytest.raises(ConflictError):
            update_cap_rule(session, ACTOR, other.id, CapRuleUpdate(risk_class="A"))
        update_cap_rule(session, ACTOR, first.id, CapRuleUpdate(active=False))
        assert update_cap_rule(session, ACTOR, other.id, CapRuleUpdate(risk_class="A")).active
        # and reactivating the first would make it a twin again
        with pytest.raises(ConflictError):
            update_cap_rule(session, ACTOR, first.id, CapRuleUpdate(active=True))
        assert whole.unit_id is None


def test_bad_rules_are_refused_by_field(engine: Engine) -> None:
    with pytest.raises(ValidationError, match="yearly_limit"):
        _rule(yearly_limit=366)
    with pytest.raises(ValidationError, match="yearly_limit"):
        _rule(yearly_limit=-1)
    with pytest.raises(ValidationError, match="extra"):
        _rule(scope="unit")
    with Session(engine) as session:
        fill_week(session)
        with pytest.raises(InvalidInputError) as unknown:
            create_cap_rule(session, ACTOR, _rule(unit_id="NOPE"))
        assert unknown.value.field == "unit_id"
        with pytest.raises(ForbiddenError):
            create_cap_rule(session, UNIT_KEY, _rule())
        with pytest.raises(ForbiddenError):
            create_cap_rule(session, AUDITOR, _rule())
        with pytest.raises(NotFoundError):
            update_cap_rule(session, ACTOR, 999, CapRuleUpdate(yearly_limit=1))
        assert list_cap_rules(session) == []


def test_the_caps_per_enterprise_show_used_and_left_and_a_unit_sees_its_own(
    engine: Engine,
) -> None:
    run_published_week(engine)
    with Session(engine) as session:
        create_cap_rule(session, ACTOR, _rule(yearly_limit=1))
        create_cap_rule(session, ACTOR, _rule(unit_id="XFJY", yearly_limit=3))
        create_cap_rule(session, ACTOR, _rule(unit_id=None, yearly_limit=4))
        everyone = list_caps(session, ACTOR, 2024)
        assert [e.credit_code for e in everyone] == sorted([FOOD_SHOP, FACTORY])
        factory = next(e for e in everyone if e.credit_code == FACTORY)
        assert [(c.scope, c.unit_id, c.used, c.left) for c in factory.caps] == [
            (CapScope.ENTERPRISE, None, 1, 3),
            (CapScope.UNIT, "SCJG", 1, 0),
            (CapScope.UNIT, "XFJY", 0, 3),  # the complaint is exempt
        ]
        assert "食品厂" in factory.caps[1].summary
        assert "剩余 0 次" in factory.caps[1].summary
        own = list_caps(session, UNIT_KEY, 2024, unit_id="XFJY")
        assert {c.unit_id for e in own for c in e.caps} == {None, "SCJG"}
        only_xfjy = list_caps(session, ACTOR, 2024, unit_id="XFJY")
        assert {c.unit_id for e in only_xfjy for c in e.caps} == {None, "XFJY"}
        assert [e.credit_code for e in list_caps(session, ACTOR, 2024, town="石角镇")] == [FACTORY]
        assert [e.credit_code for e in list_caps(session, ACTOR, 2024, name="小吃")] == [FOOD_SHOP]
        assert [e.credit_code for e in list_caps(session, ACTOR, 2024, enterprise=FACTORY)] == [
            FACTORY
        ]
        next_year = enterprise_caps(session, ACTOR, FACTORY, 2025)
        assert {c.used for c in next_year.caps} == {0}
        with pytest.raises(NotFoundError):
            enterprise_caps(session, ACTOR, "91441802000000000X", 2024)


def test_a_checklist_s_targets_say_what_its_unit_may_still_inspect(engine: Engine) -> None:
    run_published_week(engine)
    with Session(engine) as session:
        create_cap_rule(session, ACTOR, _rule(yearly_limit=2))
        shop = session.get(EnterpriseRow, FOOD_SHOP)
        assert shop is not None
        shop.industry = "餐饮"
        session.commit()
        create_cap_rule(session, ACTOR, _rule(unit_id=None, industry="餐饮", yearly_limit=5))
        checklist = session.exec(select(ChecklistRow).where(ChecklistRow.unit_id == "SCJG")).first()
        assert checklist is not None
        assert checklist.id is not None
        targets = checklist_caps(session, ACTOR, checklist.id, today=date(2024, 6, 1))
        assert [t.credit_code for t in targets] == [FOOD_SHOP, FACTORY]
        shop_caps, factory_caps = targets
        assert shop_caps.sentences[0].startswith("本单位今年在该企业还可检查 1 次（上限 2 次")
        assert shop_caps.sentences[1].startswith("各单位合计今年在该企业还可检查 4 次（上限 5 次")
        assert len(factory_caps.sentences) == 1
        later = checklist_caps(session, ACTOR, checklist.id, today=date(2025, 3, 1))
        assert later[0].sentences[0].startswith("本单位2024年在该企业还可检查 1 次")
        other = Actor(name="xfjy", role=Role.UNIT, unit_id="XFJY")
        with pytest.raises(NotFoundError):
            checklist_caps(session, other, checklist.id)
