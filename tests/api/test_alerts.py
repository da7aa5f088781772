"""GET /alerts: the repeat warnings over HTTP, scoped for a unit key."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from inspection.api.app import create_app
from tests.support.alerts_world import E1, E2, E4, build_alerts_world
from tests.support.keyed_client import KeyedClient


@pytest.fixture
def api_alerts(engine: Engine) -> Iterator[KeyedClient]:
    build_alerts_world(engine)
    with KeyedClient(create_app(engine=engine), engine) as client:
        yield client


def _enterprises(body: dict[str, object], key: str) -> set[str]:
    alerts = body[key]
    assert isinstance(alerts, list)
    return {a["enterprise"]["credit_code"] for a in alerts}


def test_both_lists_and_one_kind(api_alerts: KeyedClient) -> None:
    answer = api_alerts.get("/api/v1/alerts")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["window_days"] == 60
    assert _enterprises(body, "repeats") == {E1, E2}
    assert _enterprises(body, "missed_joins") == {E1}
    assert body["missed_joins"][0]["requests"][0]["unit"] == "XFJY"
    only = api_alerts.get("/api/v1/alerts", params={"kind": "missed_join"}).json()
    assert only["repeats"] == []
    assert _enterprises(only, "missed_joins") == {E1}
    wide = api_alerts.get("/api/v1/alerts", params={"window_days": 63, "town": "凤城街道"}).json()
    assert _enterprises(wide, "repeats") == {E1, E4}


def test_a_unit_key_sees_its_own_rounds_alerts(api_alerts: KeyedClient) -> None:
    hbj = {"Authorization": f"Bearer {api_alerts.head_key('HBJ')}"}
    # HBJ's one round (E4, 08-05) is 63 days after the one before it: nothing at 60
    mine = api_alerts.get("/api/v1/alerts", params={"unit": "XFJY"}, headers=hbj)
    assert mine.status_code == 200, mine.text
    assert mine.json()["repeats"] == []
    assert mine.json()["missed_joins"] == []
    assert mine.json()["unit"] == "HBJ"
    wide = api_alerts.get("/api/v1/alerts", params={"window_days": 63}, headers=hbj).json()
    assert _enterprises(wide, "repeats") == {E4}
    xfjy = {"Authorization": f"Bearer {api_alerts.head_key('XFJY')}"}
    assert _enterprises(api_alerts.get("/api/v1/alerts", headers=xfjy).json(), "repeats") == {
        E1,
        E2,
    }


@pytest.mark.parametrize("window", ["0", "367", "sixty"])
def test_bad_window_names_the_field(api_alerts: KeyedClient, window: str) -> None:
    answer = api_alerts.get("/api/v1/alerts", params={"window_days": window})
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["field"] == "window_days"


def test_bad_kind_and_range(api_alerts: KeyedClient) -> None:
    assert api_alerts.get("/api/v1/alerts", params={"kind": "other"}).json()["field"] == "kind"
    reversed_ = api_alerts.get("/api/v1/alerts", params={"from": "2024-07-01", "to": "2024-06-01"})
    assert reversed_.status_code == 422
    assert reversed_.json()["field"] == "to"
