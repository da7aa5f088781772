"""Generated format 1.1 problems: the rules of lawful inspection, and version 1 left as it was."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from inspection.generator import PRESETS, generate, problem_json, write_problem
from inspection.generator.industries import CAMPAIGNS
from inspection.generator.rules import (
    CAP_EXEMPT,
    OFFICER_DAILY_ROUNDS,
    OFFICERS_PER_UNIT,
    QUIET_EXEMPT,
)
from inspection.generator.units import COMPLAINT_ITEM
from inspection.solver.bounds import schedulable_priority
from inspection.solver.check import check
from inspection.solver.greedy import greedy_plan
from inspection.solver.io import load_problem
from inspection.solver.schema import Problem
from inspection.solver.schema_solution import Solution

# sha256 of problem_json() of each preset's version 1 problem as the generator wrote it
# before format 1.1 existed (commit a69636b~1): rules off, the bytes stay the same.
VERSION_1_HASHES = {
    ("S", 1, 1.0): "bfb48bc1309ede64e1b7fd70eac50ff8053c21e145cf6ced6951583aa7200ac3",
    ("S", 7, 1.0): "f3802024f6d7ea45bf5000ec1284b68825c48657f46e72dd258ca23982a7e57e",
    ("M", 1, 1.0): "03ec8e0b2cbad11563e21e4ce7b92c65ec67424a55ab1af27017d4201f388b6a",
    ("HS", 1, 1.0): "bae2994d5c8a4ee122a12e7e6c2f99427b3c448df6fb4515fae152d414d29f8e",
    ("HS", 3, 1.0): "a806a819be602ad3255de00a8402e1b7ffe0dddc8cfb0b1a5acf1a72d4c4b10f",
    ("H", 1, 1.0): "b52ce935460a080fbf844ad92f3c01466e571f335a1226ed46f73b654f21a116",
    ("L", 1, 0.05): "c918c8986eeb94c488b0b6b50a0efab319d24e9a5f4e56dbb18aafbd705fd257",
    ("XL", 1, 0.005): "0731f6d1182660432ed442bf21691eb3b6004997c341cc1ea982b2a64345d514",
}
RULE_PRESETS = ("S", "M", "HS", "H", "HX")
SEEDS = (1, 2, 3, 4)
CATEGORIES = {"routine", "special", "complaint", "referral", "follow_up", "licence", "safety"}


@cache
def ruled(preset: str, seed: int) -> Problem:
    return generate(preset, seed, rules=True)


def working_days(problem: Problem) -> list[date]:
    off = set(problem.non_working_days or ())
    return [d for d in problem.horizon.days() if d not in off]


@pytest.mark.parametrize(("preset", "seed", "scale"), list(VERSION_1_HASHES))
def test_version_1_output_is_byte_identical_to_before(preset: str, seed: int, scale: float) -> None:
    text = problem_json(generate(preset, seed, scale=scale))
    assert (
        hashlib.sha256(text.encode("utf-8")).hexdigest() == VERSION_1_HASHES[(preset, seed, scale)]
    )
    assert '"category"' not in text
    assert '"no_disturb"' not in text


@pytest.mark.parametrize("preset", ["S", "HS", "HX"])
def test_rules_change_nothing_of_version_1_but_what_1_1_adds(preset: str) -> None:
    plain, rules = generate(preset, 5), generate(preset, 5, rules=True)
    assert not plain.is_1_1
    assert rules.is_1_1
    assert rules.name == plain.name + "-rules"
    assert rules.units == plain.units
    assert [r.model_copy(update={"category": "routine"}) for r in rules.requests] == list(
        plain.requests
    )
    assert [e.model_copy(update={"no_disturb": False}) for e in rules.enterprises] == list(
        plain.enterprises
    )


@pytest.mark.parametrize("preset", ["S", "HS", "H"])
def test_the_same_seed_gives_the_same_rules(preset: str) -> None:
    assert problem_json(generate(preset, 9, rules=True)) == problem_json(ruled(preset, 9))
    assert ruled(preset, 9).canonical_json() != ruled(preset, 8).canonical_json()


@pytest.mark.parametrize("preset", RULE_PRESETS)
def test_a_written_1_1_problem_loads_back_unchanged(preset: str, tmp_path: Path) -> None:
    problem = ruled(preset, 1)
    path = tmp_path / "problem.json"
    write_problem(problem, path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["format"] == "inspect-once/1.1"
    assert {"rules", "officers"} <= set(document)
    assert load_problem(path) == problem


@pytest.mark.parametrize("preset", RULE_PRESETS)
def test_categories_follow_the_format_and_most_requests_are_routine(preset: str) -> None:
    for seed in SEEDS:
        problem = ruled(preset, seed)
        counts = Counter(r.category for r in problem.requests)
        assert set(counts) <= CATEGORIES
        assert counts.most_common(1)[0][0] == "routine"
        if preset not in ("S", "HS"):  # a week is crowded by its one drive
            assert counts["routine"] / len(problem.requests) >= 0.5
        for request in problem.requests:
            # Complaints are the unannounced, non-joinable checks, and only they.
            assert (request.category == "complaint") == (not request.joinable)
            if request.category == "complaint":
                assert request.items[0] == COMPLAINT_ITEM


@pytest.mark.parametrize("preset", RULE_PRESETS)
def test_exemptions_follow_the_rules(preset: str) -> None:
    rules = ruled(preset, 1).effective_rules
    assert set(rules.quiet_days.exempt_categories) == set(QUIET_EXEMPT) == {"complaint", "safety"}
    assert set(rules.no_disturb.exempt_categories) == {"complaint", "safety"}
    assert set(rules.caps.exempt_categories) == set(CAP_EXEMPT)
    assert "complaint" in CAP_EXEMPT
    assert "routine" not in CAP_EXEMPT
    assert (rules.officers_per_unit, rules.officer_daily_rounds) == (
        OFFICERS_PER_UNIT,
        OFFICER_DAILY_ROUNDS,
    )


@pytest.mark.parametrize("preset", RULE_PRESETS)
def test_quiet_days_are_a_quarter_of_the_working_days(preset: str) -> None:
    for seed in SEEDS:
        problem = ruled(preset, seed)
        working = working_days(problem)
        quiet = problem.effective_rules.quiet_days.days
        assert set(quiet) <= set(working)
        assert len(set(quiet)) == len(quiet)
        assert 0.2 <= len(quiet) / len(working) <= 0.3


@pytest.mark.parametrize("preset", RULE_PRESETS)
def test_a_few_per_cent_of_enterprises_are_on_the_no_disturb_list(preset: str) -> None:
    for seed in SEEDS:
        enterprises = ruled(preset, seed).enterprises
        share = sum(e.no_disturb for e in enterprises) / len(enterprises)
        assert 0.01 <= share <= 0.05


@pytest.mark.parametrize("preset", RULE_PRESETS)
def test_caps_are_0_to_2_on_a_share_of_pairs_and_bind_where_several_units_visit(
    preset: str,
) -> None:
    for seed in SEEDS:
        problem = ruled(preset, seed)
        caps = problem.effective_rules.caps
        counted_units: dict[str, set[str]] = {}
        for r in problem.requests:
            if caps.counts(r.category):
                counted_units.setdefault(r.enterprise, set()).add(r.unit)
        pairs = sum(len(units) for units in counted_units.values())
        assert {cap.remaining for cap in caps.unit_enterprise} == {0, 1, 2}
        assert 0.1 <= len(caps.unit_enterprise) / pairs <= 0.3
        for pair in caps.unit_enterprise:
            assert pair.unit in counted_units[pair.enterprise]
        several = [e for e, units in counted_units.items() if len(units) >= 2]
        assert 0.15 <= len(caps.enterprise) / len(several) <= 0.6
        for cap in caps.enterprise:
            # Fewer rounds left than units that want one: they must share or stay out.
            assert 1 <= cap.remaining < len(counted_units[cap.enterprise])


@pytest.mark.parametrize("preset", RULE_PRESETS)
def test_staffing_is_1_0_to_1_3_times_the_daily_capacity(preset: str) -> None:
    for seed in SEEDS:
        problem = ruled(preset, seed)
        rules = problem.effective_rules
        staff = Counter(o.unit for o in problem.officers)
        assert set(staff) == {u.id for u in problem.units}
        for unit in problem.units:
            needed = rules.officers_per_unit * unit.daily_capacity / rules.officer_daily_rounds
            assert 1.0 <= staff[unit.id] / needed <= 1.3


@pytest.mark.parametrize("preset", ["M", "H", "HX"])
def test_officers_have_some_days_off_and_rare_recusals(preset: str) -> None:
    problem = ruled(preset, 1)
    working = set(working_days(problem))
    off = [d for o in problem.officers for d in o.days_off]
    assert set(off) <= working
    assert 0.02 <= len(off) / (len(problem.officers) * len(working)) <= 0.08
    recused = [o for o in problem.officers if o.recusals]
    assert 0 < len(recused) / len(problem.officers) <= 0.05
    inspected = {(r.unit, r.enterprise) for r in problem.requests}
    for officer in recused:
        assert all((officer.unit, e) in inspected for e in officer.recusals)


def test_hx_is_a_scaled_up_industrial_month_with_more_drives() -> None:
    hx, h = PRESETS["HX"], PRESETS["H"]
    assert (hx.scope, hx.period, hx.max_units_per_round) == ("park", "month", 3)
    assert hx.campaigns > h.campaigns
    for seed in (1, 2, 3):
        problem = generate("HX", seed)
        assert 3_000 <= len(problem.requests) <= 4_000
        assert problem.name.startswith("qingcheng-park-")
        assert "-HX-" in problem.name


def test_slack_scales_capacities_and_is_named() -> None:
    tight, plain, loose = (generate("H", 1, slack=s) for s in (0.8, None, 1.6))
    total = [sum(u.daily_capacity for u in p.units) for p in (tight, plain, loose)]
    assert total[0] < total[1] < total[2]
    assert plain == generate("H", 1, slack=1.0)
    assert tight.name.endswith("-slack0.8")
    assert tight.requests == plain.requests


def test_a_slack_that_is_not_positive_is_refused() -> None:
    with pytest.raises(ValueError, match="slack"):
        generate("S", 1, slack=0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_hx_capacity_binds_at_the_drives_peaks(seed: int) -> None:
    """In the greedy plan, drive days fill more units to capacity than the other days."""
    problem = generate("HX", seed)
    drive_items = {campaign.item for campaign in CAMPAIGNS}
    drive_days = {
        day
        for r in problem.requests
        if r.items[0] in drive_items
        for day in problem.horizon.days()
        if r.earliest <= day <= r.latest
    }
    assert len({r.items[0] for r in problem.requests} & drive_items) == PRESETS["HX"].campaigns
    capacity = {u.id: u.daily_capacity for u in problem.units}
    unit_of = {r.id: r.unit for r in problem.requests}
    used: Counter[tuple[str, date]] = Counter()
    for plan_round in greedy_plan(problem).rounds:
        for unit in {unit_of[r] for r in plan_round.requests}:
            used[unit, plan_round.date] += 1
    full = Counter(day for (unit, day), n in used.items() if n >= capacity[unit])
    work = working_days(problem)
    on = [full[d] for d in work if d in drive_days]
    off = [full[d] for d in work if d not in drive_days]
    assert max(on) >= len(problem.units) / 3
    assert sum(on) / len(on) > sum(off) / max(1, len(off))


def test_rules_do_not_depend_on_the_hash_seed() -> None:
    script = (
        "from inspection.generator import generate\nprint(generate('HS', 5, rules=True).sha256())\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "977"}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == [generate("HS", 5, rules=True).sha256()]


@pytest.mark.parametrize("preset", RULE_PRESETS)
def test_the_rules_keep_out_some_but_not_most_of_the_work(preset: str) -> None:
    """Measured 2-12 % of the schedulable priority (no-disturb, caps of 0, quiet days, staff)."""
    for seed in (1, 2):
        plain = schedulable_priority(generate(preset, seed))
        ruled_priority = schedulable_priority(ruled(preset, seed))
        assert 0.8 * plain <= ruled_priority < plain


@pytest.mark.parametrize("preset", ["HS", "H"])
def test_the_checker_takes_a_generated_1_1_problem(preset: str) -> None:
    problem = ruled(preset, 1)
    nothing = Solution.model_validate(
        {
            "format": "inspect-once-solution/1.1",
            "draw_seed": 1,
            "unscheduled": [{"request": r.id, "reason": "未排"} for r in problem.requests],
        }
    )
    report = check(problem, nothing)
    assert report.ok, report.violations
