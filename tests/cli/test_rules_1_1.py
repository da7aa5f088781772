"""The command line on the 1.1 sample: `check` names a broken rule in one line, `solve` obeys."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from inspection.cli import app

runner = CliRunner()
SAMPLES = Path(__file__).parents[2] / "src" / "inspection" / "samples"
PROBLEM = SAMPLES / "problem-week-rules.json"
SOLUTION = SAMPLES / "solution-week-rules.json"


def test_the_sample_plan_keeps_every_rule() -> None:
    result = runner.invoke(app, ["check", str(PROBLEM), str(SOLUTION)])
    assert result.exit_code == 0, result.output
    assert "rounds lower bound 5" in result.output
    assert "valid: no rule is broken" in result.output


def test_check_reports_a_quiet_day_in_one_line(tmp_path: Path) -> None:
    document = json.loads(SOLUTION.read_text(encoding="utf-8"))
    follow_up = document["rounds"][4]
    assert follow_up["requests"] == ["R0009"]
    follow_up["date"] = "2024-06-04"  # a quiet day, and a follow-up is not exempt
    moved = tmp_path / "moved.json"
    moved.write_text(json.dumps(document), encoding="utf-8")
    result = runner.invoke(app, ["check", str(PROBLEM), str(moved)])
    assert result.exit_code == 1
    (line,) = [line for line in result.output.splitlines() if line.startswith("rule ")]
    assert line == (
        "rule 7 QUIET_DAY: rounds[4] (91441802MA53HJ9K5P on 2024-06-04) "
        "holds request 'R0009' (follow_up) on a quiet day"
    )
    assert "invalid: 1 violation(s)" in result.output


def test_solve_plans_the_sample_lawfully_with_its_draw_seed(tmp_path: Path) -> None:
    output = tmp_path / "plan.json"
    result = runner.invoke(
        app, ["solve", str(PROBLEM), "-o", str(output), "--time-limit", "5", "--draw-seed", "7"]
    )
    assert result.exit_code == 0, result.output
    plan = json.loads(output.read_text(encoding="utf-8"))
    assert plan["format"] == "inspect-once-solution/1.1"
    assert plan["draw_seed"] == 7
    assert all("officers" in round_ for round_ in plan["rounds"])
    checked = runner.invoke(app, ["check", str(PROBLEM), str(output)])
    assert checked.exit_code == 0, checked.output
    assert "valid: no rule is broken" in checked.output


def test_a_negative_draw_seed_is_one_line_and_exit_2(tmp_path: Path) -> None:
    output = tmp_path / "plan.json"
    result = runner.invoke(app, ["solve", str(PROBLEM), "-o", str(output), "--draw-seed", "-1"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0] == "error: --draw-seed: Input should be greater than or equal to 0"
    assert not output.exists()
