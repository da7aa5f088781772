"""Who can staff what: the officers of each unit by day and enterprise (rule 10, format 1.1).

:class:`Staffing` answers the planners' questions about officers once per
problem: how many rounds a unit can staff on a day when nobody is recused
(the count), whether a unit can staff a round at a given enterprise at all
(enough officers present and not recused), and whether it can staff a given
set of rounds of one day (the exact matching of
:func:`~inspection.solver.officers.staff`). A unit without officers listed
needs none, so every answer for it is yes and its count is unbounded.

Indices are positions: units and enterprises in the problem's lists, days in
the horizon's working days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date

from inspection.solver.officers import staff
from inspection.solver.schema import Officer, Problem

__all__ = ["Staffing"]


class Staffing:
    """The officers of one problem, indexed for the planners."""

    def __init__(self, problem: Problem, days: Sequence[date]) -> None:
        """Index the officers of `problem` over its working `days`."""
        rules = problem.effective_rules
        unit_index = {u.id: i for i, u in enumerate(problem.units)}
        self._enterprise_ids = [e.id for e in problem.enterprises]
        self._enterprise_index = {e: i for i, e in enumerate(self._enterprise_ids)}
        self.days = days
        #: Officers each unit sends to a round.
        self.needed = rules.officers_per_unit
        #: Rounds one officer can do in a day.
        self.daily_rounds = rules.officer_daily_rounds
        self.officers: dict[int, list[Officer]] = defaultdict(list)
        for officer in problem.officers:
            self.officers[unit_index[officer.unit]].append(officer)
        self.officers = dict(self.officers)
        # (unit, day) -> officers present; (unit, enterprise) -> officers recused there
        self._present: dict[tuple[int, int], list[int]] = {}
        self._recused: dict[tuple[int, int], set[int]] = defaultdict(set)
        for unit, officers in self.officers.items():
            for day, on in enumerate(days):
                self._present[unit, day] = [
                    n for n, o in enumerate(officers) if on not in o.days_off
                ]
            for n, officer in enumerate(officers):
                for enterprise_id in officer.recusals:
                    self._recused[unit, self._enterprise_index[enterprise_id]].add(n)
        self._staffable: dict[tuple[int, int, tuple[int, ...]], bool] = {}

    def staffed(self, unit: int) -> bool:
        """Whether the unit has officers listed (and so needs them in its rounds)."""
        return unit in self.officers

    def rounds_possible(self, unit: int, day: int) -> int | None:
        """How many rounds the unit can staff on `day` if nobody were recused (None: no limit).

        ``n`` officers present of ``D`` rounds each give ``R`` rounds ``k`` distinct
        officers each exactly when ``n >= k`` and ``R * k <= n * D`` (deal them out in
        turn), so the count is ``n * D // k``, or 0 below ``k`` officers.
        """
        if unit not in self.officers:
            return None
        present = len(self._present[unit, day])
        return 0 if present < self.needed else present * self.daily_rounds // self.needed

    def can_visit(self, unit: int, day: int, enterprise: int) -> bool:
        """Whether the unit has enough officers present and not recused for a round there."""
        if unit not in self.officers:
            return True
        recused = self._recused.get((unit, enterprise), set())
        eligible = sum(1 for n in self._present[unit, day] if n not in recused)
        return eligible >= self.needed

    def present(self, unit: int, day: int) -> list[int]:
        """The unit's officers (by number) not on a day off on `day`."""
        return self._present.get((unit, day), [])

    def recused_at(self, unit: int, enterprise: int) -> set[int]:
        """The unit's officers (by number) recused from `enterprise`."""
        return self._recused.get((unit, enterprise), set())

    def recused_among(self, unit: int, day: int, enterprises: Iterable[int]) -> list[int]:
        """Officers present on `day` recused from one of `enterprises`, where counting fails.

        Their rounds of the day cannot be judged by the count alone; with none of them,
        :meth:`rounds_possible` is exact.
        """
        if unit not in self.officers:
            return []
        recused: set[int] = set()
        for enterprise in enterprises:
            recused |= self._recused.get((unit, enterprise), set())
        return sorted(recused.intersection(self._present[unit, day]))

    def can_staff(self, unit: int, day: int, enterprises: Iterable[int]) -> bool:
        """Whether the unit can staff rounds at all of `enterprises` on `day` at once (exact)."""
        if unit not in self.officers:
            return True
        visited = tuple(sorted(enterprises))
        key = (unit, day, visited)
        known = self._staffable.get(key)
        if known is not None:
            return known
        recused = [self._recused.get((unit, e), set()) for e in visited]
        present = self._present[unit, day]
        if not any(recused):
            possible = self.rounds_possible(unit, day)
            known = possible is not None and len(visited) <= possible
        else:
            eligible = [[n for n in present if n not in out] for out in recused]
            known = staff(eligible, self.needed, self.daily_rounds) is not None
        self._staffable[key] = known
        return known
