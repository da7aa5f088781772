"""`inspection demo`: a fresh database, the sample files, one week planned and published."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.table import Table
from sqlalchemy import Engine
from sqlmodel import Session

from inspection.cli.common import err, fail, out
from inspection.db.engine import make_engine, upgrade
from inspection.db.files import DataDirBusyError, database_files, database_path, rebuilding
from inspection.errors import InspectionError
from inspection.services.access import Actor, Role
from inspection.services.demo import (
    approve_as_heads,
    load_samples,
    packaged_samples,
    rounds_per_day,
)
from inspection.services.figures.names import metric_name
from inspection.services.figures.stats import VisitFigures, visit_stats
from inspection.services.planning.models import (
    ACTIVE_STATUSES,
    MAX_TIME_LIMIT_S,
    MIN_TIME_LIMIT_S,
    PlanCreate,
    PlanStatus,
)
from inspection.services.planning.runner import PlanRunner
from inspection.services.planning.use_cases import create_plan, get_plan, publish_plan
from inspection.services.reference.service import list_units
from inspection.services.spreadsheets.io import TableImportError
from inspection.services.trust.keys import IssuedKey, authenticate, create_key
from inspection.settings import get_settings

__all__ = ["demo", "samples"]

_WEEKDAYS = "一二三四五六日"
_DEMO = Actor(name="demo", role=Role.COORDINATOR)


def _fresh_engine(data_dir: Path) -> Engine:
    """A new, empty database in `data_dir` (the caller holds the folder's lock exclusively)."""
    for leftover in database_files(data_dir):
        leftover.unlink(missing_ok=True)
    engine = make_engine(f"sqlite:///{database_path(data_dir).resolve()}")
    upgrade(engine)
    return engine


def _plan_week(engine: Engine, asked: PlanCreate) -> int:
    """Queue and solve the week in a worker process, showing progress; the plan's id."""
    with Session(engine) as session:
        plan_id = create_plan(session, _DEMO, asked).id
    runner = PlanRunner(engine)
    runner.start(plan_id)
    shown = -1.0
    while True:
        with Session(engine) as session:
            plan = get_plan(session, plan_id)
        if plan.status not in ACTIVE_STATUSES:
            break
        progress = plan.progress
        if progress is not None and progress.elapsed_s >= shown + 2:
            shown = progress.elapsed_s
            err.print(
                f"  排期中 {progress.elapsed_s:5.1f} 秒：{progress.rounds} 轮"
                f"（下界 {progress.rounds_bound}），"
                f"优先级 {progress.priority}/{progress.priority_bound}"
            )
        time.sleep(0.3)
    runner.wait()
    if plan.status == PlanStatus.FAILED:
        fail(f"排期 {plan_id} 失败：{plan.error}")
    return plan_id


def _print_week(session: Session, start: date, end: date) -> None:
    for day in rounds_per_day(session, start, end):
        out.print(
            f"\n[bold]{day.day} 星期{_WEEKDAYS[day.day.weekday()]}[/bold]："
            f"{day.rounds} 轮检查（含 {day.requests} 项检查任务），其中 {day.joint} 轮多部门联合"
        )
        for line in day.lines:
            out.print(f"  · {line}", soft_wrap=True)
    stats = visit_stats(session, start, end, group_by="unit")
    columns = ("requests", "rounds", "visits_saved", "merged_share")
    table = Table(title=f"本周各执法单位的{metric_name('visits_saved')}", title_justify="left")
    table.add_column("执法单位")
    for field in columns:
        table.add_column(metric_name(field), justify="right")
    for group in stats.groups:
        table.add_row(group.label, *(_shown(group, field) for field in columns))
    out.print()
    out.print(table)
    total = stats.total
    out.print(
        f"\n[bold]本周{metric_name('requests')} {total.requests}，"
        f"{metric_name('rounds')} {total.rounds}"
        f"（其中{metric_name('joint_rounds')} {total.joint_rounds}），"
        f"{metric_name('visits_saved')} {total.visits_saved}[/bold]，"
        f"{metric_name('merged_share')} {_shown(total, 'merged_share')}。"
    )


def _shown(figures: VisitFigures, field: str) -> str:
    """A figure as the demo prints it (a share as a percentage)."""
    value = getattr(figures, field)
    return f"{value:.0%}" if field == "merged_share" else str(value)


_ISSUER = Actor(name="demo", role=Role.ADMIN)


def _approve_as_heads(session: Session) -> list[IssuedKey]:
    """Issue each unit's head a key and approve the unit's sample checklists with it; the keys."""
    heads = [
        create_key(
            session, _ISSUER, Role.UNIT, unit.id, name=f"演示-{unit.id}负责人", unit_head=True
        )
        for unit in list_units(session)
    ]
    actors = [authenticate(session, head.key) for head in heads]
    approved = approve_as_heads(session, [a for a in actors if a is not None])
    out.print(f"各单位负责人已批准 {approved} 份检查清单")
    return heads


def _print_keys(session: Session, heads: list[IssuedKey]) -> None:
    issuer = _ISSUER
    out.print("\n演示用 API 密钥（只显示这一次）：")
    for role, unit, label in (
        (Role.ADMIN, None, "管理员"),
        (Role.COORDINATOR, None, "协调人"),
        (Role.AUDITOR, None, "督察人员"),
        (Role.UNIT, "SCJG", "执法单位 SCJG"),
    ):
        issued = create_key(session, issuer, role, unit, name=f"演示-{label}")
        out.print(f"  {label:<8} {issued.key}", soft_wrap=True)
    out.print("  单位负责人（批准本单位的检查清单）：")
    for head in heads:
        out.print(f"  负责人 {head.unit_id:<6} {head.key}", soft_wrap=True)


def _build(data_dir: Path, samples: Path, asked: PlanCreate) -> None:
    """Build the demo's database afresh: import the samples, plan the week, publish, print."""
    engine = _fresh_engine(data_dir)
    try:
        with Session(engine) as session:
            counts = load_samples(session, _DEMO, samples, get_settings().max_upload_bytes)
        out.print(
            f"已导入 {samples}：{counts.units} 个执法单位、{counts.enterprises} 家企业、"
            f"{counts.catalogue_items} 项检查事项（各单位检查事项清单第 1 版）、"
            f"{counts.checklists} 份检查清单、{counts.cap_rules} 条频次上限规则；"
            f"{counts.classified} 家企业的分级、{counts.quiet_day_rules} 条宁静日规则"
            + (f"、{counts.officers} 名执法人员" if counts.officers else "")
        )
        with Session(engine) as session:
            heads = _approve_as_heads(session)
        out.print(f"排期 {asked.start} 至 {asked.end}，求解时限 {asked.time_limit_s:g} 秒…")
        plan_id = _plan_week(engine, asked)
        with Session(engine) as session:
            plan = publish_plan(session, _DEMO, plan_id)
            out.print(f"排期 {plan_id} 已发布（求解状态 {plan.solver_status}）")
            _print_week(session, asked.start, asked.end)
            _print_keys(session, heads)
    except TableImportError as error:
        shown = "; ".join(f"第{e.row}行 {e.column}：{e.problem}" for e in error.errors[:5])
        fail(f"{error.detail}: {shown}")
    except InspectionError as error:
        fail(f"{error.field}: {error.detail}" if error.field else error.detail)
    finally:
        engine.dispose()


def demo(
    samples: Annotated[
        Path | None,
        typer.Option(
            "--samples",
            help="Folder of the sample files to import (default: those shipped in the package).",
        ),
    ] = None,
    data_dir: Annotated[
        Path, typer.Option("--data-dir", help="Where the demo's SQLite database is kept.")
    ] = Path("demo-data"),
    week: Annotated[
        str, typer.Option("--week", help="Monday of the week to plan (YYYY-MM-DD).")
    ] = "2024-04-08",
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit", min=MIN_TIME_LIMIT_S, max=MAX_TIME_LIMIT_S, help="Solver seconds."
        ),
    ] = 20.0,
    reset: Annotated[
        bool,
        typer.Option(
            "--reset",
            help="Delete the data folder's database and build the demo again "
            "(refused while a server runs on it).",
        ),
    ] = False,
) -> None:
    """Build the demo's database (import the samples, plan one week, publish it, print it),
    unless the data folder already holds one: that is kept, with the work done in it."""
    try:
        start = date.fromisoformat(week)
    except ValueError:
        fail(f"--week: {week!r} is not a date (YYYY-MM-DD)")
    try:
        asked = PlanCreate(start=start, end=start + timedelta(days=6), time_limit_s=time_limit)
    except ValidationError as exc:
        fail(f"--week: {exc.errors(include_url=False)[0]['msg']}")
    database = database_path(data_dir)
    serve_hint = (
        f"运行 INSPECTION_DATA_DIR={data_dir} inspection serve（或 make serve）后，"
        "在浏览器打开协调工作台 http://127.0.0.1:8000/ "
    )
    if database.exists() and not reset:
        # restarting the desk must not lose the plans, imports and keys made since
        out.print(
            f"数据库 {database} 已存在，保留其中的数据（没有重新导入示例、排期或签发密钥）。"
            "要重建演示数据库，运行 inspection demo --reset（或 make demo-reset）；"
            f"需要新密钥时运行 inspection keys create。{serve_hint}即可继续使用。"
        )
        return
    try:
        with rebuilding(data_dir):
            _build(data_dir, samples or packaged_samples(), asked)
    except DataDirBusyError:
        fail(
            f"{'--reset' if reset else '--data-dir'}: 数据目录 {data_dir} "
            "正被运行中的服务（inspection serve）使用，请先停止服务再重建演示数据库"
        )
    out.print(f"\n数据库在 {database}。{serve_hint}，用上面的协调人密钥登录（接口文档在 /docs）")
    out.print(
        "企业无需密钥即可核验检查：打开 http://127.0.0.1:8000/v/ 加上面每轮检查后的检查码；"
        "联合检查通知书在工作台周视图中打印"
    )


def samples(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Folder to write the sample files into.")
    ] = Path("sample_checklists"),
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed.")] = 2024,
) -> None:
    """Write the Qingcheng sample data (units, enterprises, each unit's item catalogue,
    a quarter's 109 checklists, the units' rosters)."""
    from inspection.generator import qingcheng_samples, sample_catalogue
    from inspection.generator.samples_officers import qingcheng_roster
    from inspection.services.spreadsheets.io import table_csv, table_xlsx

    if not output.is_dir():
        fail(f"--output: folder {output} does not exist")
    data = qingcheng_samples(seed=seed)
    roster = qingcheng_roster(data.units, data.enterprises, seed=seed)
    for name, rows in (
        ("units.csv", data.units),
        ("enterprises.csv", data.enterprises),
        ("officers.csv", roster),
    ):
        headers = list(rows[0])
        (output / name).write_bytes(table_csv(headers, [[r[h] for h in headers] for r in rows]))
    catalogue = sample_catalogue(data.checklists)
    headers = list(catalogue[0])
    (output / "catalogue.csv").write_bytes(
        table_csv(headers, [[r[h] for h in headers] for r in catalogue])
    )
    headers = list(data.checklists[0])
    (output / "checklists.xlsx").write_bytes(
        table_xlsx("检查清单", headers, [[r[h] for h in headers] for r in data.checklists])
    )
    out.print(
        f"written {output}: units.csv ({len(data.units)}), enterprises.csv "
        f"({len(data.enterprises)}), catalogue.csv ({len(catalogue)} items), "
        f"officers.csv ({len(roster)}), "
        f"checklists.xlsx ({len(data.checklists)} item rows)"
    )
