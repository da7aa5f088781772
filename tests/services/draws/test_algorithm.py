"""The draw's algorithm, replayed from its record alone: over any population and seed the
replay equals the draw, and one byte changed in the seed, the population or the result makes
it fail."""

from __future__ import annotations

import hashlib
import hmac
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspection.services.draws.algorithm import (
    ALGORITHM,
    RECORD_FORMAT,
    commitment_of,
    draw,
    parse_record,
    population_hash,
    population_text,
    quota_count,
    rank,
    verify_record,
)

_CODE = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=18, max_size=18)
_CLASS = st.sampled_from(["A", "B", "C", "D", "未分级", "红"])
populations = st.dictionaries(
    _CLASS, st.lists(_CODE, min_size=1, max_size=12, unique=True), min_size=1, max_size=4
)
seeds = st.one_of(st.binary(min_size=32, max_size=32).map(bytes.hex), st.text(min_size=1))


def _record(seed: str, population: dict[str, list[str]], shares: list[int]) -> dict[str, Any]:
    """A revealed record of a draw taking a share (1-100 %) of each class, in turn."""
    ordered = sorted(population.items())
    share_of = {grade: shares[index % len(shares)] for index, (grade, _) in enumerate(ordered)}
    counts = {
        grade: quota_count(len(codes), None, Decimal(share_of[grade])) for grade, codes in ordered
    }
    drawn = draw(seed, population, counts)
    return {
        "format": RECORD_FORMAT,
        "algorithm": ALGORITHM,
        "commitment": commitment_of(seed),
        "population_hash": population_hash(population),
        "classes": [
            {
                "risk_class": grade,
                "population": sorted(codes),
                "count": None,
                "ratio_percent": str(share_of[grade]),
                "drawn_count": counts[grade],
                "drawn": drawn[grade],
            }
            for grade, codes in ordered
        ],
        "seed": seed,
    }


@given(populations, seeds, st.lists(st.integers(1, 100), min_size=1, max_size=4))
def test_the_replay_equals_the_draw(
    population: dict[str, list[str]], seed: str, shares: list[int]
) -> None:
    record = _record(seed, population, shares)
    assert verify_record(parse_record(record)).consistent
    for item in record["classes"]:
        # each class: its first k by HMAC-SHA256(seed, class|code), as docs/draws.md says
        key = seed.encode()
        ordered = sorted(
            item["population"],
            key=lambda c: hmac.new(key, f"{item['risk_class']}|{c}".encode(), "sha256").digest(),
        )
        assert item["drawn"] == ordered[: item["drawn_count"]]


@given(populations, seeds, st.data())
def test_one_byte_changed_in_the_seed_fails(
    population: dict[str, list[str]], seed: str, data: st.DataObject
) -> None:
    record = _record(seed, population, [100])
    raw = bytearray(seed.encode())
    index = data.draw(st.integers(0, len(raw) - 1))
    raw[index] = (raw[index] + 1) % 128 if raw[index] < 128 else 65
    record["seed"] = raw.decode("utf-8", errors="replace")
    assert not verify_record(parse_record(record)).consistent


@given(populations, seeds, st.data())
def test_one_byte_changed_in_the_population_or_result_fails(
    population: dict[str, list[str]], seed: str, data: st.DataObject
) -> None:
    record = _record(seed, population, [50])
    item = data.draw(st.sampled_from(record["classes"]))
    where = data.draw(st.sampled_from(["population", "drawn"]))
    codes = item[where] or item["population"]
    where = where if item[where] else "population"
    position = data.draw(st.integers(0, len(codes) - 1))
    code = codes[position]
    char = data.draw(st.integers(0, 17))
    changed = code[:char] + ("Z" if code[char] != "Z" else "0") + code[char + 1 :]
    item[where] = [*codes[:position], changed, *codes[position + 1 :]]
    assert not verify_record(parse_record(record)).consistent


def test_the_text_and_the_rank_are_what_the_documentation_says() -> None:
    population = {"B": ["2", "1"], "A": ["9"]}
    assert population_text(population) == "A\t9\nB\t1\nB\t2\n"
    assert population_hash(population) == hashlib.sha256(b"A\t9\nB\t1\nB\t2\n").hexdigest()
    expected = hmac.new(b"seed", "未分级|1".encode(), hashlib.sha256).hexdigest()
    assert rank("seed", "未分级", "1") == expected
    assert commitment_of("seed") == hashlib.sha256(b"seed").hexdigest()


@pytest.mark.parametrize(
    ("size", "count", "ratio", "expected"),
    [(5, None, "50", 3), (5, None, "100", 5), (200, None, "0.5", 1), (3, 3, None, 3)],
)
def test_quotas_round_up(size: int, count: int | None, ratio: str | None, expected: int) -> None:
    assert quota_count(size, count, None if ratio is None else Decimal(ratio)) == expected


@pytest.mark.parametrize(
    ("count", "ratio"), [(4, None), (0, None), (None, "0"), (None, "100.01"), (None, "0.001")]
)
def test_quotas_out_of_range_are_refused(count: int | None, ratio: str | None) -> None:
    with pytest.raises(ValueError, match="抽取"):
        quota_count(3, count, None if ratio is None else Decimal(ratio))


def test_a_record_without_a_seed_is_checked_as_far_as_it_goes() -> None:
    record = _record("seed", {"A": ["1", "2"]}, [50])
    record["seed"] = None
    verdict = verify_record(parse_record(record))
    assert verdict.consistent
    assert not verdict.revealed
    record["classes"][0]["drawn_count"] = 2
    assert "应抽取 1 家" in verify_record(parse_record(record)).differences[0]


@pytest.mark.parametrize(
    "broken",
    [[], {"format": "x"}, {"format": RECORD_FORMAT, "algorithm": "md5"}],
)
def test_what_is_no_record_is_refused(broken: Any) -> None:
    with pytest.raises(ValueError, match=r"format|algorithm|JSON"):
        parse_record(broken)
