"""Who may do what: the roles, the actor behind every change, and the per-unit scoping rules.

Routes declare which roles may call them (``api.auth.allow``); what a role may
see *within* a route is decided here, once, and called by the services and
routers alike:

- a unit key acts for its own unit only: it submits and imports its own
  checklists, sees its own checklists (another unit's is as good as absent:
  404, not 403, so a unit cannot probe what exists), reads the published
  rounds it takes part in, and its own calendar feed;
- a unit's head (a unit key issued with ``unit_head``) approves its own unit's
  checklists (审批), and nobody else does: not the unit's other keys, not
  coordinators (:func:`check_may_approve`);
- coordinators act for every unit and see drafts; auditors see what is
  published; admins manage reference data and keys;
- a feed token reads one unit's calendar and nothing else; an officer's feed token
  reads that officer's own calendar and nothing else.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from inspection.errors import ForbiddenError, NotFoundError

__all__ = [
    "KEY_ROLES",
    "ROLE_NAMES",
    "SYSTEM",
    "Actor",
    "KeyRole",
    "Role",
    "check_acts_for_unit",
    "check_may_approve",
    "check_may_issue_feed",
    "check_may_read_calendar",
    "check_may_read_officer_calendar",
    "figures_region",
    "in_region_scope",
    "is_unit_head",
    "may_act_for_unit",
    "may_see_round",
    "may_see_unit_record",
    "unit_scope",
]


class Role(StrEnum):
    """What a key (or the service itself) may do."""

    UNIT = "unit"
    """An enforcement unit's staff: its own checklists, its own rounds."""
    COORDINATOR = "coordinator"
    """The lead office: every unit's checklists, planning and publication."""
    AUDITOR = "auditor"
    """Supervision: published rounds, figures and the audit trail."""
    ADMIN = "admin"
    """Reference data (units, enterprises) and keys."""
    FEED = "feed"
    """A calendar feed token: one unit's published rounds as iCalendar, nothing else."""
    SYSTEM = "system"
    """The service itself (a plan's worker); never a key."""


KeyRole = Literal[Role.UNIT, Role.COORDINATOR, Role.AUDITOR, Role.ADMIN, Role.FEED]
"""The roles a key can be issued for (every role but the system's)."""
KEY_ROLES: tuple[Role, ...] = (Role.UNIT, Role.COORDINATOR, Role.AUDITOR, Role.ADMIN, Role.FEED)

ROLE_NAMES: dict[Role, str] = {
    Role.UNIT: "执法单位",
    Role.COORDINATOR: "协调人",
    Role.AUDITOR: "督察人员",
    Role.ADMIN: "管理员",
    Role.FEED: "日历订阅",
    Role.SYSTEM: "系统",
}
"""How messages name each role."""


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a key's holder, or the system itself.

    Attributes:
        name: The key's name (or ``demo``, ``solver``, a command's name).
        role: The key's role; a string that names no role is refused here
            (``ValueError``), so a misspelt role fails where the actor is made.
        key_id: The API key's id, when a key was used.
        unit_id: The unit a unit key (or a feed token) belongs to.
        officer_id: The officer an officer's feed token belongs to (it reads that
            officer's calendar only, not the unit's).
        unit_head: Whether a unit key is its unit head's (单位负责人): it approves
            the unit's checklists.
        region_path: The path of the region the actor sees and plans (its key's region,
            or its unit's); None: the whole platform (the system, an admin, a key issued
            without a region). Rows outside it are as good as absent (404).
    """

    name: str
    role: Role
    key_id: int | None = None
    unit_id: str | None = None
    officer_id: int | None = None
    unit_head: bool = False
    region_path: str | None = None

    def __post_init__(self) -> None:
        # a role read from the database or typed at a prompt arrives as text
        object.__setattr__(self, "role", Role(self.role))

    @property
    def label(self) -> str:
        """How the audit trail names the actor."""
        key = f"#{self.key_id}" if self.key_id is not None else ""
        return f"{self.role}:{self.name}{key}"[:200]

    @property
    def is_unit(self) -> bool:
        """Whether the actor speaks for one unit only (a unit key or a feed token)."""
        return self.role in (Role.UNIT, Role.FEED)


SYSTEM = Actor(name="system", role=Role.SYSTEM)
"""The service itself, as the audit trail names a worker's changes."""


def unit_scope(actor: Actor, requested: str | None) -> str | None:
    """The unit a listing is restricted to: a unit's own, whatever it asked; else as asked."""
    return actor.unit_id if actor.is_unit else requested


def in_region_scope(actor: Actor, path: str) -> bool:
    """Whether a row of the region with `path` is in or under the actor's region."""
    own = actor.region_path
    return own is None or path == own or path.startswith(own + "/")


def figures_region(actor: Actor | None) -> str | None:
    """The region whose enterprises' visits the actor's figures and warnings count: a key
    of a region its region; a unit key none (it counts its own unit's share wherever the
    unit went), nor the platform's keys."""
    if actor is None or actor.is_unit:
        return None
    return actor.region_path


def may_act_for_unit(actor: Actor, unit_id: str) -> bool:
    """Whether the actor may submit, import or change records of this unit."""
    return not actor.is_unit or actor.unit_id == unit_id


def check_acts_for_unit(actor: Actor, unit_id: str, what: str = "提交检查清单") -> None:
    """A unit key acts for its own unit only; coordinators for any.

    Raises:
        ForbiddenError: a unit key naming another unit (field ``unit_id``).
    """
    if not may_act_for_unit(actor, unit_id):
        raise ForbiddenError(f"只能为本单位（{actor.unit_id}）{what}", "unit_id")


def is_unit_head(actor: Actor, unit_id: str) -> bool:
    """Whether the actor is the head of this unit (a unit head's key of that unit)."""
    return actor.role == Role.UNIT and actor.unit_head and actor.unit_id == unit_id


def check_may_approve(actor: Actor, unit_id: str) -> None:
    """Only the head of a checklist's unit approves it (审批由本单位负责人作出).

    Raises:
        NotFoundError: a unit key of another unit (its checklists are as good as absent).
        ForbiddenError: a unit key that is not its head's, or any other role
            (coordinators plan checklists but do not approve them).
    """
    if is_unit_head(actor, unit_id):
        return
    if actor.is_unit and actor.unit_id != unit_id:
        raise NotFoundError(f"执法单位 {unit_id} 的检查清单不存在", "unit_id")
    if actor.role == Role.UNIT:
        raise ForbiddenError(
            "检查清单须由本单位负责人批准，此密钥不是单位负责人的密钥", "Authorization"
        )
    raise ForbiddenError(
        f"检查清单须由执法单位（{unit_id}）负责人批准，{ROLE_NAMES[actor.role]}不能批准",
        "Authorization",
    )


def may_see_unit_record(actor: Actor, owner_unit_id: str) -> bool:
    """Whether the actor may see a record owned by a unit (a checklist, say)."""
    return may_act_for_unit(actor, owner_unit_id)


def may_see_round(actor: Actor, units: Collection[str], published: bool) -> bool:
    """Whether the actor may see a round of a plan.

    Coordinators (and the system) see every plan's rounds, drafts included;
    auditors the published ones; a unit the published rounds it takes part in.
    """
    if actor.role in (Role.COORDINATOR, Role.SYSTEM):
        return True
    if not published:
        return False  # drafts are the coordinators' working copies
    if actor.role == Role.UNIT:
        return actor.unit_id in units
    return actor.role == Role.AUDITOR


def check_may_read_calendar(actor: Actor, unit_id: str) -> None:
    """A unit (key or feed token) reads its own calendar; coordinators any unit's.

    Raises:
        NotFoundError: another unit's calendar (as if it did not exist).
        ForbiddenError: a role that reads no calendar.
    """
    # an officer's token reads the officer's own rounds, not everything the unit does
    if actor.is_unit and (actor.unit_id != unit_id or actor.officer_id is not None):
        raise NotFoundError(f"执法单位 {unit_id} 不存在", "unit_id")
    if actor.role not in (Role.UNIT, Role.FEED, Role.COORDINATOR):
        raise ForbiddenError("日历订阅仅限执法单位和协调人", "Authorization")


def check_may_read_officer_calendar(actor: Actor, officer_id: int, officer_unit_id: str) -> None:
    """An officer's feed token reads that officer's calendar; the officer's unit (its key)
    and coordinators any of their officers'.

    Raises:
        NotFoundError: another officer's calendar, or another unit's officer (as if absent).
        ForbiddenError: a role that reads no calendar.
    """
    absent = NotFoundError(f"执法人员 {officer_id} 不存在", "officer_id")
    if actor.role == Role.FEED and actor.officer_id != officer_id:
        raise absent
    if actor.role == Role.UNIT and actor.unit_id != officer_unit_id:
        raise absent
    if actor.role not in (Role.UNIT, Role.FEED, Role.COORDINATOR):
        raise ForbiddenError("日历订阅仅限执法单位和协调人", "Authorization")


def check_may_issue_feed(actor: Actor, unit_id: str) -> None:
    """A unit issues its own calendar feed token; coordinators and admins any unit's.

    Raises:
        NotFoundError: a unit key naming another unit (as if it did not exist).
    """
    if actor.is_unit and actor.unit_id != unit_id:
        raise NotFoundError(f"执法单位 {unit_id} 不存在", "unit_id")
