"""Multi-district presets, scaled down: independent districts with their own units."""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import cache

import pytest
from stdnum.cn import uscc

from inspection.generator import GeneratedProblem, generate, generate_detailed
from inspection.solver.calendar import working_days

# Qingyuan's county-level divisions (行政区划代码) and the prefixes of their unit ids.
QINGYUAN = {
    "441802": "QC",
    "441803": "QX",
    "441881": "YD",
    "441882": "LZ",
    "441821": "FG",
    "441823": "YS",
    "441825": "LS",
    "441826": "LN",
}
GUANGDONG_CITY_CODES = {"4418", "4402", "4412", "4413", "4414", "4408", "4453"}


@cache
def city() -> GeneratedProblem:
    return generate_detailed("L", 3, scale=0.03)


@cache
def province() -> GeneratedProblem:
    return generate_detailed("XL", 2, scale=0.003)


def region_of(enterprise_id: str) -> str:
    return enterprise_id[2:8]


def test_a_city_has_all_eight_qingyuan_divisions() -> None:
    problem = city().problem
    assert {region_of(e.id) for e in problem.enterprises} == set(QINGYUAN)
    assert all(uscc.is_valid(e.id) for e in problem.enterprises)
    assert problem.name.startswith("qingyuan-")
    assert problem.name.endswith("-L-seed3-scale0.03")


def test_each_division_inspects_only_its_own_enterprises_with_its_own_units() -> None:
    problem = city().problem
    region = {e.id: region_of(e.id) for e in problem.enterprises}
    divisions_of_unit: dict[str, set[str]] = defaultdict(set)
    for request in problem.requests:
        prefix = request.unit.split("-", 1)[0]
        assert prefix == QINGYUAN[region[request.enterprise]]
        divisions_of_unit[request.unit].add(region[request.enterprise])
    assert all(len(divisions) == 1 for divisions in divisions_of_unit.values())
    units_of_enterprise: dict[str, set[str]] = defaultdict(set)
    for request in problem.requests:
        units_of_enterprise[request.enterprise].add(request.unit.split("-", 1)[0])
    assert all(len(prefixes) == 1 for prefixes in units_of_enterprise.values())


def test_every_division_has_its_own_full_set_of_units() -> None:
    problem = city().problem
    kinds_by_prefix: dict[str, set[str]] = defaultdict(set)
    for unit in problem.units:
        prefix, kind = unit.id.split("-", 1)
        kinds_by_prefix[prefix].add(kind)
    assert set(kinds_by_prefix) == set(QINGYUAN.values())
    district_kinds = [{k for k in kinds if not k.startswith("ZHZF")} for k, kinds in
                      kinds_by_prefix.items()]  # fmt: skip
    assert all(kinds == district_kinds[0] for kinds in district_kinds)
    assert len(district_kinds[0]) >= 24
    qingcheng_offices = [k for k in kinds_by_prefix["QC"] if k.startswith("ZHZF")]
    assert len(qingcheng_offices) == 8


def test_division_sizes_are_uneven_and_add_up_to_the_scaled_size() -> None:
    problem = city().problem
    region = {e.id: region_of(e.id) for e in problem.enterprises}
    sizes = Counter(region[r.enterprise] for r in problem.requests)
    assert max(sizes.values()) >= 2 * min(sizes.values())
    # 30,000 requests scaled by 0.03 is about 900.
    assert 700 <= len(problem.requests) <= 1_100


def test_a_city_month_has_its_holidays_written_out() -> None:
    problem = city().problem
    assert problem.horizon.start.day == 1
    assert problem.max_units_per_round == 4
    assert 15 <= len(working_days(problem)) <= 23


def test_a_province_quarter_spans_many_cities_and_divisions() -> None:
    problem = province().problem
    regions = {region_of(e.id) for e in problem.enterprises}
    assert {code[:4] for code in regions} == GUANGDONG_CITY_CODES
    assert len(regions) >= 40
    start, end = problem.horizon.start, problem.horizon.end
    assert start.day == 1
    assert start.month in (1, 4, 7, 10)
    assert (end.year, end.month) == (start.year, start.month + 2)
    assert all(uscc.is_valid(e.id) for e in problem.enterprises)


def test_province_unit_ids_name_city_and_division() -> None:
    detail = province()
    region = {e.id: region_of(e.id) for e in detail.problem.enterprises}
    prefix_regions: dict[str, set[str]] = defaultdict(set)
    for request in detail.problem.requests:
        city_abbr, division_abbr, _ = request.unit.split("-")
        prefix_regions[f"{city_abbr}-{division_abbr}"].add(region[request.enterprise])
    assert all(len(regions) == 1 for regions in prefix_regions.values())
    assert len({next(iter(r)) for r in prefix_regions.values()}) == len(prefix_regions)


@pytest.mark.parametrize("preset", ["L", "XL"])
def test_scaled_large_presets_are_deterministic(preset: str) -> None:
    first = generate(preset, 9, scale=0.002)
    assert first.canonical_json() == generate(preset, 9, scale=0.002).canonical_json()
