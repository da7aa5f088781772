"""The figures of a district's annual rule-of-law report, and its paragraph."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field
from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from inspection.db.regions import enterprises_in, in_region, narrowing_path
from inspection.db.tables import ChecklistRow, LiveVisitRow, RegionRow, UnitRow, VisitRollupRow
from inspection.errors import InvalidInputError
from inspection.services.access import Actor, figures_region
from inspection.services.checklists.models import ChecklistStatus
from inspection.services.figures.grouping import Basis
from inspection.services.figures.names import BASIS_NAMES
from inspection.services.figures.stats import visit_stats

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
    visits_saved: int = Field(
        description="the headline visits saved, counted as the figures count it (see basis)"
    )
    basis: Basis = Field(description="what visits_saved counts (as the figures' basis)")
    enterprises_covered: int
    units_taking_part: int
    merged_share: float
    rounds_carried_out: int = Field(description="rounds carried out (confirmed) in the year")
    unit_parts_carried_out: int = Field(description="units' inspections carried out")
    problem_rate: float | None = Field(
        description="problem-detection rate over the units' inspections carried out, 0–1; "
        "null without any"
    )
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
    basis = "" if report.basis == "announced" else f"（{BASIS_NAMES[report.basis]}）"
    text = (
        f"{report.year}年，{report.district}执法单位制定涉企“综合查一次”检查清单"
        f"{report.checklists_drawn_up}份，实施涉企“综合查一次”{report.joint_inspections}次，"
        f"覆盖企业{report.enterprises_covered}家，{report.units_taking_part}个执法单位参与，"
        f"减少对企业的入户检查{report.visits_saved}次{basis}，"
        f"{share}的检查实现“进一次门、查多项事”。"
    )
    if report.problem_rate is not None:
        rate = f"{report.problem_rate * 100:.1f}%"
        text += (
            f"经牵头单位确认，实际实施联合检查{report.rounds_carried_out}轮，"
            f"各单位实施检查{report.unit_parts_carried_out}次，发现问题率{rate}（按已实施统计）。"
        )
    return text


def _region_name(session: Session, path: str) -> str:
    row = session.exec(select(RegionRow).where(RegionRow.path == path)).first()
    assert row is not None  # the path is a key's region
    return row.name


def annual_report(
    session: Session, year: int, district: str, actor: Actor | None = None
) -> AnnualReport:
    """The year's figures from the checklists, the live published rounds and their outcomes.

    A key of a region (one that leaves some region out) reports for its region and those
    under it, named by its region: the visits at their enterprises, the checklists of their
    units; otherwise the whole service, named `district`.

    Raises:
        InvalidInputError: a year outside 2000–2100.
    """
    if not 2000 <= year <= 2100:
        raise InvalidInputError(f"年份 {year} 超出范围（2000–2100）", "year")
    first, last = date(year, 1, 1), date(year, 12, 31)
    scope = narrowing_path(session, figures_region(actor))
    checklist_query = (
        sa_select(func.count())
        .select_from(ChecklistRow)
        .where(col(ChecklistRow.status) == ChecklistStatus.APPROVED)
        .where(col(ChecklistRow.earliest) <= last)
        .where(col(ChecklistRow.latest) >= first)
    )
    # the figures' own total: one definition of each figure, the headline included
    total = visit_stats(session, first, last, actor=actor).total
    units_query = sa_select(func.count(func.distinct(VisitRollupRow.unit_id)))
    units_query = units_query.where(col(VisitRollupRow.day) >= first)
    units_query = units_query.where(col(VisitRollupRow.day) <= last)
    enterprise_query = (
        sa_select(func.count(func.distinct(LiveVisitRow.credit_code)))
        .where(col(LiveVisitRow.day) >= first)
        .where(col(LiveVisitRow.day) <= last)
    )
    if scope is not None:
        units_of_region = in_region(select(UnitRow.id), UnitRow.region_id, scope)
        checklist_query = checklist_query.where(col(ChecklistRow.unit_id).in_(units_of_region))
        at_region = col(LiveVisitRow.credit_code).in_(enterprises_in(scope))
        # the rollup has no enterprise: the region's units taking part are read off the ledger
        units_query = (
            sa_select(func.count(func.distinct(LiveVisitRow.unit_id)))
            .where(col(LiveVisitRow.day) >= first)
            .where(col(LiveVisitRow.day) <= last)
            .where(at_region)
        )
        enterprise_query = enterprise_query.where(at_region)
        district = _region_name(session, scope)
    checklists = session.execute(checklist_query).scalar_one()
    units = session.execute(units_query).scalar_one()
    enterprises = session.execute(enterprise_query).scalar_one()
    report = AnnualReport(
        year=year,
        district=district,
        checklists_drawn_up=checklists,
        joint_inspections=total.joint_rounds,
        rounds=total.rounds,
        requests=total.requests,
        visits_saved=total.visits_saved,
        basis=total.basis,
        enterprises_covered=enterprises,
        units_taking_part=units,
        merged_share=total.merged_share,
        rounds_carried_out=total.rounds_carried_out,
        unit_parts_carried_out=total.unit_parts_carried_out,
        problem_rate=total.problem_rate,
        paragraph="",
    )
    return report.model_copy(update={"paragraph": _paragraph(report)})
