"""Assembling a generated problem: period, districts, campaigns, capacities, the model."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from inspection.generator.capacity import daily_capacities, merged_load
from inspection.generator.days import WorkCalendar, pick_period
from inspection.generator.industries import CAMPAIGNS, PARK_INDUSTRIES, Campaign
from inspection.generator.places import CITIES, PARK_TOWNS, QINGCHENG, QINGYUAN, District
from inspection.generator.presets import PRESETS, Preset
from inspection.generator.rules import add_rules
from inspection.generator.world import DistrictBuilder, Drafts
from inspection.solver.schema import PROBLEM_FORMAT, Problem

__all__ = ["GeneratedProblem", "generate", "generate_detailed"]

_TARGET_JITTER = (0.92, 1.08)
_DISTRICT_JITTER = (0.6, 1.4)


@dataclass(frozen=True)
class GeneratedProblem:
    """A generated problem and what the generator knows about it beyond the format.

    Attributes:
        problem: The problem itself.
        industry_of: Industry key of each enterprise, by enterprise id.
        district_of: Region code of each enterprise's district, by enterprise id.
        unit_kind: Unit kind code of each unit (``SCJG``, ``ZHZF``), by unit id.
        unit_district: Region code of each unit's district, by unit id.
    """

    problem: Problem
    industry_of: dict[str, str]
    district_of: dict[str, str]
    unit_kind: dict[str, str]
    unit_district: dict[str, str]


def generate(
    preset: str,
    seed: int,
    *,
    scale: float = 1.0,
    rules: bool = False,
    slack: float | None = None,
) -> Problem:
    """A realistic planning problem, the same for the same preset, seed, scale, rules and slack.

    Args:
        preset: One of ``S``, ``M``, ``L``, ``XL``, ``HS``, ``H``, ``HX`` (see :data:`PRESETS`).
        seed: Any integer.
        scale: Multiplies the number of requests (every district keeps its share), so that
            tests can build a small problem of a large preset's shape.
        rules: Make it a format 1.1 problem with categories, quiet days, a no-disturb list,
            caps and officers (see :mod:`.rules`); the rest of the problem stays the same.
        slack: Multiplies the range of the capacity factor (``None``: the preset's own,
            1.0 for all but ``HX``): below 1 capacities bind more, above 1 less.

    Raises:
        ValueError: An unknown preset, a scale or a slack that is not positive.
    """
    return generate_detailed(preset, seed, scale=scale, rules=rules, slack=slack).problem


def generate_detailed(
    preset: str,
    seed: int,
    *,
    scale: float = 1.0,
    rules: bool = False,
    slack: float | None = None,
) -> GeneratedProblem:
    """Like :func:`generate`, also returning each enterprise's industry and district.

    Raises:
        ValueError: An unknown preset, a scale or a slack that is not positive.
    """
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; valid presets: {', '.join(PRESETS)}")
    if not scale > 0:
        raise ValueError(f"scale must be positive, not {scale!r}")
    if slack is not None and not slack > 0:
        raise ValueError(f"slack must be positive, not {slack!r}")
    spec = PRESETS[preset]
    # A string seed is hashed with SHA-512: stable across runs and PYTHONHASHSEED.
    rng = random.Random(f"inspect-once/{preset}/{seed}")
    period = pick_period(rng, spec.period)
    calendar = WorkCalendar(period)
    campaigns = _campaigns(rng, spec, calendar)
    builder = DistrictBuilder(rng, spec, calendar, campaigns)
    places = _places(spec)
    total = spec.target_requests * scale * rng.uniform(*_TARGET_JITTER)
    weights = [
        _district_weight(district) * rng.uniform(*_DISTRICT_JITTER) for district, *_ in places
    ]
    for (district, prefix, towns), weight in zip(places, weights, strict=True):
        target = max(1, round(total * weight / sum(weights)))
        builder.add_district(district, prefix, towns, target)
    drafts = builder.drafts
    name = f"{spec.place}-{period.label}-{preset}-seed{seed}"
    if scale != 1.0:
        name += f"-scale{scale:g}"
    if slack is not None and slack != spec.capacity_slack:
        name += f"-slack{slack:g}"
    chosen_slack = spec.capacity_slack if slack is None else slack
    problem = _problem(rng, spec, calendar, drafts, name, chosen_slack)
    if rules:
        # The rules' own random source: the problem without rules stays as it was.
        rules_rng = random.Random(f"inspect-once/{preset}/{seed}/rules")
        problem = add_rules(problem, rules_rng, campaigns, {u.id: u.kind for u in drafts.units})
    return GeneratedProblem(
        problem=problem,
        industry_of={e.id: e.industry for e in drafts.enterprises},
        district_of={e.id: e.district for e in drafts.enterprises},
        unit_kind={u.id: u.kind for u in drafts.units},
        unit_district={u.id: u.district for u in drafts.units},
    )


def _places(spec: Preset) -> list[tuple[District, str, tuple[str, ...]]]:
    """The districts of a preset, each with its unit-id prefix and the towns it covers."""
    if spec.scope == "district":
        return [(QINGCHENG, "", QINGCHENG.towns)]
    if spec.scope == "park":
        return [(QINGCHENG, "", PARK_TOWNS)]
    if spec.scope == "city":
        return [(d, f"{d.abbr}-", d.towns) for d in QINGYUAN.districts]
    return [(d, f"{c.abbr}-{d.abbr}-", d.towns) for c in CITIES for d in c.districts]


def _district_weight(district: District) -> float:
    """Rough economic size: urban districts largest, autonomous counties smallest."""
    if district.is_urban:
        return 1.0
    if district.name.endswith("自治县"):
        return 0.2
    return 0.75 if district.name.endswith("市") else 0.45


def _campaigns(
    rng: random.Random, spec: Preset, calendar: WorkCalendar
) -> list[tuple[Campaign, tuple[int, int]]]:
    """The period's themed drives, each with its narrow window inside the horizon."""
    if spec.scope == "park":
        park = {key for key, _ in PARK_INDUSTRIES}
        others = [c for c in CAMPAIGNS[1:] if park.intersection(c.industries)]
        chosen = [CAMPAIGNS[0], *rng.sample(others, min(spec.campaigns - 1, len(others)))]
    else:
        chosen = rng.sample(CAMPAIGNS, min(spec.campaigns, len(CAMPAIGNS)))
    return [(c, calendar.narrow(rng, spec.campaign_days, outside=0.0)) for c in chosen]


def _problem(
    rng: random.Random,
    spec: Preset,
    calendar: WorkCalendar,
    drafts: Drafts,
    name: str,
    slack: float,
) -> Problem:
    """Set capacities and build the validated problem."""
    blackouts = {e.id: frozenset(e.blackouts) for e in drafts.enterprises if e.blackouts}
    load = merged_load(drafts.requests, calendar.horizon_days, blackouts, spec.max_units_per_round)
    unit_ids = [u.id for u in drafts.units]
    capacities = daily_capacities(rng, unit_ids, load, len(calendar.horizon_days), slack=slack)
    dates: dict[int, date] = {}

    def day(ordinal: int) -> date:
        # One date object per day, shared by every record that names it.
        found = dates.get(ordinal)
        if found is None:
            found = dates[ordinal] = date.fromordinal(ordinal)
        return found

    width = max(4, len(str(len(drafts.requests))))
    return Problem.model_validate(
        {
            "format": PROBLEM_FORMAT,
            "name": name,
            "horizon": {"start": day(calendar.start), "end": day(calendar.end)},
            "non_working_days": calendar.non_working,
            "max_units_per_round": spec.max_units_per_round,
            "units": [
                {"id": u.id, "name": u.name, "daily_capacity": capacities[u.id]}
                for u in drafts.units
            ],
            "enterprises": [
                {
                    "id": e.id,
                    "name": e.name,
                    "town": e.town,
                    "blackout_days": [day(o) for o in e.blackouts],
                }
                for e in drafts.enterprises
            ],
            "requests": [
                {
                    "id": f"R{number:0{width}d}",
                    "unit": r.unit,
                    "enterprise": r.enterprise,
                    "earliest": day(r.earliest),
                    "latest": day(r.latest),
                    "joinable": r.joinable,
                    "priority": r.priority,
                    "items": r.items,
                }
                for number, r in enumerate(drafts.requests, start=1)
            ],
        }
    )
