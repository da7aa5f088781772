"""Rosters for tests: the week's officers."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from inspection.services.officers.models import OfficerCreate
from inspection.services.officers.service import create_officer
from tests.support.data import ACTOR

__all__ = ["WEEK_ROSTER", "officer", "store_week_roster"]

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
