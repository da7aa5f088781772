"""A register to draw from: two units and enterprises of several risk classes, towns and
industries (valid credit codes), and a draw body."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from inspection.db.regions import default_region_id
from inspection.db.tables import EnterpriseRow, UnitRow
from inspection.generator.codes import organization_check_char, uscc_check_char

__all__ = ["REGISTER", "credit_code", "draw_body", "fill_register"]


def credit_code(number: int) -> str:
    """A valid unified social credit code of a Qingcheng company, one per number."""
    organisation = f"{number:08d}"
    first17 = f"91441802{organisation}{organization_check_char(organisation)}"
    return first17 + uscc_check_char(first17)


# (risk class, town, industry) per enterprise: A 8, B 5, C 3, none 2, and one no-disturb A
REGISTER: list[tuple[str | None, str, str]] = (
    [("A", "凤城街道", "餐饮服务")] * 5
    + [("A", "东城街道", "食品生产")] * 3
    + [("B", "凤城街道", "餐饮服务")] * 3
    + [("B", "洲心街道", "食品生产")] * 2
    + [("C", "东城街道", "餐饮服务")] * 3
    + [(None, "凤城街道", "零售")] * 2
)
NO_DISTURB = credit_code(999)


def fill_register(engine: Engine) -> dict[str, list[str]]:
    """Units SCJG and YJJ and the register's enterprises; their credit codes by class."""
    by_class: dict[str, list[str]] = {}
    with Session(engine) as session:
        region_id = default_region_id(session)  # tables skip validation: name it here
        for unit_id, name in (("SCJG", "区市场监督管理局"), ("YJJ", "区应急管理局")):
            session.add(
                UnitRow(
                    id=unit_id, name=name, weekday_capacity=[3] * 5 + [0, 0], region_id=region_id
                )
            )
        for number, (risk, town, industry) in enumerate(REGISTER, start=1):
            code = credit_code(number)
            session.add(
                EnterpriseRow(
                    credit_code=code,
                    name=f"企业{number:02d}",
                    town=town,
                    industry=industry,
                    risk_class=risk,
                    risk_source="区市场监管局风险分级" if risk else "",
                    region_id=region_id,
                )
            )
            by_class.setdefault(risk or "未分级", []).append(code)
        session.add(
            EnterpriseRow(
                credit_code=NO_DISTURB,
                name="无事不扰企业",
                town="凤城街道",
                industry="餐饮服务",
                risk_class="A",
                no_disturb=True,
                region_id=region_id,
            )
        )
        session.commit()
    return {grade: sorted(codes) for grade, codes in by_class.items()}


def draw_body(**changes: Any) -> dict[str, Any]:
    """A valid unit draw of SCJG: a count of A, a ratio of B, changed as given."""
    body: dict[str, Any] = {
        "title": "2024年第二季度双随机抽查",
        "earliest": "2024-06-03",
        "latest": "2024-06-28",
        "quotas": [{"risk_class": "A", "count": 3}, {"risk_class": "B", "ratio_percent": "50"}],
        "units": [
            {
                "unit_id": "SCJG",
                "items": [{"name": "食品经营许可情况", "legal_basis": "《食品安全法》第三十五条"}],
            }
        ],
    }
    body.update(changes)
    return body
