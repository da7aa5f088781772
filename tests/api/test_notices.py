"""The notices of joint inspection over HTTP: JSON and the A4 pages, who may read which
(the round's units yes, another unit 404, no key 401), cancelled and unknown codes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.api.app import create_app
from inspection.db.tables import InspectionCodeRow
from inspection.services.access import Actor, Role
from inspection.services.codes.qr import qr_svg
from inspection.services.notices.wording import STANDARD_DOCUMENTS, STATEMENTS
from inspection.services.trust.keys import create_key
from inspection.settings import Settings
from tests.support.data import FACTORY, FOOD_SHOP
from tests.support.notices_world import (
    CONTACT,
    FOOD_SHOP_ADDRESS,
    NoticesWeek,
    publish_notices_week,
)

PUBLIC_URL = "https://plan.example.gov.cn"
_ISSUER = Actor(name="tests", role=Role.ADMIN)


@pytest.fixture
def world(engine: Engine) -> Iterator[tuple[TestClient, NoticesWeek, dict[str, dict[str, str]]]]:
    """A plain client over the published week, and the headers of a key per reader."""
    week = publish_notices_week(engine)
    with Session(engine) as session:
        keys = {
            "coordinator": create_key(session, _ISSUER, Role.COORDINATOR).key,
            "auditor": create_key(session, _ISSUER, Role.AUDITOR).key,
            "admin": create_key(session, _ISSUER, Role.ADMIN).key,
            "SCJG": create_key(session, _ISSUER, Role.UNIT, "SCJG").key,
            "XFJY": create_key(session, _ISSUER, Role.UNIT, "XFJY").key,
        }
    headers = {name: {"Authorization": f"Bearer {key}"} for name, key in keys.items()}
    app = create_app(Settings(public_url=PUBLIC_URL), engine)
    with TestClient(app) as client:
        yield client, week, headers


def test_the_json_notice_and_its_page_say_the_same(
    world: tuple[TestClient, NoticesWeek, dict[str, dict[str, str]]],
) -> None:
    client, week, headers = world
    code, day = week.code_at(FOOD_SHOP)
    answer = client.get(f"/api/v1/notices/{code}", headers=headers["XFJY"])
    assert answer.status_code == 200, answer.text
    notice = answer.json()
    assert notice["number"] == code
    assert notice["date"] == day.isoformat()
    assert notice["contact"] == CONTACT
    assert notice["verification_url"] == f"{PUBLIC_URL}/v/{code}"
    page = client.get(f"/notices/{code}", headers=headers["XFJY"])
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in page.headers["content-security-policy"]
    html = page.text
    assert html.count('<article class="notice"') == 1
    for text in (
        "联合检查通知书",
        code,
        "小吃店",
        FOOD_SHOP_ADDRESS,
        CONTACT,
        "区市场监督管理局",
        "区消防救援大队",
        *STANDARD_DOCUMENTS,
        *STATEMENTS,
        f"{PUBLIC_URL}/v/{code}",
    ):
        assert text in html.replace("&quot;", '"'), text
    for unit in notice["units"]:
        for officer in unit["officers"]:
            assert officer["name"] in html
            assert officer["badge_number"] in html
        for item in unit["items"]:
            assert item["name"] in html
            assert item["legal_basis"] in html
    # the QR code is inline, of the verification page's full address
    inline = qr_svg(f"{PUBLIC_URL}/v/{code}", standalone=False).decode()
    assert inline in html
    assert FACTORY not in html
    assert "食品厂" not in html


def test_who_may_read_a_notice(
    world: tuple[TestClient, NoticesWeek, dict[str, dict[str, str]]],
) -> None:
    client, week, headers = world
    shop, _ = week.code_at(FOOD_SHOP)
    factory, _ = week.code_at(FACTORY)
    for path in (f"/api/v1/notices/{factory}", f"/notices/{factory}"):
        for reader in ("coordinator", "auditor", "SCJG"):
            assert client.get(path, headers=headers[reader]).status_code == 200, (path, reader)
        hidden = client.get(path, headers=headers["XFJY"])  # not in the factory's round
        assert hidden.status_code == 404
        assert hidden.json()["detail"] == "未找到该检查码"
        assert client.get(path).status_code == 401
        assert client.get(path, headers=headers["admin"]).status_code == 403
    unknown = client.get("/api/v1/notices/ZZZZ-ZZZZ-ZZZZ", headers=headers["coordinator"])
    assert unknown.status_code == 404
    assert (
        unknown.json() == client.get(f"/api/v1/notices/{factory}", headers=headers["XFJY"]).json()
    )
    assert client.get(f"/notices/{shop}", headers=headers["XFJY"]).status_code == 200


def test_a_cancelled_visit_is_409_in_both_forms(
    world: tuple[TestClient, NoticesWeek, dict[str, dict[str, str]]], engine: Engine
) -> None:
    client, week, headers = world
    code, day = week.code_at(FOOD_SHOP)
    with Session(engine) as session:
        row = session.get(InspectionCodeRow, code)
        assert row is not None
        row.cancelled_at = datetime.now(UTC)
        session.add(row)
        session.commit()
    for path in (f"/api/v1/notices/{code}", f"/notices/{code}"):
        refused = client.get(path, headers=headers["coordinator"])
        assert refused.status_code == 409
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["detail"] == "该检查已取消，不出具检查通知书"
        assert refused.json()["field"] == "code"
    listed = client.get(f"/api/v1/notices?day={day}", headers=headers["coordinator"]).json()
    assert code not in [n["number"] for n in listed]


def test_a_day_s_notices_one_article_each(
    world: tuple[TestClient, NoticesWeek, dict[str, dict[str, str]]],
) -> None:
    client, week, headers = world
    shop, day = week.code_at(FOOD_SHOP)
    expected = sorted(c for (_, d), c in week.codes.items() if d == day)
    listed = client.get(f"/api/v1/notices?day={day}", headers=headers["auditor"])
    assert listed.status_code == 200
    assert sorted(n["number"] for n in listed.json()) == expected
    page = client.get(f"/notices?day={day}", headers=headers["coordinator"])
    assert page.status_code == 200
    assert page.text.count('<article class="notice"') == len(expected)
    assert f"共 {len(expected)} 份" in page.text
    own = client.get(f"/notices?day={day}&unit=SCJG", headers=headers["XFJY"])  # its own only
    assert own.text.count('<article class="notice"') == 1
    assert shop in own.text
    empty = client.get("/notices?day=2024-01-01", headers=headers["coordinator"])
    assert empty.status_code == 200
    assert "这一天没有可以出具通知书的已发布联合检查" in empty.text
    assert "<article" not in empty.text


@pytest.mark.parametrize(
    ("query", "field"),
    [("", "day"), ("?day=2024-13-01", "day"), ("?day=2024-06-03&unit=NOPE", "unit")],
)
def test_bad_days_and_units_name_their_field(
    world: tuple[TestClient, NoticesWeek, dict[str, dict[str, str]]], query: str, field: str
) -> None:
    client, _, headers = world
    for path in ("/api/v1/notices", "/notices"):
        answer = client.get(f"{path}{query}", headers=headers["coordinator"])
        assert answer.status_code in (404, 422), answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        problem = answer.json()
        named = [problem.get("field"), *(e.get("field") for e in problem.get("errors", []))]
        assert any(f and f.endswith(field) for f in named), problem
