"""End to end over HTTP with the rules of lawful inspection, on SQLite and PostgreSQL.

A district sets up its catalogue, a yearly cap and a roster; a unit's staff submit
checklists that wait for the head's approval; two weeks are planned and published
in turn: only approved checklists are planned, the caps are counted across both
published weeks, a cap used up in the first week keeps a request out of the
second (CAP_REACHED), a target whose cap is used up is refused on submission, and
the published rounds name their officers, never the one whose certificate expired.
"""

from __future__ import annotations

from typing import Any

from tests.support.data import FACTORY, FOOD_SHOP
from tests.support.keyed_client import KeyedClient, wait_for_plan

WEEK_1 = ("2024-06-03", "2024-06-09")
WEEK_2 = ("2024-06-10", "2024-06-16")
ITEM = {"name": "食品经营许可情况", "legal_basis": "《中华人民共和国食品安全法》第三十五条"}


def _setup(api: KeyedClient) -> None:
    for unit_id, name in (("SCJG", "区市场监督管理局"), ("XFJY", "区消防救援大队")):
        unit = {"id": unit_id, "name": name, "weekday_capacity": [3] * 5 + [0, 0]}
        assert api.post("/api/v1/units", json=unit).status_code == 201
    for code, name in ((FOOD_SHOP, "小吃店"), (FACTORY, "食品厂")):
        body = {"credit_code": code, "name": name, "town": "凤城街道"}
        assert api.post("/api/v1/enterprises", json=body).status_code == 201
    item = {"code": "SCJG-001", **ITEM, "level": "county", "category": "routine"}
    assert api.post("/api/v1/units/SCJG/catalogue/items", json=item).status_code == 201
    published = api.post(
        "/api/v1/units/SCJG/catalogue/publish", json={"effective_from": "2024-01-01"}
    )
    assert published.status_code == 201, published.text
    # the market regulator may inspect an enterprise once a year; all units together twice
    for rule in (
        {"unit_id": "SCJG", "yearly_limit": 1, "basis": "市场监管频次上限"},
        {"unit_id": None, "yearly_limit": 2, "basis": "全区涉企检查频次上限"},
    ):
        assert api.post("/api/v1/rules/caps", json=rule).status_code == 201
    for name, badge, expires in (
        ("陈志明", "44180020240031", "2027-06-30"),
        ("李晓燕", "44180020240032", "2027-06-30"),
        ("王建华", "44180020240033", "2024-05-31"),  # expired before the weeks planned
    ):
        body = {
            "unit_id": "SCJG",
            "name": name,
            "badge_number": badge,
            "certificate_expires": expires,
        }
        assert api.post("/api/v1/officers", json=body).status_code == 201


def _staff_key(api: KeyedClient, unit_id: str) -> dict[str, str]:
    """The headers of a unit's staff key (not its head's): what it submits is a draft."""
    issued = api.post(
        "/api/v1/keys", json={"name": f"{unit_id}-staff", "role": "unit", "unit_id": unit_id}
    )
    assert issued.status_code == 201, issued.text
    return {"Authorization": f"Bearer {issued.json()['key']}"}


def _checklist(unit_id: str, targets: list[str], week: tuple[str, str], **more: Any) -> Any:
    return {
        "unit_id": unit_id,
        "title": f"{unit_id}联合检查",
        "items": [ITEM] if unit_id == "SCJG" else [{"name": "消防设施", "legal_basis": "消防法"}],
        "targets": targets,
        "earliest": week[0],
        "latest": week[1],
        **more,
    }


def _plan(api: KeyedClient, week: tuple[str, str]) -> str:
    answer = api.post("/api/v1/plans", json={"start": week[0], "end": week[1], "time_limit_s": 10})
    assert answer.status_code == 202, answer.text
    location: str = answer.headers["location"]
    assert wait_for_plan(api, location)["status"] == "finished"
    return location


def test_two_lawful_weeks_over_http(api: KeyedClient) -> None:
    _setup(api)
    staff = _staff_key(api, "SCJG")

    # an item the unit never published is refused, naming it
    unlisted = _checklist(
        "SCJG", [FOOD_SHOP], WEEK_1, items=[{"name": "广告招牌", "legal_basis": "广告法"}]
    )
    refused = api.post("/api/v1/checklists", json=unlisted, headers=staff)
    assert refused.status_code == 422
    assert refused.json()["field"] == "items[0].name"

    # the staff's checklist waits for the head: a plan of the week leaves it out
    draft = api.post(
        "/api/v1/checklists", json=_checklist("SCJG", [FOOD_SHOP, FACTORY], WEEK_1), headers=staff
    )
    assert draft.status_code == 201, draft.text
    assert draft.json()["status"] == "draft"
    not_yet = _plan(api, WEEK_1)
    assert api.get(f"{not_yet}/rounds").json() == []
    assert api.approve_drafts() == 1

    # next week's checklist, sent before the first week uses the cap up
    later = api.post(
        "/api/v1/checklists", json=_checklist("SCJG", [FOOD_SHOP], WEEK_2), headers=staff
    )
    assert later.status_code == 201, later.text
    assert api.approve_drafts() == 1
    first = _plan(api, WEEK_1)
    assert api.post(f"{first}/publish").status_code == 200
    week_1 = api.get("/api/v1/rounds", params={"from": WEEK_1[0], "to": WEEK_1[1]}).json()
    assert {r["enterprise"] for r in week_1} == {FOOD_SHOP, FACTORY}
    for round_ in week_1:
        officers = round_["officers"]
        assert len(officers) == 2
        assert {o["unit"] for o in officers} == {"SCJG"}
        names = {(o["name"], o["badge_number"]) for o in officers}
        assert names == {("陈志明", "44180020240031"), ("李晓燕", "44180020240032")}

    # the unit's cap is used up now: a new target there is refused, with the rule and count
    used_up = api.post("/api/v1/checklists", json=_checklist("SCJG", [FACTORY], WEEK_2))
    assert used_up.status_code == 409
    assert used_up.json()["field"] == "targets[0]"
    assert "市场监管频次上限" in used_up.json()["detail"]
    # another unit may still visit: the enterprise-wide cap has one left
    fire = api.post("/api/v1/checklists", json=_checklist("XFJY", [FOOD_SHOP], WEEK_2))
    assert fire.status_code == 201, fire.text

    second = _plan(api, WEEK_2)
    left = api.get(f"{second}/unscheduled").json()
    assert [(u["unit_id"], u["enterprise"], u["code"]) for u in left] == [
        ("SCJG", FOOD_SHOP, "CAP_REACHED")
    ]
    assert api.post(f"{second}/publish").status_code == 200
    week_2 = api.get("/api/v1/rounds", params={"from": WEEK_2[0], "to": WEEK_2[1]}).json()
    assert [(r["enterprise"], r["units"]) for r in week_2] == [(FOOD_SHOP, ["XFJY"])]
    assert week_2[0]["officers"] == []  # the fire brigade has no roster: it needs none

    # the caps counted across both published weeks, as the desk shows them
    caps = api.get(f"/api/v1/enterprises/{FOOD_SHOP}/caps", params={"year": 2024}).json()
    shown = {(c["unit_id"], c["used"], c["left"]) for c in caps["caps"]}
    assert shown == {("SCJG", 1, 0), (None, 2, 0)}
