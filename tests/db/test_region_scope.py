"""`narrowing_path`: a region that leaves none out reads the service-wide sums."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from inspection.db.regions import default_region_id, narrowing_path, path_under, region_path
from tests.support.regions import CITY, DISTRICTS, fill_regions


def test_the_only_region_narrows_nothing_and_a_city_beside_another_does(engine: Engine) -> None:
    with Session(engine) as session:
        only = region_path(session, default_region_id(session))
        assert narrowing_path(session, only) is None  # a service of one region: as today
        assert narrowing_path(session, None) is None
    fill_regions(engine)
    with Session(engine) as session:
        assert narrowing_path(session, only) == only
        assert narrowing_path(session, CITY) == CITY
        assert narrowing_path(session, f"{CITY}/{DISTRICTS[0]}") == f"{CITY}/{DISTRICTS[0]}"


def test_a_path_is_under_itself_and_its_ancestors_only() -> None:
    assert path_under("44/4418/441802", "44/4418")
    assert path_under("44/4418", "44/4418")
    assert not path_under("44/44189", "44/4418")
    assert not path_under("44/4418", "44/4418/441802")
