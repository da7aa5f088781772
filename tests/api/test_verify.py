"""The public inspection code routes: no key, exactly the visit's allowed facts, one answer
for every code that names nothing, a per-address rate limit, and a QR of the page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from inspection.api.app import create_app
from inspection.api.rate_limit import TokenBuckets
from inspection.db.tables import EnterpriseRow, InspectionCodeRow, PlanRoundRow
from inspection.services.codes.issue import ALPHABET, new_code
from inspection.services.codes.qr import qr_svg
from inspection.services.planning.use_cases import publish_plan
from inspection.settings import Settings
from tests.support.data import ACTOR
from tests.support.keyed_client import KeyedClient
from tests.support.officers import WEEK_ROSTER, store_week_roster
from tests.support.world import fill_week, plan_week

PUBLIC_URL = "https://plan.example.gov.cn"
# every key the JSON answer may have, by its path (lists marked [])
ALLOWED_KEYS = {
    "code",
    "date",
    "enterprise_name",
    "lead_unit",
    "units",
    "officers",
    "officers[].unit",
    "officers[].name",
    "officers[].badge_number",
    "items",
    "items[].unit",
    "items[].name",
    "items[].legal_basis",
    "plan",
    "plan.number",
    "plan.horizon_start",
    "plan.horizon_end",
    "cancelled",
}


def _keys(value: Any, path: str = "") -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else key
            found |= {here} | _keys(item, here)
    elif isinstance(value, list):
        for item in value:
            found |= _keys(item, f"{path}[]")
    return found


def _published_with_officers(engine: Engine) -> int:
    with Session(engine) as session:
        fill_week(session)
        store_week_roster(session)
    plan_id = plan_week(engine).id
    with Session(engine) as session:
        publish_plan(session, ACTOR, plan_id)
    return plan_id


@pytest.fixture
def public(engine: Engine) -> Iterator[tuple[TestClient, int]]:
    """A plain client (it sends no key) over the published week with its roster."""
    plan_id = _published_with_officers(engine)
    app = create_app(Settings(public_url=PUBLIC_URL, public_requests_per_minute=1000), engine)
    with TestClient(app) as client:
        yield client, plan_id


def _codes(engine: Engine) -> dict[str, InspectionCodeRow]:
    with Session(engine) as session:
        return {row.code: row for row in session.exec(select(InspectionCodeRow))}


def test_a_code_shows_exactly_its_visit_without_a_key(
    public: tuple[TestClient, int], engine: Engine
) -> None:
    client, plan_id = public
    codes = _codes(engine)
    assert codes
    with Session(engine) as session:
        enterprises = {e.credit_code: e.name for e in session.exec(select(EnterpriseRow))}
    badges = {badge: name for _, name, badge in WEEK_ROSTER}
    seen_officers = False
    for code, row in codes.items():
        answer = client.get(f"/api/v1/verify/{code}")
        assert answer.status_code == 200, answer.text
        body = answer.json()
        keys = _keys(body)
        assert keys <= ALLOWED_KEYS, keys - ALLOWED_KEYS
        assert {k for k in ALLOWED_KEYS if "[]" not in k} <= keys
        assert body["code"] == code
        assert body["date"] == row.day.isoformat()
        assert body["enterprise_name"] == enterprises[row.credit_code]
        assert body["plan"] == {
            "number": plan_id,
            "horizon_start": "2024-06-03",
            "horizon_end": "2024-06-09",
        }
        assert body["cancelled"] is False
        assert body["units"][0] == body["lead_unit"]
        assert body["items"]
        assert all(i["legal_basis"] for i in body["items"])
        for officer in body["officers"]:
            assert badges[officer["badge_number"]] == officer["name"]
            assert officer["unit"] in body["units"]
            seen_officers = True
        # the page: the same facts, nothing of another enterprise, no internal ids
        page = client.get(f"/v/{code}")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        html = page.text
        assert body["enterprise_name"] in html
        assert code in html
        assert all(unit in html for unit in body["units"])
        assert all(o["badge_number"] in html for o in body["officers"])
        assert all(i["legal_basis"] in html for i in body["items"])
        assert "该检查已取消" not in html
        for credit_code, name in enterprises.items():
            assert credit_code not in html  # not even its own: the page needs none
            if credit_code != row.credit_code:
                assert name not in html
        assert "request" not in html.lower()
        assert "round" not in html.lower()
        assert f"/v/{code}/qr.svg" in html
    assert seen_officers  # the roster was drawn, so some visit lists its officers


def test_unknown_and_malformed_codes_get_the_same_answer(
    public: tuple[TestClient, int], engine: Engine
) -> None:
    client, _ = public
    real = next(iter(_codes(engine)))
    near = real[:-1] + next(c for c in ALPHABET if c != real[-1])  # one character off
    answers = []
    for code in (near, new_code(), "AAAA", "not-a-code-at-all", "K7QM-2XHD-9PZU", "%20"):
        api = client.get(f"/api/v1/verify/{code}")
        assert api.status_code == 404
        assert api.headers["content-type"].startswith("application/problem+json")
        assert api.json()["detail"] == "未找到该检查码"
        answers.append(sorted(api.json().items()))
        page = client.get(f"/v/{code}")
        assert page.status_code == 404
        assert "未找到该检查码" in page.text
        assert code not in page.text or code == "%20"  # the page does not echo what was tried
        assert client.get(f"/v/{code}/qr.svg").status_code == 404
    assert all(answer == answers[0] for answer in answers)  # word for word the same
    # the code is read as typed: lower case and without hyphens it is the same code
    assert client.get(f"/api/v1/verify/{real.lower().replace('-', '')}").json()["code"] == real


def test_the_qr_code_encodes_the_page_s_full_address(
    public: tuple[TestClient, int], engine: Engine
) -> None:
    client, _ = public
    code = next(iter(_codes(engine)))
    answer = client.get(f"/v/{code}/qr.svg")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/svg+xml"
    assert answer.content == qr_svg(f"{PUBLIC_URL}/v/{code}")
    assert b"<svg" in answer.content
    assert answer.content != qr_svg(f"{PUBLIC_URL}/v/{new_code()}")


def test_a_cancelled_visit_s_code_says_so(public: tuple[TestClient, int], engine: Engine) -> None:
    from datetime import UTC, datetime

    client, _ = public
    code, _row = next(iter(_codes(engine).items()))
    with Session(engine) as session:
        row = session.get(InspectionCodeRow, code)
        assert row is not None
        row.cancelled_at = datetime.now(UTC)
        session.add(row)
        session.commit()
    assert client.get(f"/api/v1/verify/{code}").json()["cancelled"] is True
    assert "该检查已取消" in client.get(f"/v/{code}").text


def test_the_public_routes_are_rate_limited_per_address(engine: Engine) -> None:
    _published_with_officers(engine)
    code = next(iter(_codes(engine)))
    app = create_app(Settings(public_requests_per_minute=3), engine)
    with TestClient(app) as client:
        paths = [f"/api/v1/verify/{code}", f"/v/{code}", f"/v/{code}/qr.svg"]
        assert [client.get(p).status_code for p in paths] == [200, 200, 200]
        refused = client.get(f"/api/v1/verify/{new_code()}")  # guesses spend tokens too
        assert refused.status_code == 429
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert client.get(f"/v/{code}").status_code == 429
        assert client.get("/api/v1/health").status_code == 200  # only the code routes


def test_a_bucket_refills_over_the_minute() -> None:
    now = [0.0]
    buckets = TokenBuckets(30, clock=lambda: now[0])
    assert all(buckets.take("10.0.0.1") for _ in range(30))
    assert not buckets.take("10.0.0.1")
    assert buckets.take("10.0.0.2")  # another address has its own bucket
    now[0] = 2.0  # one token every two seconds
    assert buckets.take("10.0.0.1")
    assert not buckets.take("10.0.0.1")
    now[0] = 600.0
    assert sum(buckets.take("10.0.0.1") for _ in range(40)) == 30  # never more than full


def test_staff_see_the_code_of_a_published_round_only(engine: Engine) -> None:
    plan_id = _published_with_officers(engine)
    draft = plan_week(engine).id  # a re-plan not published
    with Session(engine) as session:
        published = session.exec(
            select(PlanRoundRow).where(col(PlanRoundRow.plan_id) == plan_id)
        ).first()
        unpublished = session.exec(
            select(PlanRoundRow).where(col(PlanRoundRow.plan_id) == draft)
        ).first()
    assert published is not None
    assert unpublished is not None
    codes = {row.round_id: code for code, row in _codes(engine).items()}
    with KeyedClient(create_app(engine=engine), engine) as client:
        shown = client.get(f"/api/v1/rounds/{published.id}").json()
        assert shown["code"] == codes[published.id or 0]
        assert client.get(f"/api/v1/rounds/{unpublished.id}").json()["code"] is None
