"""The weekly schedule over HTTP: a coordinator sets its region's, bad fields are 422 naming
the field, another region's is 404, and the drafts waiting for review are listed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.services.planning.schedule import fire_due_schedules
from inspection.services.planning.worker import run_plan
from tests.support.regions import CITY, DISTRICTS, RegionWorld, bearer

OWN, OTHER = DISTRICTS
GOOD = {"weekday": 3, "time": "09:00", "horizon_days": 7, "lead_days": 4, "time_limit_s": 5}


def test_a_coordinator_sets_and_reads_its_regions_schedule(
    api_regions: TestClient, regions: RegionWorld
) -> None:
    own = bearer(regions.coordinators[OWN])
    unset = api_regions.get("/api/v1/planning-schedule", headers=own)
    assert (unset.status_code, unset.json()) == (200, None)
    answer = api_regions.put("/api/v1/planning-schedule", json=GOOD, headers=own)
    assert answer.status_code == 200, answer.text
    shown = api_regions.get("/api/v1/planning-schedule", headers=own).json()
    assert shown["region"] == OWN
    assert (shown["weekday"], shown["time"], shown["enabled"]) == (3, "09:00", True)
    assert shown["next_moment"].endswith("+08:00")
    assert (shown["last_error"], shown["last_error_at"]) == (None, None)
    # the city's coordinator reads a district's by its code; the other district's cannot
    city = api_regions.get(
        "/api/v1/planning-schedule",
        params={"region": OWN},
        headers=bearer(regions.coordinators[CITY]),
    )
    assert city.status_code == 200
    other = bearer(regions.coordinators[OTHER])
    for answer in (
        api_regions.get("/api/v1/planning-schedule", params={"region": OWN}, headers=other),
        api_regions.put(
            "/api/v1/planning-schedule", params={"region": OWN}, json=GOOD, headers=other
        ),
    ):
        assert answer.status_code == 404
        assert answer.json()["field"] == "region"
    auditor = api_regions.get("/api/v1/planning-schedule", headers=bearer(regions.auditors[OWN]))
    assert auditor.status_code == 403


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"weekday": 7}, "weekday"),
        ({"time": "9am"}, "time"),
        ({"time": "24:00"}, "time"),
        ({"horizon_days": 0}, "horizon_days"),
        ({"horizon_days": 93}, "horizon_days"),
        ({"lead_days": 15}, "lead_days"),
        ({"time_limit_s": 0.5}, "time_limit_s"),
        ({"every": "week"}, "every"),
    ],
)
def test_a_bad_schedule_is_422_naming_its_field(
    api_regions: TestClient, regions: RegionWorld, change: dict[str, object], field: str
) -> None:
    answer = api_regions.put(
        "/api/v1/planning-schedule", json=GOOD | change, headers=bearer(regions.coordinators[OWN])
    )
    assert answer.status_code == 422
    assert answer.json()["field"] == field
    assert answer.json()["detail"].startswith(f"{field}: ")


def test_drafts_waiting_for_review_are_listed(
    api_regions: TestClient, regions: RegionWorld, engine: Engine
) -> None:
    own = bearer(regions.coordinators[OWN])
    # set now, fired a week on: one moment has come since
    api_regions.put("/api/v1/planning-schedule", json=GOOD, headers=own)
    with Session(engine) as session:
        (fired,) = fire_due_schedules(session, datetime.now(UTC) + timedelta(days=7), None)
    drafts = api_regions.get(
        "/api/v1/plans", params={"origin": "schedule", "published": "false"}, headers=own
    ).json()
    assert [(d["id"], d["origin"]) for d in drafts] == [(fired.plan_id, "schedule")]
    assert drafts[0]["scheduled_for"] == fired.moment.isoformat()
    other = api_regions.get(
        "/api/v1/plans", params={"origin": "schedule"}, headers=bearer(regions.coordinators[OTHER])
    )
    assert other.json() == []
    bad = api_regions.get("/api/v1/plans", params={"origin": "cron"}, headers=own)
    assert bad.status_code == 422
    assert bad.json()["field"] == "origin"


def test_me_counts_the_drafts_waiting_for_review(
    api_regions: TestClient, regions: RegionWorld, engine: Engine
) -> None:
    own = bearer(regions.coordinators[OWN])

    def waiting(headers: dict[str, str]) -> object:
        return api_regions.get("/api/v1/me", headers=headers).json()["plan_drafts_waiting"]

    assert waiting(own) == 0
    api_regions.put("/api/v1/planning-schedule", json=GOOD, headers=own)
    with Session(engine) as session:
        (fired,) = fire_due_schedules(session, datetime.now(UTC) + timedelta(days=7), None)
    assert fired.plan_id is not None
    assert waiting(own) == 0  # queued: nothing to review yet
    run_plan(engine, fired.plan_id)
    assert waiting(own) == 1
    assert waiting(bearer(regions.coordinators[CITY])) == 1  # the district under the city
    assert waiting(bearer(regions.coordinators[OTHER])) == 0
    assert waiting(bearer(regions.auditors[OWN])) is None
    published = api_regions.post(f"/api/v1/plans/{fired.plan_id}/publish", headers=own)
    assert published.status_code == 200, published.text
    assert waiting(own) == 0
