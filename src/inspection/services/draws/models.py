"""Draws as clients make and read them (Create / Public pattern), and the public record."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.config import JsonDict

from inspection.services.catalogue.models import ItemCode
from inspection.services.reference.models import (
    InputModel,
    LongText,
    Text,
    no_control_characters,
)
from inspection.solver.calendar import statutory_years

__all__ = [
    "UNGRADED",
    "DrawClass",
    "DrawCreate",
    "DrawItemIn",
    "DrawOptions",
    "DrawPublic",
    "DrawRecord",
    "DrawState",
    "DrawUnitIn",
    "DrawUnitPublic",
    "QuotaIn",
]

UNGRADED = "未分级"
"""The class of the enterprises the register gives no risk class (a class like any other)."""


class DrawState(StrEnum):
    """Where a draw stands."""

    COMMITTED = "committed"
    """Its population and the SHA-256 of its seed are published; nothing drawn yet."""
    REVEALED = "revealed"
    """Drawn: the seed is published with the result and the checklists are made."""


Filter = Annotated[str, Field(min_length=1, max_length=100)]


class DrawItemIn(InputModel):
    """An item the drawn enterprises are checked for: a catalogue item's code (its name and
    legal basis are read from the unit's catalogue), or a name and legal basis."""

    code: ItemCode | None = None
    name: Text | None = None
    legal_basis: LongText | None = None

    @model_validator(mode="after")
    def _code_or_named(self) -> DrawItemIn:
        if self.code is None and (self.name is None or self.legal_basis is None):
            raise ValueError("检查事项须填写事项编码，或填写事项名称和法律依据")
        return self


class DrawUnitIn(InputModel):
    """A unit taking part in the draw and what it checks at the drawn enterprises."""

    unit_id: Annotated[str, Field(min_length=1, max_length=64)]
    items: list[DrawItemIn] = Field(min_length=1, max_length=100)
    onsite_reason: LongText | None = Field(
        default=None, description="why a site visit is needed for an item checkable off-site"
    )


class QuotaIn(InputModel):
    """How many of a risk class to draw: a count, or a ratio in percent (rounded up)."""

    risk_class: Annotated[str, Field(min_length=1, max_length=16)]
    count: int | None = Field(default=None, description="at most the class's enterprises")
    ratio_percent: Decimal | None = Field(
        default=None, description="0.01-100, two decimals at most; the count is rounded up"
    )


_EXAMPLE: JsonDict = {
    "title": "2024年第二季度食品经营者双随机抽查",
    "earliest": "2024-06-03",
    "latest": "2024-06-28",
    "industries": ["餐饮服务"],
    "towns": [],
    "risk_classes": ["A", "C"],
    "quotas": [{"risk_class": "A", "ratio_percent": "5"}, {"risk_class": "C", "count": 3}],
    "units": [
        {
            "unit_id": "SCJG",
            "items": [{"name": "食品经营许可情况", "legal_basis": "《食品安全法》第三十五条"}],
        }
    ],
}


class DrawCreate(InputModel):
    """A draw to commit to: the population, the quotas per class, and who checks what."""

    model_config = ConfigDict(json_schema_extra={"examples": [_EXAMPLE]})

    title: Text
    earliest: date
    latest: date
    industries: list[Filter] = Field(default_factory=list, max_length=100)
    towns: list[Filter] = Field(default_factory=list, max_length=100)
    risk_classes: list[Annotated[str, Field(min_length=1, max_length=16)]] = Field(
        default_factory=list, max_length=50, description=f"empty: all; `{UNGRADED}`: no class"
    )
    quotas: list[QuotaIn] = Field(min_length=1, max_length=50)
    units: list[DrawUnitIn] = Field(min_length=1, max_length=50)
    public_seed: (
        Annotated[str, Field(min_length=8, max_length=500), AfterValidator(no_control_characters)]
        | None
    ) = Field(
        default=None,
        description="a seed everyone can see (a lottery's numbers, say): the draw may be "
        "revealed at once; otherwise the service makes a secret one and publishes its hash",
    )

    @field_validator("earliest", "latest")
    @classmethod
    def _in_the_calendar(cls, day: date) -> date:
        first, last = statutory_years()
        if not first <= day.year <= last:
            raise ValueError(f"日期 {day} 超出法定节假日历覆盖的年份（{first}–{last}）")
        return day

    @field_validator("latest")
    @classmethod
    def _after_earliest(cls, latest: date, info: ValidationInfo) -> date:
        earliest = info.data.get("earliest")
        if earliest is not None and earliest > latest:
            raise ValueError(f"检查时间窗口的开始日期 {earliest} 晚于结束日期 {latest}")
        return latest


class DrawUnitPublic(BaseModel):
    """A participating unit, its items as its checklist will carry them."""

    unit_id: str
    items: list[dict[str, str | None]]
    onsite_reason: str | None = None


class DrawClass(BaseModel):
    """One risk class of a draw: its frozen population, its quota, and what was drawn."""

    risk_class: str
    population: list[str] = Field(description="the class's credit codes, sorted")
    count: int | None = None
    ratio_percent: str | None = None
    drawn_count: int = Field(description="how many the quota draws from the class")
    drawn: list[str] | None = Field(
        default=None, description="after the reveal: the drawn credit codes, in rank order"
    )


class DrawRecord(BaseModel):
    """Everything needed to replay a draw, published without a key."""

    format: str
    algorithm: str
    draw_id: int
    title: str
    state: DrawState
    created_at: datetime
    filters: dict[str, list[str]]
    population_hash: str
    commitment: str
    public_seed: bool
    classes: list[DrawClass]
    seed: str | None = Field(default=None, description="published at the reveal")
    revealed_at: datetime | None = None


class DrawPublic(DrawRecord):
    """A draw as its units and the coordinators see it: the record and who takes part."""

    owner_unit_id: str | None
    created_by: str
    earliest: date
    latest: date
    units: list[DrawUnitPublic]
    revealed_by: str | None = None
    checklist_ids: list[int] = Field(default_factory=list)
    drawn_names: dict[str, str] = Field(
        default_factory=dict, description="the drawn enterprises' names by credit code"
    )


class DrawOptions(BaseModel):
    """What a draw may choose from: the register's industries, towns and risk classes."""

    industries: list[str]
    towns: list[str]
    risk_classes: list[str]
