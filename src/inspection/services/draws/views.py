"""A stored draw as the public record and as its units see it; who may see which."""

from __future__ import annotations

from sqlmodel import Session

from inspection.db.regions import unit_in_region
from inspection.db.tables import DrawRow
from inspection.errors import NotFoundError
from inspection.services.access import Actor
from inspection.services.draws.algorithm import RECORD_FORMAT
from inspection.services.draws.models import (
    DrawClass,
    DrawPublic,
    DrawRecord,
    DrawState,
    DrawUnitPublic,
)
from inspection.services.draws.store import enterprise_names

__all__ = ["draw_public", "draw_record", "draw_unit_ids", "may_see_draw", "visible_draw"]


def draw_unit_ids(row: DrawRow) -> list[str]:
    """The units taking part in a draw, in the order it names them."""
    return [str(unit["unit_id"]) for unit in row.units]


def may_see_draw(session: Session, actor: Actor, row: DrawRow) -> bool:
    """A unit sees the draws it takes part in; coordinators and auditors every draw, a key of
    a region those with a unit of its region or one under it (a draw has no region of its
    own: its units are drawn for their region's enterprises)."""
    units = draw_unit_ids(row)
    if actor.is_unit:
        return actor.unit_id in units
    return actor.region_path is None or any(
        unit_in_region(session, unit, actor.region_path) for unit in units
    )


def visible_draw(session: Session, actor: Actor, draw_id: int) -> DrawRow:
    """The draw if the actor may see it; another unit's is as good as absent (404)."""
    row = session.get(DrawRow, draw_id)
    if row is None or not may_see_draw(session, actor, row):
        raise NotFoundError(f"抽查 {draw_id} 不存在", "id")
    return row


def draw_record(row: DrawRow) -> DrawRecord:
    """The public record: the population and quotas, the commitment, and after the reveal
    the seed and what was drawn (a secret seed never before)."""
    assert row.id is not None
    revealed = row.revealed_at is not None
    classes = []
    quotas = {str(q["risk_class"]): q for q in row.quotas}
    for risk_class, codes in sorted(row.population.items()):
        quota = quotas.get(risk_class, {})
        count = quota.get("count")
        ratio = quota.get("ratio_percent")
        drawn_count = quota.get("drawn_count", 0)
        classes.append(
            DrawClass(
                risk_class=risk_class,
                population=list(codes),
                count=count if isinstance(count, int) else None,
                ratio_percent=str(ratio) if ratio is not None else None,
                drawn_count=drawn_count if isinstance(drawn_count, int) else 0,
                drawn=list((row.drawn or {}).get(risk_class, [])) if revealed else None,
            )
        )
    return DrawRecord(
        format=RECORD_FORMAT,
        algorithm=row.algorithm,
        draw_id=row.id,
        title=row.title,
        state=DrawState.REVEALED if revealed else DrawState.COMMITTED,
        created_at=row.created_at,
        filters=row.filters,
        population_hash=row.population_hash,
        commitment=row.commitment,
        public_seed=row.public_seed,
        classes=classes,
        seed=row.seed if revealed else None,
        revealed_at=row.revealed_at,
    )


def draw_public(session: Session, row: DrawRow) -> DrawPublic:
    """The draw as its units and the coordinators see it."""
    record = draw_record(row)
    drawn = [code for codes in (row.drawn or {}).values() for code in codes]
    return DrawPublic(
        **record.model_dump(),
        owner_unit_id=row.owner_unit_id,
        created_by=row.created_by,
        earliest=row.earliest,
        latest=row.latest,
        units=[
            DrawUnitPublic(
                unit_id=str(unit["unit_id"]),
                items=list(unit["items"]),  # type: ignore[call-overload]
                onsite_reason=unit.get("onsite_reason"),  # type: ignore[arg-type]
            )
            for unit in row.units
        ],
        revealed_by=row.revealed_by,
        checklist_ids=list(row.checklist_ids or []),
        drawn_names=enterprise_names(session, drawn),
    )
