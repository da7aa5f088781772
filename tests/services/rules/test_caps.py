"""Yearly caps counted from the ledger: the count, what a problem is left, what a submission
is told; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from inspection.db.tables import CapRuleRow, EnterpriseRow, LiveVisitRow, RuleSettingsRow
from inspection.errors import NotFoundError
from inspection.services.rules.caps import (
    CapScope,
    active_cap_rules,
    exempt_and_rules,
    remaining_caps,
    rule_for,
    standings,
    submission_caps,
    year_use,
)
from inspection.services.rules.settings import cap_exempt_kinds
from tests.support.data import FACTORY, FOOD_SHOP
from tests.support.rules import add_cap_rule
from tests.support.world import WEEK, run_published_week


def independent_use(
    session: Session, year: int, exempt: set[str]
) -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    """The caps' count done another way: the ledger's visits grouped in Python."""
    pairs: dict[tuple[str, str], set[int]] = {}
    enterprises: dict[str, set[int]] = {}
    for visit in session.exec(select(LiveVisitRow)):
        if visit.day.year != year or visit.category in exempt:
            continue
        pairs.setdefault((visit.unit_id, visit.credit_code), set()).add(visit.round_id)
        enterprises.setdefault(visit.credit_code, set()).add(visit.round_id)
    return (
        {key: len(rounds) for key, rounds in pairs.items()},
        {key: len(rounds) for key, rounds in enterprises.items()},
    )


def test_the_most_specific_rule_decides_then_the_lowest() -> None:
    from inspection.services.rules.caps import CapRule

    every = CapRule(1, "SCJG", "", "", 4, "")
    food = CapRule(2, "SCJG", "餐饮", "", 3, "")
    food_b = CapRule(3, "SCJG", "餐饮", "B", 2, "")
    food_b_lower = CapRule(4, "SCJG", "餐饮", "B", 1, "")
    rules = [every, food, food_b, food_b_lower]
    assert rule_for(rules, "SCJG", "餐饮", "B") == food_b_lower
    assert rule_for(rules, "SCJG", "餐饮", "A") == food
    assert rule_for(rules, "SCJG", "制造", None) == every
    assert rule_for(rules, "XFJY", "餐饮", "B") is None
    assert rule_for(rules, None, "餐饮", "B") is None  # no enterprise-wide rule


def test_the_count_is_the_ledger_s_rounds_and_exempt_kinds_are_not_counted(
    engine: Engine,
) -> None:
    run_published_week(engine)
    with Session(engine) as session:
        settings = session.get(RuleSettingsRow, 1)
        assert settings is not None
        exempt = set(settings.cap_exempt_categories)
        assert "complaint" in exempt
        use = year_use(session, 2024, exempt)
        pairs, enterprises = independent_use(session, 2024, exempt)
        assert dict(use.pairs) == pairs
        assert dict(use.enterprises) == enterprises
        assert pairs  # the week's routine checklist was placed
        # the complaint visit (XFJY at the factory) counts for no cap
        assert ("XFJY", FACTORY) not in use.pairs
        everything = year_use(session, 2024, set())
        assert everything.pairs[("XFJY", FACTORY)] == 1
        assert year_use(session, 2023, exempt).pairs == {}
        assert year_use(session, 2024, exempt, outside=WEEK).pairs == {}


def test_what_is_left_for_a_plan_counts_other_weeks_only(engine: Engine) -> None:
    run_published_week(engine)
    with Session(engine) as session:
        add_cap_rule(session, "SCJG", 2)
        add_cap_rule(session, None, 1, industry="餐饮")
        shop = session.get(EnterpriseRow, FOOD_SHOP)
        assert shop is not None
        shop.industry = "餐饮"
        session.commit()
        classes = {FOOD_SHOP: ("餐饮", None), FACTORY: ("", None)}
        pairs = {("SCJG", FOOD_SHOP), ("SCJG", FACTORY), ("XFJY", FACTORY)}
        later = remaining_caps(session, date(2024, 6, 10), date(2024, 6, 16), pairs, classes)
        again = remaining_caps(session, *WEEK, pairs, classes)
    assert {(c.unit, c.enterprise): c.remaining for c in later.unit_enterprise} == {
        ("SCJG", FOOD_SHOP): 1,
        ("SCJG", FACTORY): 1,
    }
    assert {c.enterprise: c.remaining for c in later.enterprise} == {FOOD_SHOP: 0}
    assert "complaint" in later.exempt_categories
    # re-planning the published week: its own rounds are the plan's pinned ones
    assert {c.remaining for c in again.unit_enterprise} == {2}
    assert {c.enterprise: c.remaining for c in again.enterprise} == {FOOD_SHOP: 1}


def test_a_submission_is_refused_where_the_unit_s_cap_is_used_up(engine: Engine) -> None:
    run_published_week(engine)
    with Session(engine) as session:
        add_cap_rule(session, "SCJG", 1, basis="某市场监管局频次规则")
        july = (date(2024, 7, 1), date(2024, 7, 5))
        seen = submission_caps(session, "SCJG", "routine", [FACTORY, FOOD_SHOP], *july)
        assert set(seen.used_up) == {0, 1}
        assert seen.used_up[0].left == 0
        assert seen.used_up[0].used == 1
        assert "某市场监管局频次规则" in seen.used_up[0].sentence()
        # an exempt kind is never refused, and next year the count starts again
        assert submission_caps(session, "SCJG", "complaint", [FACTORY], *july).used_up == {}
        next_year = submission_caps(
            session, "SCJG", "routine", [FACTORY], date(2025, 1, 6), date(2025, 1, 10)
        )
        assert next_year.used_up == {}
        # across New Year: refused only when used up in every year of the window
        across = submission_caps(
            session, "SCJG", "routine", [FACTORY], date(2024, 12, 30), date(2025, 1, 3)
        )
        assert across.used_up == {}


def test_a_submission_is_warned_of_the_last_visit_and_a_used_up_enterprise_cap(
    engine: Engine,
) -> None:
    run_published_week(engine)
    with Session(engine) as session:
        add_cap_rule(session, "SCJG", 2)
        add_cap_rule(session, None, 1)
        seen = submission_caps(
            session, "SCJG", "routine", [FACTORY], date(2024, 7, 1), date(2024, 7, 5)
        )
        assert seen.used_up == {}
        assert len(seen.warnings) == 2
        assert "剩余 1 次" in seen.warnings[0]
        assert "只能并入已发布的联合检查" in seen.warnings[1]
        scopes = {(s.scope, s.unit_id) for s in seen.standings}
        assert scopes == {(CapScope.UNIT, "SCJG"), (CapScope.ENTERPRISE, None)}


def test_standings_list_every_unit_s_cap_and_the_enterprise_wide_one(engine: Engine) -> None:
    run_published_week(engine)
    with Session(engine) as session:
        add_cap_rule(session, "SCJG", 2)
        add_cap_rule(session, "XFJY", 3)
        add_cap_rule(session, None, 4)
        inactive = session.get(CapRuleRow, add_cap_rule(session, "XFJY", 0))
        assert inactive is not None
        inactive.active = False
        session.commit()
        assert [r.yearly_limit for r in active_cap_rules(session)] == [2, 3, 4]
        found = standings(session, 2024, [FACTORY])
    assert [(s.scope, s.unit_id, s.yearly_limit) for s in found] == [
        (CapScope.ENTERPRISE, None, 4),
        (CapScope.UNIT, "SCJG", 2),
        (CapScope.UNIT, "XFJY", 3),
    ]
    assert [s.used for s in found] == [1, 1, 0]  # the complaint is exempt


def exempt_kinds(session: Session) -> frozenset[str]:
    """The settings' exempt kinds read on their own (the settings' reader)."""
    return frozenset(str(kind) for kind in cap_exempt_kinds(session))


def test_the_exempt_kinds_and_the_rules_read_at_once_are_the_two_reads(engine: Engine) -> None:
    with Session(engine) as session:
        assert exempt_and_rules(session) == (exempt_kinds(session), [])
        add_cap_rule(session, None, 2, industry="餐饮", basis="某规则")
        off = session.get(CapRuleRow, add_cap_rule(session, None, 3))
        assert off is not None
        off.active = False
        add_cap_rule(session, None, 4, risk_class="A")
        settings = session.get(RuleSettingsRow, 1)
        assert settings is not None
        settings.cap_exempt_categories = ["complaint"]
        session.commit()
        exempt, rules = exempt_and_rules(session)
        assert exempt == exempt_kinds(session) == {"complaint"}
        assert rules == active_cap_rules(session)
        assert [(r.industry, r.risk_class, r.yearly_limit) for r in rules] == [
            ("餐饮", "", 2),
            ("", "A", 4),
        ]
        session.delete(settings)
        session.commit()
        with pytest.raises(NotFoundError):
            exempt_and_rules(session)
