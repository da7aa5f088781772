"""The rules of format 1.1 (rules 7-10) for the MIP reference, read from the format document.

Written from ``/work/shared/interchange-format.md`` ("What makes a 1.1 solution
valid") and the problem's own fields, sharing nothing with the solver's model
or the greedy: only :func:`~inspection.solver.instance.build_instance`'s day
indices, which the whole reference uses, and, once a plan is found, the
officers' draw and the checker. Every filter here is applied to the days
``build_instance`` gives, so it stays right whether or not that function already
drops some of them (dropping twice is harmless).

- **Quiet days** (rule 7): a request whose category is not in
  ``quiet_days.exempt_categories`` has no variable on a quiet day.
- **No-disturb** (rule 8): a request at a no-disturb enterprise whose category is
  not in ``no_disturb.exempt_categories`` has no variable at all.
- **Caps** (rule 9): for a ``unit_enterprise`` entry, one indicator per day "the unit
  joins the enterprise's joint round with a counted request", plus each counted
  non-joinable request of the unit there (a round of its own), at most ``remaining``;
  for an ``enterprise`` entry, one indicator per day "the joint round holds a counted
  request" (a joint round counts once) plus each counted non-joinable request there.
- **Officers** (rule 10), for a unit with officers listed, with ``k`` =
  ``officers_per_unit``, ``D`` = ``officer_daily_rounds`` and ``P`` the unit's
  officers not on a day off: no variable where fewer than ``k`` of them are not
  recused from the enterprise, and (the aggregate, a relaxation, so the priority
  bound stays a bound) at most ``floor(P * D / k)`` rounds of the unit a day. The exact
  formulation (:func:`add_exact_officers`) instead gives every round of the unit
  exactly ``k`` eligible officers of its own, each officer at most ``D`` rounds a day.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from inspection.solver import check
from inspection.solver.errors import StaffingError
from inspection.solver.instance import Instance, RequestSlot
from inspection.solver.officers import draw_officers
from inspection.solver.schema import Officer, Problem, Solution

__all__ = ["CheckedPlan", "RulesOfProblem", "add_caps", "add_exact_officers", "staff_and_check"]

_OFFICERS_RULE = 10  # the format's rule number of the officers (the checker's numbering)


class RulesOfProblem:
    """The 1.1 rules of one problem in the instance's indices (all inert for a version 1 one).

    Attributes:
        active: The problem is of format 1.1 (a version 1 problem keeps its model exactly).
        counted: For each request index, whether the caps count it.
        officers: Officers of each unit index that has any.
        per_round: Officers a unit sends to each round (``officers_per_unit``).
        daily_rounds: Rounds one officer can do in a day (``officer_daily_rounds``).
    """

    def __init__(self, problem: Problem, instance: Instance) -> None:
        self.problem = problem
        self.instance = instance
        self.active = problem.is_1_1
        rules = problem.effective_rules
        self.quiet = set(rules.quiet_days.days)
        self.quiet_exempt = set(rules.quiet_days.exempt_categories)
        self.no_disturb = {i for i, e in enumerate(problem.enterprises) if e.no_disturb}
        self.no_disturb_exempt = set(rules.no_disturb.exempt_categories)
        cap_exempt = set(rules.caps.exempt_categories)
        self.counted = [r.category not in cap_exempt for r in problem.requests]
        self.officers: dict[int, list[Officer]] = defaultdict(list)
        for officer in problem.officers:
            self.officers[instance.unit_index[officer.unit]].append(officer)
        self.per_round = rules.officers_per_unit
        self.daily_rounds = rules.officer_daily_rounds

    def days(self, index: int, slot: RequestSlot) -> tuple[int, ...]:
        """The days of `slot` that rules 7, 8 and 10 leave it (all of them in version 1)."""
        if not self.active:
            return slot.days
        category = self.problem.requests[index].category
        if slot.enterprise in self.no_disturb and category not in self.no_disturb_exempt:
            return ()
        calendar = self.instance.days
        quiet_bound = category not in self.quiet_exempt
        return tuple(
            day
            for day in slot.days
            if not (quiet_bound and calendar[day] in self.quiet)
            and self.staffable(slot.unit, slot.enterprise, day)
        )

    def eligible(self, unit: int, enterprise: int, day: int) -> list[int]:
        """Positions (in ``officers[unit]``) of the unit's officers who may go there that day."""
        when = self.instance.days[day]
        where = self.problem.enterprises[enterprise].id
        return [
            n
            for n, officer in enumerate(self.officers.get(unit, ()))
            if when not in officer.days_off and where not in officer.recusals
        ]

    def staffable(self, unit: int, enterprise: int, day: int) -> bool:
        """Whether the unit has enough eligible officers for one round there (always, without)."""
        if unit not in self.officers:
            return True
        return len(self.eligible(unit, enterprise, day)) >= self.per_round

    def capacity(self, unit: int, day: int, capacity: int) -> int:
        """The unit's rounds that day: its capacity, and the officers' aggregate when it has any."""
        if not self.active or unit not in self.officers:
            return capacity
        when = self.instance.days[day]
        present = sum(when not in o.days_off for o in self.officers[unit])
        return min(capacity, present * self.daily_rounds // self.per_round)


def _indicator(
    solver: pywraplp.Solver, literals: Sequence[pywraplp.Variable], name: str
) -> pywraplp.Variable:
    """A variable that is 1 when any of `literals` is (the literal itself when there is one)."""
    if len(literals) == 1:
        return literals[0]
    indicator = solver.BoolVar(name)
    for literal in literals:
        solver.Add(literal <= indicator)
    return indicator


def add_caps(
    solver: pywraplp.Solver,
    rules: RulesOfProblem,
    slots: Mapping[int, RequestSlot],
    x: Mapping[tuple[int, int], pywraplp.Variable],
    rounds: Mapping[tuple[int, int], pywraplp.Variable],
) -> int:
    """Add rule 9's rows; return how many were added (entries that cannot bind add none).

    `rounds` are the joint rounds' variables by enterprise and day: where every
    joinable request that may be there is counted, the round itself is the
    indicator of an enterprise cap (the same integer points, a tighter LP: the
    round is at least each unit's joining and their number over the units a round
    may hold).
    """
    if not rules.active:
        return 0
    instance = rules.instance
    joint: dict[tuple[int, int], dict[int, list[pywraplp.Variable]]] = defaultdict(
        lambda: defaultdict(list)
    )
    solo: dict[tuple[int, int], list[pywraplp.Variable]] = defaultdict(list)
    uncounted: set[tuple[int, int]] = set()  # enterprise-days a joinable uncounted one may take
    for (index, day), variable in x.items():
        slot = slots[index]
        if not rules.counted[index]:
            if slot.joinable:
                uncounted.add((slot.enterprise, day))
            continue
        if slot.joinable:
            joint[slot.unit, slot.enterprise][day].append(variable)
        else:
            solo[slot.unit, slot.enterprise].append(variable)
    rows = 0
    caps = rules.problem.effective_rules.caps
    for entry in caps.unit_enterprise:
        unit = instance.unit_index[entry.unit]
        enterprise = instance.enterprise_index[entry.enterprise]
        terms = [
            _indicator(solver, literals, f"c_{unit}_{enterprise}_{day}")
            for day, literals in sorted(joint.get((unit, enterprise), {}).items())
        ]
        terms += solo.get((unit, enterprise), [])
        if len(terms) > entry.remaining:
            solver.Add(solver.Sum(terms) <= entry.remaining)
            rows += 1
    for cap in caps.enterprise:
        enterprise = instance.enterprise_index[cap.enterprise]
        by_day: dict[int, list[pywraplp.Variable]] = defaultdict(list)
        terms = []
        for (_unit, where), days in joint.items():
            if where == enterprise:
                for day, literals in days.items():
                    by_day[day].extend(literals)
        for (_unit, where), literals in solo.items():
            if where == enterprise:
                terms.extend(literals)
        terms += [
            _indicator(solver, literals, f"w_{enterprise}_{day}")
            if (enterprise, day) in uncounted
            else rounds[enterprise, day]
            for day, literals in sorted(by_day.items())
        ]
        if len(terms) > cap.remaining:
            solver.Add(solver.Sum(terms) <= cap.remaining)
            rows += 1
    return rows


def add_exact_officers(
    solver: pywraplp.Solver,
    rules: RulesOfProblem,
    slots: Mapping[int, RequestSlot],
    x: Mapping[tuple[int, int], pywraplp.Variable],
    joins: Mapping[tuple[int, int, int], pywraplp.Variable],
) -> int:
    """Add rule 10 exactly: officer-to-round variables; return how many were added.

    A round of a unit is its joint round at an enterprise on a day (`joins`, keyed
    by unit, enterprise and day) or one of its non-joinable requests on a day.
    """
    if not rules.active:
        return 0
    # (unit, day) -> the unit's possible rounds that day: (enterprise, "the unit is in it")
    rounds: dict[tuple[int, int], list[tuple[int, pywraplp.Variable]]] = defaultdict(list)
    for (unit, enterprise, day), literal in joins.items():
        if unit in rules.officers:
            rounds[unit, day].append((enterprise, literal))
    for (index, day), literal in x.items():
        slot = slots[index]
        if not slot.joinable and slot.unit in rules.officers:
            rounds[slot.unit, day].append((slot.enterprise, literal))
    added = 0
    for (unit, day), possible in sorted(rounds.items(), key=lambda item: item[0]):
        load: dict[int, list[pywraplp.Variable]] = defaultdict(list)
        for number, (enterprise, literal) in enumerate(possible):
            sent = []
            for officer in rules.eligible(unit, enterprise, day):
                variable = solver.BoolVar(f"a_{unit}_{day}_{number}_{officer}")
                sent.append(variable)
                load[officer].append(variable)
            added += len(sent)
            # exactly k distinct officers when the unit is in the round, none otherwise
            solver.Add(solver.Sum(sent) == rules.per_round * literal)
        for variables in load.values():
            if len(variables) > rules.daily_rounds:
                solver.Add(solver.Sum(variables) <= rules.daily_rounds)
    return added


@dataclass(frozen=True, slots=True)
class CheckedPlan:
    """A plan's checked figures and whether its officers could be drawn.

    Attributes:
        priority: Scheduled priority, as the checker counts it.
        rounds: Rounds, as the checker counts them.
        staffed: The officers were drawn (always true for a version 1 problem).
        staffing: Why they could not be, or ``""``.
        solution: The plan, with its officers when staffed.
    """

    priority: int
    rounds: int
    staffed: bool
    staffing: str
    solution: Solution


def staff_and_check(
    problem: Problem, solution: Solution, draw_seed: int, *, exact: bool
) -> CheckedPlan:
    """Draw the officers of a 1.1 plan and check it; abort on any broken rule.

    With the officers' aggregate (`exact` false) a plan may not be staffable, the
    aggregate being a relaxation: that is reported, not fatal (the priority bound
    still stands), and the plan is checked against every rule but rule 10.

    Raises:
        SystemExit: The plan breaks a rule, or an exact plan cannot be staffed.
    """
    staffed, staffing = True, ""
    if problem.is_1_1:
        try:
            rounds = draw_officers(problem, solution.rounds, draw_seed)
            solution = solution.model_copy(update={"rounds": rounds})
        except StaffingError as error:
            if exact:
                raise SystemExit(f"the exact officers' plan cannot be staffed: {error}") from None
            staffed = False
            staffing = f"the aggregate relaxation's plan cannot be staffed: {error}"
    report = check(problem, solution)
    violations = [v for v in report.violations if staffed or v.rule != _OFFICERS_RULE]
    if violations:
        raise SystemExit(f"the MIP's plan is invalid: {violations[:3]}")
    statistics = report.statistics
    return CheckedPlan(
        statistics.scheduled_priority, statistics.rounds, staffed, staffing, solution
    )
