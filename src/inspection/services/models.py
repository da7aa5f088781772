"""Validated input and output models of the use cases (Create / Public pattern).

SQLModel tables skip validation, so every row is built from one of these
models after it has validated. Messages are in Chinese: they reach the staff
who typed the data.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic.config import JsonDict
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError as StdnumError

from inspection.solver.calendar import statutory_years

__all__ = [
    "ChecklistCreate",
    "ChecklistItemIn",
    "ChecklistPublic",
    "EnterpriseCreate",
    "EnterprisePublic",
    "InspectionType",
    "UnitCreate",
    "UnitPublic",
]

InspectionType = Literal["routine", "complaint", "special"]


def _no_control_characters(value: str) -> str:
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValueError("不能包含控制字符")
    return value.strip()


def _valid_credit_code(value: str) -> str:
    code = value.strip().upper()
    try:
        return str(uscc.validate(code))
    except StdnumError as exc:
        raise ValueError(f"统一社会信用代码无效：{exc}") from None


Text = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_no_control_characters)]
LongText = Annotated[
    str, Field(min_length=1, max_length=500), AfterValidator(_no_control_characters)
]
CreditCode = Annotated[str, Field(min_length=18, max_length=18), AfterValidator(_valid_credit_code)]


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


_UNIT_EXAMPLE: JsonDict = {
    "id": "SCJG",
    "name": "清城区市场监督管理局",
    "weekday_capacity": [4, 4, 4, 4, 3, 0, 0],
    "days_off": ["2024-06-14"],
}
_ENTERPRISE_EXAMPLE: JsonDict = {
    "credit_code": "92441802MAM4JPET9M",
    "name": "清远市清城区伟佳饭店",
    "town": "凤城街道",
    "industry": "餐饮服务",
    "address": "清远市清城区凤城街道人民一路8号",
    "blackout_days": [],
}
_CHECKLIST_EXAMPLE: JsonDict = {
    "unit_id": "SCJG",
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


class UnitCreate(_Input):
    """An enforcement unit with its capacity per weekday (Monday first)."""

    model_config = ConfigDict(json_schema_extra={"examples": [_UNIT_EXAMPLE]})

    id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
    name: Text
    weekday_capacity: list[Annotated[int, Field(ge=0, le=1000)]] = Field(min_length=7, max_length=7)
    days_off: list[date] = Field(default_factory=list, max_length=366)


class EnterpriseCreate(_Input):
    """An enterprise keyed by its unified social credit code."""

    model_config = ConfigDict(json_schema_extra={"examples": [_ENTERPRISE_EXAMPLE]})

    credit_code: CreditCode
    name: Text
    town: Annotated[
        str, Field(min_length=1, max_length=100), AfterValidator(_no_control_characters)
    ]
    industry: Annotated[str, Field(max_length=100), AfterValidator(_no_control_characters)] = ""
    address: Annotated[str, Field(max_length=300), AfterValidator(_no_control_characters)] = ""
    blackout_days: list[date] = Field(default_factory=list, max_length=366)


class ChecklistItemIn(_Input):
    """One item to check and the law that requires it."""

    name: Text
    legal_basis: LongText


class ChecklistCreate(_Input):
    """A unit's checklist; a complaint-driven check can never be joined with others."""

    model_config = ConfigDict(json_schema_extra={"examples": [_CHECKLIST_EXAMPLE]})

    unit_id: Annotated[str, Field(min_length=1, max_length=64)]
    title: Text
    inspection_type: InspectionType = "routine"
    items: list[ChecklistItemIn] = Field(min_length=1, max_length=100)
    targets: list[CreditCode] = Field(min_length=1, max_length=1000)
    earliest: date
    latest: date
    priority: int = Field(default=1, ge=1, le=5)

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

    @property
    def joinable(self) -> bool:
        """Whether its requests may share a round (complaint checks are unannounced)."""
        return self.inspection_type != "complaint"


class ChecklistPublic(BaseModel):
    """A stored checklist as clients see it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"id": 1, **_CHECKLIST_EXAMPLE, "status": "submitted", "version": 1}]
        }
    )

    id: int
    unit_id: str
    title: str
    inspection_type: InspectionType
    items: list[ChecklistItemIn]
    targets: list[str]
    earliest: date
    latest: date
    priority: int
    status: str
    version: int


class UnitPublic(BaseModel):
    """A stored unit."""

    model_config = ConfigDict(json_schema_extra={"examples": [_UNIT_EXAMPLE]})

    id: str
    name: str
    weekday_capacity: list[int]
    days_off: list[date]


class EnterprisePublic(BaseModel):
    """A stored enterprise."""

    model_config = ConfigDict(json_schema_extra={"examples": [_ENTERPRISE_EXAMPLE]})

    credit_code: str
    name: str
    town: str
    industry: str
    address: str
    blackout_days: list[date]
