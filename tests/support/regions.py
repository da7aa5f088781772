"""A city of two districts (清远市: 清城区, 清新区) beside the default region, with a unit, two
enterprises and a checklist in each district, and keys scoped to each region."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from inspection.services.access import Actor, Role
from inspection.services.checklists.service import submit_checklist
from inspection.services.reference.models import EnterpriseCreate, UnitCreate
from inspection.services.reference.service import create_enterprise, create_unit
from inspection.services.regions.models import RegionCreate, RegionLevel
from inspection.services.regions.service import create_region
from inspection.services.trust.keys import create_key
from tests.support.data import head_of
from tests.support.draws import credit_code
from tests.support.world import week_checklist

__all__ = ["CITY", "DISTRICTS", "RegionWorld", "bearer", "fill_regions"]

CITY = "4418"
DISTRICTS = ("441802", "441803")  # 清城区, 清新区
_ADMIN = Actor(name="tests", role=Role.ADMIN)


@dataclass(frozen=True)
class RegionWorld:
    """Keys by region code (a coordinator's and an auditor's), units and enterprises by
    district, and each district's checklist id."""

    coordinators: dict[str, str]
    auditors: dict[str, str]
    units: dict[str, str]
    enterprises: dict[str, list[str]]
    checklists: dict[str, int]


def bearer(key: str) -> dict[str, str]:
    """The headers of a request made with the key (one of a world's, by region code)."""
    return {"Authorization": f"Bearer {key}"}


def fill_regions(engine: Engine) -> RegionWorld:
    """Store the city, its districts, their units, enterprises and checklists, and keys."""
    coordinators: dict[str, str] = {}
    auditors: dict[str, str] = {}
    units: dict[str, str] = {}
    enterprises: dict[str, list[str]] = {}
    checklists: dict[str, int] = {}
    with Session(engine) as session:
        create_region(
            session, _ADMIN, RegionCreate(code=CITY, name="清远市", level=RegionLevel.CITY)
        )
        for number, (code, name) in enumerate(zip(DISTRICTS, ("清城区", "清新区"), strict=True)):
            create_region(
                session,
                _ADMIN,
                RegionCreate(code=code, name=name, level=RegionLevel.DISTRICT, parent=CITY),
            )
            unit = f"SCJG{code}"
            create_unit(
                session,
                _ADMIN,
                UnitCreate(
                    id=unit, name=f"{name}市场监管局", weekday_capacity=[3] * 7, region=code
                ),
            )
            units[code] = unit
            codes = [credit_code(100 + 10 * number + i) for i in range(2)]
            for i, enterprise in enumerate(codes):
                create_enterprise(
                    session,
                    _ADMIN,
                    EnterpriseCreate(
                        credit_code=enterprise, name=f"{name}企业{i}", town="某镇", region=code
                    ),
                )
            enterprises[code] = codes
            checklist = submit_checklist(session, head_of(unit), week_checklist(unit, codes))
            checklists[code] = checklist.id
        for code in (CITY, *DISTRICTS):
            for role, keys in ((Role.COORDINATOR, coordinators), (Role.AUDITOR, auditors)):
                keys[code] = create_key(
                    session, _ADMIN, role, name=f"{role}-{code}", region=code
                ).key
    return RegionWorld(coordinators, auditors, units, enterprises, checklists)
