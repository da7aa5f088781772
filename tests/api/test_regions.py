"""Regions over HTTP: a coordinator reads and plans its region and those under it; another
region's plans, units and enterprises answer 404."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.db.regions import region_by_code
from inspection.db.tables import InspectionCodeRow
from inspection.services.access import Actor, Role
from inspection.services.planning.use_cases import create_plan
from tests.support.keyed_client import wait_for_plan
from tests.support.regions import CITY, DISTRICTS, RegionWorld, bearer
from tests.support.world import WEEK, week_plan

OWN, OTHER = DISTRICTS


def _plan_of(engine: Engine, code: str) -> int:
    """A queued plan of the region (no worker started: it stays queued)."""
    with Session(engine) as session:
        actor = Actor(name="tests", role=Role.COORDINATOR)
        return create_plan(session, actor, week_plan().model_copy(update={"region": code})).id


def test_a_coordinator_reads_its_region_and_those_under_it(
    api_regions: TestClient, regions: RegionWorld
) -> None:
    everything = api_regions.get("/api/v1/regions").json()  # a key of the whole platform
    assert [r["code"] for r in everything] == ["000000", CITY, *DISTRICTS]
    city = api_regions.get("/api/v1/regions", headers=bearer(regions.coordinators[CITY])).json()
    assert [(r["code"], r["parent"]) for r in city] == [
        (CITY, None),
        (OWN, CITY),
        (OTHER, CITY),
    ]
    own = api_regions.get("/api/v1/regions", headers=bearer(regions.auditors[OWN])).json()
    assert [(r["code"], r["path"], r["level"]) for r in own] == [(OWN, f"{CITY}/{OWN}", "district")]


def test_only_an_admin_adds_regions_under_a_higher_one(
    api_regions: TestClient, regions: RegionWorld
) -> None:
    body = {"code": "441881", "name": "英德市", "level": "district", "parent": CITY}
    refused = api_regions.post(
        "/api/v1/regions", json=body, headers=bearer(regions.coordinators[CITY])
    )
    assert refused.status_code == 403
    admin = bearer(api_regions.keys["admin"])  # type: ignore[attr-defined]
    created = api_regions.post("/api/v1/regions", json=body, headers=admin)
    assert created.status_code == 201, created.text
    assert created.json()["path"] == f"{CITY}/441881"
    assert api_regions.post("/api/v1/regions", json=body, headers=admin).status_code == 409
    upward = {"code": "44", "name": "广东省", "level": "province", "parent": OWN}
    wrong = api_regions.post("/api/v1/regions", json=upward, headers=admin)
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "parent"
    bad = api_regions.post("/api/v1/regions", json={**body, "code": "44 18"}, headers=admin)
    assert bad.status_code == 422


def test_plans_of_another_region_answer_404(
    api_regions: TestClient, engine: Engine, regions: RegionWorld
) -> None:
    mine, theirs = _plan_of(engine, OWN), _plan_of(engine, OTHER)
    own = bearer(regions.coordinators[OWN])
    assert api_regions.get(f"/api/v1/plans/{mine}", headers=own).status_code == 200
    assert [p["id"] for p in api_regions.get("/api/v1/plans", headers=own).json()] == [mine]
    for method, path in (
        ("GET", f"/api/v1/plans/{theirs}"),
        ("GET", f"/api/v1/plans/{theirs}/rounds"),
        ("GET", f"/api/v1/plans/{theirs}/unscheduled"),
        ("GET", f"/api/v1/plans/{theirs}/diff"),
        ("POST", f"/api/v1/plans/{theirs}/stop"),
        ("POST", f"/api/v1/plans/{theirs}/publish"),
    ):
        answer = api_regions.request(method, path, headers=own)
        assert answer.status_code == 404, (method, path, answer.text)
    city = api_regions.get("/api/v1/plans", headers=bearer(regions.coordinators[CITY])).json()
    assert sorted(p["id"] for p in city) == sorted([mine, theirs])
    assert api_regions.post(f"/api/v1/plans/{mine}/stop", headers=own).status_code == 200


def test_plans_are_listed_by_a_region_the_caller_sees(
    api_regions: TestClient, engine: Engine, regions: RegionWorld
) -> None:
    client = api_regions
    mine, theirs = _plan_of(engine, OWN), _plan_of(engine, OTHER)
    city = bearer(regions.coordinators[CITY])
    listed = client.get(f"/api/v1/plans?region={OTHER}", headers=city)
    assert [p["id"] for p in listed.json()] == [theirs]
    under = client.get(f"/api/v1/plans?region={CITY}", headers=city).json()
    assert sorted(p["id"] for p in under) == sorted([mine, theirs])  # the city and under it
    # a district's coordinator cannot pick the sibling district: 404 naming the field
    own = bearer(regions.coordinators[OWN])
    assert [p["id"] for p in client.get(f"/api/v1/plans?region={OWN}", headers=own).json()] == [
        mine
    ]
    for code in (OTHER, CITY, "999999"):
        refused = client.get(f"/api/v1/plans?region={code}", headers=own)
        assert refused.status_code == 404, (code, refused.text)
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["field"] == "region"
    # a key of the whole platform picks any region
    assert [p["id"] for p in client.get(f"/api/v1/plans?region={OWN}").json()] == [mine]
    assert [p["id"] for p in client.get("/api/v1/plans?region=000000").json()] == []
    drafts = client.get(f"/api/v1/plans?region={OTHER}&origin=schedule&published=false")
    assert drafts.json() == []


def test_me_names_the_region_the_picker_starts_on(
    api_regions: TestClient, regions: RegionWorld
) -> None:
    client = api_regions
    assert (
        client.get("/api/v1/me", headers=bearer(regions.coordinators[OWN])).json()["region"] == OWN
    )
    assert client.get("/api/v1/me", headers=bearer(regions.auditors[CITY])).json()["region"] == CITY
    assert client.get("/api/v1/me").json()["region"] == "000000"  # the server's default region
    admin = bearer(client.keys["admin"])  # type: ignore[attr-defined]
    assert len(client.get("/api/v1/regions", headers=admin).json()) == 4  # an admin sees all


def test_a_plan_takes_the_callers_region_or_one_under_it(
    api_regions: TestClient, engine: Engine, regions: RegionWorld
) -> None:
    client = api_regions
    body = {"start": str(WEEK[0]), "end": str(WEEK[1]), "time_limit_s": 1}
    own = bearer(regions.coordinators[OWN])
    outside = client.post("/api/v1/plans", json={**body, "region": OTHER}, headers=own)
    assert outside.status_code == 404
    assert outside.json()["field"] == "region"
    assert (
        client.post("/api/v1/plans", json={**body, "region": "999999"}, headers=own).status_code
        == 404
    )
    city = bearer(regions.coordinators[CITY])
    started = client.post("/api/v1/plans", json={**body, "region": OTHER}, headers=city)
    assert started.status_code == 202, started.text
    with Session(engine) as session:
        other = region_by_code(session, OTHER)
        assert other is not None
        assert started.json()["region_id"] == other.id
    assert wait_for_plan(api_regions, started.headers["location"])["status"] == "finished"


def test_the_clash_covers_the_region_above_and_below_not_beside(
    api_regions: TestClient, engine: Engine, regions: RegionWorld
) -> None:
    client = api_regions
    district = _plan_of(engine, OWN)
    body = {"start": str(WEEK[0]), "end": str(WEEK[1]), "time_limit_s": 1}
    city = bearer(regions.coordinators[CITY])
    clash = client.post("/api/v1/plans", json={**body, "region": CITY}, headers=city)
    assert clash.status_code == 409
    assert clash.json()["plan"] == district
    beside = client.post("/api/v1/plans", json={**body, "region": OTHER}, headers=city)
    assert beside.status_code == 202, beside.text
    again = client.post("/api/v1/plans", json={**body, "region": OWN}, headers=city)
    assert again.status_code == 409
    assert again.json()["plan"] == district
    assert wait_for_plan(api_regions, beside.headers["location"])["status"] == "finished"
    # the runner started the queued district plan too, once a plan was posted
    assert wait_for_plan(api_regions, f"/api/v1/plans/{district}")["status"] == "finished"


def test_units_and_enterprises_of_another_region_answer_404(
    api_regions: TestClient, regions: RegionWorld
) -> None:
    client = api_regions
    own = bearer(regions.coordinators[OWN])
    assert [u["id"] for u in client.get("/api/v1/units", headers=own).json()] == [
        regions.units[OWN]
    ]
    assert client.get(f"/api/v1/units/{regions.units[OWN]}", headers=own).status_code == 200
    assert client.get(f"/api/v1/units/{regions.units[OTHER]}", headers=own).status_code == 404
    listed = client.get("/api/v1/enterprises", headers=own).json()
    assert [e["credit_code"] for e in listed] == regions.enterprises[OWN]
    theirs = regions.enterprises[OTHER][0]
    assert client.get(f"/api/v1/enterprises/{theirs}", headers=own).status_code == 404
    assert client.get(f"/api/v1/enterprises/{theirs}").status_code == 200  # the platform's key
    city = client.get("/api/v1/units", headers=bearer(regions.coordinators[CITY])).json()
    assert sorted(u["id"] for u in city) == sorted(regions.units.values())


def test_me_names_the_region_once_there_are_several(
    api_regions: TestClient, regions: RegionWorld
) -> None:
    assert (
        api_regions.get("/api/v1/me", headers=bearer(regions.coordinators[OWN])).json()[
            "region_name"
        ]
        == "清城区"
    )
    assert api_regions.get("/api/v1/me").json()["region_name"] == "全平台"


def test_me_names_no_region_on_a_platform_of_one(api: TestClient) -> None:
    assert api.get("/api/v1/me").json()["region_name"] is None


def test_checklists_of_another_region_answer_404(
    api_regions: TestClient, regions: RegionWorld
) -> None:
    own = bearer(regions.coordinators[OWN])
    listed = api_regions.get("/api/v1/checklists", headers=own)
    assert [c["id"] for c in listed.json()] == [regions.checklists[OWN]]
    assert listed.headers["x-total-count"] == "1"
    assert (
        api_regions.get(f"/api/v1/checklists/{regions.checklists[OWN]}", headers=own).status_code
        == 200
    )
    theirs = regions.checklists[OTHER]
    assert api_regions.get(f"/api/v1/checklists/{theirs}", headers=own).status_code == 404
    withdrawn = api_regions.post(f"/api/v1/checklists/{theirs}/withdraw", headers=own)
    assert withdrawn.status_code == 404
    city = api_regions.get("/api/v1/checklists", headers=bearer(regions.coordinators[CITY]))
    assert city.headers["x-total-count"] == "2"


def test_publishing_one_district_leaves_the_other_district_s_rounds_live(
    api_regions: TestClient, engine: Engine, regions: RegionWorld
) -> None:
    body = {"start": str(WEEK[0]), "end": str(WEEK[1]), "time_limit_s": 2}
    city = bearer(regions.coordinators[CITY])
    for code in DISTRICTS:
        started = api_regions.post("/api/v1/plans", json={**body, "region": code}, headers=city)
        assert started.status_code == 202, started.text
        location = started.headers["location"]
        assert wait_for_plan(api_regions, location)["status"] == "finished"
        published = api_regions.post(f"{location}/publish", headers=city)
        assert published.status_code == 200, published.text
    live = {r["enterprise"] for r in api_regions.get("/api/v1/rounds").json()}
    assert live == set(regions.enterprises[OWN]) | set(regions.enterprises[OTHER])
    with Session(engine) as session:
        codes = session.exec(
            select(InspectionCodeRow).where(col(InspectionCodeRow.cancelled_at).is_(None))
        ).all()
        plans = {c.credit_code: c.plan_id for c in codes}
    assert set(plans) == live
    # each district's codes name its own plan, not the one published after it
    assert len({plans[e] for e in regions.enterprises[OWN]}) == 1
    assert {plans[e] for e in regions.enterprises[OWN]} != {
        plans[e] for e in regions.enterprises[OTHER]
    }
    own = bearer(regions.coordinators[OWN])
    published_own = api_regions.get("/api/v1/plans?published=true", headers=own).json()
    assert [p["superseded_by"] for p in published_own] == [None]
    seen = {r["enterprise"] for r in api_regions.get("/api/v1/rounds", headers=own).json()}
    assert seen == set(regions.enterprises[OWN])


def test_a_coordinator_submits_for_the_units_of_its_region_only(
    api_regions: TestClient, regions: RegionWorld
) -> None:
    own = bearer(regions.coordinators[OWN])
    body = {
        "title": "联合检查",
        "items": [{"name": "检查事项", "legal_basis": "相关法律法规"}],
        "earliest": "2024-06-03",
        "latest": "2024-06-07",
    }
    theirs = {**body, "unit_id": regions.units[OTHER], "targets": regions.enterprises[OTHER]}
    refused = api_regions.post("/api/v1/checklists", json=theirs, headers=own)
    assert refused.status_code == 422
    assert refused.json()["field"] == "unit_id"
    mine = {**body, "unit_id": regions.units[OWN], "targets": regions.enterprises[OWN]}
    assert api_regions.post("/api/v1/checklists", json=mine, headers=own).status_code == 201
