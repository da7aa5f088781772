"""The enterprise rates a visit once with its code, without a key; supervisors read the
ratings, a unit only its own aggregate over five ratings or more; every rating is audited."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from inspection.api.app import create_app
from inspection.db.tables import VisitRatingRow
from inspection.services.codes.issue import new_code
from inspection.services.ratings.models import MIN_RATINGS_FOR_UNITS
from inspection.settings import Settings
from tests.support.keyed_client import KeyedClient
from tests.support.ratings_world import add_codes, cancel_code, codes_of_unit, move_code, unit_key
from tests.support.world import run_published_week

UNIT = "SCJG"


@dataclass
class World:
    client: KeyedClient  # keyed: coordinator by default
    public: TestClient  # no key at all
    engine: Engine
    codes: list[str]  # the codes of UNIT's visits


@pytest.fixture
def world(engine: Engine) -> Iterator[World]:
    run_published_week(engine)
    app = create_app(Settings(public_requests_per_minute=1000), engine)
    with KeyedClient(app, engine) as client, TestClient(app) as public:
        add_codes(engine, codes_of_unit(engine, UNIT)[0], 6)
        codes = codes_of_unit(engine, UNIT)
        assert len(codes) >= MIN_RATINGS_FOR_UNITS + 1, codes
        yield World(client, public, engine, codes)


def _rate(world: World, code: str, **body: object) -> Any:
    return world.public.post(f"/api/v1/verify/{code}/rating", json={"score": 4, **body})


def _as(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_a_visit_is_rated_once_without_a_key(world: World) -> None:
    code = world.codes[0]
    first = world.public.post(
        f"/api/v1/verify/{code}/rating",
        json={"score": 2, "comment": "  等待时间较长  ", "complaint": "检查人员未出示证件"},
    )
    assert first.status_code == 201, first.text
    assert first.json()["code"] == code
    second = world.public.post(f"/api/v1/verify/{code}/rating", json={"score": 5})
    assert second.status_code == 409
    assert second.headers["content-type"].startswith("application/problem+json")
    assert second.json()["detail"] == "该检查已评价"
    with Session(world.engine) as session:
        stored = session.get(VisitRatingRow, code)
        assert stored is not None
        assert (stored.score, stored.comment) == (2, "等待时间较长")  # trimmed, first kept
    rows = world.client.get("/api/v1/ratings").json()
    assert [(r["code"], r["score"], r["has_complaint"]) for r in rows] == [(code, 2, True)]
    assert rows[0]["enterprise_name"]
    assert UNIT in rows[0]["units"]


def test_no_rating_before_the_day_or_for_a_cancelled_visit(world: World) -> None:
    early, cancelled = world.codes[0], world.codes[1]
    move_code(world.engine, early, date.today() + timedelta(days=30))
    answer = _rate(world, early)
    assert answer.status_code == 409
    assert "当天起才能评价" in answer.json()["detail"]
    cancel_code(world.engine, cancelled)
    answer = _rate(world, cancelled)
    assert answer.status_code == 409
    assert answer.json()["detail"] == "该检查已取消，无需评价"
    assert world.client.get("/api/v1/ratings").json() == []


def test_an_unknown_code_gets_verify_s_answer(world: World) -> None:
    for code in (new_code(), "AAAA", world.codes[0][:-1] + "Z" * (world.codes[0][-1] != "Z")):
        if code in world.codes:
            continue
        rated = _rate(world, code)
        verified = world.public.get(f"/api/v1/verify/{code}")
        assert rated.status_code == verified.status_code == 404
        assert sorted(rated.json().items()) == sorted(verified.json().items())


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"score": 0}, "score"),
        ({"score": 6}, "score"),
        ({"score": "很好"}, "score"),
        ({}, "score"),
        ({"score": 3, "comment": "好" * 501}, "comment"),
        ({"score": 3, "complaint": "差" * 1001}, "complaint"),
        ({"score": 3, "comment": "好\u202e评"}, "comment"),
        ({"score": 3, "extra": 1}, "extra"),
    ],
)
def test_bad_ratings_are_refused_naming_the_field(
    world: World, body: dict[str, object], field: str
) -> None:
    answer = world.public.post(f"/api/v1/verify/{world.codes[0]}/rating", json=body)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["field"] == field
    assert world.client.get("/api/v1/ratings").json() == []  # nothing stored


def test_a_unit_key_cannot_read_ratings(world: World) -> None:
    _rate(world, world.codes[0], complaint="态度粗暴")
    key = unit_key(world.engine, UNIT)
    for path in ("/api/v1/ratings", "/api/v1/ratings?unit=SCJG", "/api/v1/audit"):
        answer = world.client.get(path, headers=_as(key))
        assert answer.status_code == 403, path
    assert world.client.get("/api/v1/ratings", headers=_as(world.client.keys["auditor"])).json()


def test_a_unit_sees_its_aggregate_only_from_five_ratings_in_blocks_of_five(
    world: World,
) -> None:
    key = unit_key(world.engine, UNIT)
    scores = [5, 4, 1, 3, 2, 5]
    for code, score in zip(world.codes[:4], scores, strict=False):
        assert _rate(world, code, score=score).status_code == 201
    summary = world.client.get("/api/v1/ratings/summary?year=2024", headers=_as(key)).json()
    assert summary["district"] is None
    [own] = summary["units"]
    assert own == {
        "unit_id": UNIT,
        "unit_name": own["unit_name"],
        "withheld": True,
        "count": None,
        "count_text": "不足5条",
        "mean_score": None,
        "distribution": None,
        "complaints": None,
    }
    assert _rate(world, world.codes[4], score=scores[4], complaint="超时").status_code == 201
    [own] = world.client.get("/api/v1/ratings/summary?year=2024", headers=_as(key)).json()["units"]
    assert (own["withheld"], own["count"], own["mean_score"]) == (False, 5, 3.0)
    assert own["distribution"] == [1, 1, 1, 1, 1]
    assert own["complaints"] == 1
    # a sixth rating does not change the unit's answer: it would tell that one rating apart
    assert _rate(world, world.codes[5], score=scores[5]).status_code == 201
    [again] = world.client.get("/api/v1/ratings/summary?year=2024", headers=_as(key)).json()[
        "units"
    ]
    assert again == own
    # supervisors see every rating, and the district
    full = world.client.get("/api/v1/ratings/summary?year=2024").json()
    mine = next(u for u in full["units"] if u["unit_id"] == UNIT)
    assert (mine["count"], mine["distribution"]) == (6, [1, 1, 1, 1, 2])
    assert full["district"]["count"] == 6
    # another year has nothing, and a unit has no narrower period to ask for
    other = world.client.get("/api/v1/ratings/summary?year=2023", headers=_as(key)).json()
    assert other["units"][0]["withheld"] is True


def test_the_list_filters_and_puts_complaints_first(world: World) -> None:
    _rate(world, world.codes[0], score=5)
    _rate(world, world.codes[1], score=1, complaint="索要财物")
    rows = world.client.get("/api/v1/ratings").json()
    assert [r["has_complaint"] for r in rows] == [True, False]
    answer = world.client.get("/api/v1/ratings?complaints=true")
    assert [r["code"] for r in answer.json()] == [world.codes[1]]
    assert answer.headers["X-Total-Count"] == "1"
    assert world.client.get("/api/v1/ratings?from=2030-01-01").json() == []
    assert world.client.get("/api/v1/ratings?town=无此镇街").json() == []
    town = rows[0]["town"]
    assert all(r["town"] == town for r in world.client.get(f"/api/v1/ratings?town={town}").json())


def test_a_rating_is_audited_under_its_code(world: World) -> None:
    code = world.codes[0]
    _rate(world, code, score=3, comment="一般")
    entries = world.client.get("/api/v1/audit?entity=visit_ratings").json()
    assert [(e["action"], e["entity_id"]) for e in entries] == [("rating.give", code)]
    assert entries[0]["after"]["score"] == 3
    assert entries[0]["actor"] == "system:code-holder"  # no key, nobody named
    assert world.client.get("/api/v1/audit/verify").json()["first_broken"] is None


def test_the_page_offers_the_form_and_says_rated_afterwards(world: World) -> None:
    code = world.codes[0]
    page = world.public.get(f"/v/{code}")
    assert page.status_code == 200
    assert f'action="/v/{code}/rating"' in page.text
    assert "form-action 'self'" in page.headers["content-security-policy"]
    refused = world.public.post(f"/v/{code}/rating", data={"comment": "很好"})
    assert refused.status_code == 422
    assert "评分" in refused.text
    assert "很好" in refused.text
    for bad in ({"score": "9"}, {"score": "4", "comment": "a\x00b"}, {"score": "4\x00"}):
        answer = world.public.post(f"/v/{code}/rating", data=bad)
        assert answer.status_code == 422, bad  # never a 500, on PostgreSQL neither
        assert "<form" in answer.text
    posted = world.public.post(
        f"/v/{code}/rating", data={"score": "4", "comment": "规范"}, follow_redirects=False
    )
    assert posted.status_code == 303
    assert posted.headers["location"] == f"/v/{code}"
    after = world.public.get(f"/v/{code}").text
    assert "已评价" in after
    assert "<form" not in after
    assert "规范" not in after  # the page never shows the rating: officers hold the code too
    again = world.public.post(f"/v/{code}/rating", data={"score": "1"})
    assert again.status_code == 409
    assert "该检查已评价" in again.text
    move_code(world.engine, world.codes[1], date.today() + timedelta(days=3))
    assert "<form" not in world.public.get(f"/v/{world.codes[1]}").text
    cancel_code(world.engine, world.codes[2])
    assert "<form" not in world.public.get(f"/v/{world.codes[2]}").text
    with Session(world.engine) as session:
        assert len(session.exec(select(VisitRatingRow)).all()) == 1


def test_rating_takes_the_public_routes_tokens(engine: Engine) -> None:
    run_published_week(engine)
    [code, *_] = codes_of_unit(engine, UNIT)
    app = create_app(Settings(public_requests_per_minute=2), engine)
    with TestClient(app) as public:
        assert public.get(f"/api/v1/verify/{code}").status_code == 200
        assert public.post(f"/api/v1/verify/{code}/rating", json={"score": 3}).status_code == 201
        refused = public.post(f"/api/v1/verify/{code}/rating", json={"score": 3})
        assert refused.status_code == 429
        assert public.post(f"/v/{code}/rating", data={"score": "3"}).status_code == 429
