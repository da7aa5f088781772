"""Draws (双随机抽查): commit to a population and a seed, then draw and make checklists.

1. :func:`commit_draw` freezes the population (the register's enterprises matching the
   filters, by risk class, sorted), checks the quotas and the units' items, makes a fresh
   seed with :mod:`secrets` (or takes a public one) and publishes only its SHA-256.
2. :func:`reveal_draw` draws with the seed (:mod:`.algorithm`), publishes the seed and
   makes one routine checklist per participating unit with the drawn enterprises as its
   targets: approved when the unit's head reveals it, otherwise a draft for approval.

Nothing of a revealed draw changes: there is no update, and a second reveal is a 409.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from inspection.db import repository
from inspection.db.regions import unit_in_region
from inspection.db.tables import DrawRow
from inspection.errors import ConflictError, ForbiddenError, InvalidInputError, NotFoundError
from inspection.services.access import Actor
from inspection.services.catalogue.checks import link_items
from inspection.services.checklists.models import ChecklistCreate, InspectionType
from inspection.services.checklists.service import add_checklist
from inspection.services.draws.algorithm import (
    ALGORITHM,
    commitment_of,
    draw,
    population_hash,
    quota_count,
)
from inspection.services.draws.items import checklist_item_ids, resolve_unit_items
from inspection.services.draws.models import (
    UNGRADED,
    DrawCreate,
    DrawOptions,
    DrawPublic,
    DrawRecord,
)
from inspection.services.draws.store import (
    frozen_population,
    mark_revealed,
    register_classes,
    register_filters,
    set_checklists,
)
from inspection.services.draws.views import draw_public, draw_record, may_see_draw, visible_draw
from inspection.services.reference.classes import normal_grade
from inspection.services.trust.audit import record, snapshot

__all__ = [
    "MAX_DRAWN",
    "commit_draw",
    "draw_options",
    "get_draw",
    "list_draws",
    "public_record",
    "reveal_draw",
]

MAX_DRAWN = 1000
"""The most enterprises one draw may draw (a checklist's targets)."""


def _grade(value: str) -> str:
    return value if value == UNGRADED else normal_grade(value)


def _check_units(session: Session, actor: Actor, data: DrawCreate) -> None:
    seen: set[str] = set()
    for index, unit in enumerate(data.units):
        field = f"units[{index}].unit_id"
        if actor.is_unit and unit.unit_id != actor.unit_id:
            raise ForbiddenError(f"只能为本单位（{actor.unit_id}）抽查", field)
        if unit.unit_id in seen:
            raise InvalidInputError(f"执法单位 {unit.unit_id} 重复", field)
        seen.add(unit.unit_id)
        # a key of a region draws for its region's units only; others are as if unknown
        if repository.get_unit(session, unit.unit_id) is None or not unit_in_region(
            session, unit.unit_id, actor.region_path
        ):
            raise InvalidInputError(f"未知的执法单位 {unit.unit_id}", field)


def _empty_population_field(data: DrawCreate) -> str:
    for field in ("risk_classes", "towns", "industries"):
        if getattr(data, field):
            return field
    return "industries"


def _quotas(
    data: DrawCreate, population: dict[str, list[str]], known: set[str]
) -> list[dict[str, object]]:
    quotas: list[dict[str, object]] = []
    seen: set[str] = set()
    for index, quota in enumerate(data.quotas):
        where = f"quotas[{index}]"
        try:
            grade = _grade(quota.risk_class)
        except ValueError as exc:
            raise InvalidInputError(str(exc), f"{where}.risk_class") from exc
        if grade in seen:
            raise InvalidInputError(f"风险等级 {grade} 的抽取数量重复", f"{where}.risk_class")
        seen.add(grade)
        if grade not in known:
            raise InvalidInputError(
                f"企业名录中没有风险等级为 {grade} 的企业", f"{where}.risk_class"
            )
        if grade not in population:
            raise InvalidInputError(
                f"抽查范围内没有风险等级为 {grade} 的企业", f"{where}.risk_class"
            )
        if (quota.count is None) == (quota.ratio_percent is None):
            raise InvalidInputError("抽取数量和抽取比例须填且只填一项", where)
        try:
            drawn_count = quota_count(len(population[grade]), quota.count, quota.ratio_percent)
        except ValueError as exc:
            field = "count" if quota.count is not None else "ratio_percent"
            raise InvalidInputError(f"风险等级 {grade}：{exc}", f"{where}.{field}") from exc
        ratio = quota.ratio_percent
        quotas.append(
            {
                "risk_class": grade,
                "count": quota.count,
                "ratio_percent": None if ratio is None else format(ratio.normalize(), "f"),
                "drawn_count": drawn_count,
            }
        )
    total = sum(int(str(q["drawn_count"])) for q in quotas)
    if total > MAX_DRAWN:
        raise InvalidInputError(f"一次最多抽取 {MAX_DRAWN} 家企业，本次将抽取 {total} 家", "quotas")
    return quotas


def commit_draw(session: Session, actor: Actor, data: DrawCreate) -> DrawPublic:
    """Freeze the population, check the quotas and items, and commit to a seed.

    Raises:
        ForbiddenError: a unit key naming another unit (field ``units[i].unit_id``).
        InvalidInputError: an unknown unit or risk class, an empty population, a count over
            its class, a ratio out of range, an item the unit's catalogue refuses (each
            naming its field).
    """
    _check_units(session, actor, data)
    known = register_classes(session)
    classes: list[str] = []
    for index, value in enumerate(data.risk_classes):
        field = f"risk_classes[{index}]"
        try:
            grade = _grade(value)
        except ValueError as exc:
            raise InvalidInputError(str(exc), field) from exc
        if grade not in known:
            raise InvalidInputError(f"企业名录中没有风险等级为 {grade} 的企业", field)
        classes.append(grade)
    population = frozen_population(session, data.industries, data.towns, classes, actor.region_path)
    if not population:
        raise InvalidInputError(
            "抽查范围内没有企业（无事不扰名单上的企业不参与抽取）", _empty_population_field(data)
        )
    quotas = _quotas(data, population, known)
    units: list[dict[str, object]] = []
    for index, unit in enumerate(data.units):
        items, _ = resolve_unit_items(session, unit, data.earliest, f"units[{index}]")
        units.append(
            {
                "unit_id": unit.unit_id,
                "items": [i.model_dump(mode="json") for i in items],
                "onsite_reason": unit.onsite_reason,
            }
        )
    seed = data.public_seed if data.public_seed is not None else secrets.token_hex(32)
    row = DrawRow(
        title=data.title,
        algorithm=ALGORITHM,
        owner_unit_id=actor.unit_id if actor.is_unit else None,
        created_by=actor.label,
        created_at=datetime.now(UTC),
        earliest=data.earliest,
        latest=data.latest,
        filters={
            "industries": sorted(set(data.industries)),
            "towns": sorted(set(data.towns)),
            "risk_classes": sorted(set(classes)),
        },
        quotas=quotas,
        units=units,
        population=population,
        population_hash=population_hash(population),
        commitment=commitment_of(seed),
        seed=seed,
        public_seed=data.public_seed is not None,
    )
    session.add(row)
    session.flush()
    assert row.id is not None
    # the record holds no secret seed before the reveal: the audit entry neither
    record(session, actor, "draw.commit", "draw", row.id, None, snapshot(draw_record(row)))
    created = draw_public(session, row)
    session.commit()
    return created


def reveal_draw(session: Session, actor: Actor, draw_id: int) -> DrawPublic:
    """Draw with the committed seed, publish it, and make each unit's checklist.

    Raises:
        NotFoundError: no such draw, or one the unit does not take part in.
        ForbiddenError: a unit key of a coordinator's joint draw (the coordinator reveals it).
        ConflictError: the draw was revealed already (field ``id``).
    """
    row = visible_draw(session, actor, draw_id)
    if row.revealed_at is not None:
        raise ConflictError(
            f"抽查“{row.title}”已于 {row.revealed_at:%Y-%m-%d %H:%M} 揭晓，不能再次抽取", "id"
        )
    if actor.is_unit and row.owner_unit_id != actor.unit_id:
        raise ForbiddenError("联合抽查由发起的协调人揭晓", "id")
    counts = {str(q["risk_class"]): int(str(q["drawn_count"])) for q in row.quotas}
    drawn = draw(row.seed, row.population, counts)
    # the reveal first: a reveal beside this one waits on the row (PostgreSQL) or the write
    # lock (SQLite), then finds it revealed and is refused before it makes any checklist
    values: dict[str, object] = {"drawn": drawn, "revealed_by": actor.label}
    if not mark_revealed(session, draw_id, values, datetime.now(UTC)):
        session.rollback()
        raise ConflictError(f"抽查“{row.title}”已揭晓，不能再次抽取", "id")
    targets = [code for grade in sorted(drawn) for code in drawn[grade]]
    checklist_ids = _make_checklists(session, actor, row, targets)
    set_checklists(session, draw_id, checklist_ids)
    session.refresh(row)
    record(
        session,
        actor,
        "draw.reveal",
        "draw",
        draw_id,
        None,
        {"seed": row.seed, "drawn": drawn, "checklist_ids": checklist_ids},
    )
    revealed = draw_public(session, row)
    session.commit()
    return revealed


def _free_reference(session: Session, unit_id: str, wanted: str) -> str:
    """The checklist reference (清单编号) for a draw: `抽查-<id>`, or with `-2`, `-3`, … when
    the unit has used that one already."""
    reference, suffix = wanted, 1
    while repository.get_checklist_by_reference(session, unit_id, reference) is not None:
        suffix += 1
        reference = f"{wanted}-{suffix}"
    return reference


def _make_checklists(session: Session, actor: Actor, row: DrawRow, targets: list[str]) -> list[int]:
    """Each participating unit's routine checklist of the drawn enterprises, audited."""
    checklist_ids: list[int] = []
    for index, unit in enumerate(row.units):
        data = ChecklistCreate.model_validate(
            {
                "unit_id": unit["unit_id"],
                "reference": _free_reference(session, str(unit["unit_id"]), f"抽查-{row.id}"),
                "title": row.title,
                "inspection_type": InspectionType.ROUTINE,
                "items": unit["items"],
                "targets": targets,
                "earliest": row.earliest,
                "latest": row.latest,
                "onsite_reason": unit.get("onsite_reason"),
            }
        )
        item_ids = checklist_item_ids(session, data, f"units[{index}]")
        checklist = add_checklist(session, actor, data)
        link_items(session, [(checklist.id, item_ids)])
        stored = snapshot(checklist)
        record(session, actor, "checklist.submit", "checklist", checklist.id, None, stored)
        checklist_ids.append(checklist.id)
    return checklist_ids


def get_draw(session: Session, actor: Actor, draw_id: int) -> DrawPublic:
    """One draw (a unit: one it takes part in; others are 404)."""
    return draw_public(session, visible_draw(session, actor, draw_id))


def list_draws(session: Session, actor: Actor) -> list[DrawPublic]:
    """The draws the actor may see, newest first (a unit: those it takes part in)."""
    rows = session.exec(select(DrawRow).order_by(col(DrawRow.id).desc())).all()
    return [draw_public(session, row) for row in rows if may_see_draw(session, actor, row)]


def public_record(session: Session, draw_id: int) -> DrawRecord:
    """A draw's public record (no key needed): what anyone needs to replay it."""
    row = session.get(DrawRow, draw_id)
    if row is None:
        raise NotFoundError(f"抽查 {draw_id} 不存在", "id")
    return draw_record(row)


def draw_options(session: Session) -> DrawOptions:
    """The register's industries, towns and risk classes a draw may choose from."""
    return DrawOptions(**register_filters(session))
