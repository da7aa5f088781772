"""Loading problems: each bad input gives one line naming the file, JSON path and problem."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from inspection.solver.calendar import is_statutory_working_day, working_days
from inspection.solver.errors import InvalidProblemError, UnknownCalendarError
from inspection.solver.io import load_problem, load_solution, parse_problem
from inspection.solver.schema import Problem


def _valid() -> dict[str, Any]:
    return {
        "format": "inspect-once/1",
        "horizon": {"start": "2024-06-03", "end": "2024-06-09"},
        "units": [{"id": "SCJG", "name": "区市场监督管理局", "daily_capacity": 3}],
        "enterprises": [{"id": "91441802MA4UL1AB2X", "name": "清远市某某食品有限公司"}],
        "requests": [
            {
                "id": "R1",
                "unit": "SCJG",
                "enterprise": "91441802MA4UL1AB2X",
                "earliest": "2024-06-03",
                "latest": "2024-06-07",
            }
        ],
    }


def _broken(change: str) -> dict[str, Any]:
    doc = _valid()
    if change == "format":
        doc["format"] = "inspect-once/9"
    elif change == "date":
        doc["requests"][0]["latest"] = "2024-06-31"
    elif change == "reversed":
        doc["requests"][0]["earliest"] = "2024-06-08"
    elif change == "unit":
        doc["requests"][0]["unit"] = "XFJY"
    elif change == "enterprise":
        doc["requests"][0]["enterprise"] = "91441802000000000X"
    elif change == "duplicate":
        doc["requests"].append(dict(doc["requests"][0]))
    elif change == "capacity":
        doc["units"][0]["daily_capacity"] = 0
    elif change == "max_units":
        doc["max_units_per_round"] = 0
    elif change == "horizon":
        doc["horizon"]["start"] = "2024-06-10"
    return doc


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        ("format", "format", "unknown format 'inspect-once/9'"),
        ("date", "requests[0].latest", "'2024-06-31' is not a date"),
        ("reversed", "requests[0]", "earliest 2024-06-08 is after latest 2024-06-07"),
        ("unit", "requests[0].unit", "unknown unit 'XFJY'"),
        ("enterprise", "requests[0].enterprise", "unknown enterprise '91441802000000000X'"),
        ("duplicate", "requests[1].id", "duplicate id 'R1'"),
        ("capacity", "units[0].daily_capacity", "greater than or equal to 1"),
        ("max_units", "max_units_per_round", "greater than or equal to 1"),
        ("horizon", "horizon", "start 2024-06-10 is after end 2024-06-09"),
    ],
)
def test_bad_problem_names_file_path_and_problem(
    tmp_path: Path, change: str, path: str, words: str
) -> None:
    file = tmp_path / "problem.json"
    file.write_text(json.dumps(_broken(change)), encoding="utf-8")
    with pytest.raises(InvalidProblemError) as caught:
        load_problem(file)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{file}: {path}: ")
    assert words in message
    assert caught.value.path == path


def test_malformed_json_names_line_and_column(tmp_path: Path) -> None:
    file = tmp_path / "broken.json"
    file.write_text('{\n  "format": "inspect-once/1",\n  "horizon": \n}', encoding="utf-8")
    with pytest.raises(InvalidProblemError, match=r"broken\.json: line 4 column 1: malformed JSON"):
        load_problem(file)


def test_not_an_object_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidProblemError, match="expected a JSON object, found list"):
        parse_problem("[]")
    with pytest.raises(InvalidProblemError, match="cannot read file"):
        load_problem(tmp_path / "absent.json")


def test_unknown_solution_format(tmp_path: Path) -> None:
    file = tmp_path / "solution.json"
    file.write_text('{"format": "other", "rounds": []}', encoding="utf-8")
    with pytest.raises(InvalidProblemError, match="unknown format 'other'"):
        load_solution(file)


def test_valid_problem_loads_with_defaults_and_ignores_extra_keys() -> None:
    doc = _valid()
    doc["enterprises"][0]["industry"] = "食品生产"
    problem = parse_problem(json.dumps(doc))
    assert problem.max_units_per_round == 4
    assert problem.requests[0].joinable is True
    assert problem.requests[0].priority == 1
    assert problem.non_working_days is None


def test_window_missing_the_horizon_is_not_a_load_error() -> None:
    doc = _valid()
    doc["requests"][0].update(earliest="2025-01-01", latest="2025-01-05")
    assert parse_problem(json.dumps(doc)).requests[0].earliest == date(2025, 1, 1)


def test_statutory_calendar_knows_holidays_and_make_up_days() -> None:
    assert not is_statutory_working_day(date(2024, 10, 1))  # National Day
    assert is_statutory_working_day(date(2024, 9, 29))  # a Sunday made a working day
    assert not is_statutory_working_day(date(2024, 6, 8))  # an ordinary Saturday
    problem = Problem.model_validate(
        {**_valid(), "horizon": {"start": "2024-09-28", "end": "2024-10-08"}}
    )
    days = working_days(problem)
    assert date(2024, 9, 29) in days
    assert date(2024, 10, 12) not in days
    assert not any(date(2024, 10, 1) <= d <= date(2024, 10, 7) for d in days)


def test_explicit_calendar_is_complete() -> None:
    problem = Problem.model_validate({**_valid(), "non_working_days": ["2024-06-04"]})
    days = working_days(problem)
    assert date(2024, 6, 8) in days  # a Saturday not listed is a working day
    assert date(2024, 6, 4) not in days


def test_year_outside_the_statutory_calendar_is_an_error() -> None:
    problem = Problem.model_validate(
        {**_valid(), "horizon": {"start": "2031-03-03", "end": "2031-03-09"}}
    )
    with pytest.raises(UnknownCalendarError, match="outside the statutory calendar"):
        working_days(problem)
