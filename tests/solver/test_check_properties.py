"""The checker against the independent brute-force reference, on generated problems."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from inspection.solver.check import check, rounds_lower_bound, schedulable_priority
from inspection.solver.schema import (
    Enterprise,
    Horizon,
    Problem,
    Request,
    Round,
    Solution,
    Unit,
    Unscheduled,
)
from tests.support.exhaustive import (
    PlanRound,
    broken_rules,
    exhaustive_best_plan,
    exhaustive_optimum,
    rounds_of,
    valid_plans,
)
from tests.support.strategies import problems, tiny_problems


def as_solution(problem: Problem, rounds: list[PlanRound] | tuple[PlanRound, ...]) -> Solution:
    scheduled = {request_id for round_ in rounds for request_id in round_.request_ids}
    return Solution(
        rounds=tuple(
            Round(enterprise=r.enterprise, date=r.day, requests=r.request_ids) for r in rounds
        ),
        unscheduled=tuple(
            Unscheduled(request=r.id, reason="未安排")
            for r in problem.requests
            if r.id not in scheduled
        ),
    )


@st.composite
def problems_with_assignments(
    draw: st.DrawFn,
) -> tuple[Problem, dict[str, date | None], bool]:
    """A problem, any day (or none) for each request, even a day just outside the horizon."""
    problem = draw(st.one_of(tiny_problems(), problems()))
    first = problem.horizon.start - timedelta(days=1)
    span = (problem.horizon.end - problem.horizon.start).days + 2
    days = [first + timedelta(days=n) for n in range(span + 1)]
    horizon = problem.horizon
    assignment: dict[str, date | None] = {}
    for request in problem.requests:
        # Mostly a day of the request's own window, so that the rules between
        # rounds (3 to 6) get exercised, not only the window.
        low, high = max(request.earliest, horizon.start), min(request.latest, horizon.end)
        sensible = [d for d in days if low <= d <= high]
        likely = st.sampled_from(sensible or days)
        assignment[request.id] = draw(st.none() | likely | likely | likely | st.sampled_from(days))
    return problem, assignment, draw(st.booleans())


@given(problems_with_assignments())
def test_check_agrees_with_the_reference_on_any_assignment(
    case: tuple[Problem, dict[str, date | None], bool],
) -> None:
    problem, assignment, split = case
    rounds = rounds_of(problem, assignment, split_non_joinable=split)
    report = check(problem, as_solution(problem, rounds))
    assert {v.rule for v in report.violations} == broken_rules(problem, rounds)
    assert report.ok == (not broken_rules(problem, rounds))

    scheduled = [r for r in problem.requests if assignment[r.id] is not None]
    figures = report.statistics
    assert figures.requests == len(problem.requests)
    assert figures.scheduled_requests == figures.requested_visits == len(scheduled)
    assert figures.rounds == len(rounds)
    assert figures.visits_saved == len(scheduled) - len(rounds)
    assert figures.scheduled_priority == sum(r.priority for r in scheduled)
    assert figures.total_priority == sum(r.priority for r in problem.requests)


@given(tiny_problems())
def test_every_valid_plan_passes_and_keeps_above_the_bound(problem: Problem) -> None:
    plans = list(valid_plans(problem))
    best_priority, best_rounds = exhaustive_optimum(problem)
    assert schedulable_priority(problem) >= best_priority
    for plan in plans:
        report = check(problem, as_solution(problem, plan.rounds))
        assert report.ok, report.violations
        assert report.statistics.scheduled_priority == plan.priority
        scheduled = [i for i, day in plan.assignment.items() if day is not None]
        assert len(plan.rounds) >= rounds_lower_bound(problem, scheduled)
        assert (plan.priority, -len(plan.rounds)) <= (best_priority, -best_rounds)


@given(tiny_problems())
def test_the_optimum_is_never_below_the_format_bound(problem: Problem) -> None:
    best = exhaustive_best_plan(problem)
    scheduled = [i for i, day in best.assignment.items() if day is not None]
    report = check(problem, as_solution(problem, best.rounds))
    assert report.ok
    assert report.statistics.rounds_lower_bound <= len(best.rounds)
    assert rounds_lower_bound(problem, scheduled) == report.statistics.rounds_lower_bound


@given(tiny_problems())
def test_schedulable_priority_counts_the_requests_that_fit_alone(problem: Problem) -> None:
    horizon = problem.horizon
    days = [
        horizon.start + timedelta(days=n) for n in range((horizon.end - horizon.start).days + 1)
    ]

    def fits_alone(request: Request) -> bool:
        return any(
            not broken_rules(problem, [PlanRound(request.enterprise, day, (request.id,))])
            for day in days
        )

    expected = sum(r.priority for r in problem.requests if fits_alone(r))
    assert schedulable_priority(problem) == expected


def two_day_problem(capacity_b: int) -> Problem:
    monday, tuesday = date(2024, 6, 3), date(2024, 6, 4)

    def request(ident: str, unit: str, enterprise: str, last: date, **extra: object) -> Request:
        first = tuesday if ident == "R4" else monday
        fields = {"id": ident, "unit": unit, "enterprise": enterprise}
        return Request.model_validate(fields | {"earliest": first, "latest": last} | extra)

    return Problem(
        format="inspect-once/1",
        horizon=Horizon(start=monday, end=tuesday),
        non_working_days=(),
        max_units_per_round=2,
        units=(Unit(id="A", daily_capacity=1), Unit(id="B", daily_capacity=capacity_b)),
        enterprises=(Enterprise(id="E1"), Enterprise(id="E2")),
        requests=(
            request("R1", "A", "E1", tuesday),
            request("R2", "B", "E1", tuesday),
            request("R3", "A", "E2", monday, priority=2),
            request("R4", "B", "E2", tuesday, joinable=False),
        ),
    )


def test_the_reference_optimum_on_a_hand_solved_case() -> None:
    # R3 takes A's Monday, so R1 goes on Tuesday; R4 takes B's Tuesday when B has one
    # round a day, which leaves R2 alone on Monday: four rounds. With two, R2 joins R1.
    assert exhaustive_optimum(two_day_problem(capacity_b=1)) == (5, 4)
    assert exhaustive_optimum(two_day_problem(capacity_b=2)) == (5, 3)


def test_the_reference_validity_on_hand_built_rounds() -> None:
    problem = two_day_problem(capacity_b=1)
    monday, tuesday = problem.horizon.start, problem.horizon.end
    assert broken_rules(problem, [PlanRound("E1", monday, ("R1",))]) == set()
    assert broken_rules(problem, [PlanRound("E1", tuesday, ("R3",))]) == {2}
    assert broken_rules(
        problem, [PlanRound("E2", tuesday, ("R4",)), PlanRound("E2", tuesday, ("R3",))]
    ) == {2, 3}
    assert broken_rules(problem, [PlanRound("E2", tuesday, ("R4", "R3"))]) == {2, 5}
    assert broken_rules(
        problem, [PlanRound("E1", monday, ("R1",)), PlanRound("E2", monday, ("R3",))]
    ) == {6}
