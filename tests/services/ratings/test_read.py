"""A unit's aggregate: withheld under five ratings, then whole blocks of five in arrival order."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from inspection.db.tables import VisitRatingRow
from inspection.services.ratings.read import unit_aggregate


def _ratings(scores: list[int]) -> list[VisitRatingRow]:
    start = datetime(2024, 6, 3, tzinfo=UTC)
    return [
        VisitRatingRow(
            code=f"C{i:03}",
            day=date(2024, 6, 3),
            score=score,
            complaint="投诉" if score == 1 else "",
            rated_at=start + timedelta(minutes=i),
        )
        for i, score in enumerate(scores)
    ]


def test_under_five_nothing_is_shown() -> None:
    for n in range(5):
        shown = unit_aggregate("SCJG", "市场监管", _ratings([4] * n))
        assert shown.withheld
        assert shown.count is None
        assert shown.mean_score is None
        assert shown.count_text == "不足5条"


def test_the_aggregate_grows_by_whole_blocks_of_the_earliest_ratings() -> None:
    scores = [5, 5, 5, 5, 5, 1, 1, 1, 1]
    shown = [unit_aggregate("SCJG", "市场监管", _ratings(scores[:n])) for n in range(5, 10)]
    assert all(s == shown[0] for s in shown)  # the four after the first five change nothing
    assert (shown[0].count, shown[0].mean_score, shown[0].complaints) == (5, 5.0, 0)
    ten = unit_aggregate("SCJG", "市场监管", list(reversed(_ratings([*scores, 1]))))
    assert (ten.count, ten.distribution, ten.complaints) == (10, [5, 0, 0, 0, 5], 5)
