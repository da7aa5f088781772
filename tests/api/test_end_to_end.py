"""End to end over HTTP: import the sample files, plan, publish, re-plan mid-week, count.

The figures of /stats/visits must equal a count made here, independently, from
the published rounds that /rounds lists.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from fastapi.testclient import TestClient

from inspection.services.planning.models import ACTIVE_STATUSES
from tests.support.keyed_client import KeyedClient
from tests.support.paths import SAMPLES

WEEK = ("2024-04-08", "2024-04-14")


def _import(api: TestClient, what: str, name: str) -> int:
    content = (SAMPLES / name).read_bytes()
    answer = api.post(f"/api/v1/{what}/import", files={"file": (name, content)})
    assert answer.status_code == 201, answer.text
    created: int = answer.json()["created"]
    return created


def _plan(api: TestClient, start: str, end: str) -> str:
    answer = api.post("/api/v1/plans", json={"start": start, "end": end, "time_limit_s": 10})
    assert answer.status_code == 202, answer.text
    location: str = answer.headers["location"]
    deadline = time.monotonic() + 120
    while (status := api.get(location).json()["status"]) in ACTIVE_STATUSES:
        assert time.monotonic() < deadline, "the plan did not finish"
        time.sleep(0.2)
    assert status == "finished"
    return location


def _expected(rounds: list[dict[str, Any]], split: str) -> dict[str, Counter[str]]:
    """requests, rounds and checklists per group, counted from the rounds themselves."""
    counts: dict[str, Counter[str]] = {k: Counter() for k in ("requests", "rounds", "checklists")}
    first: dict[
        int, tuple[str, int, str]
    ] = {}  # checklist: (day, request, group) of its first visit
    for round_ in rounds:
        for request in round_["requests"]:
            key = {
                "unit": request["unit_id"],
                "town": round_["town"],
                "month": round_["date"][:7],
            }[split]
            counts["requests"][key] += 1
            place = (round_["date"], request["id"], key)
            first[request["checklist_id"]] = min(first.get(request["checklist_id"], place), place)
        lead_key = {
            "unit": round_["lead_unit"],
            "town": round_["town"],
            "month": round_["date"][:7],
        }
        counts["rounds"][lead_key[split]] += 1
    for _, _, key in first.values():
        counts["checklists"][key] += 1
    return counts


def test_samples_imported_over_http_planned_published_and_counted(api: KeyedClient) -> None:
    assert _import(api, "units", "units.csv") == 33
    assert _import(api, "enterprises", "enterprises.csv") == 296
    assert _import(api, "checklists", "checklists.xlsx") == 109
    # imported by the coordinator: drafts, until each unit's head approves them
    drafts = api.get("/api/v1/checklists", params={"status": "draft", "limit": 1})
    assert drafts.headers["x-total-count"] == "109"
    assert api.approve_drafts() == 109
    first_page = api.get("/api/v1/checklists")  # 100 a page unless `limit` says more
    assert (len(first_page.json()), first_page.headers["x-total-count"]) == (100, "109")
    assert len(api.get("/api/v1/checklists", params={"limit": 1000}).json()) == 109

    first = _plan(api, *WEEK)
    diff = api.get(f"{first}/diff").json()
    assert diff["kept"] == diff["removed"] == []
    assert api.post(f"{first}/publish").status_code == 200
    announced = api.get("/api/v1/rounds", params={"from": WEEK[0], "to": WEEK[1]}).json()

    # mid-week, a unit adds a checklist; re-plan Wednesday to Sunday without moving anything
    target = announced[0]["enterprise"]
    body = {
        "unit_id": "XFJY",
        "title": "消防安全临时抽查",
        "items": [{"name": "消防设施器材完好", "legal_basis": "《中华人民共和国消防法》第十六条"}],
        "targets": [target],
        "earliest": "2024-04-10",
        "latest": "2024-04-12",
    }
    assert api.post("/api/v1/checklists", json=body).status_code == 201
    second = _plan(api, "2024-04-10", WEEK[1])
    assert api.post(f"{second}/publish").status_code == 200
    rounds = api.get("/api/v1/rounds").json()
    key = [(r["enterprise"], r["date"], tuple(q["id"] for q in r["requests"])) for r in rounds]
    before = [
        (r["enterprise"], r["date"], tuple(q["id"] for q in r["requests"])) for r in announced
    ]
    assert set(before) <= set(key), "a published round moved"
    placed = [q["id"] for r in rounds for q in r["requests"]]
    assert len(placed) == len(set(placed)), "a request counted twice"

    total = api.get("/api/v1/stats/visits").json()["total"]
    assert total["requests"] == len(placed)
    assert total["rounds"] == len(rounds)
    assert total["visits_saved"] == len(placed) - len(rounds) > 0
    for split in ("unit", "town", "month"):
        stats = api.get("/api/v1/stats/visits", params={"group_by": split}).json()
        expected = _expected(rounds, split)
        for figure in ("requests", "rounds", "checklists"):
            got = {g["key"]: g[figure] for g in stats["groups"] if g[figure]}
            assert got == dict(expected[figure]), (split, figure)
        assert stats["total"] == total

    report = api.get("/api/v1/reports/annual", params={"year": 2024}).json()
    assert report["rounds"] == len(rounds)
    assert report["visits_saved"] == total["visits_saved"]
    assert report["joint_inspections"] == sum(len(set(r["units"])) >= 2 for r in rounds)
    assert report["checklists_drawn_up"] == 110
    assert f"减少对企业的入户检查{total['visits_saved']}次" in report["paragraph"]
