"""The exact staffing check of a finished plan, and its repair (rule 10, format 1.1).

The model knows each unit's officers by their count and keeps a unit away from
an enterprise where too few of them are free of recusals; that is exact unless
recusals overlap across the rounds of one day. Before a plan is returned, each
unit's rounds of each day are matched to its officers exactly
(:meth:`~inspection.solver.staffing.Staffing.can_staff`); where they cannot be,
the unit leaves the round that costs least priority until they can. Whatever
then fits elsewhere is inserted again by the caller.
"""

from __future__ import annotations

from inspection.solver.errors import StaffingError
from inspection.solver.instance import Instance
from inspection.solver.occupancy import Occupancy

__all__ = ["repair_staffing"]


def repair_staffing(instance: Instance, occupancy: Occupancy) -> list[int]:
    """Make every unit's rounds of every day staffable; returns the request indices taken out.

    Raises:
        StaffingError: The rounds that cannot change (pinned) cannot be staffed.
    """
    staffing = occupancy.staffing
    if staffing is None:
        return []
    taken: list[int] = []
    for (unit, day), visited in sorted(occupancy.visits.items()):
        while not staffing.can_staff(unit, day, visited):
            options = []
            for enterprise in visited:
                state = occupancy.rounds.get((enterprise, day))
                if state is None:
                    continue  # a closed pinned round: it stays as it is
                mine = [instance.slots[i] for i in state.requests if instance.slots[i].unit == unit]
                if any(slot.fixed for slot in mine):
                    continue
                # prefer the round whose enterprise some officer is recused from
                eligible = staffing.can_staff(unit, day, [enterprise])
                options.append((sum(s.priority for s in mine), eligible, enterprise, mine))
            if not options:
                raise StaffingError(
                    "rounds",
                    f"unit '{instance.problem.units[unit].id}' cannot staff its pinned rounds "
                    f"on {instance.days[day]} with eligible officers",
                )
            _cost, _eligible, _enterprise, mine = min(options, key=lambda o: o[:3])
            occupancy.take_out(mine, day)
            taken.extend(slot.index for slot in mine)
    return taken
