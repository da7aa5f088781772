"""Figures by region over HTTP: a district's key counts the visits at its enterprises, a
city's the sum of its districts', the platform's every visit; another region's plan is 404
to the figures and the exports."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.db.tables import InspectionCodeRow, VisitRatingRow
from inspection.services.access import Actor, Role
from inspection.services.checklists.service import submit_checklist
from inspection.services.reference.models import UnitCreate
from inspection.services.reference.service import create_unit
from inspection.services.spreadsheets.io import table_csv
from inspection.services.spreadsheets.records import REGION_HEADER, WEEKDAY_HEADERS
from tests.support.data import head_of
from tests.support.keyed_client import wait_for_plan
from tests.support.regions import CITY, DISTRICTS, RegionWorld, bearer, fill_regions
from tests.support.world import WEEK, week_checklist

OWN, OTHER = DISTRICTS
_ADMIN = Actor(name="tests", role=Role.ADMIN)
_COUNTED = ("checklists", "requests", "rounds", "visits_saved", "joint_rounds")


@pytest.fixture
def regions(engine: Engine) -> RegionWorld:
    """The two districts, each with a second unit checking the same two enterprises (so
    that rounds merge and visits are saved)."""
    filled = fill_regions(engine)
    with Session(engine) as session:
        for code in DISTRICTS:
            unit = f"ZJ{code}"
            create_unit(
                session,
                _ADMIN,
                UnitCreate(id=unit, name=f"{code}质监站", weekday_capacity=[3] * 7, region=code),
            )
            submit_checklist(session, head_of(unit), week_checklist(unit, filled.enterprises[code]))
    return filled


def _publish_each_district(client: TestClient, world: RegionWorld) -> dict[str, int]:
    """One published plan per district, by the city's coordinator; their ids by district."""
    body = {"start": str(WEEK[0]), "end": str(WEEK[1]), "time_limit_s": 2}
    city = bearer(world.coordinators[CITY])
    plans: dict[str, int] = {}
    for code in DISTRICTS:
        started = client.post("/api/v1/plans", json={**body, "region": code}, headers=city)
        assert started.status_code == 202, started.text
        location = started.headers["location"]
        assert wait_for_plan(client, location)["status"] == "finished"
        published = client.post(f"{location}/publish", headers=city)
        assert published.status_code == 200, published.text
        plans[code] = int(location.rsplit("/", 1)[1])
    return plans


def _stats(client: TestClient, key: str | None, **params: str) -> dict[str, Any]:
    headers = bearer(key) if key is not None else {}
    answer = client.get("/api/v1/stats/visits", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


def test_a_city_counts_the_sum_of_its_districts(
    api_regions: TestClient, regions: RegionWorld
) -> None:
    _publish_each_district(api_regions, regions)
    districts = [_stats(api_regions, regions.auditors[code])["total"] for code in DISTRICTS]
    city = _stats(api_regions, regions.auditors[CITY])["total"]
    everything = _stats(api_regions, None)["total"]  # the platform's auditor: every region
    for name in _COUNTED:
        assert city[name] == sum(d[name] for d in districts), name
        assert everything[name] == city[name], name  # nothing is published outside the city
    # each district has two units at each of its two enterprises: two rounds, two saved
    assert [d["requests"] for d in districts] == [4, 4]
    assert [d["visits_saved"] for d in districts] == [2, 2]
    by_unit = _stats(api_regions, regions.coordinators[OWN], group_by="unit")["groups"]
    assert {g["key"] for g in by_unit} == {regions.units[OWN], f"ZJ{OWN}"}
    detail = _stats(api_regions, regions.auditors[OWN], detail="rounds")["groups"][0][
        "rounds_behind"
    ]
    assert {r["enterprise"] for r in detail} == set(regions.enterprises[OWN])


def test_another_regions_plan_is_404_to_the_figures_and_the_exports(
    api_regions: TestClient, regions: RegionWorld
) -> None:
    plans = _publish_each_district(api_regions, regions)
    own, city = bearer(regions.coordinators[OWN]), bearer(regions.coordinators[CITY])
    theirs, mine = plans[OTHER], plans[OWN]
    for path in (
        f"/api/v1/stats/visits?plan={theirs}",
        f"/api/v1/plans/{theirs}/export.csv",
        f"/api/v1/plans/{theirs}/export.xlsx",
    ):
        answer = api_regions.get(path, headers=own)
        assert answer.status_code == 404, (path, answer.text)
        assert api_regions.get(path, headers=city).status_code == 200, path
    assert api_regions.get(f"/api/v1/plans/{mine}/export.csv", headers=own).status_code == 200
    counted = api_regions.get(f"/api/v1/stats/visits?plan={mine}", headers=own).json()
    assert counted["total"]["requests"] == 4


def test_the_annual_report_of_a_region_is_named_by_it_and_sums_its_districts(
    api_regions: TestClient, regions: RegionWorld
) -> None:
    _publish_each_district(api_regions, regions)
    year = str(WEEK[0].year)

    def report(key: str) -> dict[str, Any]:
        answer = api_regions.get(
            "/api/v1/reports/annual", params={"year": year}, headers=bearer(key)
        )
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    districts = [report(regions.auditors[code]) for code in DISTRICTS]
    city = report(regions.auditors[CITY])
    assert [d["district"] for d in districts] == ["清城区", "清新区"]
    assert city["district"] == "清远市"
    assert city["paragraph"].startswith(f"{year}年，清远市")
    for name in (
        "checklists_drawn_up",
        "joint_inspections",
        "rounds",
        "requests",
        "visits_saved",
        "enterprises_covered",
        "units_taking_part",
    ):
        assert city[name] == sum(d[name] for d in districts), name
    assert [d["units_taking_part"] for d in districts] == [2, 2]
    assert [d["checklists_drawn_up"] for d in districts] == [2, 2]
    whole = api_regions.get("/api/v1/reports/annual", params={"year": year}).json()
    assert whole["visits_saved"] == city["visits_saved"]


def test_alerts_look_at_the_regions_enterprises_only(
    api_regions: TestClient, regions: RegionWorld
) -> None:
    _publish_each_district(api_regions, regions)
    for code in (*DISTRICTS, CITY):
        answer = api_regions.get("/api/v1/alerts", headers=bearer(regions.auditors[code]))
        assert answer.status_code == 200, answer.text
        named = {a["enterprise"]["credit_code"] for a in answer.json()["missed_joins"]}
        inside = {e for d in DISTRICTS if d == code or code == CITY for e in regions.enterprises[d]}
        assert named <= inside


def test_rounds_notices_and_calendars_of_another_region_answer_404(
    api_regions: TestClient, regions: RegionWorld
) -> None:
    _publish_each_district(api_regions, regions)
    own, city = bearer(regions.coordinators[OWN]), bearer(regions.coordinators[CITY])
    rounds = api_regions.get("/api/v1/rounds", headers=city).json()
    at = {r["id"]: r["enterprise"] for r in rounds}
    for round_id, enterprise in at.items():
        answer = api_regions.get(f"/api/v1/rounds/{round_id}", headers=own)
        expected = 200 if enterprise in regions.enterprises[OWN] else 404
        assert answer.status_code == expected, (enterprise, answer.text)
        assert api_regions.get(f"/api/v1/rounds/{round_id}", headers=city).status_code == 200
    days = sorted({r["date"] for r in rounds})
    seen: set[str] = set()
    for day in days:
        notices = api_regions.get("/api/v1/notices", params={"day": day}, headers=own)
        assert notices.status_code == 200, notices.text
        seen |= {n["enterprise_name"] for n in notices.json()}
    assert seen == {"清城区企业0", "清城区企业1"}  # OWN's enterprises (tests/support/regions)
    theirs = regions.units[OTHER]
    assert api_regions.get(f"/api/v1/units/{theirs}/calendar.ics", headers=own).status_code == 404
    assert api_regions.get(f"/api/v1/units/{theirs}/calendar.ics", headers=city).status_code == 200
    mine = api_regions.get(f"/api/v1/units/{regions.units[OWN]}/calendar.ics", headers=own)
    assert mine.status_code == 200


def test_the_diff_compares_with_what_was_announced_in_the_plans_region(
    api_regions: TestClient, regions: RegionWorld
) -> None:
    _publish_each_district(api_regions, regions)  # the other district's plan is published last
    city = bearer(regions.coordinators[CITY])
    body = {"start": str(WEEK[0]), "end": str(WEEK[1]), "time_limit_s": 2, "region": OWN}
    started = api_regions.post("/api/v1/plans", json=body, headers=city)
    assert started.status_code == 202, started.text
    location = started.headers["location"]
    assert wait_for_plan(api_regions, location)["status"] == "finished"
    diff = api_regions.get(f"{location}/diff", headers=city)
    assert diff.status_code == 200, diff.text
    listed = diff.json()
    named = {r["enterprise"] for key in ("kept", "added", "removed", "joined") for r in listed[key]}
    assert named == set(regions.enterprises[OWN])
    # its district's two announced rounds, each kept, joined or removed; none of the other's
    assert len(listed["kept"]) + len(listed["joined"]) + len(listed["removed"]) == 2


def _units_csv(*rows: tuple[str, str]) -> bytes:
    headers = ("单位编号", "单位名称", *WEEKDAY_HEADERS, "休息日", "联系人及电话", REGION_HEADER)
    cells = [[unit, f"{unit}局", *["2"] * 7, "", "", code] for unit, code in rows]
    return table_csv(headers, cells)


def test_imports_place_rows_by_their_region_code(
    api_regions: TestClient, regions: RegionWorld
) -> None:
    post = "/api/v1/units/import"
    good = _units_csv(("NEWA", OWN), ("NEWB", ""))
    answer = api_regions.post(post, files={"file": ("u.csv", good, "text/csv")})
    assert answer.status_code == 201, answer.text
    listed = api_regions.get("/api/v1/units", headers=bearer(regions.auditors[OWN])).json()
    own_units = {u["id"] for u in listed}
    assert "NEWA" in own_units
    assert "NEWB" not in own_units  # the admin's region: the platform's first
    bad = _units_csv(("NEWC", OWN), ("NEWD", "999999"))
    refused = api_regions.post(post, files={"file": ("u.csv", bad, "text/csv")})
    assert refused.status_code == 422, refused.text
    assert [(e["row"], e["column"]) for e in refused.json()["errors"]] == [(3, REGION_HEADER)]
    assert "999999" in refused.json()["errors"][0]["problem"]
    assert api_regions.get("/api/v1/units/NEWC").status_code == 404  # nothing of the file stored


def test_ratings_of_a_region_are_those_of_its_enterprises_visits(
    api_regions: TestClient, engine: Engine, regions: RegionWorld
) -> None:
    _publish_each_district(api_regions, regions)
    with Session(engine) as session:  # every live visit rated 4 (as if by the enterprises)
        codes = session.exec(
            select(InspectionCodeRow).where(col(InspectionCodeRow.cancelled_at).is_(None))
        ).all()
        for code in codes:
            session.add(
                VisitRatingRow(code=code.code, day=code.day, score=4, rated_at=datetime.now(UTC))
            )
        session.commit()
    year = {"year": str(WEEK[0].year)}

    def rated(key: str) -> int:
        answer = api_regions.get("/api/v1/ratings/summary", params=year, headers=bearer(key))
        assert answer.status_code == 200, answer.text
        return int(answer.json()["district"]["count"])

    districts = [rated(regions.auditors[code]) for code in DISTRICTS]
    assert districts == [2, 2]  # one code per enterprise, two enterprises each
    assert rated(regions.auditors[CITY]) == sum(districts)
    listed = api_regions.get("/api/v1/ratings", params=year, headers=bearer(regions.auditors[OWN]))
    assert listed.status_code == 200, listed.text
    assert {r["enterprise_name"] for r in listed.json()} == {"清城区企业0", "清城区企业1"}
