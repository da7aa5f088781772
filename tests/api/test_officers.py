"""Rosters over HTTP, and who inspects: officers on the published rounds, in the exports and
calendars, and each officer's own feed (its token reads that feed and nothing else)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.api.app import create_app
from inspection.db.tables import LiveVisitRow, PlanRoundOfficerRow, PlanRoundRow
from inspection.services.access import Role
from inspection.services.planning.use_cases import publish_plan
from inspection.services.trust.keys import create_key
from tests.support.data import ACTOR, FACTORY, FOOD_SHOP
from tests.support.keyed_client import KeyedClient
from tests.support.officers import WEEK_ROSTER, store_week_roster
from tests.support.world import fill_week, plan_week

UNKNOWN_CODE = "91441802MA4UL1AB2F"


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@dataclass
class World:
    client: KeyedClient
    plan_id: int
    officers: dict[str, int]  # by badge number
    unit_keys: dict[str, str]
    drawn: dict[int, set[int]]  # round id to its officers' ids
    days: dict[int, tuple[str, str]]  # round id to (day, enterprise)


@pytest.fixture
def world(engine: Engine) -> Iterator[World]:
    with Session(engine) as session:
        fill_week(session)
        officers = store_week_roster(session)
    plan_id = plan_week(engine).id
    with Session(engine) as session:
        publish_plan(session, ACTOR, plan_id)
        unit_keys = {u: create_key(session, ACTOR, Role.UNIT, u).key for u in ("SCJG", "XFJY")}
        live = select(LiveVisitRow.round_id)
        rounds = session.exec(select(PlanRoundRow).where(col(PlanRoundRow.id).in_(live))).all()
        drawn: dict[int, set[int]] = {r.id: set() for r in rounds if r.id is not None}
        for link in session.exec(select(PlanRoundOfficerRow)):
            if link.round_id in drawn:
                drawn[link.round_id].add(link.officer_id)
        days = {r.id: (r.day.isoformat(), r.credit_code) for r in rounds if r.id is not None}
    with KeyedClient(create_app(engine=engine), engine) as client:
        yield World(client, plan_id, officers, unit_keys, drawn, days)


def test_the_roster_over_http(api_week: KeyedClient, engine: Engine) -> None:
    body = {
        "unit_id": "SCJG",
        "name": "陈志明",
        "badge_number": "44180020240031",
        "certificate_expires": "2027-06-30",
        "recusals": [{"credit_code": UNKNOWN_CODE, "kind": "conflict"}],
    }
    refused = api_week.post("/api/v1/officers", json=body)
    assert refused.status_code == 422
    assert refused.json()["field"] == "recusals[0].credit_code"
    body["recusals"] = [{"credit_code": FOOD_SHOP, "kind": "requested", "reason": "企业申请"}]
    created = api_week.post("/api/v1/officers", json=body)
    assert created.status_code == 201, created.text
    officer = created.json()
    assert created.headers["Location"] == f"/api/v1/officers/{officer['id']}"
    assert officer["recusals"][0]["enterprise_name"] == "小吃店"
    assert api_week.post("/api/v1/officers", json=body).status_code == 409
    bad_badge = api_week.post("/api/v1/officers", json={**body, "badge_number": "粤 001"})
    assert bad_badge.status_code == 422
    path = f"/api/v1/officers/{officer['id']}"
    edited = api_week.put(
        path,
        json={
            "name": "陈志铭",
            "badge_number": "44180020240031",
            "certificate_expires": "2028-01-01",
        },
    )
    assert edited.json()["name"] == "陈志铭"
    days = api_week.put(f"{path}/days-off", json={"days": ["2024-06-05"]})
    assert days.json()["days_off"] == ["2024-06-05"]
    added = api_week.post(f"{path}/recusals", json={"credit_code": FACTORY, "kind": "conflict"})
    assert added.status_code == 201
    assert len(added.json()["recusals"]) == 2
    unknown = api_week.post(
        f"{path}/recusals", json={"credit_code": UNKNOWN_CODE, "kind": "conflict"}
    )
    assert (unknown.status_code, unknown.json()["field"]) == (422, "credit_code")
    removed = api_week.delete(f"{path}/recusals/{FOOD_SHOP}")
    assert [r["credit_code"] for r in removed.json()["recusals"]] == [FACTORY]
    assert api_week.post(f"{path}/deactivate").json()["active"] is False
    assert [o["id"] for o in api_week.get("/api/v1/officers?unit=SCJG").json()] == [officer["id"]]
    assert api_week.get("/api/v1/officers?unit=SCJG&active_only=true").json() == []
    with Session(engine) as session:
        xfjy = create_key(session, ACTOR, Role.UNIT, "XFJY").key
    assert api_week.get(path, headers=_bearer(xfjy)).status_code == 404
    assert api_week.get("/api/v1/officers?unit=SCJG", headers=_bearer(xfjy)).json() == []
    sheet = api_week.post(
        "/api/v1/officers/import",
        files={"file": ("r.csv", "执法单位编号,姓名,执法证号,证件有效期至\nSCJG,,1,2027-01-01\n")},
    )
    assert sheet.status_code == 422
    assert sheet.json()["errors"] == [{"row": 2, "column": "姓名", "problem": "不能为空"}]
    template = api_week.get("/api/v1/officers/template.xlsx")
    assert template.status_code == 200
    assert load_workbook(io.BytesIO(template.content)).active is not None


def test_published_rounds_name_their_officers(world: World) -> None:
    names = {badge: name for _, name, badge in WEEK_ROSTER}
    rounds = world.client.get("/api/v1/rounds").json()
    assert rounds
    by_badge = world.officers
    for round_ in rounds:
        shown = {(o["unit"], o["badge_number"]) for o in round_["officers"]}
        expected = {
            (unit, badge)
            for unit, _, badge in WEEK_ROSTER
            if by_badge[badge] in world.drawn[round_["id"]]
        }
        assert shown == expected
        assert len(shown) == 2 * len(round_["units"])
        assert all(o["name"] == names[o["badge_number"]] for o in round_["officers"])
    one = rounds[0]
    detail = world.client.get(f"/api/v1/rounds/{one['id']}").json()
    assert detail["officers"] == one["officers"]
    plan_rounds = world.client.get(f"/api/v1/plans/{world.plan_id}/rounds").json()
    assert {r["id"]: r["officers"] for r in plan_rounds} == {r["id"]: r["officers"] for r in rounds}
    export = world.client.get(f"/api/v1/plans/{world.plan_id}/export.xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][-1] == "执法人员"
    first = [r for r in rounds if r["date"] == rounds[0]["date"]]
    cell = values[1][-1]
    assert isinstance(cell, str)
    assert any(
        cell == "、".join(f"{o['name']}（{o['badge_number']}）" for o in r["officers"])
        for r in first
    )
    feed = world.client.get("/api/v1/units/SCJG/calendar.ics")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert events
    for event in events:
        assert "执法人员：" in str(event["description"])


def test_each_officer_s_feed_shows_exactly_the_officer_s_rounds(world: World) -> None:
    client = world.client
    chen, zhao = world.officers["44180020240031"], world.officers["44180020240101"]
    issued = client.post(f"/api/v1/officers/{chen}/feed", headers=_bearer(world.unit_keys["SCJG"]))
    assert issued.status_code == 201, issued.text
    token = issued.json()["key"]
    assert issued.json()["officer_id"] == chen
    assert issued.json()["url"].endswith(f"/api/v1/officers/{chen}/calendar.ics?token={token}")
    feed = client.get(f"/api/v1/officers/{chen}/calendar.ics", params={"token": token})
    assert feed.status_code == 200
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    mine = {world.days[r] for r, drawn in world.drawn.items() if chen in drawn}
    assert mine
    seen = {(e.decoded("dtstart").isoformat(), str(e["uid"]).split("-")[1]) for e in events}
    assert seen == mine
    assert len(events) == len(mine)
    # the token reads this feed only: another officer's, the unit's, and any API route are not
    assert (
        client.get(f"/api/v1/officers/{zhao}/calendar.ics", params={"token": token}).status_code
        == 404
    )
    assert client.get("/api/v1/units/SCJG/calendar.ics", params={"token": token}).status_code == 404
    assert client.get("/api/v1/rounds", headers=_bearer(token)).status_code == 401
    # a unit cannot issue (or read) another unit's officer's feed
    other = client.post(f"/api/v1/officers/{zhao}/feed", headers=_bearer(world.unit_keys["SCJG"]))
    assert other.status_code == 404
    read = client.get(
        f"/api/v1/officers/{zhao}/calendar.ics", headers=_bearer(world.unit_keys["SCJG"])
    )
    assert read.status_code == 404
    # a unit's own feed token does not read its officers' feeds either
    unit_token = client.post("/api/v1/units/SCJG/feed-token").json()["key"]
    assert (
        client.get(
            f"/api/v1/officers/{chen}/calendar.ics", params={"token": unit_token}
        ).status_code
        == 404
    )
    assert client.get(f"/api/v1/officers/{zhao}/calendar.ics").status_code == 200  # a coordinator
