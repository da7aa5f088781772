"""Units and enterprises as clients send and read them (Create / Public pattern).

SQLModel tables skip validation, so every row is built from one of these
models after it has validated. Messages are in Chinese: they reach the staff
who typed the data.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic.config import JsonDict
from stdnum import exceptions as stdnum_errors
from stdnum.cn import uscc

__all__ = [
    "CreditCode",
    "EnterpriseCreate",
    "EnterprisePublic",
    "InputModel",
    "LongText",
    "Text",
    "UnitCreate",
    "UnitPublic",
    "credit_code_problem",
    "no_control_characters",
    "standard_credit_code",
]


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode's category Cc, exactly


# characters that make text read other than it is stored: bidirectional overrides, embeddings
# and isolates (a name shown reversed), zero-width spaces, joiners and marks (two names that
# look the same), the word joiner and invisible operators, the byte order mark
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")


def no_control_characters(value: str) -> str:
    """The text trimmed; refused (ValueError) when it holds a control character, a
    bidirectional override or a zero-width character."""
    if _CONTROL.search(value):
        raise ValueError("不能包含控制字符")
    if _INVISIBLE.search(value):
        raise ValueError("不能包含双向文本控制符或零宽字符（如 U+202E、U+200B）")
    return value.strip()


@lru_cache(maxsize=65_536)
def standard_credit_code(code: str) -> str:
    """A unified social credit code in its standard form, checked with python-stdnum.

    Cached: an import checks the same few hundred enterprises thousands of times.

    Raises:
        stdnum.exceptions.ValidationError: the code is not valid (not cached).
    """
    return str(uscc.validate(code.strip().upper()))


# python-stdnum's reasons, in the staff's language (its own messages are English)
_CODE_PROBLEMS: dict[type[stdnum_errors.ValidationError], str] = {
    stdnum_errors.InvalidLength: "应为 18 位",
    stdnum_errors.InvalidFormat: "含有不允许的字符",
    stdnum_errors.InvalidChecksum: "校验位不符，请核对是否抄错",
    stdnum_errors.InvalidComponent: "登记管理部门或机构类别代码无效",
}


def credit_code_problem(error: stdnum_errors.ValidationError) -> str:
    """Why python-stdnum refused a unified social credit code, in Chinese only."""
    return next(
        (text for kind, text in _CODE_PROBLEMS.items() if isinstance(error, kind)),
        "不是有效的统一社会信用代码",
    )


def _valid_credit_code(value: str) -> str:
    try:
        return standard_credit_code(value)
    except stdnum_errors.ValidationError as exc:
        raise ValueError(f"统一社会信用代码无效：{credit_code_problem(exc)}") from None


Text = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(no_control_characters)]
"""A name or title: 1-200 characters, no control characters, trimmed."""
LongText = Annotated[
    str, Field(min_length=1, max_length=500), AfterValidator(no_control_characters)
]
"""A longer text (a legal basis): 1-500 characters."""
CreditCode = Annotated[str, Field(min_length=18, max_length=18), AfterValidator(_valid_credit_code)]
"""A unified social credit code, checked with python-stdnum and given in its standard form."""


class InputModel(BaseModel):
    """Base of every input model: unknown fields are refused, text is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


_UNIT_EXAMPLE: JsonDict = {
    "id": "SCJG",
    "name": "清城区市场监督管理局",
    "weekday_capacity": [4, 4, 4, 4, 3, 0, 0],
    "days_off": ["2024-06-14"],
    "contact": "张丽 0763-3362101",
}
_ENTERPRISE_EXAMPLE: JsonDict = {
    "credit_code": "92441802MAM4JPET9M",
    "name": "清远市清城区伟佳饭店",
    "town": "凤城街道",
    "industry": "餐饮服务",
    "address": "清远市清城区凤城街道人民一路8号",
    "blackout_days": [],
}


class UnitCreate(InputModel):
    """An enforcement unit with its capacity per weekday (Monday first)."""

    model_config = ConfigDict(json_schema_extra={"examples": [_UNIT_EXAMPLE]})

    id: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
    name: Text
    weekday_capacity: list[Annotated[int, Field(ge=0, le=1000)]] = Field(min_length=7, max_length=7)
    days_off: list[date] = Field(default_factory=list, max_length=366)
    contact: Annotated[str, Field(max_length=200), AfterValidator(no_control_characters)] = Field(
        default="",
        description="who an enterprise calls about a visit the unit leads (联系人及电话), "
        "printed on the notices of joint inspection",
    )
    region: Annotated[str, Field(min_length=1, max_length=12)] | None = Field(
        default=None,
        description="the code of its region (GET /regions); default: the platform's first",
    )


class EnterpriseCreate(InputModel):
    """An enterprise keyed by its unified social credit code."""

    model_config = ConfigDict(json_schema_extra={"examples": [_ENTERPRISE_EXAMPLE]})

    credit_code: CreditCode
    name: Text
    town: Annotated[str, Field(min_length=1, max_length=100), AfterValidator(no_control_characters)]
    industry: Annotated[str, Field(max_length=100), AfterValidator(no_control_characters)] = ""
    address: Annotated[str, Field(max_length=300), AfterValidator(no_control_characters)] = ""
    blackout_days: list[date] = Field(default_factory=list, max_length=366)
    region: Annotated[str, Field(min_length=1, max_length=12)] | None = Field(
        default=None,
        description="the code of its region (GET /regions); default: the platform's first",
    )


class UnitPublic(BaseModel):
    """A stored unit."""

    model_config = ConfigDict(json_schema_extra={"examples": [_UNIT_EXAMPLE]})

    id: str
    name: str
    weekday_capacity: list[int]
    days_off: list[date]
    contact: str = Field(default="", description="联系人及电话, printed on the notices")


class EnterprisePublic(BaseModel):
    """A stored enterprise."""

    model_config = ConfigDict(json_schema_extra={"examples": [_ENTERPRISE_EXAMPLE]})

    credit_code: str
    name: str
    town: str
    industry: str
    address: str
    blackout_days: list[date]
    # the grades the rules read, each with its source (发布机关/依据) and date
    risk_class: str | None = Field(default=None, description="风险等级: A-D or a rule's grade")
    risk_source: str = ""
    risk_as_of: date | None = None
    credit_class: str | None = Field(default=None, description="信用等级")
    credit_source: str = ""
    credit_as_of: date | None = None
    no_disturb: bool = Field(default=False, description="on the no-disturb list (无事不扰)")
    no_disturb_source: str = ""
    no_disturb_since: date | None = None
