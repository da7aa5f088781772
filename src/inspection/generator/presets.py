"""The named sizes of generated problem: who plans, over how long, and how many requests."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["PRESETS", "Preset", "Scope"]

Scope = Literal["district", "city", "province", "park"]


@dataclass(frozen=True)
class Preset:
    """One kind of generated problem.

    Attributes:
        name: ``S``, ``M``, ``L``, ``XL``, ``HS``, ``H`` or ``HX``.
        description: What it stands for, in a few words.
        scope: One district, a city's districts, a province's cities, or an industrial area.
        period: Horizon length: ``week``, ``month`` or ``quarter``.
        place: First part of the problem's name (``qingcheng``).
        target_requests: About how many requests it has at scale 1.
        request_range: The range the request count stays in at scale 1 (documented, tested).
        campaigns: How many themed drives the period holds.
        max_units_per_round: The problem's limit on units per round.
        campaign_days: Fewest and most working days of a drive's window.
        campaign_intensity: How strongly a drive concentrates load on its days. A drive
            targets each enterprise of its industries with this times the window's share of
            the horizon's working days as chance (at most 0.9); at a target, most of the
            drive's units want the drive's window. At 1 a drive's days carry about their fair
            share of the period's load; above 1 they carry more.
        blackout_share: Share of enterprises with blackout days.
        units_per_enterprise: For an industrial area, fewest and most units per enterprise;
            ``None`` lets each unit decide by its own chance.
        capacity_slack: Multiplies the capacity factor range (1.1 to 1.3 times the merged
            daily load, see :mod:`.capacity`): below 1 tighter, above 1 looser.
    """

    name: str
    description: str
    scope: Scope
    period: Literal["week", "month", "quarter"]
    place: str
    target_requests: int
    request_range: tuple[int, int]
    campaigns: int
    max_units_per_round: int = 4
    campaign_days: tuple[int, int] = (3, 5)
    campaign_intensity: float = 1.0
    blackout_share: float = 0.08
    units_per_enterprise: tuple[int, int] | None = None
    capacity_slack: float = 1.0

    @property
    def window_mix(self) -> tuple[tuple[str, float], ...]:
        """Kinds of window of routine requests, with their shares."""
        return _WINDOW_MIX[self.period]


_WINDOW_MIX = {
    "week": (("narrow", 0.35), ("whole", 0.65)),
    "month": (("narrow", 0.25), ("week", 0.25), ("whole", 0.5)),
    "quarter": (("narrow", 0.15), ("week", 0.15), ("month", 0.35), ("whole", 0.35)),
}

PRESETS: dict[str, Preset] = {
    preset.name: preset
    for preset in (
        Preset(
            "S", "a district's week", "district", "week", "qingcheng",
            target_requests=300, request_range=(250, 350), campaigns=1, campaign_days=(2, 3),
        ),
        Preset(
            "M", "a district's month", "district", "month", "qingcheng",
            target_requests=3_000, request_range=(2_500, 3_500), campaigns=3,
        ),
        Preset(
            "L", "a city's month", "city", "month", "qingyuan",
            target_requests=30_000, request_range=(25_000, 35_000), campaigns=3,
        ),
        Preset(
            "XL", "a province's quarter", "province", "quarter", "guangdong",
            target_requests=300_000, request_range=(250_000, 350_000), campaigns=6,
        ),
        Preset(
            "HS", "an industrial area's week", "park", "week", "qingcheng-park",
            target_requests=300, request_range=(200, 400), campaigns=1, campaign_days=(2, 3),
            max_units_per_round=3, campaign_intensity=1.5, blackout_share=0.15,
            units_per_enterprise=(4, 7),
        ),
        Preset(
            "H", "an industrial area's month", "park", "month", "qingcheng-park",
            target_requests=2_200, request_range=(1_500, 3_000), campaigns=3,
            max_units_per_round=3, campaign_intensity=1.5, blackout_share=0.15,
            units_per_enterprise=(4, 7),
        ),
        Preset(
            "HX", "a busy industrial area's month", "park", "month", "qingcheng-park",
            target_requests=3_400, request_range=(3_000, 4_000), campaigns=5,
            max_units_per_round=3, campaign_intensity=2.0, blackout_share=0.15,
            units_per_enterprise=(4, 7), capacity_slack=0.95,
        ),
    )
}  # fmt: skip
"""The presets by name, in the order S, M, L, XL, HS, H, HX."""
