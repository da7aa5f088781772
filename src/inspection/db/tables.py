"""Every table of the service, in one leaf module (imports nothing of the package).

SQLModel tables skip validation: build rows from validated non-table models.
Dates are stored as dates, codes as the unified social credit code itself.
"""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import JSON, BigInteger, Column, Index, LargeBinary, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

__all__ = [
    "ApiKeyRow",
    "AuditEntryRow",
    "AuditHeadRow",
    "CapRuleRow",
    "CatalogueEditionRow",
    "CatalogueItemRow",
    "ChecklistItemRow",
    "ChecklistRow",
    "DrawRow",
    "EnterpriseBlackoutRow",
    "EnterpriseRow",
    "IdempotencyRow",
    "InspectionCodeRow",
    "LiveVisitRow",
    "OfficerDayOffRow",
    "OfficerRecusalRow",
    "OfficerRow",
    "OutcomeRollupRow",
    "PlanCapacityShareRow",
    "PlanInputRow",
    "PlanPartRow",
    "PlanRoundOfficerRow",
    "PlanRoundRequestRow",
    "PlanRoundRow",
    "PlanRow",
    "PlanUnscheduledRow",
    "PlanningScheduleRow",
    "PublicationTurnRow",
    "QuietDayRuleRow",
    "RegionRow",
    "RequestRow",
    "RuleSettingsRow",
    "UnitDayOffRow",
    "UnitRow",
    "VisitConfirmationRow",
    "VisitOutcomeRow",
    "VisitRatingRow",
    "VisitRollupRow",
]


ACTIVE_PLAN_STATUSES_SQL = "status IN ('queued', 'running', 'storing')"
"""The statuses of a plan still being solved, as the partial unique index on plans names them."""


class RegionRow(SQLModel, table=True):
    """An administrative region (行政区划): a district, a city or a province.

    `path` is the materialised path of codes from the top (``44/4418/441802``), so that
    "in or under a region" is one comparison on its path (``db/regions.py`` `in_region`).
    """

    __tablename__ = "regions"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=12, unique=True)  # 行政区划代码
    name: str = Field(max_length=100)
    # a RegionLevel (services/regions/models.py): district | city | province
    level: str = Field(max_length=16)
    parent_id: int | None = Field(default=None, foreign_key="regions.id", index=True)
    path: str = Field(max_length=200, unique=True)


class UnitRow(SQLModel, table=True):
    """An enforcement unit; `weekday_capacity[0]` is Monday's number of rounds."""

    __tablename__ = "units"

    id: str = Field(primary_key=True, max_length=64)
    name: str = Field(max_length=200)
    weekday_capacity: list[int] = Field(sa_column=Column(JSON, nullable=False))
    # who an enterprise calls about a visit this unit leads (联系人及电话), on the notice
    contact: str = Field(default="", max_length=200, sa_column_kwargs={"server_default": ""})
    # the region it works for (None only before the row is added: repository.add_unit fills it)
    region_id: int | None = Field(
        default=None, foreign_key="regions.id", index=True, nullable=False
    )


class UnitDayOffRow(SQLModel, table=True):
    """A day a unit does not inspect at all."""

    __tablename__ = "unit_days_off"

    unit_id: str = Field(foreign_key="units.id", primary_key=True, max_length=64)
    day: date = Field(primary_key=True)


class EnterpriseRow(SQLModel, table=True):
    """An enterprise, keyed by its 18-character unified social credit code."""

    __tablename__ = "enterprises"

    credit_code: str = Field(primary_key=True, min_length=18, max_length=18)
    name: str = Field(max_length=200)
    town: str = Field(max_length=100, index=True)
    industry: str = Field(default="", max_length=100)
    address: str = Field(default="", max_length=300)
    # the grades the rules read (风险分级, 信用分类, 无事不扰), each with where and when it
    # was set: a cap rule or an exemption is only as good as the class it was given
    risk_class: str | None = Field(default=None, max_length=16)
    risk_source: str = Field(default="", max_length=200)
    risk_as_of: date | None = None
    credit_class: str | None = Field(default=None, max_length=16)
    credit_source: str = Field(default="", max_length=200)
    credit_as_of: date | None = None
    no_disturb: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    no_disturb_source: str = Field(default="", max_length=200)
    no_disturb_since: date | None = None
    # the region it lies in (None only before the row is added: repository fills it)
    region_id: int | None = Field(
        default=None, foreign_key="regions.id", index=True, nullable=False
    )


class EnterpriseBlackoutRow(SQLModel, table=True):
    """A day an enterprise cannot be visited."""

    __tablename__ = "enterprise_blackouts"

    credit_code: str = Field(foreign_key="enterprises.credit_code", primary_key=True, max_length=18)
    day: date = Field(primary_key=True)


class ChecklistRow(SQLModel, table=True):
    """A unit's checklist: what it will check, where, within which dates."""

    __tablename__ = "checklists"
    # a unit's own number for a checklist (清单编号) names one checklist of that unit only;
    # checklists without one (NULL) are all distinct
    __table_args__ = (UniqueConstraint("unit_id", "reference"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: str = Field(foreign_key="units.id", index=True, max_length=64)
    reference: str | None = Field(default=None, max_length=64)
    title: str = Field(max_length=200)
    # an InspectionType (services/checklists/models.py): routine | special | complaint |
    # referral | follow_up | licence | safety; the request's category in the problem
    inspection_type: str = Field(max_length=16)
    earliest: date = Field(index=True)
    latest: date
    priority: int = Field(default=1)
    # a ChecklistStatus (services/checklists/models.py): draft | approved | withdrawn
    status: str = Field(default="draft", max_length=16, index=True)
    version: int = Field(default=1)
    created_at: datetime
    updated_at: datetime
    # the unit head's approval (行政检查审批): who and when; `approved_afterwards` when a
    # case-driven check was approved after it had been planned
    approved_at: datetime | None = None
    approved_by: str | None = Field(default=None, max_length=200)
    approved_afterwards: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # why items the catalogue marks as checkable off-site still need a site visit
    onsite_reason: str | None = Field(default=None, max_length=500)


class ChecklistItemRow(SQLModel, table=True):
    """One item of a checklist with its legal basis."""

    __tablename__ = "checklist_items"

    id: int | None = Field(default=None, primary_key=True)
    checklist_id: int = Field(foreign_key="checklists.id", index=True)
    position: int
    name: str = Field(max_length=200)
    legal_basis: str = Field(max_length=500)
    # the published catalogue item it was taken from (None: a unit without a catalogue)
    catalogue_item_id: int | None = Field(default=None, foreign_key="catalogue_items.id")


class RequestRow(SQLModel, table=True):
    """One target enterprise of a checklist: what the planner places."""

    __tablename__ = "requests"
    __table_args__ = (UniqueConstraint("checklist_id", "credit_code"),)

    id: int | None = Field(default=None, primary_key=True)
    checklist_id: int = Field(foreign_key="checklists.id", index=True)
    credit_code: str = Field(foreign_key="enterprises.credit_code", index=True, max_length=18)
    position: int = Field(default=0)  # the target's place in the checklist
    # false once an amendment drops the target; the row stays, plans may name it
    active: bool = Field(default=True)


class PlanRow(SQLModel, table=True):
    """A planning run over a horizon, its live progress and, once done, its figures."""

    __tablename__ = "plans"
    # one active plan per region and horizon, also when two are inserted at once
    __table_args__ = (
        Index(
            "uq_plans_active_horizon",
            "region_id",
            "horizon_start",
            "horizon_end",
            unique=True,
            sqlite_where=text(ACTIVE_PLAN_STATUSES_SQL),
            postgresql_where=text(ACTIVE_PLAN_STATUSES_SQL),
        ),
        # one scheduled draft per region and moment, however many workers fire the schedule
        Index("uq_plans_region_scheduled_for", "region_id", "scheduled_for", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    # the region it plans: requests of enterprises in or under it
    region_id: int = Field(foreign_key="regions.id", index=True)
    horizon_start: date
    horizon_end: date
    time_limit_s: float
    # a PlanStatus (services/planning/models.py): queued | running | storing (never committed:
    # set and left inside the worker's storing transaction) | finished | stopped | failed;
    # publication is recorded apart, in published_at
    status: str = Field(default="queued", max_length=16, index=True)
    stop_requested: bool = Field(default=False)
    published_at: datetime | None = None
    # the first later published plan whose horizon meets this one (it replaced some of its days)
    superseded_by: int | None = Field(default=None, foreign_key="plans.id")
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    progress: dict[str, float] | None = Field(default=None, sa_column=Column(JSON))
    statistics: dict[str, float] | None = Field(default=None, sa_column=Column(JSON))
    problem_sha256: str | None = Field(default=None, max_length=64)
    # SHA-256 of the canonical rounds, recorded when published (the audit trail holds it too)
    content_sha256: str | None = Field(default=None, max_length=64)
    solver_status: str | None = Field(default=None, max_length=16)
    error: str | None = Field(default=None, max_length=2000)
    # the seed of the solver's random draw of officers (format 1.1), so it can be replayed
    draw_seed: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    # PostgreSQL: the procrastinate job that solves this plan (docs/province-platform.md)
    job_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    # how many runs claimed the plan: only the run holding the latest attempt may store
    attempt: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # a PlanOrigin: manual (a coordinator started it) | schedule (the region's weekly draft)
    origin: str = Field(
        default="manual", max_length=16, sa_column_kwargs={"server_default": "manual"}
    )
    # a scheduled draft: the date of the schedule's moment it was made for
    scheduled_for: date | None = None


class PlanRoundRow(SQLModel, table=True):
    """One joint round of a plan.

    A round that continues an announced one (its plan pinned it) keeps that round's
    `revision` when it came back unchanged, and has one more when requests joined it;
    `revised_in` names the plan whose round it came back from unchanged (None: its
    content is this plan's own). Calendar feeds read them as SEQUENCE and LAST-MODIFIED.
    """

    __tablename__ = "plan_rounds"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plans.id", index=True)
    credit_code: str = Field(foreign_key="enterprises.credit_code", index=True, max_length=18)
    day: date = Field(index=True)
    lead_unit_id: str = Field(foreign_key="units.id", max_length=64)
    units: list[str] = Field(sa_column=Column(JSON, nullable=False))
    items: list[str] = Field(sa_column=Column(JSON, nullable=False))
    revision: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    revised_in: int | None = Field(default=None, foreign_key="plans.id")


class PlanRoundRequestRow(SQLModel, table=True):
    """A request placed in a round."""

    __tablename__ = "plan_round_requests"

    round_id: int = Field(foreign_key="plan_rounds.id", primary_key=True)
    request_id: int = Field(foreign_key="requests.id", primary_key=True)


class PlanUnscheduledRow(SQLModel, table=True):
    """A request a plan leaves out, with the reason code and sentence."""

    __tablename__ = "plan_unscheduled"

    plan_id: int = Field(foreign_key="plans.id", primary_key=True)
    request_id: int = Field(foreign_key="requests.id", primary_key=True)
    code: str = Field(max_length=40)  # a ReasonCode of the solver
    reason: str = Field(max_length=500)


class LiveVisitRow(SQLModel, table=True):
    """A request placed in a live published round: the facts the figures count.

    One row per placed request. The rounds on a day are those of the plan
    published last whose horizon covers that day; publishing a plan replaces the
    rows of its horizon. Columns are copied from the round, request, checklist
    and enterprise so that counting never joins them.
    """

    __tablename__ = "live_visits"
    __table_args__ = (
        Index("ix_live_visits_day_unit", "day", "unit_id"),
        Index("ix_live_visits_unit_day", "unit_id", "day"),
        Index("ix_live_visits_town_day", "town", "day"),
    )

    request_id: int = Field(foreign_key="requests.id", primary_key=True)
    round_id: int = Field(foreign_key="plan_rounds.id", index=True)
    plan_id: int = Field(foreign_key="plans.id")
    day: date
    unit_id: str = Field(max_length=64)
    town: str = Field(max_length=100)
    credit_code: str = Field(max_length=18, index=True)
    checklist_id: int = Field(index=True)
    # the checklist's InspectionType: whether the visit counts against the yearly caps
    category: str = Field(
        default="routine", max_length=16, sa_column_kwargs={"server_default": "routine"}
    )
    # the one visit of its round that still happens: the lead unit's first request
    counts_round: bool
    merged: bool  # shares its round with another request
    joint: bool  # its round holds two units or more
    # the checklist's first live placement: each checklist is counted once, here
    first_of_checklist: bool = False


class VisitRollupRow(SQLModel, table=True):
    """Live visits summed per day, unit and town (rebuilt for the days a publication touches)."""

    __tablename__ = "visit_rollup"
    __table_args__ = (
        Index("ix_visit_rollup_unit_day", "unit_id", "day"),
        Index("ix_visit_rollup_town_day", "town", "day"),
    )

    day: date = Field(primary_key=True)
    unit_id: str = Field(primary_key=True, max_length=64)
    town: str = Field(primary_key=True, max_length=100)
    requests: int
    rounds: int
    merged: int
    joint_rounds: int
    checklists: int


class OutcomeRollupRow(SQLModel, table=True):
    """The carried-out sums of the live rounds with outcomes, per day, unit and town.

    One column per outcome measure (`services/figures/grouping.py` OUTCOME_MEASURES),
    each the sum the carried-out rule gives (`services/figures/carried_out.py`) over the
    unit parts attributed to this day, unit and town; rows whose sums are all zero are
    not stored. Rebuilt for a day by that rule whenever an outcome or a confirmation of
    the day is recorded, and for a publication's horizon (codes move onto new rounds).
    """

    __tablename__ = "outcome_rollup"
    __table_args__ = (
        Index("ix_outcome_rollup_unit_day", "unit_id", "day"),
        Index("ix_outcome_rollup_town_day", "town", "day"),
    )

    day: date = Field(primary_key=True)
    unit_id: str = Field(primary_key=True, max_length=64)
    town: str = Field(primary_key=True, max_length=100)
    outcome_requests: int
    outcome_rounds: int
    final_requests: int
    final_rounds: int
    rounds_carried_out: int
    requests_carried_out: int
    rounds_awaiting_confirmation: int
    rounds_not_carried_out: int
    unit_parts_carried_out: int
    unit_parts_with_problems: int
    cases_opened: int


class ApiKeyRow(SQLModel, table=True):
    """An API key (or a unit's calendar feed token); only its SHA-256 is stored."""

    __tablename__ = "api_keys"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    # a KeyRole (services/access.py): unit | coordinator | auditor | admin | feed
    role: str = Field(max_length=16)
    unit_id: str | None = Field(default=None, foreign_key="units.id", max_length=64)
    # a unit key of the unit's head (单位负责人): it approves the unit's checklists
    unit_head: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})
    # a feed token for one officer's own rounds (role feed)
    officer_id: int | None = Field(default=None, foreign_key="officers.id")
    # the region a coordinator's or auditor's key sees (None: the whole platform; a unit
    # key is scoped by its unit's region)
    region_id: int | None = Field(default=None, foreign_key="regions.id")
    key_hash: str = Field(max_length=64, unique=True, index=True)
    prefix: str = Field(max_length=16)  # the key's first characters, to tell keys apart
    created_at: datetime
    revoked_at: datetime | None = None


class AuditEntryRow(SQLModel, table=True):
    """One change, chained to the one before by SHA-256; ids are dense, from 1."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_entity", "entity", "entity_id"),)

    id: int = Field(primary_key=True)
    at: datetime = Field(index=True)
    actor: str = Field(max_length=200)
    action: str = Field(max_length=40, index=True)
    entity: str = Field(max_length=40)
    entity_id: str = Field(max_length=64)
    before: dict[str, object] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, object] | None = Field(default=None, sa_column=Column(JSON))
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class AuditHeadRow(SQLModel, table=True):
    """The chain's last entry: its one row is locked by every append, so appends queue."""

    __tablename__ = "audit_head"

    id: int = Field(primary_key=True)  # always 1
    last_id: int
    last_hash: str = Field(max_length=64)


class PublicationTurnRow(SQLModel, table=True):
    """The turn to publish: its one row is updated first by every publication, so they queue."""

    __tablename__ = "publication_turn"

    id: int = Field(primary_key=True)  # always 1
    turns: int  # publications that took the turn (refused ones included)
    taken_at: datetime | None = None


class IdempotencyRow(SQLModel, table=True):
    """The first answer to a POST sent with an `Idempotency-Key`, replayed on a retry."""

    __tablename__ = "idempotency_keys"

    principal: str = Field(primary_key=True, max_length=64)
    key: str = Field(primary_key=True, max_length=200)
    method_path: str = Field(max_length=500)
    request_sha256: str = Field(max_length=64)
    status_code: int | None = None  # None while the first request is being answered
    response_body: bytes | None = Field(default=None, sa_column=Column(LargeBinary))
    response_headers: dict[str, str] | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(index=True)  # expired records are purged by age


class CatalogueItemRow(SQLModel, table=True):
    """One revision of an item of a unit's inspection catalogue (检查事项清单).

    `code` names the item within its unit across revisions. A draft becomes
    published with a catalogue edition; publishing a new revision of a code
    retires the one before on the edition's effective date. Items are retired,
    never deleted: checklists keep naming them.
    """

    __tablename__ = "catalogue_items"
    __table_args__ = (UniqueConstraint("unit_id", "code", "revision"),)

    id: int | None = Field(default=None, primary_key=True)
    unit_id: str = Field(foreign_key="units.id", index=True, max_length=64)
    code: str = Field(max_length=64)
    revision: int = Field(default=1)
    name: str = Field(max_length=200)
    legal_basis: str = Field(max_length=500)
    # an ItemLevel: national | provincial | city | county
    level: str = Field(max_length=16)
    # an ItemCategory: routine | special
    category: str = Field(max_length=16)
    # checkable on paper or from shared data (书面核查/信息共享): no site visit without a reason
    offsite: bool = Field(default=False)
    industries: list[str] = Field(sa_column=Column(JSON, nullable=False))  # empty: every industry
    # what the enterprise should have ready for this item (需准备材料), on the notice
    documents: str = Field(default="", max_length=500, sa_column_kwargs={"server_default": ""})
    # an ItemState: draft | published | retired
    state: str = Field(default="draft", max_length=16, index=True)
    edition: int | None = None  # the catalogue edition that published it
    effective_from: date | None = None
    retired_on: date | None = None
    created_at: datetime
    updated_at: datetime


class CatalogueEditionRow(SQLModel, table=True):
    """A published edition of a unit's catalogue: which drafts it published, from when."""

    __tablename__ = "catalogue_editions"

    unit_id: str = Field(foreign_key="units.id", primary_key=True, max_length=64)
    edition: int = Field(primary_key=True)
    effective_from: date
    published_at: datetime
    published_by: str = Field(max_length=200)
    items: int  # items in effect from this edition on


class RuleSettingsRow(SQLModel, table=True):
    """The district's rule settings: its one row (id 1)."""

    __tablename__ = "rule_settings"

    id: int = Field(primary_key=True)  # always 1
    # InspectionTypes exempt from the yearly caps (case-driven checks)
    cap_exempt_categories: list[str] = Field(sa_column=Column(JSON, nullable=False))
    # the only InspectionTypes that may visit an enterprise on the no-disturb list
    no_disturb_exempt_categories: list[str] = Field(sa_column=Column(JSON, nullable=False))
    officers_per_unit: int = Field(default=2)
    officer_daily_rounds: int = Field(default=1)
    updated_at: datetime | None = None
    # days after a visit within which its outcome may still be recorded (补录), with a reason
    outcome_backfill_days: int = Field(default=10, sa_column_kwargs={"server_default": "10"})


class CapRuleRow(SQLModel, table=True):
    """How many inspections a year: one unit's (`unit_id`) or all units' together (None).

    Empty `industry` or `risk_class` match every enterprise; of the rules that
    match a unit and an enterprise the most specific decides (then the lowest).
    """

    __tablename__ = "cap_rules"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: str | None = Field(default=None, foreign_key="units.id", index=True, max_length=64)
    industry: str = Field(default="", max_length=100)
    risk_class: str = Field(default="", max_length=16)
    yearly_limit: int
    basis: str = Field(default="", max_length=500)  # the published rule it comes from
    active: bool = Field(default=True)
    created_at: datetime
    updated_at: datetime


class QuietDayRuleRow(SQLModel, table=True):
    """Days without site checks (宁静日) except for the exempt InspectionTypes."""

    __tablename__ = "quiet_day_rules"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    month_days: list[int] = Field(sa_column=Column(JSON, nullable=False))  # 1-31, every month
    dates: list[str] = Field(sa_column=Column(JSON, nullable=False))  # ISO dates
    exempt_categories: list[str] = Field(sa_column=Column(JSON, nullable=False))
    valid_from: date | None = None
    valid_to: date | None = None
    active: bool = Field(default=True)
    created_at: datetime
    updated_at: datetime


class OfficerRow(SQLModel, table=True):
    """A certified inspector (执法人员) of a unit; never drawn after `certificate_expires`."""

    __tablename__ = "officers"

    id: int | None = Field(default=None, primary_key=True)
    unit_id: str = Field(foreign_key="units.id", index=True, max_length=64)
    name: str = Field(max_length=100)
    badge_number: str = Field(max_length=32, unique=True)  # 执法证号
    certificate_expires: date
    active: bool = Field(default=True)  # false: left the roster, kept for the record
    created_at: datetime
    updated_at: datetime


class OfficerDayOffRow(SQLModel, table=True):
    """A day an officer does not inspect."""

    __tablename__ = "officer_days_off"

    officer_id: int = Field(foreign_key="officers.id", primary_key=True)
    day: date = Field(primary_key=True)


class OfficerRecusalRow(SQLModel, table=True):
    """An enterprise an officer must not inspect (回避): declared, or asked by the enterprise."""

    __tablename__ = "officer_recusals"

    officer_id: int = Field(foreign_key="officers.id", primary_key=True)
    credit_code: str = Field(foreign_key="enterprises.credit_code", primary_key=True, max_length=18)
    # a RecusalKind: conflict (declared by the officer) | requested (by the enterprise)
    kind: str = Field(max_length=16)
    reason: str = Field(default="", max_length=500)
    recorded_at: datetime


class PlanRoundOfficerRow(SQLModel, table=True):
    """An officer a unit sends to a round (the solver's draw)."""

    __tablename__ = "plan_round_officers"

    round_id: int = Field(foreign_key="plan_rounds.id", primary_key=True)
    officer_id: int = Field(foreign_key="officers.id", primary_key=True, index=True)
    unit_id: str = Field(max_length=64)


class InspectionCodeRow(SQLModel, table=True):
    """The inspection code (检查码) of a visit: an enterprise on a day, not a round row.

    A re-plan that brings an announced round back as a new row moves the code onto it
    (`round_id`, `plan_id`); when the visit disappears from a published horizon the
    code stays, marked `cancelled_at`, so the enterprise is told it was cancelled.
    """

    __tablename__ = "inspection_codes"
    __table_args__ = (Index("ix_inspection_codes_credit_code_day", "credit_code", "day"),)

    code: str = Field(primary_key=True, max_length=32)  # as read aloud: K7QM-2XHD-9PZT
    credit_code: str = Field(foreign_key="enterprises.credit_code", max_length=18)
    day: date
    round_id: int = Field(foreign_key="plan_rounds.id", index=True)  # the live round it names
    plan_id: int = Field(foreign_key="plans.id")
    created_at: datetime
    cancelled_at: datetime | None = None


class VisitOutcomeRow(SQLModel, table=True):
    """What one unit's part of a visit came to (检查结果), keyed by the visit's code.

    A visit is an enterprise on a day, named by its inspection code, so an outcome
    survives re-plans that bring the round back as a new row. One row per unit of
    the round; a correction overwrites it (the audit trail keeps the earlier one)
    and raises `version`.
    """

    __tablename__ = "visit_outcomes"
    __table_args__ = (Index("ix_visit_outcomes_unit_day", "unit_id", "day"),)

    code: str = Field(foreign_key="inspection_codes.code", primary_key=True, max_length=32)
    unit_id: str = Field(foreign_key="units.id", primary_key=True, max_length=64)
    day: date  # the visit's day, copied from its code so figures filter without a join
    # an OutcomeStatus: carried_out | not_carried_out | postponed
    status: str = Field(max_length=16)
    reason: str = Field(default="", max_length=500)  # why not carried out or postponed
    # None unless carried out; then whether anything was found, and a short note
    problems_found: bool | None = None
    problem_note: str = Field(default="", max_length=500)
    case_opened: bool = Field(default=False)  # a case (立案) opened on what was found
    # recorded after the visit's day (补录): the reason the rules ask for
    backfilled: bool = Field(default=False)
    backfill_reason: str = Field(default="", max_length=500)
    recorded_by: str = Field(max_length=200)
    recorded_at: datetime
    version: int = Field(default=1)


class VisitConfirmationRow(SQLModel, table=True):
    """The lead unit's confirmation that a visit was carried out (牵头单位确认)."""

    __tablename__ = "visit_confirmations"

    code: str = Field(foreign_key="inspection_codes.code", primary_key=True, max_length=32)
    lead_unit_id: str = Field(foreign_key="units.id", max_length=64)
    confirmed_by: str = Field(max_length=200)
    confirmed_at: datetime


class VisitRatingRow(SQLModel, table=True):
    """The enterprise's rating of a visit, given once with its code (企业评价).

    Only coordinators and auditors read rows; units read aggregates over enough
    ratings that no single one can be told apart.
    """

    __tablename__ = "visit_ratings"
    __table_args__ = (Index("ix_visit_ratings_day", "day"),)

    code: str = Field(foreign_key="inspection_codes.code", primary_key=True, max_length=32)
    day: date  # the visit's day, copied from its code
    score: int  # 1 to 5
    comment: str = Field(default="", max_length=500)
    complaint: str = Field(default="", max_length=1000)  # empty: no complaint
    rated_at: datetime


class DrawRow(SQLModel, table=True):
    """A random draw of enterprises (双随机抽查), committed to its seed before it is drawn.

    Made (committed) with its population frozen: `population` maps each risk class to its
    credit codes, sorted; `population_hash` and `commitment` (SHA-256 of the seed) are
    published at once, the `seed` only once `revealed_at` is set, with `drawn` (class ->
    credit codes in rank order) and the checklists it made (`checklist_ids`, one per unit
    of `units`). Nothing of a revealed draw changes; services/draws/algorithm.py replays it.
    """

    __tablename__ = "draws"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    algorithm: str = Field(max_length=64)
    # who drew it: the unit whose key made it (null: a coordinator's joint draw)
    owner_unit_id: str | None = Field(default=None, foreign_key="units.id", max_length=64)
    created_by: str = Field(max_length=200)
    created_at: datetime
    earliest: date
    latest: date
    # {"industries": [...], "towns": [...], "risk_classes": [...]}: empty lists mean all
    filters: dict[str, list[str]] = Field(sa_column=Column(JSON, nullable=False))
    # [{"risk_class", "count", "ratio_percent" (text or null), "drawn_count"}] per class
    quotas: list[dict[str, object]] = Field(sa_column=Column(JSON, nullable=False))
    # [{"unit_id", "items": [{"name", "legal_basis", "code"}], "onsite_reason"}]
    units: list[dict[str, object]] = Field(sa_column=Column(JSON, nullable=False))
    population: dict[str, list[str]] = Field(sa_column=Column(JSON, nullable=False))
    population_hash: str = Field(max_length=64)
    commitment: str = Field(max_length=64)
    # the seed: secret until the reveal (a fresh one), or public from the start
    seed: str = Field(max_length=500)
    public_seed: bool = Field(default=False)
    revealed_at: datetime | None = None
    revealed_by: str | None = Field(default=None, max_length=200)
    drawn: dict[str, list[str]] | None = Field(default=None, sa_column=Column(JSON))
    checklist_ids: list[int] | None = Field(default=None, sa_column=Column(JSON))


class PlanningScheduleRow(SQLModel, table=True):
    """When a region's weekly draft plan is made (docs/province-platform.md §9).

    At `local_time` (UTC+8) on `weekday` (0 = Monday) a draft is made for the
    `horizon_days` days starting `lead_days` after that day; `last_fired_for` is the date
    of the last moment a draft was made for, so a moment fires once. `last_error` says why
    the last moment made no draft (with `last_error_at`), None once a draft is made.
    """

    __tablename__ = "planning_schedules"

    region_id: int = Field(foreign_key="regions.id", primary_key=True)
    weekday: int
    local_time: time
    horizon_days: int
    lead_days: int
    time_limit_s: float
    enabled: bool
    last_fired_for: date | None = None
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    last_error_at: datetime | None = None
    updated_at: datetime
    updated_by: str = Field(max_length=200)


class PlanCapacityShareRow(SQLModel, table=True):
    """A district's share of a multi-district unit's day in a plan (design §7)."""

    __tablename__ = "plan_capacity_shares"
    __table_args__ = (
        UniqueConstraint("plan_id", "unit_id", "region_id", "day", name="uq_plan_capacity_shares"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plans.id", index=True)
    unit_id: str = Field(foreign_key="units.id", max_length=64)
    region_id: int = Field(foreign_key="regions.id")
    day: date
    # rounds the unit could still do that day, all districts (capacity less visits elsewhere)
    available: int
    # requests of the district asking for the unit that day
    demand: int
    capacity: int
    officers: list[str] = Field(sa_column=Column(JSON, nullable=False))


class PlanInputRow(SQLModel, table=True):
    """What a plan split into district parts read: the whole problem, for the merge (§8)."""

    __tablename__ = "plan_inputs"

    plan_id: int = Field(foreign_key="plans.id", primary_key=True)
    # the interchange format's JSON (a province's quarter is ≈80 MB: text, parsed once)
    problem: str = Field(sa_column=Column(Text, nullable=False))
    # the announced rounds the plan keeps, as a JSON list of rounds
    pinned: str = Field(sa_column=Column(Text, nullable=False))
    # ids of the live rounds the plan replaces when published (store_solution's `announced`)
    announced: list[int] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime


class PlanPartRow(SQLModel, table=True):
    """One district's part of a plan over several districts, solved by a job of its own."""

    __tablename__ = "plan_parts"
    __table_args__ = (UniqueConstraint("plan_id", "region_id", name="uq_plan_parts_region"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plans.id", index=True)
    region_id: int = Field(foreign_key="regions.id")
    # a PartStatus (services/planning/parts.py): queued | running | finished | stopped | failed
    status: str = Field(default="queued", max_length=16)
    attempt: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    job_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    requests: int
    time_limit_s: float
    # units working in other districts too: their capacity here is the district's share
    shared_units: list[str] = Field(sa_column=Column(JSON, nullable=False))
    problem: str = Field(sa_column=Column(Text, nullable=False))
    pinned: str = Field(sa_column=Column(Text, nullable=False))
    # the same district with the shared units at all they have left: solved for its bounds
    relaxed: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    solution: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # the bounds this part contributes to the whole's (from `relaxed` when there is one)
    bounds: dict[str, float] | None = Field(default=None, sa_column=Column(JSON))
    progress: dict[str, float] | None = Field(default=None, sa_column=Column(JSON))
    error: str | None = Field(default=None, max_length=2000)
    started_at: datetime | None = None
    finished_at: datetime | None = None
