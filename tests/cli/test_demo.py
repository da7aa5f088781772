"""`inspection demo` and `inspection samples`: the main job, end to end on the sample files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from sqlmodel import Session
from typer.testing import CliRunner

from inspection.cli import app
from inspection.db.engine import make_engine
from inspection.generator import qingcheng_samples
from inspection.services.figures.stats import visit_stats
from inspection.services.rounds.store import published_rounds
from inspection.services.spreadsheets.io import read_table
from tests.support.data import UPLOAD_LIMIT
from tests.support.paths import SAMPLES

runner = CliRunner()


def test_the_demo_publishes_the_week_and_prints_the_visits_saved(tmp_path: Path) -> None:
    data_dir = tmp_path / "demo"
    args = ["demo", "--samples", str(SAMPLES), "--data-dir", str(data_dir), "--time-limit", "10"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "109 份检查清单" in result.output
    roster = read_table((SAMPLES / "officers.csv").read_bytes(), "officers.csv", UPLOAD_LIMIT)
    assert f"{len(roster)} 名执法人员" in result.output  # the roster, loaded before planning
    found = re.search(
        r"本周请求次数 (\d+)，实际入企轮次 (\d+)（其中多部门联合检查 (\d+)），减少入企次数 (\d+)",
        result.output,
    )
    assert found is not None, result.output
    requests, rounds, joint, saved = (int(g) for g in found.groups())
    engine = make_engine(f"sqlite:///{data_dir / 'inspection.db'}")
    with Session(engine) as session:
        published = published_rounds(session)
    assert rounds == len(published) > 0
    assert requests == sum(len(r) for _, _, r in published)
    assert saved == requests - rounds > 0
    assert joint == sum(len(round_.units) >= 2 for round_, _, _ in published) < rounds
    # the same figures under the same names as the API and the desk
    with Session(engine) as session:
        total = visit_stats(session).total
    engine.dispose()
    assert (total.requests, total.rounds, total.joint_rounds, total.visits_saved) == (
        requests,
        rounds,
        joint,
        saved,
    )
    # every round printed with the code its enterprise verifies, each code once
    printed = re.findall(r"检查码 ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})", result.output)
    assert len(printed) == len(set(printed)) == rounds
    # a second run keeps this database, `--reset` rebuilds it: tests/cli/test_demo_data.py


def test_the_demo_refuses_a_missing_samples_folder_in_one_line(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["demo", "--samples", str(tmp_path / "nope"), "--data-dir", str(tmp_path / "d")]
    )
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "units.csv" in result.output


def test_the_demo_reports_bad_rows_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "samples"
    shutil.copytree(SAMPLES, folder)
    units = (folder / "units.csv").read_text(encoding="utf-8-sig").replace(",4,", ",x,", 1)
    (folder / "units.csv").write_text(units, encoding="utf-8-sig")
    result = runner.invoke(app, ["demo", "--samples", str(folder), "--data-dir", str(tmp_path)])
    assert result.exit_code == 2
    assert "第" in result.output
    assert "行" in result.output
    assert "Traceback" not in result.output


def test_the_committed_samples_are_what_the_generator_writes(tmp_path: Path) -> None:
    written = runner.invoke(app, ["samples", "-o", str(tmp_path)])
    assert written.exit_code == 0, written.output
    for name in (
        "units.csv",
        "enterprises.csv",
        "catalogue.csv",
        "officers.csv",
        "checklists.xlsx",
    ):
        committed = read_table((SAMPLES / name).read_bytes(), name, UPLOAD_LIMIT)
        fresh = read_table((tmp_path / name).read_bytes(), name, UPLOAD_LIMIT)
        assert committed == fresh, f"{name} differs: run `inspection samples` and commit"
    data = qingcheng_samples()
    assert len({row["清单编号"] for row in data.checklists}) == 109
