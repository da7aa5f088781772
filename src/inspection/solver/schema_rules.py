"""Frozen pydantic models of what version 1.1 of the format adds to a problem.

The rules of lawful inspection (`rules`: quiet days, the no-disturb list's
exemptions, yearly caps, officers per unit and their daily rounds) and the
certified officers (`officers`). Fields validate themselves (dates, integers
in range); references to units and enterprises are checked by
:func:`reference_errors`, which the problem calls once it knows its ids, so
each error names the JSON path of the offending field.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

__all__ = [
    "DEFAULT_CATEGORY",
    "Caps",
    "Category",
    "EnterpriseCap",
    "NoDisturbRule",
    "Officer",
    "QuietDays",
    "Rules",
    "UnitEnterpriseCap",
    "reference_errors",
]

DEFAULT_CATEGORY = "routine"
"""A request's category when it names none (日常检查)."""

_Id = Annotated[str, Field(min_length=1, max_length=200)]
Category = Annotated[str, Field(min_length=1, max_length=100)]
"""The kind of check; opaque to solvers, given meaning only by the rules' exempt lists."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class QuietDays(_Frozen):
    """Days on which no check runs unless its category is exempt (宁静日)."""

    days: tuple[date, ...] = ()
    exempt_categories: tuple[Category, ...] = ()


class NoDisturbRule(_Frozen):
    """The only categories that may visit an enterprise on the no-disturb list (无事不扰)."""

    exempt_categories: tuple[Category, ...] = ()


class UnitEnterpriseCap(_Frozen):
    """What is left of one unit's yearly cap at one enterprise, for this horizon."""

    unit: _Id
    enterprise: _Id
    remaining: int = Field(ge=0)


class EnterpriseCap(_Frozen):
    """What is left of one enterprise's yearly cap over all units (a joint round counts once)."""

    enterprise: _Id
    remaining: int = Field(ge=0)


class Caps(_Frozen):
    """The yearly caps left for this horizon; a request whose category is exempt is not counted."""

    exempt_categories: tuple[Category, ...] = ()
    unit_enterprise: tuple[UnitEnterpriseCap, ...] = ()
    enterprise: tuple[EnterpriseCap, ...] = ()

    def counts(self, category: str) -> bool:
        """Whether a request of `category` counts against the caps."""
        return category not in self.exempt_categories


class Rules(_Frozen):
    """The rules of lawful inspection a 1.1 problem carries; every part has a default."""

    quiet_days: QuietDays = QuietDays()
    no_disturb: NoDisturbRule = NoDisturbRule()
    caps: Caps = Caps()
    officers_per_unit: int = Field(default=2, ge=1)
    officer_daily_rounds: int = Field(default=1, ge=1)

    def quiet_on(self, day: date, category: str) -> bool:
        """Whether a request of `category` is kept out of `day` by the quiet days."""
        return category not in self.quiet_days.exempt_categories and day in self.quiet_days.days

    def disturbs(self, category: str) -> bool:
        """Whether a request of `category` is kept away from a no-disturb enterprise."""
        return category not in self.no_disturb.exempt_categories


class Officer(_Frozen):
    """A certified inspector (执法人员) of one unit, with days off and recusals (回避)."""

    id: _Id
    unit: _Id
    days_off: tuple[date, ...] = ()
    recusals: tuple[_Id, ...] = ()


def _error(kind: str, template: str, path: str, **context: str) -> PydanticCustomError:
    return PydanticCustomError(kind, template, {"path": path, **context})


def _first_repeat(keys: Sequence[object]) -> int | None:
    seen: set[object] = set()
    for index, key in enumerate(keys):
        if key in seen:
            return index
        seen.add(key)
    return None


def reference_errors(
    rules: Rules | None,
    officers: Sequence[Officer],
    unit_ids: set[str],
    enterprise_ids: set[str],
) -> Iterator[PydanticCustomError]:
    """Yield an error for every reference of the rules and officers that names nothing.

    Unknown units and enterprises in caps and officers, repeated cap entries
    (which of two `remaining` would hold?), repeated officer ids and recusals
    of unknown enterprises. The caller raises the first.
    """
    if rules is not None:
        caps = rules.caps
        for index, pair in enumerate(caps.unit_enterprise):
            path = f"rules.caps.unit_enterprise[{index}]"
            if pair.unit not in unit_ids:
                yield _error(
                    "unknown_unit",
                    "cap names unknown unit '{unit}'",
                    f"{path}.unit",
                    unit=pair.unit,
                )
            if pair.enterprise not in enterprise_ids:
                yield _error(
                    "unknown_enterprise",
                    "cap names unknown enterprise '{enterprise}'",
                    f"{path}.enterprise",
                    enterprise=pair.enterprise,
                )
        repeat = _first_repeat([(p.unit, p.enterprise) for p in caps.unit_enterprise])
        if repeat is not None:
            pair = caps.unit_enterprise[repeat]
            yield _error(
                "duplicate_cap",
                "a second cap for unit '{unit}' at enterprise '{enterprise}'",
                f"rules.caps.unit_enterprise[{repeat}]",
                unit=pair.unit,
                enterprise=pair.enterprise,
            )
        for index, cap in enumerate(caps.enterprise):
            if cap.enterprise not in enterprise_ids:
                yield _error(
                    "unknown_enterprise",
                    "cap names unknown enterprise '{enterprise}'",
                    f"rules.caps.enterprise[{index}].enterprise",
                    enterprise=cap.enterprise,
                )
        repeat = _first_repeat([cap.enterprise for cap in caps.enterprise])
        if repeat is not None:
            yield _error(
                "duplicate_cap",
                "a second cap for enterprise '{enterprise}'",
                f"rules.caps.enterprise[{repeat}]",
                enterprise=caps.enterprise[repeat].enterprise,
            )
    repeat = _first_repeat([officer.id for officer in officers])
    if repeat is not None:
        yield _error(
            "duplicate_id",
            "duplicate id '{ident}'",
            f"officers[{repeat}].id",
            ident=officers[repeat].id,
        )
    for index, officer in enumerate(officers):
        if officer.unit not in unit_ids:
            yield _error(
                "unknown_unit",
                "officer '{officer}' names unknown unit '{unit}'",
                f"officers[{index}].unit",
                officer=officer.id,
                unit=officer.unit,
            )
        for position, enterprise in enumerate(officer.recusals):
            if enterprise not in enterprise_ids:
                yield _error(
                    "unknown_enterprise",
                    "officer '{officer}' is recused from unknown enterprise '{enterprise}'",
                    f"officers[{index}].recusals[{position}]",
                    officer=officer.id,
                    enterprise=enterprise,
                )
