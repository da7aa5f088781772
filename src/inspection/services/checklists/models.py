"""Checklists as units submit and read them (Create / Public pattern), with their states.

SQLModel tables skip validation, so every row is built from :class:`ChecklistCreate`
after it has validated. Messages are in Chinese: they reach the staff who typed
the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.config import JsonDict

from inspection.services.catalogue.models import ItemCode
from inspection.services.reference.kinds import InspectionType
from inspection.services.reference.models import (
    CreditCode,
    InputModel,
    LongText,
    Text,
    no_control_characters,
)
from inspection.solver.calendar import statutory_years

__all__ = [
    "CASE_DRIVEN_TYPES",
    "DEFAULT_PAGE",
    "MAX_PAGE",
    "ChecklistCreate",
    "ChecklistItemIn",
    "ChecklistPage",
    "ChecklistPublic",
    "ChecklistReceipt",
    "ChecklistStatus",
    "InspectionType",
    "Reference",
    "checklist_label",
]


CASE_DRIVEN_TYPES: frozenset[InspectionType] = frozenset(
    {InspectionType.COMPLAINT, InspectionType.REFERRAL}
)
"""Checks a case drives (投诉举报, 转办交办): they cannot wait for the unit head, so a plan
takes them while still drafts, and approving one after a plan took it is recorded as
approved afterwards (事后补批). Every other kind is planned only once approved."""


class ChecklistStatus(StrEnum):
    """Where a checklist stands."""

    DRAFT = "draft"
    """Submitted, waiting for its unit head's approval: not planned (a complaint-driven
    check excepted, approved afterwards)."""
    APPROVED = "approved"
    """Approved by its unit head: planned by every plan whose horizon meets its window."""
    WITHDRAWN = "withdrawn"
    """Taken back by its unit: no longer planned, kept for the record."""


Reference = Annotated[
    str, Field(min_length=1, max_length=64), AfterValidator(no_control_characters)
]
"""A unit's own number for a checklist (清单编号): it names one checklist of that unit."""

_CHECKLIST_EXAMPLE: JsonDict = {
    "unit_id": "SCJG",
    "reference": "SCJG-2024-Q2-01",
    "title": "2024年第二季度餐饮服务单位食品安全检查",
    "inspection_type": "routine",
    "items": [
        {"name": "食品经营许可情况", "legal_basis": "《中华人民共和国食品安全法》第三十五条"},
        {"name": "从业人员健康证明", "legal_basis": "《中华人民共和国食品安全法》第四十五条"},
    ],
    "targets": ["92441802MAM4JPET9M", "91441802469544064E"],
    "earliest": "2024-06-03",
    "latest": "2024-06-14",
    "priority": 2,
}


def checklist_label(title: str, reference: str | None) -> str:
    """How a message names a checklist: its title and its 清单编号, never its internal id
    (people know their checklists by those; the desk shows no ids)."""
    return f"检查清单“{title}”（清单编号 {reference}）" if reference else f"检查清单“{title}”"


class ChecklistItemIn(InputModel):
    """One item to check and the law that requires it."""

    name: Text
    legal_basis: LongText
    code: ItemCode | None = Field(
        default=None,
        description="the catalogue item's code (事项编码), when the name alone is not enough; "
        "a unit that has published its catalogue may use only its items in effect",
    )


class ChecklistCreate(InputModel):
    """A unit's checklist; a complaint-driven check can never be joined with others."""

    model_config = ConfigDict(json_schema_extra={"examples": [_CHECKLIST_EXAMPLE]})

    unit_id: Annotated[str, Field(min_length=1, max_length=64)]
    reference: Reference | None = Field(
        default=None,
        description=(
            "the unit's own number for the checklist (清单编号), unique per unit: sent again "
            "with the same content it stores nothing new (200); with other content it is a 409"
        ),
    )
    title: Text
    inspection_type: InspectionType = InspectionType.ROUTINE
    items: list[ChecklistItemIn] = Field(min_length=1, max_length=100)
    targets: list[CreditCode] = Field(min_length=1, max_length=1000)
    earliest: date
    latest: date
    priority: int = Field(default=1, ge=1, le=5)
    onsite_reason: LongText | None = Field(
        default=None,
        description="why a site visit is needed although an item is checkable off-site "
        "(现场检查理由); required when the unit's catalogue marks one of the items so",
    )

    @model_validator(mode="after")
    def _window_and_targets(self) -> ChecklistCreate:
        if self.earliest > self.latest:
            raise ValueError(f"检查时间窗口的开始日期 {self.earliest} 晚于结束日期 {self.latest}")
        first, last = statutory_years()
        if self.earliest.year < first or self.latest.year > last:
            # working days come from the statutory calendar: no plan could place it
            raise ValueError(
                f"检查时间窗口 {self.earliest}–{self.latest} "
                f"超出法定节假日历覆盖的年份（{first}–{last}）"
            )
        seen: set[str] = set()
        for code in self.targets:
            if code in seen:
                raise ValueError(f"检查对象 {code} 重复")
            seen.add(code)
        return self

    def same_content(self, stored: ChecklistPublic) -> bool:
        """Whether a stored checklist says what this one says (its targets in any order)."""
        return (
            stored.unit_id == self.unit_id
            and stored.reference == self.reference
            and stored.title == self.title
            and stored.inspection_type == self.inspection_type
            and [(i.name, i.legal_basis) for i in stored.items]
            == [(i.name, i.legal_basis) for i in self.items]
            and sorted(stored.targets) == sorted(self.targets)
            and (stored.earliest, stored.latest, stored.priority, stored.onsite_reason)
            == (self.earliest, self.latest, self.priority, self.onsite_reason)
        )

    @property
    def joinable(self) -> bool:
        """Whether its requests may share a round (complaint checks are unannounced)."""
        return self.inspection_type != InspectionType.COMPLAINT


class ChecklistPublic(BaseModel):
    """A stored checklist as clients see it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"id": 1, **_CHECKLIST_EXAMPLE, "status": "approved", "version": 1}]
        }
    )

    id: int
    unit_id: str
    reference: str | None = None
    title: str
    inspection_type: InspectionType
    items: list[ChecklistItemIn]
    targets: list[str]
    earliest: date
    latest: date
    priority: int
    status: ChecklistStatus
    version: int
    approved_at: datetime | None = Field(
        default=None, description="when the unit's head approved it (null while a draft)"
    )
    approved_by: str | None = Field(
        default=None, description="the unit head's key that approved it, as the audit names it"
    )
    approved_afterwards: bool = Field(
        default=False,
        description="a case-driven check approved after a plan had already taken it (事后补批)",
    )
    onsite_reason: str | None = None


class ChecklistReceipt(ChecklistPublic):
    """A checklist as a submission or an amendment stored it, with what the yearly caps said."""

    warnings: list[str] = Field(
        default_factory=list,
        description="targets with one visit left under a cap, or whose enterprise-wide cap "
        "is used up (only a published joint round can still take them)",
    )

    @classmethod
    def of(cls, checklist: ChecklistPublic, warnings: Sequence[str]) -> ChecklistReceipt:
        """The receipt of a checklist already validated: its fields taken as they are (a
        submission's answer is built once, not dumped and validated again)."""
        fields = {name: getattr(checklist, name) for name in ChecklistPublic.model_fields}
        return cls.model_construct(**fields, warnings=list(warnings))


DEFAULT_PAGE = 100
"""Checklists a list answers unless `limit` says otherwise."""
MAX_PAGE = 1000
"""The most checklists one list answers."""


class ChecklistPage(BaseModel):
    """A page of checklists and how many the filters keep in all."""

    checklists: list[ChecklistPublic]
    total: int
