"""The rules of lawful inspection for a generated problem (format ``inspect-once/1.1``).

Drawn after the version 1 problem is complete, from a random source of their own,
so a problem without rules stays byte for byte what it was. The model, after
``rules.md``:

* **Categories.** A complaint-driven (non-joinable) request is ``complaint``; a drive's
  request is ``special``, except the safety authorities' (应急管理局, 消防救援大队) in the
  安全生产 drive, which are ``safety``; the other requests are mostly ``routine``, some
  ``follow_up``, ``licence`` or ``referral``.
* **Quiet days** (宁静日): about a quarter of the working days (20-30 %), one run of
  consecutive working days per calendar month, placed where it overlaps the drives'
  windows least; complaints and safety checks are exempt.
* **No-disturb list** (无事不扰): 1.5-4.5 % of the enterprises (always within 1-5 %);
  complaints and safety checks may still visit.
* **Caps** (频次上限): what is left of the year's caps. About a fifth of the unit-enterprise
  pairs with a counted request have 0, 1 or 2 rounds left; about a third of the
  enterprises that several units visit with counted requests have fewer rounds left than
  it has such units (1 or 2), so the units must share rounds or some stay out. Complaints,
  referrals, follow-ups and licence checks are not counted.
* **Officers** (执法人员): each unit has 1.0-1.3 times the officers its daily capacity needs
  (two per round, one round a day each), each officer is off on about one working day in
  twenty, and about one in fifty is recused from one enterprise its unit inspects.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import date
from typing import Any

from inspection.generator.industries import CAMPAIGNS, Campaign
from inspection.solver.schema import PROBLEM_FORMAT_1_1, Problem

__all__ = [
    "CAP_EXEMPT",
    "NO_DISTURB_SHARE",
    "OFFICERS_PER_UNIT",
    "OFFICER_DAILY_ROUNDS",
    "QUIET_DAY_SHARE",
    "QUIET_EXEMPT",
    "STAFFING_RANGE",
    "add_rules",
    "staffing_officers",
]

QUIET_DAY_SHARE = 0.25
"""Share of the working days that are quiet days."""
QUIET_EXEMPT = ("complaint", "safety")
"""Categories that run on quiet days and may visit a no-disturb enterprise."""
NO_DISTURB_SHARE = (0.015, 0.045)
"""Range of the share of enterprises on the no-disturb list (clamped to 1-5 %)."""
CAP_EXEMPT = ("complaint", "referral", "follow_up", "licence")
"""Case-driven categories that the yearly caps do not count."""
OFFICERS_PER_UNIT = 2
OFFICER_DAILY_ROUNDS = 1
STAFFING_RANGE = (1.0, 1.3)
"""Officers' rounds a day over the rounds the unit's capacity can staff."""

_ROUTINE_MIX = (("routine", "follow_up", "licence", "referral"), (0.88, 0.05, 0.04, 0.03))
_SAFETY_KINDS = frozenset({"YJGL", "XFJY"})
_PAIR_CAP_SHARE = 0.2
_PAIR_REMAINING = ((0, 1, 2), (0.1, 0.55, 0.35))
_ENTERPRISE_CAP_SHARE = 0.35
_DAY_OFF_CHANCE = 0.05
_RECUSAL_CHANCE = 0.02


def add_rules(
    problem: Problem,
    rng: random.Random,
    campaigns: Sequence[tuple[Campaign, tuple[int, int]]],
    unit_kind: dict[str, str],
) -> Problem:
    """The version 1 `problem` as a 1.1 problem carrying categories, rules and officers.

    Args:
        problem: A generated version 1 problem.
        rng: The rules' own random source, drawn in a fixed order.
        campaigns: The period's drives with their windows (ordinals), to tell drive
            requests by their first item and to keep quiet days off the drives.
        unit_kind: Unit kind code (``YJGL``) of each unit id.
    """
    document = problem.model_dump(mode="json", exclude_none=True)
    requests = document["requests"]
    enterprises = document["enterprises"]
    working = _working_days(problem)
    for request, category in zip(
        requests, _categories(rng, requests, campaigns, unit_kind), strict=True
    ):
        request["category"] = category
    quiet = _quiet_days(rng, working, campaigns)
    for index in _no_disturb(rng, len(enterprises)):
        enterprises[index]["no_disturb"] = True
    document["format"] = PROBLEM_FORMAT_1_1
    document["name"] = f"{problem.name}-rules"
    document["rules"] = {
        "quiet_days": {"days": [d.isoformat() for d in quiet], "exempt_categories": QUIET_EXEMPT},
        "no_disturb": {"exempt_categories": QUIET_EXEMPT},
        "caps": _caps(rng, requests),
        "officers_per_unit": OFFICERS_PER_UNIT,
        "officer_daily_rounds": OFFICER_DAILY_ROUNDS,
    }
    document["officers"] = _officers(rng, document["units"], requests, working)
    return Problem.model_validate(document)


def _working_days(problem: Problem) -> list[date]:
    off = set(problem.non_working_days or ())
    first = problem.horizon.start.toordinal()
    last = problem.horizon.end.toordinal()
    days = (date.fromordinal(o) for o in range(first, last + 1))
    return [d for d in days if d not in off]


def _categories(
    rng: random.Random,
    requests: list[dict[str, Any]],
    campaigns: Sequence[tuple[Campaign, tuple[int, int]]],
    unit_kind: dict[str, str],
) -> list[str]:
    """Each request's category, in problem order (one draw per routine request)."""
    drive_items = {campaign.item for campaign, _ in campaigns}
    safety_item = CAMPAIGNS[0].item
    categories = []
    for request in requests:
        first_item = request["items"][0] if request["items"] else ""
        if not request["joinable"]:
            categories.append("complaint")
        elif first_item == safety_item and unit_kind[request["unit"]] in _SAFETY_KINDS:
            categories.append("safety")
        elif first_item in drive_items:
            categories.append("special")
        else:
            categories.append(rng.choices(*_ROUTINE_MIX)[0])
    return categories


def _quiet_days(
    rng: random.Random,
    working: list[date],
    campaigns: Sequence[tuple[Campaign, tuple[int, int]]],
) -> list[date]:
    """About a quarter of the working days, a run of consecutive ones in each month."""
    if not working:
        return []
    total = max(1, round(QUIET_DAY_SHARE * len(working)))
    months: dict[tuple[int, int], list[date]] = {}
    for day in working:
        months.setdefault((day.year, day.month), []).append(day)
    runs = list(months.values())
    counts = [math.floor(total * len(run) / len(working)) for run in runs]
    # Largest remainders first, the longer month on a tie, until the total is reached.
    order = sorted(
        range(len(runs)),
        key=lambda i: (-(total * len(runs[i]) / len(working) - counts[i]), -len(runs[i]), i),
    )
    for index in order[: total - sum(counts)]:
        counts[index] += 1
    drive_days = {o for _, (first, last) in campaigns for o in range(first, last + 1)}
    quiet: list[date] = []
    for run, count in zip(runs, counts, strict=True):
        if count == 0:
            continue
        starts = range(len(run) - count + 1)
        overlap = [sum(d.toordinal() in drive_days for d in run[s : s + count]) for s in starts]
        least = min(overlap)
        start = rng.choice([s for s in starts if overlap[s] == least])
        quiet.extend(run[start : start + count])
    return quiet


def _no_disturb(rng: random.Random, count: int) -> list[int]:
    """Indices of the enterprises on the no-disturb list, 1-5 % of them."""
    share = rng.uniform(*NO_DISTURB_SHARE)
    low = math.ceil(0.01 * count)
    high = max(low, math.floor(0.05 * count))
    chosen = min(high, max(low, round(share * count)))
    return sorted(rng.sample(range(count), min(chosen, count)))


def _caps(rng: random.Random, requests: list[dict[str, Any]]) -> dict[str, Any]:
    """What is left of the yearly caps: some unit-enterprise pairs and some enterprises."""
    units_at: dict[str, list[str]] = {}
    for request in requests:
        if request["category"] in CAP_EXEMPT:
            continue
        units = units_at.setdefault(request["enterprise"], [])
        if request["unit"] not in units:
            units.append(request["unit"])
    pairs = []
    capped = []
    for enterprise, units in units_at.items():
        for unit in units:
            if rng.random() < _PAIR_CAP_SHARE:
                remaining = rng.choices(*_PAIR_REMAINING)[0]
                pairs.append({"unit": unit, "enterprise": enterprise, "remaining": remaining})
        if len(units) >= 2 and rng.random() < _ENTERPRISE_CAP_SHARE:
            remaining = rng.randint(1, min(2, len(units) - 1))
            capped.append({"enterprise": enterprise, "remaining": remaining})
    return {"exempt_categories": CAP_EXEMPT, "unit_enterprise": pairs, "enterprise": capped}


def staffing_officers(rng: random.Random, daily_capacity: int) -> int:
    """How many officers a unit of `daily_capacity` has: 1.0-1.3 times what it needs."""
    needed = OFFICERS_PER_UNIT * daily_capacity / OFFICER_DAILY_ROUNDS
    low = max(OFFICERS_PER_UNIT, math.ceil(needed * STAFFING_RANGE[0]))
    high = max(low, math.floor(needed * STAFFING_RANGE[1]))
    return min(high, max(low, round(needed * rng.uniform(*STAFFING_RANGE))))


def _officers(
    rng: random.Random,
    units: list[dict[str, Any]],
    requests: list[dict[str, Any]],
    working: list[date],
) -> list[dict[str, Any]]:
    """Every unit's officers, with their days off and rare recusals."""
    inspected: dict[str, list[str]] = {}
    for request in requests:
        at = inspected.setdefault(request["unit"], [])
        if not at or at[-1] != request["enterprise"]:
            at.append(request["enterprise"])
    officers = []
    for unit in units:
        count = staffing_officers(rng, unit["daily_capacity"])
        width = max(3, len(str(count)))
        for number in range(1, count + 1):
            record: dict[str, Any] = {"id": f"{unit['id']}-{number:0{width}d}", "unit": unit["id"]}
            days_off = [d.isoformat() for d in working if rng.random() < _DAY_OFF_CHANCE]
            if days_off:
                record["days_off"] = days_off
            candidates = inspected.get(unit["id"])
            if candidates and rng.random() < _RECUSAL_CHANCE:
                record["recusals"] = [rng.choice(candidates)]
            officers.append(record)
    return officers
