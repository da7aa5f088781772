"""The figures of a district's annual rule-of-law report, and its paragraph."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from inspection.db.tables import ChecklistRow, LiveVisitRow, VisitRollupRow
from inspection.errors import InvalidInputError
from inspection.services.checklists.models import ChecklistStatus

__all__ = ["AnnualReport", "annual_report"]


class AnnualReport(BaseModel):
    """What the annual report states about joint inspections in one year."""

    year: int
    district: str
    checklists_drawn_up: int = Field(
        description="checklists submitted (not withdrawn) whose window falls in the year"
    )
    joint_inspections: int = Field(description="published rounds with two units or more")
    rounds: int = Field(description="published rounds in the year")
    requests: int = Field(description="requested visits placed in those rounds")
    visits_saved: int = Field(description="requests - rounds")
    enterprises_covered: int
    units_taking_part: int
    merged_share: float
    paragraph: str = Field(
        description="the figures as the report's sentence, in Chinese; a year without "
        "published rounds: one sentence saying so"
    )


def _paragraph(report: AnnualReport) -> str:
    if report.rounds == 0:
        # a sentence of zeros reads as a failure; say plainly that there is nothing to report
        return (
            f"{report.year}年，{report.district}尚无已发布的涉企“综合查一次”检查，"
            "没有可报告的数字。"
        )
    share = f"{report.merged_share * 100:.1f}%"
    return (
        f"{report.year}年，{report.district}执法单位制定涉企“综合查一次”检查清单"
        f"{report.checklists_drawn_up}份，实施涉企“综合查一次”{report.joint_inspections}次，"
        f"覆盖企业{report.enterprises_covered}家，{report.units_taking_part}个执法单位参与，"
        f"减少对企业的入户检查{report.visits_saved}次，{share}的检查实现“进一次门、查多项事”。"
    )


def annual_report(session: Session, year: int, district: str) -> AnnualReport:
    """The year's figures from the checklists and the live published rounds.

    Raises:
        InvalidInputError: a year outside 2000–2100.
    """
    if not 2000 <= year <= 2100:
        raise InvalidInputError(f"年份 {year} 超出范围（2000–2100）", "year")
    first, last = date(year, 1, 1), date(year, 12, 31)
    checklists = session.execute(
        sa_select(func.count())
        .select_from(ChecklistRow)
        .where(col(ChecklistRow.status) == ChecklistStatus.APPROVED)
        .where(col(ChecklistRow.earliest) <= last)
        .where(col(ChecklistRow.latest) >= first)
    ).scalar_one()
    requests, rounds, merged, joint, units = session.execute(
        sa_select(
            func.coalesce(func.sum(VisitRollupRow.requests), 0),
            func.coalesce(func.sum(VisitRollupRow.rounds), 0),
            func.coalesce(func.sum(VisitRollupRow.merged), 0),
            func.coalesce(func.sum(VisitRollupRow.joint_rounds), 0),
            func.count(func.distinct(VisitRollupRow.unit_id)),
        )
        .where(col(VisitRollupRow.day) >= first)
        .where(col(VisitRollupRow.day) <= last)
    ).one()
    enterprises = session.execute(
        sa_select(func.count(func.distinct(LiveVisitRow.credit_code)))
        .where(col(LiveVisitRow.day) >= first)
        .where(col(LiveVisitRow.day) <= last)
    ).scalar_one()
    report = AnnualReport(
        year=year,
        district=district,
        checklists_drawn_up=checklists,
        joint_inspections=int(joint),
        rounds=int(rounds),
        requests=int(requests),
        visits_saved=int(requests) - int(rounds),
        enterprises_covered=enterprises,
        units_taking_part=units,
        merged_share=round(int(merged) / int(requests), 4) if requests else 0.0,
        paragraph="",
    )
    return report.model_copy(update={"paragraph": _paragraph(report)})
