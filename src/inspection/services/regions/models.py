"""Regions as clients send and read them."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from inspection.services.reference.models import Text

__all__ = ["LEVEL_NAMES", "LEVEL_RANK", "RegionCode", "RegionCreate", "RegionLevel", "RegionPublic"]


class RegionLevel(StrEnum):
    """How high a region stands: a province holds cities, a city holds districts."""

    DISTRICT = "district"
    CITY = "city"
    PROVINCE = "province"


LEVEL_RANK: dict[RegionLevel, int] = {
    RegionLevel.DISTRICT: 0,
    RegionLevel.CITY: 1,
    RegionLevel.PROVINCE: 2,
}
"""A region's parent stands higher than the region itself."""

LEVEL_NAMES: dict[RegionLevel, str] = {
    RegionLevel.DISTRICT: "区县",
    RegionLevel.CITY: "地市",
    RegionLevel.PROVINCE: "省",
}


def _code(value: str) -> str:
    value = value.strip()
    # letters and digits only: a code is part of the region's path, matched with LIKE
    if not (1 <= len(value) <= 12 and value.isascii() and value.isalnum()):
        raise ValueError("行政区划代码须为 1 至 12 位字母或数字")
    return value


RegionCode = Annotated[str, AfterValidator(_code)]
"""A 行政区划代码 (``441802``): letters and digits, at most 12."""


class RegionCreate(BaseModel):
    """A region to add under its parent (none: a top region)."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        json_schema_extra={
            "examples": [
                {"code": "441802", "name": "清城区", "level": "district", "parent": "4418"}
            ]
        },
    )

    code: RegionCode = Field(description="行政区划代码, unique")
    name: Text = Field(min_length=1, max_length=100)
    level: RegionLevel
    parent: RegionCode | None = Field(default=None, description="the parent region's code")


class RegionPublic(BaseModel):
    """A region as clients read it; `path` is the codes from the top joined by ``/``."""

    id: int
    code: str
    name: str
    level: RegionLevel
    parent: str | None
    path: str
