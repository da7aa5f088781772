"""A unit's item catalogue (检查事项清单) as clients send and read it (Create / Public pattern).

An item is named within its unit by its `code` across revisions: a draft is edited
freely; publishing a unit's drafts makes a catalogue edition with an effective date;
a new revision of a published item replaces it from the new edition's effective
date; items are retired (with a date), never deleted, because checklists name them.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic.config import JsonDict

from inspection.services.reference.models import InputModel, LongText, Text, no_control_characters

__all__ = [
    "CatalogueEditionDetail",
    "CatalogueEditionPublic",
    "CatalogueItemCreate",
    "CatalogueItemPatch",
    "CatalogueItemPublic",
    "CatalogueListing",
    "ItemCategory",
    "ItemCode",
    "ItemLevel",
    "ItemState",
    "PublishRequest",
    "RetireRequest",
]


class ItemLevel(StrEnum):
    """Which level of government set the item (事项层级)."""

    NATIONAL = "national"
    """国家级"""
    PROVINCIAL = "provincial"
    """省级"""
    CITY = "city"
    """市级"""
    COUNTY = "county"
    """县级"""


class ItemCategory(StrEnum):
    """The kind of inspection the item belongs to (检查类别)."""

    ROUTINE = "routine"
    """日常检查"""
    SPECIAL = "special"
    """专项检查"""


class ItemState(StrEnum):
    """Where one revision of an item stands."""

    DRAFT = "draft"
    """草稿: being prepared, not usable by checklists."""
    PUBLISHED = "published"
    """已公布: published by an edition, usable from its effective date."""
    RETIRED = "retired"
    """已停用: retired (or replaced by a newer revision) from its `retired_on` date on."""


ItemCode = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(no_control_characters)]
"""A unit's own code for a catalogue item (事项编码): it names the item across revisions."""
Industry = Annotated[
    str, Field(min_length=1, max_length=100), AfterValidator(no_control_characters)
]
"""An industry an item applies to, as the enterprises' records name industries."""

_ITEM_EXAMPLE: JsonDict = {
    "code": "SCJG-SP-001",
    "name": "食品经营许可情况",
    "legal_basis": "《中华人民共和国食品安全法》第三十五条",
    "level": "national",
    "category": "routine",
    "offsite": False,
    "industries": ["餐饮服务"],
}


def _distinct(industries: list[str]) -> list[str]:
    seen: set[str] = set()
    for name in industries:
        if name in seen:
            raise ValueError(f"适用行业“{name}”重复")
        seen.add(name)
    return industries


class CatalogueItemCreate(InputModel):
    """A new item of a unit's catalogue, stored as a draft."""

    model_config = ConfigDict(json_schema_extra={"examples": [_ITEM_EXAMPLE]})

    code: ItemCode
    name: Text
    legal_basis: LongText
    level: ItemLevel = ItemLevel.COUNTY
    category: ItemCategory = ItemCategory.ROUTINE
    offsite: bool = Field(
        default=False,
        description="checkable on paper or from shared data (书面核查/信息共享): a checklist "
        "using it must state why a site visit is still needed",
    )
    industries: list[Industry] = Field(
        default_factory=list, max_length=50, description="the industries it applies to; empty: all"
    )
    documents: Annotated[str, Field(max_length=500), AfterValidator(no_control_characters)] = Field(
        default="",
        description="what the enterprise should have ready for it (需准备材料, separated by 、), "
        "listed on the notices of joint inspection",
    )

    _industries = field_validator("industries")(_distinct)


class CatalogueItemPatch(InputModel):
    """Changes to a draft (or, revising a published item, to its new revision): the fields
    given replace the stored ones; the code never changes."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"legal_basis": "《中华人民共和国食品安全法》第三十六条", "offsite": True}]
        }
    )
    name: Text | None = None
    legal_basis: LongText | None = None
    level: ItemLevel | None = None
    category: ItemCategory | None = None
    offsite: bool | None = None
    industries: list[Industry] | None = Field(default=None, max_length=50)
    documents: (
        Annotated[str, Field(max_length=500), AfterValidator(no_control_characters)] | None
    ) = None

    @field_validator("industries")
    @classmethod
    def _distinct_industries(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _distinct(value)


class PublishRequest(InputModel):
    """Publish every draft of the unit as the next edition, in effect from a date."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"effective_from": "2024-07-01"}]})
    effective_from: date


class RetireRequest(InputModel):
    """Retire a published item from a date on (checklists starting then may not use it)."""

    model_config = ConfigDict(json_schema_extra={"examples": [{"retired_on": "2024-12-31"}]})
    retired_on: date


class CatalogueItemPublic(BaseModel):
    """One revision of a catalogue item as clients see it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": 1,
                    "unit_id": "SCJG",
                    **_ITEM_EXAMPLE,
                    "revision": 1,
                    "state": "published",
                    "edition": 1,
                    "effective_from": "2024-01-01",
                    "retired_on": None,
                }
            ]
        }
    )

    id: int
    unit_id: str
    code: str
    revision: int
    name: str
    legal_basis: str
    level: ItemLevel
    category: ItemCategory
    offsite: bool
    industries: list[str]
    documents: str = Field(default="", description="需准备材料 (separated by 、)")
    state: ItemState
    edition: int | None
    effective_from: date | None
    retired_on: date | None


class CatalogueEditionPublic(BaseModel):
    """A published edition of a unit's catalogue."""

    unit_id: str
    edition: int
    effective_from: date
    published_at: datetime
    published_by: str
    items: int = Field(description="items in effect from this edition's effective date")


class CatalogueEditionDetail(CatalogueEditionPublic):
    """An edition with the item revisions it published."""

    published: list[CatalogueItemPublic]


class CatalogueListing(BaseModel):
    """A unit's catalogue: its items (current ones, and the drafts or retired ones when asked)
    and its editions, oldest first."""

    unit_id: str
    on: date = Field(description="the day 'current' refers to")
    items: list[CatalogueItemPublic]
    editions: list[CatalogueEditionPublic]
