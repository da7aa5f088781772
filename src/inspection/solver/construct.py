"""A starting plan from the guiding LP: round its values, then fill what still fits."""

from __future__ import annotations

from inspection.solver.instance import Component
from inspection.solver.occupancy import Occupancy
from inspection.solver.rules_instance import NO_CAPS, Caps

__all__ = ["round_guided"]


def round_guided(
    component: Component,
    capacity: list[list[int]],
    max_units_per_round: int,
    values: dict[int, dict[int, float]],
    caps: Caps = NO_CAPS,
) -> dict[int, int]:
    """Place requests on the days the LP favours, most certain first.

    The requests of pinned rounds open to joiners are placed first, on their
    rounds' days; then a request takes the first of its LP days (largest value
    first) that still fits; requests the LP left out, or whose days are taken,
    are then inserted wherever they fit cheapest. The caps of format 1.1 are
    kept like the other rules (staffing by its count, in `capacity`).

    Returns:
        A valid assignment of request index to day index.
    """
    slots = {slot.index: slot for slot in component.requests}
    occupancy = Occupancy(capacity, max_units_per_round, caps)
    occupancy.place_fixed(component.requests)
    order = sorted(
        (i for i in values if not slots[i].fixed),
        key=lambda i: (-max(values[i].values()), -slots[i].priority, len(slots[i].days), i),
    )
    for index in order:
        slot = slots[index]
        for day, _value in sorted(values[index].items(), key=lambda kv: (-kv[1], kv[0])):
            if occupancy.blocker(slot, day) is None:
                occupancy.place(slot, day)
                break
    placed = occupancy.days()
    occupancy.insert_what_fits([s for i, s in slots.items() if i not in placed])
    return occupancy.days()
