"""Loading format 1.1: every new field's mistakes give one line naming the field; 1 is unchanged."""

from __future__ import annotations

import json
from copy import deepcopy
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from inspection.solver.errors import InvalidProblemError
from inspection.solver.io import dump_solution, load_problem, parse_problem, parse_solution
from inspection.solver.schema import Rules, Solution

SAMPLE = Path(__file__).parents[2] / "src" / "inspection" / "samples" / "problem-week-rules.json"


def _version_1() -> dict[str, Any]:
    return {
        "format": "inspect-once/1",
        "horizon": {"start": "2024-06-03", "end": "2024-06-09"},
        "units": [
            {"id": "SCJG", "daily_capacity": 3},
            {"id": "XFJY", "daily_capacity": 2},
        ],
        "enterprises": [{"id": "E1", "name": "清远市某某食品有限公司"}, {"id": "E2"}],
        "requests": [
            {
                "id": "R1",
                "unit": "SCJG",
                "enterprise": "E1",
                "earliest": "2024-06-03",
                "latest": "2024-06-07",
            }
        ],
    }


def _valid() -> dict[str, Any]:
    doc = _version_1()
    doc["format"] = "inspect-once/1.1"
    doc["units"][0]["capacity_by_date"] = {"2024-06-05": 1}
    doc["enterprises"][1]["no_disturb"] = True
    doc["requests"][0]["category"] = "special"
    doc["rules"] = {
        "quiet_days": {"days": ["2024-06-03"], "exempt_categories": ["complaint"]},
        "no_disturb": {"exempt_categories": ["complaint", "safety"]},
        "caps": {
            "exempt_categories": ["complaint"],
            "unit_enterprise": [{"unit": "SCJG", "enterprise": "E1", "remaining": 1}],
            "enterprise": [{"enterprise": "E1", "remaining": 2}],
        },
        "officers_per_unit": 2,
        "officer_daily_rounds": 2,
    }
    doc["officers"] = [
        {"id": "SCJG-001", "unit": "SCJG", "days_off": ["2024-06-05"], "recusals": ["E2"]},
        {"id": "SCJG-002", "unit": "SCJG"},
    ]
    return doc


def _set(doc: dict[str, Any], path: str, value: Any) -> None:
    """Set `a.b[0].c` in a document; a `+` in the last part appends a copy of the item before."""
    parts = path.replace("[", ".").replace("]", "").split(".")
    node: Any = doc
    for part in parts[:-1]:
        node = node[int(part)] if part.isdigit() else node[part]
    last = parts[-1]
    if last == "+":
        node.append(deepcopy(node[-1]) if value is None else value)
    elif last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value


# (what is changed, its new value, the path the error names, words of the error)
BROKEN_1_1 = [
    ("rules.caps.unit_enterprise[0].unit", "XFJY2", None, "cap names unknown unit 'XFJY2'"),
    ("rules.caps.unit_enterprise[0].enterprise", "E9", None, "unknown enterprise 'E9'"),
    ("rules.caps.enterprise[0].enterprise", "E9", None, "cap names unknown enterprise 'E9'"),
    ("rules.caps.unit_enterprise[0].remaining", -1, None, "greater than or equal to 0"),
    ("rules.caps.enterprise[0].remaining", -2, None, "greater than or equal to 0"),
    ("rules.caps.unit_enterprise[0].remaining", 1.5, None, "valid integer"),
    (
        "rules.caps.unit_enterprise.+",
        None,
        "rules.caps.unit_enterprise[1]",
        "a second cap for unit 'SCJG' at enterprise 'E1'",
    ),
    ("rules.caps.enterprise.+", None, "rules.caps.enterprise[1]", "a second cap for enterprise"),
    ("rules.officers_per_unit", 0, None, "greater than or equal to 1"),
    ("rules.officer_daily_rounds", 0, None, "greater than or equal to 1"),
    ("rules.quiet_days.days[0]", "2024-06-31", None, "is not a date"),
    ("rules.quiet_days.exempt_categories[0]", "", None, "at least 1 character"),
    ("rules.no_disturb.exempt_categories", "safety", None, "'safety' is not a list"),
    ("officers.+", None, "officers[2].id", "duplicate id 'SCJG-002'"),
    ("officers[1].unit", "XFJY2", None, "officer 'SCJG-002' names unknown unit 'XFJY2'"),
    ("officers[0].recusals[0]", "E9", None, "recused from unknown enterprise 'E9'"),
    ("officers[0].days_off[0]", "06/05", None, "is not a date"),
    ("officers[1].id", "", None, "at least 1 character"),
    ("requests[0].category", "", None, "at least 1 character"),
    ("enterprises[1].no_disturb", "perhaps", None, "valid boolean"),
    ("units[0].capacity_by_date.2024-06-05", -1, None, "greater than or equal to 0"),
]


@pytest.mark.parametrize(("change", "value", "path", "words"), BROKEN_1_1, ids=lambda v: str(v))
def test_bad_1_1_problem_names_file_path_and_problem(
    tmp_path: Path, change: str, value: Any, path: str | None, words: str
) -> None:
    doc = _valid()
    _set(doc, change, value)
    file = tmp_path / "problem.json"
    file.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InvalidProblemError) as caught:
        load_problem(file)
    message = str(caught.value)
    expected_path = path or change
    assert "\n" not in message
    assert message.startswith(f"{file}: {expected_path}: "), message
    assert words in message
    assert caught.value.path == expected_path


def test_a_missing_officer_unit_is_named() -> None:
    doc = _valid()
    del doc["officers"][0]["unit"]
    with pytest.raises(InvalidProblemError) as caught:
        parse_problem(json.dumps(doc))
    assert str(caught.value) == "officers[0].unit: is required but missing"


@pytest.mark.parametrize(
    ("change", "value"),
    [
        ("rules", {}),
        ("officers", [{"id": "SCJG-001", "unit": "SCJG"}]),
        ("requests[0].category", "complaint"),
        ("enterprises[1].no_disturb", True),
    ],
)
def test_a_version_1_problem_may_not_use_a_key_of_1_1(change: str, value: Any) -> None:
    doc = _version_1()
    _set(doc, change, value)
    with pytest.raises(InvalidProblemError) as caught:
        parse_problem(json.dumps(doc))
    assert caught.value.path == change
    assert "belongs to format 'inspect-once/1.1'; the problem says 'inspect-once/1'" in str(
        caught.value
    )


def test_an_unknown_format_names_both_versions() -> None:
    doc = _valid()
    doc["format"] = "inspect-once/2"
    with pytest.raises(InvalidProblemError) as caught:
        parse_problem(json.dumps(doc))
    assert "expected 'inspect-once/1' or 'inspect-once/1.1'" in str(caught.value)


def test_a_1_1_problem_loads_with_its_rules_and_defaults() -> None:
    doc = _valid()
    doc["requests"][0].pop("category")
    doc["officers"][1].update(extra="ignored")
    problem = parse_problem(json.dumps(doc))
    assert problem.is_1_1
    assert problem.solution_format == "inspect-once-solution/1.1"
    assert problem.requests[0].category == "routine"
    assert [e.no_disturb for e in problem.enterprises] == [False, True]
    assert problem.effective_rules.caps.unit_enterprise[0].remaining == 1
    assert problem.effective_rules.quiet_on(date(2024, 6, 3), "routine")
    assert not problem.effective_rules.quiet_on(date(2024, 6, 3), "complaint")
    assert problem.officers[0].recusals == ("E2",)
    assert problem.officers[1].days_off == ()
    assert problem.units[0].capacity_on(date(2024, 6, 5)) == 1


def test_a_1_1_problem_without_rules_has_every_default() -> None:
    doc = _valid()
    del doc["rules"]
    problem = parse_problem(json.dumps(doc))
    rules = problem.effective_rules
    assert rules == Rules()
    assert (rules.officers_per_unit, rules.officer_daily_rounds) == (2, 1)
    assert rules.quiet_days.days == ()
    assert rules.caps.unit_enterprise == ()
    assert rules.disturbs("complaint")  # no exemption named: nothing visits the no-disturb list
    assert rules.caps.counts("complaint")


def test_the_sample_1_1_problem_loads() -> None:
    problem = load_problem(SAMPLE)
    assert problem.is_1_1
    assert len(problem.officers) == 6
    assert {r.category for r in problem.requests} >= {"routine", "complaint", "safety"}


# The fingerprint `Problem.sha256` gave `_version_1()` before format 1.1 existed.
VERSION_1_SHA256 = "c04f57c1dc1fc1d2768109de812ddca3448f1da2f52773105237b9a88391934a"


def test_a_version_1_problem_is_unchanged() -> None:
    problem = parse_problem(json.dumps(_version_1()))
    assert not problem.is_1_1
    assert problem.solution_format == "inspect-once-solution/1"
    canonical = json.loads(problem.canonical_json())
    assert {"rules", "officers"}.isdisjoint(canonical)
    assert "category" not in canonical["requests"][0]
    assert "no_disturb" not in canonical["enterprises"][0]
    assert problem.sha256() == VERSION_1_SHA256


def test_a_1_1_fingerprint_covers_the_rules() -> None:
    doc = _valid()
    first = parse_problem(json.dumps(doc)).sha256()
    doc["rules"]["caps"]["unit_enterprise"][0]["remaining"] = 0
    assert parse_problem(json.dumps(doc)).sha256() != first


def test_a_1_1_solution_carries_officers_and_draw_seed(tmp_path: Path) -> None:
    text = json.dumps(
        {
            "format": "inspect-once-solution/1.1",
            "draw_seed": 20240603,
            "rounds": [
                {
                    "enterprise": "E1",
                    "date": "2024-06-04",
                    "requests": ["R1"],
                    "officers": {"SCJG": ["SCJG-001", "SCJG-002"]},
                }
            ],
        }
    )
    solution = parse_solution(text)
    assert solution.draw_seed == 20240603
    assert solution.rounds[0].officers_of("SCJG") == ("SCJG-001", "SCJG-002")
    assert solution.rounds[0].officers_of("XFJY") == ()
    file = tmp_path / "solution.json"
    dump_solution(solution, file)
    assert parse_solution(file.read_text(encoding="utf-8")) == solution


def test_a_version_1_solution_file_has_no_1_1_keys(tmp_path: Path) -> None:
    solution = parse_solution(
        '{"format": "inspect-once-solution/1", "rounds": '
        '[{"enterprise": "E1", "date": "2024-06-04", "requests": ["R1"]}]}'
    )
    file = tmp_path / "solution.json"
    dump_solution(solution, file)
    written = json.loads(file.read_text(encoding="utf-8"))
    assert "draw_seed" not in written
    assert "officers" not in written["rounds"][0]
    assert Solution().format == "inspect-once-solution/1"
