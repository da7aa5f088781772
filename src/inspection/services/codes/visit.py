"""The visit an inspection code names, read once for every view of it.

The public verification (:mod:`inspection.services.codes.verify`) and the notice
sent to the enterprise (:mod:`inspection.services.notices`) show the same visit:
its round, plan, enterprise, units (the lead unit first), the items each unit
brings with their legal basis, and the officers drawn. :func:`code_visits` reads
them for many codes in a few queries; each view keeps only what it may show.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from inspection.db.tables import (
    ChecklistItemRow,
    ChecklistRow,
    EnterpriseRow,
    InspectionCodeRow,
    PlanRoundRequestRow,
    PlanRoundRow,
    PlanRow,
    RequestRow,
    UnitRow,
)
from inspection.services.officers.drawn import round_officers
from inspection.services.officers.models import RoundOfficer

__all__ = ["CodeVisit", "VisitItem", "code_visits"]

_CHUNK = 1000  # ids per IN (...) list


@dataclass(frozen=True)
class VisitItem:
    """An item one unit checks on the visit, as its checklist states it."""

    unit_id: str
    name: str
    legal_basis: str
    catalogue_item_id: int | None


@dataclass(frozen=True)
class CodeVisit:
    """Everything stored about the visit a code names.

    Attributes:
        code: The code's row (``cancelled_at`` set once the visit went).
        round: The live round it names (the last one, for a cancelled code).
        plan: The published plan that round belongs to.
        enterprise: The enterprise visited.
        units: The round's units, the lead unit first, then by id.
        items: Each unit's items (a unit's repeated item once), the lead unit's first,
            each unit's in the order of its requests and their items.
        officers: The officers drawn, by unit in the order of `units`, then by name.
    """

    code: InspectionCodeRow
    round: PlanRoundRow
    plan: PlanRow
    enterprise: EnterpriseRow
    units: list[UnitRow]
    items: list[VisitItem]
    officers: list[RoundOfficer]


def _chunks(ids: Sequence[int]) -> list[list[int]]:
    return [list(ids[i : i + _CHUNK]) for i in range(0, len(ids), _CHUNK)]


def _items_by_round(session: Session, round_ids: Sequence[int]) -> dict[int, list[VisitItem]]:
    found: dict[int, list[VisitItem]] = defaultdict(list)
    seen: set[tuple[int, str, str, str]] = set()
    for chunk in _chunks(round_ids):
        query = (
            select(PlanRoundRequestRow.round_id, ChecklistRow.unit_id, ChecklistItemRow)
            .join(RequestRow, col(RequestRow.id) == col(PlanRoundRequestRow.request_id))
            .join(ChecklistRow, col(ChecklistRow.id) == col(RequestRow.checklist_id))
            .join(ChecklistItemRow, col(ChecklistItemRow.checklist_id) == col(ChecklistRow.id))
            .where(col(PlanRoundRequestRow.round_id).in_(chunk))
            .order_by(
                col(PlanRoundRequestRow.round_id),
                col(RequestRow.id),
                col(ChecklistItemRow.position),
            )
        )
        for round_id, unit_id, item in session.exec(query):
            key = (round_id, unit_id, item.name, item.legal_basis)
            if key not in seen:  # two checklists of a unit may ask for the same item
                seen.add(key)
                found[round_id].append(
                    VisitItem(unit_id, item.name, item.legal_basis, item.catalogue_item_id)
                )
    return found


def code_visits(session: Session, codes: Sequence[InspectionCodeRow]) -> list[CodeVisit]:
    """The visits these codes name, in the codes' order; a code whose round, plan or
    enterprise is gone (never, as rows are kept) is left out."""
    if not codes:
        return []
    round_ids = sorted({c.round_id for c in codes})
    rounds: dict[int, PlanRoundRow] = {}
    for chunk in _chunks(round_ids):
        for row in session.exec(select(PlanRoundRow).where(col(PlanRoundRow.id).in_(chunk))):
            assert row.id is not None
            rounds[row.id] = row
    plans = {
        p.id: p
        for p in session.exec(
            select(PlanRow).where(col(PlanRow.id).in_(sorted({c.plan_id for c in codes})))
        )
    }
    credit_codes = sorted({c.credit_code for c in codes})
    enterprises = {
        e.credit_code: e
        for e in session.exec(
            select(EnterpriseRow).where(col(EnterpriseRow.credit_code).in_(credit_codes))
        )
    }
    unit_ids = sorted({u for r in rounds.values() for u in r.units})
    units = {u.id: u for u in session.exec(select(UnitRow).where(col(UnitRow.id).in_(unit_ids)))}
    items = _items_by_round(session, round_ids)
    officers = round_officers(session, round_ids)
    visits = []
    for code in codes:
        round_ = rounds.get(code.round_id)
        plan = plans.get(code.plan_id)
        enterprise = enterprises.get(code.credit_code)
        if round_ is None or plan is None or enterprise is None:
            continue
        order = [round_.lead_unit_id, *sorted(u for u in round_.units if u != round_.lead_unit_id)]
        rank = {unit: index for index, unit in enumerate(order)}
        visits.append(
            CodeVisit(
                code=code,
                round=round_,
                plan=plan,
                enterprise=enterprise,
                units=[units[u] for u in order if u in units],
                # stable: each unit's request order kept
                items=sorted(
                    items.get(code.round_id, []), key=lambda i: rank.get(i.unit_id, len(rank))
                ),
                officers=sorted(
                    officers.get(code.round_id, []),
                    key=lambda o: (rank.get(o.unit, len(rank)), o.name),
                ),
            )
        )
    return visits
