"""Populating one district: its units, its enterprises and their inspection requests.

Everything here draws from the one random source it is given, in a fixed order,
so a district comes out the same for the same seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from itertools import accumulate

from inspection.generator.codes import CodeBook, NameBook
from inspection.generator.days import WorkCalendar
from inspection.generator.industries import (
    INDUSTRIES,
    INDUSTRY_BY_KEY,
    PARK_INDUSTRIES,
    Campaign,
    Industry,
)
from inspection.generator.places import District
from inspection.generator.presets import Preset
from inspection.generator.units import (
    COMPLAINT_ITEM,
    TOWN_OFFICE,
    UNIT_KIND_BY_CODE,
    UNIT_KINDS,
    items_for,
    unit_name,
)

__all__ = ["DistrictBuilder", "DraftEnterprise", "DraftRequest", "DraftUnit", "Drafts"]

COMPLAINT_CHANCE = 0.065
"""Chance that a request of a unit which handles complaints is complaint-driven (~5% overall)."""
MISFILED_CHANCE = 0.003
"""Chance that a routine window was filed on a public holiday, so it has no working day."""
_MOST_CAMPAIGN_CHANCE = 0.9
_JOINS_DRIVE = 0.85  # the rest of a drive's units checked that enterprise earlier
_OUTSIDE_NARROW = 0.15
_OUTSIDE_WHOLE = 0.2
_ROUTINE_PRIORITY = ((1, 2, 3), (0.85, 0.12, 0.03))
_CAMPAIGN_PRIORITY = ((1, 2, 3), (0.6, 0.3, 0.1))
_COMPLAINT_PRIORITY = ((2, 3), (0.6, 0.4))
_ITEM_COUNTS = ((1, 2, 3, 4), (0.35, 0.35, 0.2, 0.1))


@dataclass(frozen=True, slots=True)
class DraftUnit:
    """A unit before its capacity is known."""

    id: str
    name: str
    kind: str
    district: str


@dataclass(frozen=True, slots=True)
class DraftEnterprise:
    """An enterprise, with its blackout days as ordinals."""

    id: str
    name: str
    town: str
    industry: str
    district: str
    blackouts: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class DraftRequest:
    """A request before it is numbered, with its window as ordinals."""

    unit: str
    enterprise: str
    earliest: int
    latest: int
    joinable: bool
    priority: int
    items: tuple[str, ...]


@dataclass
class Drafts:
    """Everything generated so far, in the order it will appear in the problem."""

    units: list[DraftUnit] = field(default_factory=list)
    enterprises: list[DraftEnterprise] = field(default_factory=list)
    requests: list[DraftRequest] = field(default_factory=list)


class DistrictBuilder:
    """Adds districts to a set of drafts, sharing one random source, calendar and code book."""

    def __init__(
        self,
        rng: random.Random,
        preset: Preset,
        calendar: WorkCalendar,
        campaigns: list[tuple[Campaign, tuple[int, int]]],
    ) -> None:
        self._rng = rng
        self._preset = preset
        self._calendar = calendar
        self._codes = CodeBook()
        self._names = NameBook()
        self._drives: dict[str, list[tuple[Campaign, tuple[int, int], float]]] = {}
        for campaign, window in campaigns:
            chance = self._target_chance(window)
            for industry in campaign.industries:
                self._drives.setdefault(industry, []).append((campaign, window, chance))
        self._mix_kinds = [kind for kind, _ in preset.window_mix]
        self._mix_cumulative = list(accumulate(share for _, share in preset.window_mix))
        self.drafts = Drafts()

    def _target_chance(self, window: tuple[int, int]) -> float:
        """Chance that a drive targets an enterprise of its industries (see the preset)."""
        horizon = self._calendar.horizon_days
        inside = sum(1 for day in horizon if window[0] <= day <= window[1])
        return min(_MOST_CAMPAIGN_CHANCE, self._preset.campaign_intensity * inside / len(horizon))

    def add_district(
        self, district: District, prefix: str, towns: tuple[str, ...], target_requests: int
    ) -> None:
        """Add a district's units, then enterprises until it has `target_requests` requests.

        Args:
            district: The district.
            prefix: Prefix of its unit ids (``QC-``), empty for a one-district problem.
            towns: The towns its enterprises lie in (all of them, or an industrial area's).
            target_requests: Stop adding enterprises once this many requests are made.
        """
        park = self._preset.units_per_enterprise is not None
        if park:
            industries, weights = _park_mix()
        else:
            industries = list(INDUSTRIES)
            weights = [i.urban_weight if district.is_urban else i.rural_weight for i in industries]
        cumulative = list(accumulate(weights))
        self._add_units(district, prefix, industries, with_town_offices=not park)
        made = 0
        while made < target_requests:
            industry = self._rng.choices(industries, cum_weights=cumulative)[0]
            made += self._add_enterprise(district, prefix, towns, industry)

    def _add_units(
        self,
        district: District,
        prefix: str,
        industries: list[Industry],
        *,
        with_town_offices: bool,
    ) -> None:
        """Add the district's units that inspect any of `industries`, in catalogue order."""
        wanted = {code for industry in industries for code in industry.unit_codes()}
        names = {"district": district.name, "short": district.short, "city": district.city}
        for kind in UNIT_KINDS:
            if kind.code in wanted and kind.code != TOWN_OFFICE:
                self.drafts.units.append(
                    DraftUnit(
                        prefix + kind.code, unit_name(kind, **names), kind.code, district.code
                    )
                )
        if with_town_offices:
            office = UNIT_KIND_BY_CODE[TOWN_OFFICE]
            for number, town in enumerate(district.towns, start=1):
                self.drafts.units.append(
                    DraftUnit(
                        f"{prefix}{TOWN_OFFICE}{number:02d}",
                        unit_name(office, **names, town=town),
                        TOWN_OFFICE,
                        district.code,
                    )
                )

    def _add_enterprise(
        self, district: District, prefix: str, towns: tuple[str, ...], industry: Industry
    ) -> int:
        """Add one enterprise and its requests; return how many requests it got."""
        rng = self._rng
        town = rng.choice(towns)
        name, entity = self._names.new(rng, industry, district, town)
        ident = self._codes.new(rng, entity, district.code)
        self.drafts.enterprises.append(
            DraftEnterprise(ident, name, town, industry.key, district.code, self._blackouts())
        )
        targeted_by = [
            (campaign, window)
            for campaign, window, chance in self._drives.get(industry.key, ())
            if rng.random() < chance
        ]
        made = 0
        for code in self._inspecting_units(industry):
            if code == TOWN_OFFICE:
                # Town offices are numbered in the order of all the district's towns.
                unit = f"{prefix}{TOWN_OFFICE}{district.towns.index(town) + 1:02d}"
            else:
                unit = prefix + code
            self.drafts.requests.append(self._request(unit, code, ident, industry.key, targeted_by))
            made += 1
        return made

    def _inspecting_units(self, industry: Industry) -> list[str]:
        """The unit kinds that ask to inspect one enterprise of `industry` this period."""
        rng = self._rng
        bounds = self._preset.units_per_enterprise
        if bounds is None:
            chosen = [code for code, chance in industry.units if rng.random() < chance]
            return chosen or [industry.units[0][0]]
        count = rng.randint(bounds[0], min(bounds[1], len(industry.units)))
        # Weighted sampling without replacement (Efraimidis-Spirakis keys), kept in
        # catalogue order so that the more usual units come first.
        keys = sorted(
            (
                (rng.random() ** (1.0 / chance), position)
                for position, (_, chance) in enumerate(industry.units)
            ),
            reverse=True,
        )
        return [industry.units[position][0] for _, position in sorted(keys[:count], key=_second)]

    def _blackouts(self) -> tuple[int, ...]:
        rng = self._rng
        if rng.random() >= self._preset.blackout_share:
            return ()
        days = self._calendar.horizon_days
        count = min(rng.randint(1, 5 if self._preset.period == "quarter" else 3), len(days))
        if rng.random() < 0.6:
            first = rng.randrange(len(days) - count + 1)
            return tuple(days[first : first + count])
        return tuple(sorted(rng.sample(days, count)))

    def _request(
        self,
        unit: str,
        code: str,
        enterprise: str,
        industry: str,
        targeted_by: list[tuple[Campaign, tuple[int, int]]],
    ) -> DraftRequest:
        """One request of unit `unit` (of kind `code`) to inspect the enterprise."""
        rng = self._rng
        pool = items_for(code, industry)
        if UNIT_KIND_BY_CODE[code].handles_complaints and rng.random() < COMPLAINT_CHANCE:
            earliest, latest = self._calendar.narrow(rng, (2, 3), _OUTSIDE_NARROW)
            items = (COMPLAINT_ITEM, *_pick(rng, pool, rng.randint(0, 2)))
            priority = rng.choices(*_COMPLAINT_PRIORITY)[0]
            return DraftRequest(unit, enterprise, earliest, latest, False, priority, items)
        for campaign, window in targeted_by:
            if code in campaign.units and rng.random() < _JOINS_DRIVE:
                items = (campaign.item, *_pick(rng, pool, rng.randint(0, min(3, len(pool)))))
                priority = rng.choices(*_CAMPAIGN_PRIORITY)[0]
                return DraftRequest(unit, enterprise, *window, True, priority, items)
        earliest, latest = self._routine_window()
        count = min(rng.choices(*_ITEM_COUNTS)[0], len(pool))
        priority = rng.choices(*_ROUTINE_PRIORITY)[0]
        return DraftRequest(
            unit, enterprise, earliest, latest, True, priority, _pick(rng, pool, count)
        )

    def _routine_window(self) -> tuple[int, int]:
        rng, calendar = self._rng, self._calendar
        if rng.random() < MISFILED_CHANCE:
            holiday = calendar.holiday(rng)
            if holiday is not None:
                return holiday
        kind = rng.choices(self._mix_kinds, cum_weights=self._mix_cumulative)[0]
        if kind == "narrow":
            return calendar.narrow(rng, (2, 5), _OUTSIDE_NARROW)
        if kind == "week":
            return calendar.week(rng)
        if kind == "month":
            return calendar.month(rng)
        return calendar.whole(rng, _OUTSIDE_WHOLE)


def _pick(rng: random.Random, pool: tuple[str, ...], count: int) -> tuple[str, ...]:
    """`count` different items of `pool`, in the pool's (the checklist's) order."""
    return tuple(pool[i] for i in sorted(rng.sample(range(len(pool)), count)))


def _park_mix() -> tuple[list[Industry], list[float]]:
    return [INDUSTRY_BY_KEY[key] for key, _ in PARK_INDUSTRIES], [w for _, w in PARK_INDUSTRIES]


def _second(pair: tuple[float, int]) -> int:
    return pair[1]
