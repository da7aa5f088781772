"""Building notices of joint inspection from the visits their inspection codes name.

A notice is the enterprise's copy of a published visit: the same visit the
public verification shows (:func:`inspection.services.codes.visit.code_visits`),
with what the enterprise needs beyond it: its address, each unit's officers and
items, the documents to prepare, the lead unit's contact and its rights.

Who may read one: coordinators and auditors every notice; a unit key the visits
its unit takes part in (any other is as absent as an unknown code: 404). A
cancelled visit gets no notice (409).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from inspection.db import repository
from inspection.db.regions import enterprise_in_region, in_region
from inspection.db.tables import CatalogueItemRow, EnterpriseRow, InspectionCodeRow
from inspection.errors import ConflictError, NotFoundError
from inspection.services.access import Actor, may_see_round, unit_scope
from inspection.services.codes.issue import normalize_code
from inspection.services.codes.verify import NOT_FOUND
from inspection.services.codes.visit import CodeVisit, code_visits
from inspection.services.notices.models import (
    Notice,
    NoticeItem,
    NoticeOfficer,
    NoticePlan,
    NoticeUnit,
)
from inspection.services.notices.wording import STANDARD_DOCUMENTS, STATEMENTS, split_documents

__all__ = ["CANCELLED", "day_notices", "notice_of_code"]

CANCELLED = "该检查已取消，不出具检查通知书"


def _documents(session: Session, visit: CodeVisit) -> list[str]:
    """The standard documents, then each item's own (需准备材料) in the items' order, once."""
    ids = sorted({i.catalogue_item_id for i in visit.items if i.catalogue_item_id is not None})
    stated: dict[int, str] = {}
    if ids:
        for row in session.exec(select(CatalogueItemRow).where(col(CatalogueItemRow.id).in_(ids))):
            assert row.id is not None
            stated[row.id] = row.documents
    documents = list(STANDARD_DOCUMENTS)
    for item in visit.items:
        if item.catalogue_item_id is None:
            continue
        for document in split_documents(stated.get(item.catalogue_item_id, "")):
            if document not in documents:
                documents.append(document)
    return documents


def _notice(session: Session, visit: CodeVisit, district: str, base_url: str) -> Notice:
    lead = visit.round.lead_unit_id
    units = [
        NoticeUnit(
            id=unit.id,
            name=unit.name,
            lead=unit.id == lead,
            officers=[
                NoticeOfficer(name=o.name, badge_number=o.badge_number)
                for o in visit.officers
                if o.unit == unit.id
            ],
            items=[
                NoticeItem(name=i.name, legal_basis=i.legal_basis)
                for i in visit.items
                if i.unit_id == unit.id
            ],
        )
        for unit in visit.units
    ]
    lead_row = next((u for u in visit.units if u.id == lead), None)
    assert visit.plan.id is not None
    return Notice(
        number=visit.code.code,
        district=district,
        date=visit.code.day,
        enterprise_name=visit.enterprise.name,
        enterprise_address=visit.enterprise.address,
        town=visit.enterprise.town,
        lead_unit=lead_row.name if lead_row is not None else lead,
        contact=lead_row.contact if lead_row is not None else "",
        units=units,
        documents=_documents(session, visit),
        plan=NoticePlan(
            number=visit.plan.id,
            horizon_start=visit.plan.horizon_start,
            horizon_end=visit.plan.horizon_end,
        ),
        statements=list(STATEMENTS),
        verification_url=f"{base_url.rstrip('/')}/v/{visit.code.code}",
    )


def _may_read(actor: Actor, visit: CodeVisit) -> bool:
    return may_see_round(actor, visit.round.units, published=True)


def notice_of_code(
    session: Session, actor: Actor, text: str, *, district: str, base_url: str
) -> Notice:
    """The notice of the visit a code names.

    Args:
        session: The database session.
        actor: Who asks: coordinators and auditors read any notice (a key of a region:
            at its enterprises and those under it), a unit the visits it takes part in.
        text: The code as typed (any case, with or without hyphens).
        district: The district's name, as the notice's heading says it.
        base_url: The service's public address, the base of the verification link.

    Raises:
        NotFoundError: the code is malformed or unknown, or names a visit the actor
            may not see (the same answer for all three).
        ConflictError: the visit was cancelled: there is nothing to give notice of.
    """
    code = normalize_code(text)
    row = session.get(InspectionCodeRow, code) if code is not None else None
    found = code_visits(session, [row]) if row is not None else []
    if (
        not found
        or not _may_read(actor, found[0])
        or not enterprise_in_region(session, found[0].code.credit_code, actor.region_path)
    ):
        raise NotFoundError(NOT_FOUND, "code")
    if found[0].code.cancelled_at is not None:
        raise ConflictError(CANCELLED, "code")
    return _notice(session, found[0], district, base_url)


def day_notices(
    session: Session,
    actor: Actor,
    day: date,
    unit_id: str | None = None,
    *,
    district: str,
    base_url: str,
) -> list[Notice]:
    """Every notice of a day's live visits the actor may read, by town, then enterprise name.

    `unit_id` keeps the visits that unit takes part in; a unit key always gets its
    own unit's, whatever it asks. Cancelled visits have no notice and are left out.

    Raises:
        NotFoundError: `unit_id` names no unit.
    """
    unit = unit_scope(actor, unit_id)
    if unit is not None and repository.get_unit(session, unit) is None:
        raise NotFoundError(f"执法单位 {unit} 不存在", "unit")
    query = (
        select(InspectionCodeRow)
        .join(EnterpriseRow, col(EnterpriseRow.credit_code) == col(InspectionCodeRow.credit_code))
        .where(col(InspectionCodeRow.day) == day)
        .where(col(InspectionCodeRow.cancelled_at).is_(None))
        .order_by(col(EnterpriseRow.town), col(EnterpriseRow.name), col(InspectionCodeRow.code))
    )
    # a key of a region: the visits at its enterprises and those under it
    rows: Sequence[InspectionCodeRow] = list(
        session.exec(in_region(query, EnterpriseRow.region_id, actor.region_path))
    )
    return [
        _notice(session, visit, district, base_url)
        for visit in code_visits(session, rows)
        if _may_read(actor, visit) and (unit is None or unit in visit.round.units)
    ]
