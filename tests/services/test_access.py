"""The access policy: roles are typed, and each scoping rule holds with a pair that passes and
one that does not.

A misspelt role fails twice: mypy refuses it (strict mypy warns about an unused
`type: ignore`, so each ignore below proves the line does not type-check), and
at run time when the actor or the route's rule is made, that is at start-up.
"""

from __future__ import annotations

import pytest

from inspection.api.auth import allow
from inspection.errors import ForbiddenError, NotFoundError
from inspection.services.access import (
    KEY_ROLES,
    ROLE_NAMES,
    Actor,
    Role,
    check_acts_for_unit,
    check_may_issue_feed,
    check_may_read_calendar,
    may_see_round,
    may_see_unit_record,
    unit_scope,
)

SCJG = Actor(name="市场监管", role=Role.UNIT, unit_id="SCJG")
FEED = Actor(name="日历", role=Role.FEED, unit_id="SCJG")
COORDINATOR = Actor(name="协调人", role=Role.COORDINATOR)
AUDITOR = Actor(name="督察", role=Role.AUDITOR)
ADMIN = Actor(name="管理员", role=Role.ADMIN)


def test_a_misspelt_role_fails_where_the_actor_is_made() -> None:
    with pytest.raises(ValueError, match="cordinator"):
        Actor(name="x", role="cordinator")  # type: ignore[arg-type]
    assert Actor(name="x", role="coordinator").role is Role.COORDINATOR  # type: ignore[arg-type]


def test_a_misspelt_role_fails_where_a_route_s_rule_is_made() -> None:
    with pytest.raises(ValueError, match="cordinator"):
        allow("cordinator")  # type: ignore[arg-type]
    assert allow(Role.COORDINATOR) is not None


def test_every_key_role_has_a_name() -> None:
    assert set(ROLE_NAMES) == set(Role)
    assert Role.SYSTEM not in KEY_ROLES


def test_a_unit_lists_its_own_only() -> None:
    assert unit_scope(SCJG, "XFJY") == "SCJG"
    assert unit_scope(SCJG, None) == "SCJG"
    assert unit_scope(COORDINATOR, "XFJY") == "XFJY"
    assert unit_scope(COORDINATOR, None) is None


def test_a_unit_acts_for_itself_and_a_coordinator_for_any() -> None:
    check_acts_for_unit(SCJG, "SCJG")
    check_acts_for_unit(COORDINATOR, "XFJY")
    with pytest.raises(ForbiddenError) as refused:
        check_acts_for_unit(SCJG, "XFJY")
    assert refused.value.field == "unit_id"


def test_a_unit_sees_its_own_records() -> None:
    assert may_see_unit_record(SCJG, "SCJG")
    assert not may_see_unit_record(SCJG, "XFJY")
    assert may_see_unit_record(COORDINATOR, "XFJY")


@pytest.mark.parametrize(
    ("actor", "units", "published", "seen"),
    [
        (COORDINATOR, ["XFJY"], False, True),  # drafts are the coordinators' working copies
        (AUDITOR, ["XFJY"], True, True),
        (AUDITOR, ["XFJY"], False, False),
        (SCJG, ["SCJG", "XFJY"], True, True),
        (SCJG, ["XFJY"], True, False),
        (SCJG, ["SCJG"], False, False),
        (ADMIN, ["SCJG"], True, False),
    ],
)
def test_who_sees_a_round(actor: Actor, units: list[str], published: bool, seen: bool) -> None:
    assert may_see_round(actor, units, published) is seen


def test_calendars_are_their_unit_s_and_the_coordinators() -> None:
    for reader in (SCJG, FEED, COORDINATOR):
        check_may_read_calendar(reader, "SCJG")
    for stranger in (SCJG, FEED):
        with pytest.raises(NotFoundError):
            check_may_read_calendar(stranger, "XFJY")
    with pytest.raises(ForbiddenError):
        check_may_read_calendar(AUDITOR, "SCJG")


def test_feed_tokens_are_issued_by_their_unit_or_for_it() -> None:
    for issuer in (SCJG, COORDINATOR, ADMIN):
        check_may_issue_feed(issuer, "SCJG")
    with pytest.raises(NotFoundError):
        check_may_issue_feed(SCJG, "XFJY")
