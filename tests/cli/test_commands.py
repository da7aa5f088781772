"""The command line: exit codes, one-line errors, files written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from inspection.cli import app
from inspection.db.engine import make_engine, upgrade
from inspection.services.access import Actor, Role
from inspection.services.reference.models import UnitCreate
from inspection.services.reference.service import create_unit
from inspection.services.trust.keys import authenticate
from inspection.solver.io import load_problem, load_solution

runner = CliRunner()


def _generate(tmp_path: Path, preset: str = "HS", seed: int = 2) -> Path:
    problem = tmp_path / f"{preset}-{seed}.json"
    result = runner.invoke(
        app, ["generate", "--preset", preset, "--seed", str(seed), "-o", str(problem)]
    )
    assert result.exit_code == 0, result.output
    return problem


def test_generate_solve_check_round_trip(tmp_path: Path) -> None:
    problem = _generate(tmp_path)
    solution = tmp_path / "solution.json"
    result = runner.invoke(
        app, ["solve", str(problem), "-o", str(solution), "--time-limit", "10", "--seed", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "visits saved" in result.output
    loaded = load_solution(solution)
    assert loaded.statistics is not None
    assert loaded.provenance is not None
    assert loaded.provenance.seed == 1
    checked = runner.invoke(app, ["check", str(problem), str(solution)])
    assert checked.exit_code == 0, checked.output
    assert "valid" in checked.output


def test_generate_is_deterministic(tmp_path: Path) -> None:
    first = _generate(tmp_path, "S", 4)
    again = tmp_path / "again.json"
    runner.invoke(app, ["generate", "--preset", "S", "--seed", "4", "-o", str(again)])
    assert first.read_bytes() == again.read_bytes()
    assert load_problem(first).name.endswith("seed4")


def test_check_lists_violations_and_exits_1(tmp_path: Path) -> None:
    problem = _generate(tmp_path)
    solution = tmp_path / "solution.json"
    runner.invoke(app, ["solve", str(problem), "-o", str(solution), "--time-limit", "5"])
    document = json.loads(solution.read_text(encoding="utf-8"))
    dropped = document["rounds"].pop()  # its requests are now neither planned nor left out
    solution.write_text(json.dumps(document), encoding="utf-8")
    result = runner.invoke(app, ["check", str(problem), str(solution)])
    assert result.exit_code == 1
    assert "REQUEST_MISSING" in result.output
    assert dropped["requests"][0] in result.output


def test_bad_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "inspect-once/1", "horizon": {"start": "2024-02-30"}}')
    result = runner.invoke(app, ["solve", str(broken), "-o", str(tmp_path / "out.json")])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "broken.json" in lines[0]
    assert "horizon.start" in lines[0]
    assert "Traceback" not in result.output
    assert not (tmp_path / "out.json").exists()


def test_unknown_preset_and_missing_folder_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["generate", "--preset", "Q", "-o", str(tmp_path / "x.json")])
    assert result.exit_code == 2
    assert "unknown preset 'Q'" in result.output
    problem = _generate(tmp_path)
    result = runner.invoke(app, ["solve", str(problem), "-o", str(tmp_path / "no" / "x.json")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_pin_keeps_the_rounds_of_an_earlier_plan(tmp_path: Path) -> None:
    problem = _generate(tmp_path)
    first = tmp_path / "first.json"
    runner.invoke(app, ["solve", str(problem), "-o", str(first), "--time-limit", "5"])
    second = tmp_path / "second.json"
    result = runner.invoke(
        app, ["solve", str(problem), "-o", str(second), "--pin", str(first), "--time-limit", "5"]
    )
    assert result.exit_code == 0, result.output
    kept = {(r.enterprise, r.date, r.requests) for r in load_solution(first).rounds}
    again = {(r.enterprise, r.date, r.requests) for r in load_solution(second).rounds}
    assert kept <= again


def test_late_requests_join_pinned_rounds_with_open_pins_and_check_knows_the_pins(
    tmp_path: Path,
) -> None:
    problem = _generate(tmp_path)
    document = json.loads(problem.read_text(encoding="utf-8"))
    early = tmp_path / "early.json"  # the problem before every fifth request came
    early.write_text(
        json.dumps(
            document | {"requests": [r for i, r in enumerate(document["requests"]) if i % 5]}
        ),
        encoding="utf-8",
    )
    published = tmp_path / "published.json"
    solved = ["--time-limit", "5", "--quiet"]
    assert runner.invoke(app, ["solve", str(early), "-o", str(published), *solved]).exit_code == 0
    again = tmp_path / "again.json"
    pins = ["--pin", str(published)]
    result = runner.invoke(
        app, ["solve", str(problem), "-o", str(again), *pins, "--open-pins", *solved]
    )
    assert result.exit_code == 0, result.output
    before = {(r.enterprise, r.date): r for r in load_solution(published).rounds}
    after = {(r.enterprise, r.date): r for r in load_solution(again).rounds}
    joined = [key for key, r in before.items() if after[key].requests != r.requests]
    assert joined, "no late request joined an announced round"
    for key in joined:
        assert after[key].requests[: len(before[key].requests)] == before[key].requests
        assert after[key].lead_unit == before[key].lead_unit
    checked = runner.invoke(app, ["check", str(problem), str(again), *pins, "--open-pins"])
    assert checked.exit_code == 0, checked.output
    closed = runner.invoke(app, ["check", str(problem), str(again), *pins])
    assert closed.exit_code == 1
    assert "PINNED_ROUND_JOINED" in closed.output
    for command in (["solve", str(problem), "-o", str(again)], ["check", str(problem), str(again)]):
        alone = runner.invoke(app, [*command, "--open-pins"])
        assert alone.exit_code == 2
        assert "--pin SOLUTION" in alone.output


def test_db_upgrade_creates_the_embedded_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSPECTION_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("INSPECTION_DATABASE_URL", raising=False)
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "inspection.db").exists()
    again = runner.invoke(app, ["db", "upgrade"])  # idempotent
    assert again.exit_code == 0, again.output


def test_db_upgrade_on_an_unreachable_server_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSPECTION_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/x")
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 2
    assert "database upgrade failed" in result.output
    assert "Traceback" not in result.output


def test_keys_and_audit_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INSPECTION_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("INSPECTION_DATABASE_URL", raising=False)
    created = runner.invoke(app, ["keys", "create", "--role", "admin", "--name", "管理员"])
    assert created.exit_code == 0, created.output
    assert "iox_" in created.output
    bad = runner.invoke(app, ["keys", "create", "--role", "unit"])
    assert bad.exit_code == 2
    assert "--unit" in bad.output
    assert runner.invoke(app, ["keys", "create", "--role", "boss"]).exit_code == 2
    listed = runner.invoke(app, ["keys", "list"])
    assert "管理员" in listed.output
    assert "iox_" in listed.output  # the prefix only
    assert created.output.split(": ", 1)[1].split()[0] not in listed.output
    assert runner.invoke(app, ["keys", "revoke", "1"]).exit_code == 0
    assert runner.invoke(app, ["keys", "revoke", "1"]).exit_code == 2
    verified = runner.invoke(app, ["audit", "verify"])
    assert verified.exit_code == 0, verified.output
    assert "2 entries" in verified.output
    import sqlite3

    with sqlite3.connect(tmp_path / "inspection.db") as connection:
        connection.execute("UPDATE audit_log SET actor = 'x' WHERE id = 2")
    broken = runner.invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "entry 2" in broken.output


def test_keys_create_head_issues_a_unit_head_s_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INSPECTION_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("INSPECTION_DATABASE_URL", raising=False)
    engine = make_engine(f"sqlite:///{tmp_path / 'inspection.db'}")
    upgrade(engine)
    with Session(engine) as session:
        unit = UnitCreate(id="SCJG", name="区市场监督管理局", weekday_capacity=[3] * 7)
        create_unit(session, Actor(name="tests", role=Role.ADMIN), unit)
    engine.dispose()
    args = ["keys", "create", "--role", "unit", "--unit", "SCJG", "--name", "局长", "--head"]
    created = runner.invoke(app, args)
    assert created.exit_code == 0, created.output
    key = created.output.split(": ", 1)[1].split()[0]
    engine = make_engine(f"sqlite:///{tmp_path / 'inspection.db'}")
    with Session(engine) as session:
        actor = authenticate(session, key)
    engine.dispose()
    assert actor is not None
    assert (actor.role, actor.unit_id, actor.unit_head) == (Role.UNIT, "SCJG", True)
    assert "unit（负责人）" in runner.invoke(app, ["keys", "list"]).output
    refused = runner.invoke(app, ["keys", "create", "--role", "auditor", "--head"])
    assert refused.exit_code == 2
    assert "--head" in refused.output


def test_generate_with_rules_writes_a_1_1_problem(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    result = runner.invoke(
        app, ["generate", "--preset", "hs", "--seed", "2", "--rules", "-o", str(path)]
    )
    assert result.exit_code == 0, result.output
    assert "officers" in result.output
    problem = load_problem(path)
    assert problem.is_1_1
    assert problem.officers
    assert problem.rules is not None
    assert problem.rules.quiet_days.days


def test_generate_refuses_a_slack_that_is_not_positive(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["generate", "--preset", "S", "--slack", "0", "-o", str(tmp_path / "x.json")]
    )
    assert result.exit_code == 2
    assert "--slack" in result.output
    assert not (tmp_path / "x.json").exists()
