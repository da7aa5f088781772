"""The checker on hand-built plans: each rule broken on its own, statistics, bounds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from inspection.solver.check import (
    RULE_OF_CODE,
    CheckStatistics,
    ViolationCode,
    check,
    rounds_lower_bound,
    schedulable_priority,
)
from inspection.solver.schema import (
    Enterprise,
    Horizon,
    Problem,
    Request,
    Round,
    Solution,
    Statistics,
    Unit,
    Unscheduled,
)

FIRE, FOOD = "消防设施完好情况", "食品经营许可情况"


def day(number: int) -> date:
    """A day of June 2024; the 3rd is a Monday."""
    return date(2024, 6, number)


def request(
    ident: str, unit: str, enterprise: str, first: date, last: date, **extra: object
) -> Request:
    return Request.model_validate(
        {"id": ident, "unit": unit, "enterprise": enterprise, "earliest": first, "latest": last}
        | extra
    )


# Units A (capacity 1), B (2), C (1); at most two units a round; E1 is closed on the 4th.
PROBLEM = Problem(
    format="inspect-once/1",
    horizon=Horizon(start=day(3), end=day(9)),
    non_working_days=(day(8), day(9)),
    max_units_per_round=2,
    units=(
        Unit(id="A", daily_capacity=1),
        Unit(id="B", daily_capacity=2),
        Unit(id="C", daily_capacity=1),
    ),
    enterprises=(Enterprise(id="E1", blackout_days=(day(4),)), Enterprise(id="E2")),
    requests=(
        request("R1", "A", "E1", day(3), day(7), priority=2, items=[FIRE]),
        request("R2", "B", "E1", day(3), day(4), items=[FIRE, FOOD]),
        request("R3", "C", "E2", date(2024, 5, 30), day(12), joinable=False, priority=3),
        request("R4", "B", "E2", day(4), day(4)),
        request("R5", "C", "E1", day(3), day(7)),
        request("R6", "A", "E2", day(3), day(7)),
    ),
)
VALID = Solution(
    rounds=(
        Round(enterprise="E1", date=day(3), requests=("R1", "R2"), lead_unit="A"),
        Round(enterprise="E2", date=day(4), requests=("R4",)),
        Round(enterprise="E2", date=day(5), requests=("R3",)),
        Round(enterprise="E2", date=day(6), requests=("R6",)),
    ),
    unscheduled=(Unscheduled(request="R5", reason="本轮检查单位已满"),),
)


def with_round(index: int, **changes: object) -> Solution:
    rounds = list(VALID.rounds)
    rounds[index] = rounds[index].model_copy(update=changes)
    return VALID.model_copy(update={"rounds": tuple(rounds)})


def with_unscheduled(*entries: Unscheduled) -> Solution:
    return VALID.model_copy(update={"unscheduled": entries})


def merged_into_first(extra: str) -> Solution:
    """R5 joins the first round instead of being left out."""
    return with_round(0, requests=("R1", "R2", extra)).model_copy(update={"unscheduled": ()})


def shared_with_non_joinable() -> Solution:
    """R3 (non-joinable) joins R4's round instead of having its own."""
    plan = with_round(1, requests=("R4", "R3"))
    return plan.model_copy(update={"rounds": plan.rounds[:2] + plan.rounds[3:]})


BROKEN: dict[ViolationCode, Callable[[], Solution]] = {
    ViolationCode.BAD_FORMAT: lambda: VALID.model_copy(update={"format": "inspect-once/1"}),
    ViolationCode.UNKNOWN_ENTERPRISE: lambda: with_round(3, enterprise="E9"),
    ViolationCode.EMPTY_ROUND: lambda: VALID.model_copy(
        update={
            "rounds": (
                *VALID.rounds,
                Round.model_construct(enterprise="E1", date=day(5), requests=()),
            )
        }
    ),
    ViolationCode.BAD_LEAD_UNIT: lambda: with_round(0, lead_unit="C"),
    ViolationCode.REQUEST_MISSING: lambda: with_unscheduled(),
    ViolationCode.REQUEST_TWICE: lambda: with_unscheduled(
        *VALID.unscheduled, Unscheduled(request="R4", reason="重复")
    ),
    ViolationCode.UNKNOWN_REQUEST: lambda: with_round(1, requests=("R4", "R99")),
    ViolationCode.EMPTY_REASON: lambda: with_unscheduled(Unscheduled(request="R5", reason=" ")),
    ViolationCode.WRONG_ENTERPRISE: lambda: with_round(3, enterprise="E1"),
    ViolationCode.OUTSIDE_WINDOW: lambda: with_round(0, date=day(5)),
    ViolationCode.OUTSIDE_HORIZON: lambda: with_round(2, date=day(10)),
    ViolationCode.NON_WORKING_DAY: lambda: with_round(2, date=day(8)),
    ViolationCode.BLACKOUT_DAY: lambda: with_round(0, date=day(4)),
    ViolationCode.TWO_ROUNDS_SAME_DAY: lambda: with_round(2, date=day(4)),
    ViolationCode.TOO_MANY_UNITS: lambda: merged_into_first("R5"),
    ViolationCode.NOT_JOINABLE_SHARED: shared_with_non_joinable,
    ViolationCode.UNIT_OVER_CAPACITY: lambda: with_round(3, date=day(3)),
    ViolationCode.ROUND_UNITS_MISMATCH: lambda: with_round(0, units=("A",)),
    ViolationCode.ROUND_ITEMS_MISMATCH: lambda: with_round(0, items=(FIRE, FIRE, FOOD)),
}
EXPECTED_RULE = {
    **dict.fromkeys(["BAD_FORMAT", "UNKNOWN_ENTERPRISE", "EMPTY_ROUND", "BAD_LEAD_UNIT"], 0),
    **dict.fromkeys(["REQUEST_MISSING", "REQUEST_TWICE", "UNKNOWN_REQUEST", "EMPTY_REASON"], 1),
    **dict.fromkeys(
        ["WRONG_ENTERPRISE", "OUTSIDE_WINDOW", "OUTSIDE_HORIZON", "NON_WORKING_DAY"], 2
    ),
    "BLACKOUT_DAY": 2,
    "TWO_ROUNDS_SAME_DAY": 3,
    "TOO_MANY_UNITS": 4,
    "NOT_JOINABLE_SHARED": 5,
    "UNIT_OVER_CAPACITY": 6,
    "QUIET_DAY": 7,
    "NO_DISTURB": 8,
    **dict.fromkeys(["UNIT_CAP_EXCEEDED", "ENTERPRISE_CAP_EXCEEDED"], 9),
    **dict.fromkeys(
        [
            "OFFICER_COUNT",
            "OFFICER_REPEATED",
            "OFFICER_NOT_OF_UNIT",
            "OFFICER_DAY_OFF",
            "OFFICER_RECUSED",
            "OFFICER_OVER_DAILY_ROUNDS",
            "OFFICERS_OF_OTHER_UNIT",
        ],
        10,
    ),
    **dict.fromkeys(["ROUND_UNITS_MISMATCH", "ROUND_ITEMS_MISMATCH"], 11),
    **dict.fromkeys(["STATISTICS_MISMATCH", "BOUND_CONTRADICTED"], 11),
    **dict.fromkeys(["PINNED_ROUND_MISSING", "PINNED_ROUND_CHANGED", "PINNED_ROUND_JOINED"], 12),
}


def test_every_code_has_the_documented_rule() -> None:
    assert {str(code): rule for code, rule in RULE_OF_CODE.items()} == EXPECTED_RULE
    assert set(RULE_OF_CODE) == set(ViolationCode)


def test_the_base_plan_is_valid() -> None:
    assert check(PROBLEM, VALID).violations == ()
    assert check(PROBLEM, VALID).ok


@pytest.mark.parametrize("code", list(BROKEN), ids=str)
def test_a_minimal_change_breaks_exactly_one_rule(code: ViolationCode) -> None:
    report = check(PROBLEM, BROKEN[code]())
    assert not report.ok
    assert {(v.rule, v.code) for v in report.violations} == {(EXPECTED_RULE[code], code)}


@pytest.mark.parametrize(
    "plan",
    [
        with_round(0, lead_unit="B"),
        with_round(0, lead_unit=None),
        with_round(0, units=("B", "A")),
        with_round(0, items=(FOOD, FIRE)),
        with_unscheduled(Unscheduled(request="R5", reason="x")),
    ],
)
def test_the_feasible_side_of_each_pair(plan: Solution) -> None:
    assert check(PROBLEM, plan).ok


def pin(enterprise: str, number: int, *requests: str, lead: str | None = None) -> Round:
    return Round(enterprise=enterprise, date=day(number), requests=requests, lead_unit=lead)


@pytest.mark.parametrize("open_pins", [False, True])
def test_a_plan_keeping_its_pins_is_valid(open_pins: bool) -> None:
    pins = (pin("E1", 3, "R1", "R2", lead="A"), pin("E2", 5, "R3"), pin("E2", 6, "R6"))
    assert check(PROBLEM, VALID, pins, open_pins).ok


def test_an_open_pin_may_take_joiners_and_a_closed_one_may_not() -> None:
    pins = (pin("E1", 3, "R1", lead="A"),)  # R2 joined it
    assert check(PROBLEM, VALID, pins, open_pins=True).ok
    (violation,) = check(PROBLEM, VALID, pins).violations
    assert (violation.rule, violation.code) == (12, ViolationCode.PINNED_ROUND_JOINED)
    assert "pinned[0]" in violation.message
    assert "R2" in violation.message


@pytest.mark.parametrize("open_pins", [False, True])
@pytest.mark.parametrize(
    ("plan", "pinned", "code", "fragment"),
    [
        (with_round(3, date=day(7)), pin("E2", 6, "R6"), "PINNED_ROUND_MISSING", "not in the plan"),
        (VALID, pin("E2", 4, "R4", "R6"), "PINNED_ROUND_CHANGED", "lost R6"),
        (VALID, pin("E1", 3, "R1", "R2", lead="B"), "PINNED_ROUND_CHANGED", "led by A"),
    ],
)
def test_a_plan_that_moves_or_changes_a_pin_breaks_rule_12(
    plan: Solution, pinned: Round, code: str, fragment: str, open_pins: bool
) -> None:
    assert check(PROBLEM, plan).ok  # valid but for the pin
    (violation,) = check(PROBLEM, plan, (pinned,), open_pins).violations
    assert (violation.rule, violation.code) == (12, code)
    assert fragment in violation.message


UNKNOWN_LEFT_OUT = with_unscheduled(*VALID.unscheduled, Unscheduled(request="R99", reason="无"))


@pytest.mark.parametrize(
    ("plan", "code", "fragments"),
    [
        (with_unscheduled(), "REQUEST_MISSING", ["'R5'"]),
        (BROKEN[ViolationCode.REQUEST_TWICE](), "REQUEST_TWICE", ["'R4'", "unscheduled[1]"]),
        (UNKNOWN_LEFT_OUT, "UNKNOWN_REQUEST", ["unscheduled[1]", "'R99'"]),
        (with_round(1, requests=("R4", "R99")), "UNKNOWN_REQUEST", ["rounds[1]", "'R99'"]),
        (with_round(2, date=day(4)), "TWO_ROUNDS_SAME_DAY", ["E2", "rounds[1]", "rounds[2]"]),
        (with_round(3, date=day(3)), "UNIT_OVER_CAPACITY", ["unit A", "rounds[0]", "rounds[3]"]),
        (with_round(0, date=day(5)), "OUTSIDE_WINDOW", ["rounds[0]", "'R2'", "06-03..2024-06-04"]),
    ],
)
def test_messages_name_the_records(plan: Solution, code: str, fragments: list[str]) -> None:
    (violation,) = check(PROBLEM, plan).violations
    assert violation.code == code
    assert "\n" not in violation.message
    for fragment in fragments:
        assert fragment in violation.message


def test_every_violation_is_reported_not_just_the_first() -> None:
    plan = with_round(2, date=day(8)).model_copy(update={"unscheduled": ()})
    plan = plan.model_copy(update={"rounds": (*plan.rounds, plan.rounds[1])})
    codes = [v.code for v in check(PROBLEM, plan).violations]
    assert sorted(codes) == sorted(
        ["REQUEST_MISSING", "REQUEST_TWICE", "NON_WORKING_DAY", "TWO_ROUNDS_SAME_DAY"]
    )
    assert [RULE_OF_CODE[c] for c in codes] == sorted(RULE_OF_CODE[c] for c in codes)


# Hand-computed: R1..R4 and R6 scheduled (priority 2+1+3+1+1), four rounds; the bound:
# E1 one day (the 3rd hits R1 and R2), E2 one day for R4 and R6 plus one for R3.
BASE_FIGURES = CheckStatistics(
    requests=6,
    scheduled_requests=5,
    requested_visits=5,
    rounds=4,
    visits_saved=1,
    scheduled_priority=8,
    total_priority=9,
    schedulable_priority=9,
    rounds_lower_bound=3,
)
CLAIMED = Statistics(
    **BASE_FIGURES.model_dump(exclude={"schedulable_priority"}),
    priority_upper_bound=9,
    rounds_lower_bound_proven=3,
    priority_gap=1 / 9,
    rounds_gap=0.25,
    priority_optimal=False,
    rounds_optimal=False,
)


def test_statistics_are_recomputed() -> None:
    assert check(PROBLEM, VALID).statistics == BASE_FIGURES
    assert check(PROBLEM, VALID.model_copy(update={"statistics": CLAIMED})).ok


STATED_FIGURES = (
    "requests scheduled_requests requested_visits rounds visits_saved "
    "scheduled_priority total_priority rounds_lower_bound"
)


@pytest.mark.parametrize("field", STATED_FIGURES.split())
def test_a_wrong_statistic_is_reported(field: str) -> None:
    wrong = CLAIMED.model_copy(update={field: getattr(CLAIMED, field) + 1})
    (violation,) = check(PROBLEM, VALID.model_copy(update={"statistics": wrong})).violations
    assert (violation.rule, violation.code) == (11, "STATISTICS_MISMATCH")
    assert f"statistics.{field} " in violation.message


@pytest.mark.parametrize(
    ("changes", "contradicted"),
    [
        ({"priority_upper_bound": 7}, True),
        ({"priority_upper_bound": 8, "rounds_lower_bound_proven": 5}, True),
        ({"priority_upper_bound": 8, "rounds_lower_bound_proven": 4}, False),
        ({"priority_upper_bound": 9, "rounds_lower_bound_proven": 5}, False),
    ],
)
def test_claimed_bounds_the_plan_itself_refutes(
    changes: dict[str, int], contradicted: bool
) -> None:
    claimed = CLAIMED.model_copy(update=changes)
    report = check(PROBLEM, VALID.model_copy(update={"statistics": claimed}))
    assert [v.code for v in report.violations] == (["BOUND_CONTRADICTED"] if contradicted else [])


def week(
    *requests: Request,
    off: tuple[date, ...] = (),
    closed: tuple[date, ...] = (),
    max_units: int = 4,
) -> Problem:
    """Monday 3rd to Friday 7th June; E1 closed on `closed`; units U0..U6."""
    return Problem(
        format="inspect-once/1",
        horizon=Horizon(start=day(3), end=day(7)),
        non_working_days=off,
        max_units_per_round=max_units,
        units=tuple(Unit(id=f"U{n}", daily_capacity=1) for n in range(7)),
        enterprises=(Enterprise(id="E1", blackout_days=closed), Enterprise(id="E2")),
        requests=requests,
    )


def bound(problem: Problem) -> int:
    return rounds_lower_bound(problem, [r.id for r in problem.requests])


def test_bound_sweep_over_windows() -> None:
    windows = [(3, 4), (4, 5), (6, 7), (7, 7)]
    problem = week(
        *(request(f"R{n}", f"U{n}", "E1", day(a), day(b)) for n, (a, b) in enumerate(windows))
    )
    # The 4th hits the first two windows, the 7th the last two.
    assert bound(problem) == 2


def test_bound_counts_units_when_the_round_size_binds() -> None:
    same_window = [request(f"R{n}", f"U{n}", "E1", day(3), day(7)) for n in range(5)]
    again = request("R9", "U0", "E1", day(3), day(7))
    # Five distinct units (U0 twice counts once), two per round: three rounds.
    assert bound(week(*same_window, again, max_units=2)) == 3
    assert bound(week(*same_window, again, max_units=5)) == 1


def test_bound_gives_each_non_joinable_request_a_round() -> None:
    problem = week(
        request("R1", "U1", "E1", day(3), day(7), joinable=False),
        request("R2", "U1", "E1", day(3), day(7), joinable=False),
        request("R3", "U2", "E1", day(3), day(7)),
        request("R4", "U3", "E2", day(5), day(5), joinable=False),
    )
    assert bound(problem) == 4


def test_bound_sees_blackouts_and_days_off_splitting_windows() -> None:
    pair = (request("R1", "U1", "E1", day(3), day(5)), request("R2", "U2", "E1", day(5), day(7)))
    assert bound(week(*pair)) == 1
    assert bound(week(*pair, closed=(day(5),))) == 2
    assert bound(week(*pair, off=(day(5),))) == 2
    e2_pair = [r.model_copy(update={"enterprise": "E2"}) for r in pair]
    assert bound(week(*e2_pair, closed=(day(5),))) == 1


def test_bound_clips_windows_to_the_horizon_and_counts_only_the_given_requests() -> None:
    problem = week(
        request("R1", "U1", "E1", date(2024, 5, 27), day(3)),
        request("R2", "U2", "E1", day(3), day(4)),
        request("R3", "U3", "E1", day(7), day(20)),
        request("R4", "U4", "E2", day(8), day(20)),  # no day in the horizon
    )
    assert rounds_lower_bound(problem, ["R1", "R2", "R3"]) == 2
    assert rounds_lower_bound(problem, ["R1", "R1", "R2"]) == 1
    assert rounds_lower_bound(problem, []) == 0
    # R4 adds no day, but its unit still needs a round in the units term.
    assert rounds_lower_bound(problem, ["R4"]) == 1
    with pytest.raises(ValueError, match="R7"):
        rounds_lower_bound(problem, ["R1", "R7"])


def test_bound_uses_the_given_working_days() -> None:
    pair = (request("R1", "U1", "E1", day(3), day(5)), request("R2", "U2", "E1", day(5), day(7)))
    problem = week(*pair)
    assert rounds_lower_bound(problem, ["R1", "R2"], working=[day(3), day(4), day(6), day(7)]) == 2


def test_schedulable_priority_counts_requests_with_a_feasible_day() -> None:
    problem = week(
        request("R1", "U1", "E1", day(3), day(7), priority=2),
        request("R2", "U1", "E1", date(2024, 5, 27), date(2024, 5, 31), priority=3),
        request("R3", "U2", "E2", day(6), day(6), priority=5),
        request("R4", "U3", "E1", day(4), day(4), priority=7),
        request("R5", "U4", "E2", day(4), day(4), joinable=False),
        off=(day(6),),
        closed=(day(4),),
    )
    assert schedulable_priority(problem) == 3
