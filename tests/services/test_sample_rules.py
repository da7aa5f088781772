"""The sample district's rules: a quiet-day rule that misses the demo week, and a few
enterprises classified and on the no-disturb list, loaded with the samples."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import Engine
from sqlmodel import Session

from inspection.services.demo import load_samples
from inspection.services.reference.service import list_enterprises
from inspection.services.rules.quiet_days import list_quiet_day_rules, quiet_days_in
from tests.support.data import ACTOR, UPLOAD_LIMIT
from tests.support.paths import SAMPLES

DEMO_WEEK = [date(2024, 4, 8) + timedelta(days=n) for n in range(7)]


def test_the_samples_bring_their_rules(engine: Engine) -> None:
    with Session(engine) as session:
        counts = load_samples(session, ACTOR, SAMPLES, UPLOAD_LIMIT)
        rules = list_quiet_day_rules(session)
        listed = list_enterprises(session, no_disturb=True)
        graded = [e for e in list_enterprises(session, limit=1000) if e.risk_class]
        in_demo_week = quiet_days_in(session, DEMO_WEEK)
        in_may = quiet_days_in(session, [date(2024, 5, 1), date(2024, 5, 8)])
    assert counts.quiet_day_rules == len(rules) == 1
    assert counts.classified == 11
    assert len(listed) == 3
    assert all(e.no_disturb_source and e.no_disturb_since for e in listed)
    assert {e.risk_class for e in graded} >= {"A", "B", "C", "D", "橙"}
    # the demo plans the week of 2024-04-08: its quiet days (1st to 7th) leave it alone
    assert in_demo_week == []
    assert [q.day for q in in_may] == [date(2024, 5, 1)]
