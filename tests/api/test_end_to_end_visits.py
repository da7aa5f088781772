"""Issue 14 end to end over HTTP on the sample district, on SQLite and PostgreSQL.

A coordinator publishes the sample week; an enterprise opens its visit's code with no
key and sees exactly its visit; the day's notices print one per visit; the units record
what each visit came to and the lead units confirm; the figures and the annual
paragraph then count what was carried out and what it found; a random draw committed
before it ran is replayed by anyone from its public record; the enterprise rates its
visit and no unit key can read the rating.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.api.app import create_app
from inspection.services.access import Actor, Role
from inspection.services.demo import approve_as_heads, load_samples
from inspection.services.draws.algorithm import parse_record, verify_record
from inspection.services.reference.service import list_units
from inspection.settings import Settings
from tests.support.data import head_of
from tests.support.keyed_client import KeyedClient, wait_for_plan
from tests.support.paths import SAMPLES

WEEK = ("2024-04-08", "2024-04-14")  # the sample checklists' week
TODAY = date(2024, 4, 9)  # the week's Tuesday: its visits are recorded on the day
PUBLIC_FIELDS = {
    "code",
    "date",
    "enterprise_name",
    "lead_unit",
    "units",
    "officers",
    "items",
    "plan",
    "cancelled",
}


@pytest.fixture
def district(engine: Engine) -> Iterator[KeyedClient]:
    with Session(engine) as session:
        load_samples(
            session, Actor(name="tests", role=Role.ADMIN), SAMPLES, Settings().max_upload_bytes
        )
        session.commit()
        approve_as_heads(session, [head_of(unit.id) for unit in list_units(session)])
    app = create_app(settings=Settings(today=TODAY), engine=engine)
    with KeyedClient(app, engine) as client:
        yield client


def _as_head(api: KeyedClient, unit_id: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {api.head_key(unit_id)}"}


def _publish_week(api: KeyedClient) -> list[dict[str, Any]]:
    answer = api.post("/api/v1/plans", json={"start": WEEK[0], "end": WEEK[1], "time_limit_s": 10})
    assert answer.status_code == 202, answer.text
    location = answer.headers["location"]
    assert wait_for_plan(api, location)["status"] == "finished"
    assert api.post(f"{location}/publish").status_code == 200
    listed = api.get("/api/v1/rounds", params={"from": WEEK[0], "to": WEEK[1], "limit": 1000})
    assert listed.status_code == 200, listed.text
    # a round's inspection code is in its detail
    return [api.get(f"/api/v1/rounds/{r['id']}").json() | r for r in listed.json()]


def _record(api: KeyedClient, code: str, unit_id: str, body: dict[str, Any]) -> None:
    answer = api.put(
        f"/api/v1/visits/{code}/outcomes/{unit_id}", json=body, headers=_as_head(api, unit_id)
    )
    assert answer.status_code in (200, 201), answer.text


def _totals(api: KeyedClient) -> dict[str, Any]:
    stats = api.get("/api/v1/stats/visits", params={"from": WEEK[0], "to": WEEK[1]}).json()
    total: dict[str, Any] = stats["total"]
    return total


def test_a_published_week_is_verified_printed_recorded_counted_and_rated(
    district: KeyedClient,
) -> None:
    api = district
    rounds = _publish_week(api)
    assert rounds
    assert all(r["code"] for r in rounds)
    today = [r for r in rounds if r["date"] == TODAY.isoformat()]
    joint = [r for r in today if len(r["units"]) >= 2]
    assert len(joint) >= 2, "the sample Tuesday has joint rounds"

    # the enterprise opens its code with no key and sees its own visit, nothing more
    anonymous = TestClient(api.app)
    visit = joint[0]
    seen = anonymous.get(f"/api/v1/verify/{visit['code']}")
    assert seen.status_code == 200, seen.text
    assert set(seen.json()) == PUBLIC_FIELDS
    assert seen.json()["date"] == visit["date"]
    assert seen.json()["enterprise_name"] == visit["enterprise_name"]
    assert len(seen.json()["units"]) == len(visit["units"])
    assert visit["enterprise"] not in seen.text  # no credit code
    assert anonymous.get("/v/" + visit["code"]).status_code == 200

    # the day's notices: one per visit, each printed on its own page
    notices = api.get("/api/v1/notices", params={"day": TODAY.isoformat()}).json()
    assert sorted(n["number"] for n in notices) == sorted(r["code"] for r in today)
    page = api.get("/notices", params={"day": TODAY.isoformat()})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert all(r["code"] in page.text for r in today)

    before = _totals(api)
    assert before["basis"] == "announced"
    assert before["visits_saved"] == before["requests"] - before["rounds"]

    # the units record the joint rounds: the first found a problem, the second found none,
    # and at the last every unit stayed away (so it counts nothing)
    carried_out, not_carried_out = joint[:2], joint[2:3]
    for n, round_ in enumerate(carried_out):
        for unit_id in round_["units"]:
            found = n == 0 and unit_id == round_["lead_unit"]
            _record(
                api,
                round_["code"],
                unit_id,
                {
                    "status": "carried_out",
                    "problems_found": found,
                    "problem_note": "消防通道堵塞" if found else "",
                    "case_opened": found,
                },
            )
        lead = round_["lead_unit"]
        confirmed = api.post(
            f"/api/v1/visits/{round_['code']}/confirmation", headers=_as_head(api, lead)
        )
        assert confirmed.status_code in (200, 201), confirmed.text
    for round_ in not_carried_out:
        for unit_id in round_["units"]:
            body = {"status": "not_carried_out", "reason": "企业停业整顿"}
            _record(api, round_["code"], unit_id, body)

    after = _totals(api)
    parts = sum(len(r["units"]) for r in carried_out)
    assert after["rounds_carried_out"] == len(carried_out)
    assert after["rounds_not_carried_out"] == len(not_carried_out)
    assert after["unit_parts_carried_out"] == parts
    assert after["unit_parts_with_problems"] == 1
    assert after["problem_rate"] == pytest.approx(1 / parts, abs=5e-5)
    assert after["cases_opened"] == 1
    assert after["basis"] == "mixed"
    # announced figures stand; the headline drops what the not-carried-out round saved
    assert after["announced_visits_saved"] == before["visits_saved"]
    lost = sum(len(r["requests"]) - 1 for r in not_carried_out)
    assert after["visits_saved"] == before["visits_saved"] - lost

    report = api.get("/api/v1/reports/annual", params={"year": 2024}).json()
    assert report["rounds_carried_out"] == len(carried_out)
    assert report["problem_rate"] == pytest.approx(1 / parts, abs=5e-5)
    assert "发现问题率" in report["paragraph"]

    # the enterprise rates the visit once; a unit key cannot read the ratings
    rated = anonymous.post(f"/api/v1/verify/{visit['code']}/rating", json={"score": 4})
    assert rated.status_code == 201, rated.text
    again = anonymous.post(f"/api/v1/verify/{visit['code']}/rating", json={"score": 5})
    assert again.status_code == 409
    assert api.get("/api/v1/ratings", headers=_as_head(api, visit["lead_unit"])).status_code == 403
    assert [r["score"] for r in api.get("/api/v1/ratings").json()] == [4]


def test_a_random_draw_is_replayed_by_anyone_from_its_record(district: KeyedClient) -> None:
    api = district
    options = api.get("/api/v1/draws/options").json()
    classes = [c for c in options["risk_classes"] if c]
    draw = {
        "title": "2024年第二季度双随机抽查",
        "earliest": "2024-04-15",
        "latest": "2024-04-30",
        "quotas": [{"risk_class": classes[0], "count": 1}],
        "risk_classes": [classes[0]],
        "units": [
            {
                "unit_id": "SCJG",
                "items": [{"code": "SCJG-006"}],  # 食品经营许可情况, from the unit's catalogue
            }
        ],
    }
    committed = api.post("/api/v1/draws", json=draw, headers=_as_head(api, "SCJG"))
    assert committed.status_code == 201, committed.text
    draw_id = committed.json()["draw_id"]
    anonymous = TestClient(api.app)
    before = anonymous.get(f"/api/v1/draws/{draw_id}/record").json()
    assert before["seed"] is None
    assert before["commitment"]

    revealed = api.post(f"/api/v1/draws/{draw_id}/reveal", headers=_as_head(api, "SCJG"))
    assert revealed.status_code == 200, revealed.text
    # revealed by the unit's head: an approved checklist over the drawn enterprise
    (checklist_id,) = revealed.json()["checklist_ids"]
    checklist = api.get(f"/api/v1/checklists/{checklist_id}").json()
    assert checklist["status"] == "approved"
    (drawn,) = revealed.json()["classes"][0]["drawn"]
    assert checklist["targets"] == [drawn]
    record = anonymous.get(f"/api/v1/draws/{draw_id}/record").json()
    assert record["commitment"] == before["commitment"]  # committed before the draw
    assert verify_record(parse_record(record)).consistent
    tampered = {**record, "seed": record["seed"][:-1] + ("0" if record["seed"][-1] != "0" else "1")}
    assert not verify_record(parse_record(tampered)).consistent
