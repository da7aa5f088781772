"""Repeat warnings over the live published rounds (services/figures/alerts.py)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.errors import InvalidInputError
from inspection.services.checklists.models import InspectionType
from inspection.services.figures import alerts as alerts_module
from inspection.services.figures.alerts import AlertKind, Alerts, alerts
from inspection.services.rules.models import RuleSettingsUpdate
from inspection.services.rules.settings import rule_settings, update_rule_settings
from tests.support.alerts_world import (
    E1,
    E2,
    E3,
    E4,
    build_alerts_world,
    checklist,
    publish_week_of,
)
from tests.support.data import ACTOR


def _repeated(found: Alerts) -> dict[str, list[date]]:
    return {a.enterprise.credit_code: [r.date for r in a.rounds] for a in found.repeats}


def _case_driven(session: Session, categories: list[InspectionType]) -> None:
    current = rule_settings(session)
    update_rule_settings(
        session,
        ACTOR,
        RuleSettingsUpdate(
            cap_exempt_categories=categories,
            no_disturb_exempt_categories=current.no_disturb_exempt_categories,
            officers_per_unit=current.officers_per_unit,
            officer_daily_rounds=current.officer_daily_rounds,
        ),
    )


def test_repeats_within_the_window_only(engine: Engine) -> None:
    build_alerts_world(engine)
    with Session(engine) as session:
        found = alerts(session)
        # E1, E2: 06-03 and again in week 2; E3's second visit is a complaint (case-driven);
        # E4: 06-03 and 08-05, 63 days apart
        assert set(_repeated(found)) == {E1, E2}
        e1 = next(a for a in found.repeats if a.enterprise.credit_code == E1)
        assert e1.enterprise.name == "小吃店"
        assert e1.enterprise.town == "凤城街道"
        assert e1.units == ["SCJG", "XFJY"]
        assert [r.lead_unit for r in e1.rounds] == ["SCJG", "XFJY"]
        assert e1.closest_days == (e1.rounds[1].date - e1.rounds[0].date).days
        assert 7 <= e1.closest_days <= 9
        assert E4 not in _repeated(alerts(session, window_days=62))
        wide = alerts(session, window_days=63)
        assert _repeated(wide)[E4] == [date(2024, 6, 3), date(2024, 8, 5)]
        assert next(a for a in wide.repeats if a.enterprise.credit_code == E4).closest_days == 63
        assert found.case_driven == rule_settings(session).cap_exempt_categories


def test_a_complaint_counts_once_it_is_not_case_driven(engine: Engine) -> None:
    build_alerts_world(engine)
    with Session(engine) as session:
        assert E3 not in _repeated(alerts(session))
        _case_driven(session, [])
        found = alerts(session)
        assert E3 in _repeated(found)
        # a complaint check is never joinable: still no missed join at E3
        assert E3 not in {a.enterprise.credit_code for a in found.missed_joins}


def test_missed_join_when_the_window_held_the_other_day(engine: Engine) -> None:
    build_alerts_world(engine)
    with Session(engine) as session:
        found = alerts(session)
        # E2's week-2 window (06-10..12) did not hold 06-03; E3's was a complaint
        assert [a.enterprise.credit_code for a in found.missed_joins] == [E1]
        missed = found.missed_joins[0]
        assert missed.requests[0].unit == "XFJY"
        assert missed.requests[0].earliest <= missed.other.date <= missed.requests[0].latest
        assert missed.other.date == date(2024, 6, 3)
        assert missed.other.units == ["SCJG"]
        assert missed.round.units == ["XFJY"]
        assert missed.days_apart == (missed.round.date - missed.other.date).days
        # outside the window, no alert
        assert alerts(session, window_days=missed.days_apart - 1).missed_joins == []


def test_a_referral_round_is_case_driven_for_joins(engine: Engine) -> None:
    build_alerts_world(engine, complaint=InspectionType.REFERRAL)
    with Session(engine) as session:
        # E3's week-2 check is a joinable referral: case-driven by default, so nothing
        assert E3 not in {a.enterprise.credit_code for a in alerts(session).missed_joins}
        _case_driven(session, [InspectionType.COMPLAINT])
        assert E3 in {a.enterprise.credit_code for a in alerts(session).missed_joins}


def test_filters_and_kinds(engine: Engine) -> None:
    build_alerts_world(engine)
    with Session(engine) as session:
        assert set(_repeated(alerts(session, town="石角镇"))) == {E2}
        assert _repeated(alerts(session, date_from=date(2024, 6, 4))) == {}
        assert _repeated(alerts(session, date_to=date(2024, 6, 9))) == {}
        assert alerts(session, unit="HBJ").repeats == []
        assert set(_repeated(alerts(session, unit="HBJ", window_days=63))) == {E4}
        assert set(_repeated(alerts(session, unit="XFJY"))) == {E1, E2}
        only = alerts(session, kind=AlertKind.REPEAT)
        assert only.repeats
        assert only.missed_joins == []
        other = alerts(session, kind=AlertKind.MISSED_JOIN)
        assert other.repeats == []
        assert other.missed_joins


@pytest.mark.parametrize("window", [0, 367, -5])
def test_window_out_of_range(engine: Engine, window: int) -> None:
    with Session(engine) as session, pytest.raises(InvalidInputError) as raised:
        alerts(session, window_days=window)
    assert raised.value.field == "window_days"


@pytest.mark.parametrize(
    ("scjg_earliest", "flagged"), [("2024-06-17", False), ("2024-06-10", True)]
)
def test_a_joint_round_is_flagged_only_when_all_of_it_could_go(
    engine: Engine, scjg_earliest: str, flagged: bool
) -> None:
    build_alerts_world(engine)
    # a joint round at E1 on 06-17: HBJ (window back to 06-03) and SCJG again; XFJY's
    # week-2 round there is in HBJ's window, and in SCJG's only when it starts 06-10
    routine = InspectionType.ROUTINE
    publish_week_of(
        engine,
        date(2024, 6, 17),
        date(2024, 6, 23),
        checklist("HBJ", [E1], "2024-06-03", "2024-06-17", routine),
        checklist("SCJG", [E1], scjg_earliest, "2024-06-17", routine),
    )
    with Session(engine) as session:
        found = [a for a in alerts(session).missed_joins if a.enterprise.credit_code == E1]
        rounds = next(a for a in alerts(session).repeats if a.enterprise.credit_code == E1).rounds
        assert [sorted(r.units) for r in rounds if r.date == date(2024, 6, 17)] == [["HBJ", "SCJG"]]
        joint = [a for a in found if sorted(a.round.units) == ["HBJ", "SCJG"]]
        assert [sorted(r.unit for r in a.requests) for a in joint] == (
            [["HBJ", "SCJG"]] if flagged else []
        )
        assert [a.other.units for a in joint] == ([["XFJY"]] if flagged else [])
        # XFJY's week-2 round still could have joined SCJG's of 06-03
        assert [a.round.units for a in found if a not in joint] == [["XFJY"]]


def test_too_many_visits_asks_for_a_narrower_range(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_alerts_world(engine)
    monkeypatch.setattr(alerts_module, "MAX_ALERT_VISITS", 7)  # the world has 8 live visits
    with Session(engine) as session:
        with pytest.raises(InvalidInputError) as raised:
            alerts(session)
        assert raised.value.field == "from"
        assert alerts(session, date_from=date(2024, 6, 10)).repeats == []
