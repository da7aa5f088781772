"""Regions: read a subtree, add one, import many from CSV; ancestors and descendants by path."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from pydantic import ValidationError
from sqlmodel import Session, col, select

from inspection.db.regions import (
    PATH_SEPARATOR,
    default_region_id,
    path_filter,
    region_by_code,
    region_by_id,
)
from inspection.db.tables import RegionRow
from inspection.errors import ConflictError, InvalidInputError, NotFoundError
from inspection.services.access import Actor, in_region_scope
from inspection.services.regions.models import (
    LEVEL_NAMES,
    LEVEL_RANK,
    RegionCreate,
    RegionLevel,
    RegionPublic,
)
from inspection.services.trust.audit import record

__all__ = [
    "DEFAULT_CODE",
    "ancestor_paths",
    "ancestors",
    "create_region",
    "descendants",
    "import_regions",
    "list_regions",
    "region_for",
    "region_name",
    "region_public",
]

DEFAULT_CODE = "000000"
"""The code migration 0018 gives the one district it makes, until an import names it."""
CSV_COLUMNS = ("code", "name", "level", "parent")


def region_public(row: RegionRow, parent_code: str | None) -> RegionPublic:
    """The region as clients read it."""
    assert row.id is not None
    return RegionPublic(
        id=row.id,
        code=row.code,
        name=row.name,
        level=RegionLevel(row.level),
        parent=parent_code,
        path=row.path,
    )


def _publics(session: Session, rows: Sequence[RegionRow]) -> list[RegionPublic]:
    parents = {r.id: r.code for r in session.exec(select(RegionRow))}
    return [region_public(r, parents.get(r.parent_id)) for r in rows]


def ancestor_paths(path: str) -> list[str]:
    """The paths of the regions above `path`, from the top (``44``, ``44/4418``)."""
    codes = path.split(PATH_SEPARATOR)
    return [PATH_SEPARATOR.join(codes[:n]) for n in range(1, len(codes))]


def ancestors(session: Session, path: str) -> list[RegionPublic]:
    """The regions above the region with `path`, from the top."""
    above = ancestor_paths(path)
    if not above:
        return []
    rows = session.exec(select(RegionRow).where(col(RegionRow.path).in_(above)))
    return sorted(_publics(session, list(rows)), key=lambda r: r.path.count(PATH_SEPARATOR))


def descendants(session: Session, path: str) -> list[RegionPublic]:
    """The regions under the region with `path` (not itself), by path."""
    rows = session.exec(
        select(RegionRow)
        .where(path_filter(path))
        .where(col(RegionRow.path) != path)
        .order_by(col(RegionRow.path))
    )
    return _publics(session, list(rows))


def list_regions(session: Session, actor: Actor) -> list[RegionPublic]:
    """The regions the actor sees: its region and those under it (every one for the platform)."""
    query = select(RegionRow).order_by(col(RegionRow.path))
    if actor.region_path is not None:
        query = query.where(path_filter(actor.region_path))
    return _publics(session, list(session.exec(query)))


def region_name(session: Session, actor: Actor) -> str | None:
    """How the desk's header names the actor's region: None while the platform holds one
    region (the header stays as it was), 全平台 for a key of every region."""
    if len(session.exec(select(RegionRow.id).limit(2)).all()) < 2:
        return None
    if actor.region_path is None:
        return "全平台"
    return session.exec(select(RegionRow.name).where(RegionRow.path == actor.region_path)).first()


def region_for(
    session: Session, actor: Actor, code: str | None, field: str = "region"
) -> RegionRow:
    """The region named by `code`, which the actor must see; None: the actor's own region
    (the default region for an actor of the whole platform).

    Raises:
        NotFoundError: no region has this code, or it is outside the actor's region.
    """
    if code is None:
        if actor.region_path is not None:
            return session.exec(select(RegionRow).where(RegionRow.path == actor.region_path)).one()
        found = region_by_id(session, default_region_id(session))
        assert found is not None
        return found
    row = region_by_code(session, code.strip())
    if row is None or not in_region_scope(actor, row.path):
        raise NotFoundError(f"行政区划 {code} 不存在", field)
    return row


def _add(session: Session, data: RegionCreate, replace_default: bool = False) -> RegionRow:
    """Add the region (flushed); with `replace_default`, the default region (code 000000, with
    the rows migration 0018 put in it) becomes it instead."""
    if region_by_code(session, data.code) is not None:
        raise ConflictError(f"行政区划 {data.code} 已存在", "code")
    parent: RegionRow | None = None
    if data.parent is not None:
        parent = region_by_code(session, data.parent)
        if parent is None:
            raise InvalidInputError(f"上级行政区划 {data.parent} 不存在", "parent")
        if LEVEL_RANK[RegionLevel(parent.level)] <= LEVEL_RANK[data.level]:
            raise InvalidInputError(
                f"{LEVEL_NAMES[data.level]}的上级须为更高一级（{parent.code} 是"
                f"{LEVEL_NAMES[RegionLevel(parent.level)]}）",
                "parent",
            )
    path = data.code if parent is None else parent.path + PATH_SEPARATOR + data.code
    row = region_by_code(session, DEFAULT_CODE) if replace_default else None
    if row is not None and descendants(session, row.path):
        row = None  # the default region holds regions already: it is not a lone district
    if row is None:
        row = RegionRow(code=data.code, name=data.name, level=data.level, path=path)
    else:
        row.code, row.name, row.level, row.path = data.code, data.name, data.level, path
    row.parent_id = parent.id if parent is not None else None
    session.add(row)
    session.flush()
    return row


def create_region(session: Session, actor: Actor, data: RegionCreate) -> RegionPublic:
    """Add a region under its parent (committed).

    Raises:
        ConflictError: a region with this code exists.
        InvalidInputError: the parent does not exist or does not stand higher.
    """
    row = _add(session, data)
    public = region_public(row, data.parent)
    record(
        session, actor, "region.create", "region", public.id, None, public.model_dump(mode="json")
    )
    session.commit()
    return public


def _row_problem(error: ValidationError) -> str:
    first = error.errors()[0]
    field = ".".join(str(p) for p in first["loc"]) or "row"
    return f"{field}: {first['msg'].removeprefix('Value error, ')}"


def import_regions(
    session: Session, actor: Actor, text: str, default_code: str | None = None
) -> list[RegionPublic]:
    """Add the regions of a CSV (`code,name,level,parent`, parents before their children or
    already known), all or nothing (committed). The row whose code is `default_code` takes
    over the default region (code 000000) and the rows in it.

    Raises:
        InvalidInputError: a bad row, named by its line (nothing is stored).
    """
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = [c for c in CSV_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise InvalidInputError(f"第 1 行：缺少列 {'、'.join(missing)}", "file")
    added: list[RegionPublic] = []
    for line, raw in enumerate(reader, start=2):
        values = {k: (raw.get(k) or "").strip() for k in CSV_COLUMNS}
        try:
            data = RegionCreate.model_validate({**values, "parent": values["parent"] or None})
            row = _add(session, data, replace_default=data.code == default_code)
        except ValidationError as error:
            session.rollback()
            raise InvalidInputError(f"第 {line} 行：{_row_problem(error)}", "file") from None
        except (ConflictError, InvalidInputError) as error:
            session.rollback()
            raise InvalidInputError(
                f"第 {line} 行：{error.field}: {error.detail}", "file"
            ) from None
        added.append(region_public(row, data.parent))
    record(session, actor, "region.import", "region", "csv", None, {"regions": len(added)})
    session.commit()
    return added
