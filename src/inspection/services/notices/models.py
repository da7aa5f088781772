"""A notice of joint inspection (联合检查通知书) as clients read it."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Notice", "NoticeItem", "NoticeOfficer", "NoticePlan", "NoticeUnit"]


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoticeOfficer(_Closed):
    """An officer a unit sends, with the badge number to show at the door."""

    name: str
    badge_number: str


class NoticeItem(_Closed):
    """An item a unit checks, and the law that asks for it."""

    name: str
    legal_basis: str


class NoticeUnit(_Closed):
    """A unit of the visit: who comes from it and what it checks."""

    id: str
    name: str
    lead: bool = Field(description="the lead unit (牵头单位), listed first")
    officers: list[NoticeOfficer]
    items: list[NoticeItem]


class NoticePlan(_Closed):
    """The published plan the visit belongs to."""

    number: int
    horizon_start: date
    horizon_end: date


class Notice(_Closed):
    """The notice an enterprise receives before a joint inspection.

    Its number is the visit's inspection code, which the enterprise verifies at
    `verification_url` (the QR code of the printed notice).
    """

    number: str = Field(description="the notice's number: the visit's inspection code")
    district: str
    date: date
    enterprise_name: str
    enterprise_address: str
    town: str
    lead_unit: str = Field(description="the lead unit's name")
    contact: str = Field(description="the lead unit's contact (联系人及电话); empty if none")
    units: list[NoticeUnit] = Field(description="every unit, the lead unit first")
    documents: list[str] = Field(
        description="documents to prepare: the standard ones, then the items' own"
    )
    plan: NoticePlan
    statements: list[str] = Field(description="the enterprise's rights, as the notice states them")
    verification_url: str
