"""The year simulation's independent checks find a broken rule, and only a broken one.

A published week obeys its rules (nothing found); each rule is then broken
behind the service's back, in the tables, and the check must name it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, text
from sqlmodel import Session

from inspection.db.tables import OfficerDayOffRow, QuietDayRuleRow
from inspection.services.officers.service import create_officer
from inspection.services.planning.use_cases import publish_plan
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP
from tests.support.officers import officer
from tests.support.rules import add_cap_rule
from tests.support.world import WEEK, fill_week, plan_week
from year_checks import cap_counts, violations


def _publish_week(engine: Engine) -> None:
    with Session(engine) as session:
        fill_week(session)
        for n, name in enumerate(("陈志明", "李晓燕")):
            create_officer(session, ACTOR, officer("SCJG", name, f"4418002024003{n}"))
        add_cap_rule(session, "SCJG", 2)
    plan_id = plan_week(engine).id
    with Session(engine) as session:
        publish_plan(session, ACTOR, plan_id)


def test_a_lawful_week_breaks_nothing_and_its_caps_are_counted(engine: Engine) -> None:
    _publish_week(engine)
    found = violations(engine)
    assert found.checked_rounds > 0
    assert found.total == 0, dict(found.by_rule)
    counted = {(c.unit_id, c.credit_code): (c.counted, c.limit) for c in cap_counts(engine)}
    assert counted[("SCJG", FOOD_SHOP)] == (1, 2)
    assert counted[("SCJG", FACTORY)] == (1, 2)
    assert ("XFJY", FACTORY) not in counted  # the complaint is exempt


def test_each_rule_broken_behind_the_service_s_back_is_found(engine: Engine) -> None:
    _publish_week(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE cap_rules SET yearly_limit = 0"))
        connection.execute(text("UPDATE enterprises SET no_disturb = :yes"), {"yes": True})
        connection.execute(text("UPDATE checklists SET status = 'draft'"))
    now = datetime.now(UTC)
    with Session(engine) as session:
        session.add(
            QuietDayRuleRow(
                name="宁静日",
                month_days=list(range(1, 32)),
                dates=[],
                exempt_categories=[],
                created_at=now,
                updated_at=now,
            )
        )
        for officer_id in (1, 2):
            for day in range(WEEK[0].day, WEEK[1].day + 1):
                session.add(OfficerDayOffRow(officer_id=officer_id, day=WEEK[0].replace(day=day)))
        session.commit()
    found = violations(engine)
    assert set(found.by_rule) == {"caps", "no_disturb", "approval", "quiet_days", "officers"}
