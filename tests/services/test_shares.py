"""The capacity shares of units working in several districts (services/planning/shares.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from inspection.services.planning.shares import UnitDay, apportion, share_unit_day

DISTRICTS = ["441802", "441803", "441821", "441823", "441825"]

demands = st.dictionaries(st.sampled_from(DISTRICTS), st.integers(0, 12), min_size=1)


def test_the_design_example_six_to_four_shares_five_as_three_and_two() -> None:
    assert apportion(5, {"441802": 6, "441803": 4}) == {"441802": 3, "441803": 2}


def test_demand_that_fits_is_given_whole_and_the_rest_stays_unshared() -> None:
    assert apportion(10, {"441802": 3, "441803": 2}) == {"441802": 3, "441803": 2}


def test_every_asking_district_gets_one_before_any_gets_two() -> None:
    shares = apportion(3, {"441802": 20, "441803": 1, "441821": 1})
    assert shares == {"441802": 1, "441803": 1, "441821": 1}


def test_scarce_capacity_goes_to_the_largest_demands_first_then_the_smaller_code() -> None:
    assert apportion(2, {"441802": 1, "441803": 5, "441821": 5}) == {
        "441802": 0,
        "441803": 1,
        "441821": 1,
    }


def test_nothing_available_shares_nothing() -> None:
    assert apportion(0, {"441802": 4}) == {"441802": 0}


@given(available=st.integers(0, 30), demand=demands)
def test_shares_sum_to_what_can_be_used_and_never_exceed_a_demand(
    available: int, demand: dict[str, int]
) -> None:
    shares = apportion(available, demand)
    assert set(shares) == set(demand)
    assert sum(shares.values()) == min(available, sum(demand.values()))
    assert all(0 <= shares[d] <= demand[d] for d in demand)
    asking = [d for d in demand if demand[d] > 0]
    if available >= len(asking):
        assert all(shares[d] >= 1 for d in asking)
    if any(shares[d] >= 2 for d in demand):
        assert all(shares[d] >= 1 for d in asking)


@given(available=st.integers(0, 30), demand=demands)
def test_shares_follow_the_open_demand_within_one_round(
    available: int, demand: dict[str, int]
) -> None:
    """Beyond the first round each, a share is its proportional quota rounded up or down."""
    shares = apportion(available, demand)
    asking = [d for d in demand if demand[d] > 0]
    if sum(demand.values()) <= available or available < len(asking):
        return
    left = available - len(asking)
    open_total = sum(demand[d] - 1 for d in asking)
    for district in asking:
        quota = left * (demand[district] - 1) / open_total
        assert abs((shares[district] - 1) - quota) < 1


def test_officers_are_given_in_teams_to_one_district_each() -> None:
    day = UnitDay(
        unit_id="SSJ",
        available=5,
        officers=("SSJ-001", "SSJ-002", "SSJ-003", "SSJ-004", "SSJ-005"),
        demand={"441802": 6, "441803": 4},
    )
    shares = {s.district: s for s in share_unit_day(day, officers_per_unit=2)}
    # 5 rounds asked 3:2, but 5 officers make two teams of two: one round each, and the
    # spare officer goes to the district with the most rounds
    assert shares["441802"].capacity == 1
    assert shares["441803"].capacity == 1
    assert shares["441802"].officers == ("SSJ-001", "SSJ-002", "SSJ-003")
    assert shares["441803"].officers == ("SSJ-004", "SSJ-005")


def test_a_unit_without_officers_is_shared_by_capacity_alone() -> None:
    day = UnitDay(unit_id="SSJ", available=5, demand={"441802": 6, "441803": 4, "441821": 0})
    shares = share_unit_day(day)
    assert [(s.district, s.capacity, s.officers) for s in shares] == [
        ("441802", 3, ()),
        ("441803", 2, ()),
    ]


@given(
    available=st.integers(0, 12),
    officers=st.integers(1, 12),
    per_unit=st.integers(1, 3),
    daily=st.integers(1, 3),
    demand=demands,
)
def test_no_officer_is_given_twice_and_every_share_is_staffed(
    available: int, officers: int, per_unit: int, daily: int, demand: dict[str, int]
) -> None:
    pool = tuple(f"SSJ-{n:03d}" for n in range(officers))
    day = UnitDay(unit_id="SSJ", available=available, officers=pool, demand=demand)
    shares = share_unit_day(day, officers_per_unit=per_unit, officer_daily_rounds=daily)
    given_out = [o for s in shares for o in s.officers]
    assert len(given_out) == len(set(given_out))
    assert set(given_out) <= set(pool)
    for share in shares:
        assert share.capacity <= (len(share.officers) // per_unit) * daily
        assert share.capacity <= share.demand
    assert sum(s.capacity for s in shares) <= available
    assert sum(s.capacity for s in shares) <= (officers // per_unit) * daily
