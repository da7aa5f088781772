"""Rosters for tests: the week's officers, and a planner that puts them in the problem.

Until the service's problem carries the officers itself, :func:`with_officers`
wraps `problem_for_horizon` the way the lead's wiring will: a 1.1 problem with
the active officers of its units (`problem_officers`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from sqlmodel import Session

from inspection.services.officers.drawn import problem_officers
from inspection.services.officers.models import OfficerCreate
from inspection.services.officers.service import create_officer
from inspection.services.planning import worker
from inspection.services.translation import problem_for_horizon
from inspection.solver.schema import Problem
from tests.support.data import ACTOR

__all__ = ["WEEK_ROSTER", "draw_officers_in_plans", "officer", "store_week_roster"]

WEEK_ROSTER: tuple[tuple[str, str, str], ...] = (
    ("SCJG", "陈志明", "44180020240031"),
    ("SCJG", "李晓燕", "44180020240032"),
    ("SCJG", "王建华", "44180020240033"),
    ("XFJY", "赵国栋", "44180020240101"),
    ("XFJY", "刘海涛", "44180020240102"),
)
"""The week's roster (unit, name, badge number): fictitious people."""


def officer(unit: str, name: str, badge: str, **changes: Any) -> OfficerCreate:
    """An officer of `unit` certified through 2027, changed as given."""
    data: dict[str, Any] = {
        "unit_id": unit,
        "name": name,
        "badge_number": badge,
        "certificate_expires": "2027-06-30",
    }
    data.update(changes)
    return OfficerCreate.model_validate(data)


def store_week_roster(session: Session) -> dict[str, int]:
    """Store :data:`WEEK_ROSTER` (after `fill_week`); the officers' ids by badge number."""
    return {
        badge: create_officer(session, ACTOR, officer(unit, name, badge)).id
        for unit, name, badge in WEEK_ROSTER
    }


def draw_officers_in_plans(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the plans solved in this process draw officers (a 1.1 problem with the roster)."""
    original: Callable[..., Problem] = problem_for_horizon

    def with_officers(session: Session, start: date, end: date, **kwargs: Any) -> Problem:
        problem = original(session, start, end, **kwargs)
        days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
        officers = problem_officers(
            session,
            [u.id for u in problem.units],
            days,
            enterprises={e.id for e in problem.enterprises},
        )
        data = problem.model_dump(mode="json")
        data.update(
            format="inspect-once/1.1", officers=[o.model_dump(mode="json") for o in officers]
        )
        return Problem.model_validate(data)

    monkeypatch.setattr(worker, "problem_for_horizon", with_officers)
