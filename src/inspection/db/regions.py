"""Regions in the database: the default region, lookups by code, and "in or under a region".

A region's `path` is the codes from the top joined by ``/`` (``44/4418/441802``), so the
rows of a region and of every region under it are those whose region's path is the
region's own or starts with it and a ``/``: one comparison on both databases.
"""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from inspection.db.tables import EnterpriseRow, RegionRow, UnitRow

__all__ = [
    "PATH_SEPARATOR",
    "default_region_id",
    "enterprise_in_region",
    "enterprise_paths",
    "enterprises_in",
    "in_region",
    "narrowing_path",
    "path_filter",
    "path_under",
    "region_by_code",
    "region_by_id",
    "region_ids_under",
    "region_in",
    "region_path",
    "related_region_ids",
    "unit_in_region",
]

PATH_SEPARATOR = "/"
_Q = TypeVar("_Q")


def default_region_id(session: Session) -> int:
    """The region a unit, an enterprise or a plan belongs to when nothing names one.

    The first region made (migration 0018's district): a service with one district puts
    everything there, as before regions existed. The one reader every writer calls.
    """
    found = session.exec(select(RegionRow.id).order_by(col(RegionRow.id)).limit(1)).first()
    if found is None:  # pragma: no cover - migration 0018 makes one, nothing deletes it
        raise LookupError("no region: the database is not migrated to 0018")
    return found


def region_by_code(session: Session, code: str) -> RegionRow | None:
    """The region with this code (行政区划代码), if any."""
    return session.exec(select(RegionRow).where(RegionRow.code == code)).first()


def region_by_id(session: Session, region_id: int) -> RegionRow | None:
    """The region with this id, if any."""
    return session.get(RegionRow, region_id)


def path_filter(path: str) -> ColumnElement[bool]:
    """Regions whose path is `path` or lies under it."""
    # codes are letters and digits only (services/regions), so no LIKE wildcard is in path
    return or_(col(RegionRow.path) == path, col(RegionRow.path).like(path + PATH_SEPARATOR + "%"))


def path_under(path: str, ancestor: str) -> bool:
    """Whether the region with `path` is the one with `ancestor` or lies under it."""
    return path == ancestor or path.startswith(ancestor + PATH_SEPARATOR)


def enterprise_paths(session: Session, credit_codes: set[str]) -> dict[str, str]:
    """The path of each of these enterprises' regions, by credit code."""
    query = (
        select(EnterpriseRow.credit_code, RegionRow.path)
        .join(RegionRow, col(RegionRow.id) == col(EnterpriseRow.region_id))
        .where(col(EnterpriseRow.credit_code).in_(sorted(credit_codes)))
    )
    return dict(session.exec(query).all())


def region_ids_under(session: Session, path: str) -> list[int]:
    """The ids of the region with `path` and of every region under it."""
    rows = session.exec(select(RegionRow.id).where(path_filter(path)))
    return [i for i in rows if i is not None]


def in_region(query: _Q, column: Any, path: str | None) -> _Q:
    """`query` kept to rows whose `column` (a region id) is in or under `path`; None: all."""
    if path is None:
        return query
    subtree = select(RegionRow.id).where(path_filter(path))
    return query.where(col(column).in_(subtree))  # type: ignore[attr-defined, no-any-return]


def narrowing_path(session: Session, path: str | None) -> str | None:
    """`path`, or None when its region and those under it are every region (nothing is left
    out, so a caller may read the service-wide sums, as before regions existed)."""
    if path is None:
        return None
    counted = select(func.count()).select_from(RegionRow)
    total = session.exec(counted).one()
    inside = session.exec(counted.where(path_filter(path))).one()
    return None if inside == total else path


def region_path(session: Session, region_id: int) -> str:
    """The path of the region with this id."""
    row = session.get(RegionRow, region_id)
    assert row is not None  # a foreign key names it
    return row.path


def region_in(session: Session, region_id: int, path: str | None) -> bool:
    """Whether the region with this id is the one with `path` or under it; None: any."""
    if path is None:
        return True
    return path_under(region_path(session, region_id), path)


def unit_in_region(session: Session, unit_id: str, path: str | None) -> bool:
    """Whether the unit's region is the one with `path` or under it; None: any unit."""
    if path is None:
        return True
    unit = session.get(UnitRow, unit_id)
    return (
        unit is not None and unit.region_id is not None and region_in(session, unit.region_id, path)
    )


def enterprise_in_region(session: Session, credit_code: str, path: str | None) -> bool:
    """Whether the enterprise's region is the one with `path` or under it; None: any."""
    if path is None:
        return True
    enterprise = session.get(EnterpriseRow, credit_code)
    return (
        enterprise is not None
        and enterprise.region_id is not None
        and region_in(session, enterprise.region_id, path)
    )


def enterprises_in(path: str) -> Any:
    """A subquery: the credit codes of the enterprises in the region with `path` or under it."""
    return in_region(select(EnterpriseRow.credit_code), EnterpriseRow.region_id, path)


def related_region_ids(path: str) -> Any:
    """A subquery: the ids of the region with `path`, the regions above it and those under
    it (plans of any of them cover some of the same enterprises)."""
    codes = path.split(PATH_SEPARATOR)
    above_and_own = [PATH_SEPARATOR.join(codes[:n]) for n in range(1, len(codes) + 1)]
    return select(RegionRow.id).where(
        or_(
            col(RegionRow.path).in_(above_and_own),
            col(RegionRow.path).like(path + PATH_SEPARATOR + "%"),
        )
    )
