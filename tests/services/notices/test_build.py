"""Notices of joint inspection built from a visit's code: exactly the fields a notice lists,
nothing of another enterprise, each reader's visits only, none for a cancelled visit."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.db.tables import InspectionCodeRow
from inspection.errors import ConflictError, NotFoundError
from inspection.services.access import Actor, Role
from inspection.services.notices.build import CANCELLED, day_notices, notice_of_code
from inspection.services.notices.wording import STANDARD_DOCUMENTS, STATEMENTS
from tests.support.data import FACTORY, FOOD_SHOP
from tests.support.notices_world import (
    CONTACT,
    FOOD_SHOP_ADDRESS,
    SCJG_DOCUMENTS,
    SCJG_ITEMS,
    publish_notices_week,
)
from tests.support.officers import WEEK_ROSTER

BASE = "https://plan.example.gov.cn"
COORDINATOR = Actor(name="协调", role=Role.COORDINATOR)
AUDITOR = Actor(name="督察", role=Role.AUDITOR)
ADMIN = Actor(name="管理", role=Role.ADMIN)
FIRE = Actor(name="消防", role=Role.UNIT, unit_id="XFJY")
CONTEXT = {"district": "清城区", "base_url": BASE}


def test_a_joint_visit_s_notice_lists_exactly_its_facts(engine: Engine) -> None:
    week = publish_notices_week(engine)
    code, day = week.code_at(FOOD_SHOP)
    with Session(engine) as session:
        notice = notice_of_code(session, COORDINATOR, code.lower().replace("-", ""), **CONTEXT)
    assert notice.number == code
    assert notice.district == "清城区"
    assert notice.date == day
    assert (notice.enterprise_name, notice.enterprise_address, notice.town) == (
        "小吃店",
        FOOD_SHOP_ADDRESS,
        "凤城街道",
    )
    assert (notice.lead_unit, notice.contact) == ("区市场监督管理局", CONTACT)
    assert [(u.id, u.name, u.lead) for u in notice.units] == [
        ("SCJG", "区市场监督管理局", True),
        ("XFJY", "区消防救援大队", False),
    ]
    roster = {
        unit: sorted((n, b) for u, n, b in WEEK_ROSTER if u == unit) for unit in ("SCJG", "XFJY")
    }
    for unit in notice.units:
        drawn = [(o.name, o.badge_number) for o in unit.officers]
        assert len(drawn) >= 2, unit
        assert set(drawn) <= set(roster[unit.id]), unit
    scjg, xfjy = notice.units
    assert [(i.name, i.legal_basis) for i in scjg.items] == [(n, b) for n, b, _ in SCJG_ITEMS]
    assert [(i.name, i.legal_basis) for i in xfjy.items] == [("XFJY检查事项", "相关法律法规")]
    # the standard documents, then the items' own, once each (营业执照副本 is both)
    assert notice.documents == [*STANDARD_DOCUMENTS, *SCJG_DOCUMENTS]
    assert (notice.plan.number, notice.plan.horizon_start.isoformat()) == (
        week.plan_id,
        "2024-06-03",
    )
    assert notice.statements == list(STATEMENTS)
    assert notice.verification_url == f"{BASE}/v/{code}"


def test_a_notice_holds_nothing_of_another_enterprise(engine: Engine) -> None:
    week = publish_notices_week(engine)
    code, _ = week.code_at(FACTORY)
    with Session(engine) as session:
        notice = notice_of_code(session, COORDINATOR, code, **CONTEXT)
    text = notice.model_dump_json()
    assert "小吃店" not in text
    assert FOOD_SHOP_ADDRESS not in text
    assert FOOD_SHOP not in text
    assert FACTORY not in text  # no credit code at all: the name and address say who it is
    assert [u.id for u in notice.units] == ["SCJG"]
    assert "XFJY检查事项" not in text
    assert all(week.codes[k] not in text for k in week.codes if k[0] != FACTORY)


def test_who_reads_which_notice(engine: Engine) -> None:
    week = publish_notices_week(engine)
    shop, _ = week.code_at(FOOD_SHOP)
    factory, _ = week.code_at(FACTORY)
    with Session(engine) as session:
        for reader in (COORDINATOR, AUDITOR, FIRE):
            assert notice_of_code(session, reader, shop, **CONTEXT).number == shop
        # XFJY is not in the factory's round: as absent as an unknown code
        for reader, text in ((FIRE, factory), (ADMIN, shop), (COORDINATOR, "ZZZZ-ZZZZ-ZZZZ")):
            with pytest.raises(NotFoundError) as absent:
                notice_of_code(session, reader, text, **CONTEXT)
            assert absent.value.field == "code"
        with pytest.raises(NotFoundError):
            notice_of_code(session, COORDINATOR, "not a code", **CONTEXT)


def test_a_cancelled_visit_has_no_notice(engine: Engine) -> None:
    week = publish_notices_week(engine)
    code, day = week.code_at(FOOD_SHOP)
    with Session(engine) as session:
        row = session.get(InspectionCodeRow, code)
        assert row is not None
        row.cancelled_at = datetime.now(UTC)
        session.add(row)
        session.commit()
        with pytest.raises(ConflictError) as refused:
            notice_of_code(session, COORDINATOR, code, **CONTEXT)
        assert refused.value.detail == CANCELLED
        assert code not in [n.number for n in day_notices(session, COORDINATOR, day, **CONTEXT)]


def test_a_day_s_notices_are_the_reader_s_visits_of_that_day(engine: Engine) -> None:
    week = publish_notices_week(engine)
    shop, shop_day = week.code_at(FOOD_SHOP)
    factory, factory_day = week.code_at(FACTORY)
    with Session(engine) as session:
        for day in {shop_day, factory_day}:
            expected = sorted(c for (_, d), c in week.codes.items() if d == day)
            got = day_notices(session, COORDINATOR, day, **CONTEXT)
            assert sorted(n.number for n in got) == expected
            assert all(n.date == day for n in got)
            # a unit key gets its own unit's visits, whatever unit it asks for
            fire = day_notices(session, FIRE, day, "SCJG", **CONTEXT)
            assert [n.number for n in fire] == ([shop] if day == shop_day else [])
            by_unit = day_notices(session, AUDITOR, day, "XFJY", **CONTEXT)
            assert [n.number for n in by_unit] == [n.number for n in fire]
        assert factory in [n.number for n in day_notices(session, AUDITOR, factory_day, **CONTEXT)]
        with pytest.raises(NotFoundError) as unknown:
            day_notices(session, COORDINATOR, shop_day, "NOPE", **CONTEXT)
        assert unknown.value.field == "unit"
