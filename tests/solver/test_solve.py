"""The solver on hand-built problems: reasons, pins, hints, determinism, statistics."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from inspection.solver import Problem, Progress, ReasonCode, Round, SolveOptions, check, solve
from inspection.solver.reasons import REASON_CODES, SENTENCES

WEEK = {"start": "2024-06-03", "end": "2024-06-09"}
WEEKEND = ["2024-06-08", "2024-06-09"]


def _request(
    rid: str, unit: str, enterprise: str, first: str, last: str, **extra: Any
) -> dict[str, Any]:
    return {
        "id": rid,
        "unit": unit,
        "enterprise": enterprise,
        "earliest": first,
        "latest": last,
        **extra,
    }


def _problem(
    requests: list[dict[str, Any]],
    capacity: int = 2,
    max_units: int = 4,
    blackout: dict[str, list[str]] | None = None,
) -> Problem:
    units = sorted({r["unit"] for r in requests})
    enterprises = sorted({r["enterprise"] for r in requests})
    return Problem.model_validate(
        {
            "format": "inspect-once/1",
            "horizon": WEEK,
            "non_working_days": WEEKEND,
            "max_units_per_round": max_units,
            "units": [{"id": u, "daily_capacity": capacity} for u in units],
            "enterprises": [
                {"id": e, "blackout_days": (blackout or {}).get(e, [])} for e in enterprises
            ],
            "requests": requests,
        }
    )


def _solve(problem: Problem, **options: Any) -> Any:
    chosen = SolveOptions(time_limit_s=10, workers=1, **options)
    solution = solve(problem, chosen)
    report = check(problem, solution, chosen.pinned, chosen.open_pins)
    assert report.ok, report.violations
    assert all(u.code in REASON_CODES for u in solution.unscheduled), solution.unscheduled
    return solution


def _codes(solution: Any) -> dict[str, str | None]:
    return {u.request: u.code for u in solution.unscheduled}


def test_merges_requests_of_one_enterprise_into_one_round() -> None:
    problem = _problem(
        [
            _request("r1", "SCJG", "E1", "2024-06-03", "2024-06-05", items=["食品经营许可情况"]),
            _request("r2", "XF", "E1", "2024-06-05", "2024-06-07", items=["消防安全疏散通道"]),
            _request("r3", "WJ", "E1", "2024-06-04", "2024-06-06"),
        ]
    )
    solution = _solve(problem)
    assert solution.status == "optimal"
    assert len(solution.rounds) == 1
    only = solution.rounds[0]
    assert str(only.date) == "2024-06-05"
    assert sorted(only.requests) == ["r1", "r2", "r3"]
    assert solution.statistics.visits_saved == 2


def test_lead_unit_brings_most_items_and_items_are_deduplicated() -> None:
    problem = _problem(
        [
            _request("r1", "B", "E1", "2024-06-03", "2024-06-03", items=["甲", "乙"]),
            _request("r2", "A", "E1", "2024-06-03", "2024-06-03", items=["乙", "丙"]),
            _request("r3", "C", "E1", "2024-06-03", "2024-06-03", items=["甲"]),
        ]
    )
    (only,) = _solve(problem).rounds
    assert only.lead_unit == "A"  # A and B tie on two items; the smaller id leads
    assert sorted(only.items) == ["丙", "乙", "甲"]


@pytest.mark.parametrize(
    ("code", "requests", "blackout", "capacity", "max_units"),
    [
        (
            ReasonCode.WINDOW_OUTSIDE_HORIZON,
            [_request("x", "A", "E", "2024-07-01", "2024-07-05")],
            {},
            1,
            4,
        ),
        (
            ReasonCode.NO_WORKING_DAY_IN_WINDOW,
            [_request("x", "A", "E", "2024-06-08", "2024-06-12")],
            {},
            1,
            4,
        ),
        (
            ReasonCode.BLACKOUT_COVERS_WINDOW,
            [_request("x", "A", "E", "2024-06-04", "2024-06-05")],
            {"E": ["2024-06-04", "2024-06-05"]},
            1,
            4,
        ),
        (
            ReasonCode.UNIT_CAPACITY_FULL,
            [
                _request("x", "A", "E", "2024-06-03", "2024-06-03"),
                _request("y", "A", "F", "2024-06-03", "2024-06-03", priority=2),
            ],
            {},
            1,
            4,
        ),
        (
            ReasonCode.ROUND_FULL,
            [
                _request("x", "A", "E", "2024-06-03", "2024-06-03"),
                _request("y", "B", "E", "2024-06-03", "2024-06-03", priority=2),
            ],
            {},
            1,
            1,
        ),
        (
            ReasonCode.ENTERPRISE_DAY_TAKEN,
            [
                _request("x", "A", "E", "2024-06-03", "2024-06-03"),
                _request("y", "B", "E", "2024-06-03", "2024-06-03", joinable=False, priority=2),
            ],
            {},
            1,
            4,
        ),
        (
            ReasonCode.NO_FREE_SLOT,
            [
                _request("x", "A", "E", "2024-06-03", "2024-06-04"),
                _request("y", "A", "F", "2024-06-03", "2024-06-03", priority=2),
                _request("z", "B", "E", "2024-06-04", "2024-06-04", joinable=False, priority=2),
            ],
            {},
            1,
            4,
        ),
    ],
)
def test_each_reason_code_is_produced_by_a_problem_built_for_it(
    code: ReasonCode,
    requests: list[dict[str, Any]],
    blackout: dict[str, list[str]],
    capacity: int,
    max_units: int,
) -> None:
    assert code in REASON_CODES
    solution = _solve(_problem(requests, capacity, max_units, blackout))
    assert _codes(solution)["x"] == code
    assert all(u.reason for u in solution.unscheduled)


def test_pinned_rounds_are_kept_exactly_and_block_their_day() -> None:
    problem = _problem(
        [
            _request("p", "A", "E", "2024-06-03", "2024-06-07"),
            _request("q", "B", "E", "2024-06-03", "2024-06-07"),
            _request("new", "C", "E", "2024-06-05", "2024-06-07"),
            _request("late", "D", "E", "2024-06-06", "2024-06-06"),
        ],
        capacity=1,
    )
    pin = Round.model_validate({"enterprise": "E", "date": "2024-06-06", "requests": ["p", "q"]})
    solution = _solve(problem, pinned=(pin,))
    assert pin in solution.rounds
    others = [r for r in solution.rounds if r != pin]
    assert [r.requests for r in others] == [("new",)]
    assert str(others[0].date) in ("2024-06-05", "2024-06-07")
    assert _codes(solution) == {"late": ReasonCode.PINNED_ROUNDS_FILL_WINDOW}
    assert solution.provenance.pinned_rounds == 1


def _pinned(enterprise: str, day: str, *requests: str, **fields: Any) -> Round:
    return Round.model_validate(
        {"enterprise": enterprise, "date": day, "requests": requests, **fields}
    )


def test_a_late_request_joins_an_open_pinned_round_rather_than_open_a_new_one() -> None:
    problem = _problem(
        [
            _request("p", "A", "E", "2024-06-03", "2024-06-07", items=["甲"]),
            _request("q", "B", "E", "2024-06-03", "2024-06-07"),
            _request("late", "C", "E", "2024-06-03", "2024-06-07", items=["乙", "丙", "甲"]),
        ]
    )
    pin = _pinned("E", "2024-06-06", "q", "p", lead_unit="A", units=["A", "B"], items=["甲"])
    closed = _solve(problem, pinned=(pin,))
    assert pin in closed.rounds
    assert len(closed.rounds) == 2
    opened = _solve(problem, pinned=(pin,), open_pins=True)
    assert opened.status == "optimal"
    (joined,) = opened.rounds
    # the announced round keeps its day, lead unit and requests; the late one joins it
    assert (str(joined.date), joined.lead_unit) == ("2024-06-06", "A")  # C brings more items
    assert joined.requests == ("q", "p", "late")
    assert (joined.units, joined.items) == (("A", "B", "C"), ("甲", "乙", "丙"))
    assert (opened.statistics.rounds, opened.statistics.visits_saved) == (1, 2)
    assert opened.provenance.parameters["open_pins"] is True


def test_an_open_pinned_round_nobody_joins_comes_back_exactly() -> None:
    problem = _problem(
        [
            _request("p", "A", "E", "2024-06-03", "2024-06-07", items=["原事项"]),
            _request("other", "B", "F", "2024-06-03", "2024-06-07"),
        ]
    )
    pin = _pinned("E", "2024-06-04", "p", lead_unit="A", units=["A"], items=["原事项"])
    assert pin in _solve(problem, pinned=(pin,), open_pins=True).rounds


# The late request "x" (unit C, only 2024-06-06) against the announced round at E that day.
_ANNOUNCED = [
    _request("p", "A", "E", "2024-06-03", "2024-06-07"),
    _request("q", "B", "E", "2024-06-03", "2024-06-07"),
]


@pytest.mark.parametrize(
    ("code", "late", "pins", "max_units"),
    [
        (  # the announced round already has max_units_per_round units
            ReasonCode.ROUND_FULL,
            [_request("x", "C", "E", "2024-06-06", "2024-06-06")],
            [("E", "p", "q")],
            2,
        ),
        (  # a complaint never joins
            ReasonCode.ENTERPRISE_DAY_TAKEN,
            [_request("x", "C", "E", "2024-06-06", "2024-06-06", joinable=False)],
            [("E", "p", "q")],
            4,
        ),
        (  # C's one round that day is announced at another enterprise
            ReasonCode.UNIT_CAPACITY_FULL,
            [
                _request("x", "C", "E", "2024-06-06", "2024-06-06"),
                _request("c", "C", "F", "2024-06-03", "2024-06-07"),
            ],
            [("E", "p", "q"), ("F", "c")],
            4,
        ),
        (  # an announced complaint takes nobody with it
            ReasonCode.ENTERPRISE_DAY_TAKEN,
            [
                _request("x", "C", "E", "2024-06-06", "2024-06-06"),
                _request("k", "B", "E", "2024-06-03", "2024-06-07", joinable=False),
            ],
            [("E", "k")],
            4,
        ),
    ],
)
def test_a_request_that_cannot_join_an_open_pinned_round_says_why(
    code: ReasonCode,
    late: list[dict[str, Any]],
    pins: list[tuple[str, ...]],
    max_units: int,
) -> None:
    problem = _problem(_ANNOUNCED + late, capacity=1, max_units=max_units)
    pinned = tuple(_pinned(e, "2024-06-06", *requests) for e, *requests in pins)
    opened = _solve(problem, pinned=pinned, open_pins=True)
    assert _codes(opened)["x"] == code
    assert set(pinned) <= set(opened.rounds)
    # closed, the same pins only ever fill the window
    closed = _solve(problem, pinned=pinned)
    assert _codes(closed)["x"] == ReasonCode.PINNED_ROUNDS_FILL_WINDOW


def test_a_request_that_cannot_join_gets_a_round_of_its_own_on_another_day() -> None:
    problem = _problem(
        [*_ANNOUNCED, _request("x", "C", "E", "2024-06-05", "2024-06-07")], max_units=2
    )
    pin = _pinned("E", "2024-06-06", "p", "q")
    solution = _solve(problem, pinned=(pin,), open_pins=True)
    assert pin in solution.rounds
    (second,) = (r for r in solution.rounds if r != pin)
    assert second.requests == ("x",)
    assert str(second.date) in ("2024-06-05", "2024-06-07")


def test_pinned_rounds_that_break_a_rule_make_the_problem_infeasible() -> None:
    problem = _problem([_request("p", "A", "E", "2024-06-03", "2024-06-04")])
    pin = Round.model_validate({"enterprise": "E", "date": "2024-06-06", "requests": ["p"]})
    solution = solve(problem, SolveOptions(time_limit_s=5, pinned=(pin,)))
    assert solution.status == "infeasible"
    assert solution.unscheduled[0].code == "PINNED_ROUNDS_CONFLICT"
    assert ReasonCode.PINNED_ROUNDS_CONFLICT in REASON_CODES
    assert {u.code for u in solution.unscheduled} == {ReasonCode.PINNED_ROUNDS_CONFLICT}
    reason = solution.unscheduled[0].reason
    assert "outside the window" in reason
    assert reason.startswith(SENTENCES[ReasonCode.PINNED_ROUNDS_CONFLICT].split("{")[0])


def _busy_problem() -> Problem:
    requests = []
    for e in range(12):
        for u in "ABCDE":
            if (e + ord(u)) % 3:
                first = 3 + (e * 7 + ord(u)) % 4
                requests.append(
                    _request(f"{u}{e}", u, f"E{e:02d}", f"2024-06-0{first}", "2024-06-07")
                )
    return _problem(requests, capacity=2, max_units=3)


def test_same_seed_and_one_worker_give_the_same_plan() -> None:
    problem = _busy_problem()
    first = _solve(problem, seed=7)
    second = _solve(problem, seed=7)
    assert first.rounds == second.rounds
    assert first.unscheduled == second.unscheduled


def test_hint_is_used_and_statistics_agree_with_the_checker() -> None:
    problem = _busy_problem()
    plain = _solve(problem)
    hinted = _solve(problem, hint=plain)
    assert hinted.provenance.parameters["start"] in ("hint", "greedy")
    report = check(problem, hinted)
    assert report.statistics.rounds == hinted.statistics.rounds
    assert report.statistics.rounds_lower_bound == hinted.statistics.rounds_lower_bound
    assert (hinted.statistics.scheduled_priority, -hinted.statistics.rounds) >= (
        plain.statistics.scheduled_priority,
        -plain.statistics.rounds,
    ) or hinted.status == "optimal"


def test_provenance_records_problem_hash_and_parameters() -> None:
    problem = _busy_problem()
    solution = _solve(problem, seed=3)
    assert solution.provenance.problem_sha256 == problem.sha256()
    assert len(problem.sha256()) == 64
    assert solution.provenance.seed == 3
    assert solution.provenance.parameters["workers"] == 1


def test_stop_ends_early_with_a_valid_plan() -> None:
    problem = _busy_problem()
    stop = threading.Event()
    stop.set()
    solution = solve(problem, SolveOptions(time_limit_s=10), stop=stop)
    assert solution.status == "stopped"
    assert check(problem, solution).ok


def test_progress_is_reported_with_bounds() -> None:
    problem = _busy_problem()
    seen: list[Progress] = []
    solve(problem, SolveOptions(time_limit_s=10, workers=1), on_progress=seen.append)
    assert seen
    first, last = seen[0], seen[-1]
    assert first.stage == 0  # the starting plan, shown before any search
    assert first.rounds > 0
    assert last.priority <= last.priority_bound
    assert last.rounds >= last.rounds_bound
    assert last.rounds <= first.rounds or last.priority > first.priority


def test_capacity_by_date_extension_gives_days_off_and_lower_capacity() -> None:
    from inspection.solver.greedy import greedy_plan

    document = _problem(
        [
            _request("off", "A", "E", "2024-06-03", "2024-06-04"),
            _request("x", "B", "F", "2024-06-05", "2024-06-05"),
            _request("y", "B", "G", "2024-06-05", "2024-06-05", priority=2),
        ],
        capacity=2,
    ).model_dump()
    document["units"][0]["capacity_by_date"] = {"2024-06-03": 0, "2024-06-04": 0}
    document["units"][1]["capacity_by_date"] = {"2024-06-05": 1}
    problem = Problem.model_validate(document)
    solution = _solve(problem)
    assert _codes(solution) == {"off": "UNIT_DAYS_OFF", "x": "UNIT_CAPACITY_FULL"}
    assert [r.requests for r in solution.rounds] == [("y",)]
    baseline = greedy_plan(problem)
    assert len([r for r in baseline.rounds if str(r.date) == "2024-06-05"]) == 1
    # the checker reads the extension too: two rounds of B on its one-round day break rule 6
    both = solution.model_copy(
        update={
            "rounds": (
                *solution.rounds,
                Round.model_validate({"enterprise": "F", "date": "2024-06-05", "requests": ["x"]}),
            ),
            "unscheduled": tuple(u for u in solution.unscheduled if u.request != "x"),
            "statistics": None,
        }
    )
    assert {v.code for v in check(problem, both).violations} == {"UNIT_OVER_CAPACITY"}
