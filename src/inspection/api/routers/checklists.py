"""Checklists: units submit them; one request per target enterprise."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Query, Response, status

from inspection.api.auth import allow
from inspection.api.deps import MAX_ROW_ID, RowId, SessionDep
from inspection.errors import PreconditionFailedError, PreconditionRequiredError
from inspection.services.access import Actor, Role
from inspection.services.checklists import approval, changes
from inspection.services.checklists import service as checklists
from inspection.services.checklists.models import (
    DEFAULT_PAGE,
    MAX_PAGE,
    ChecklistCreate,
    ChecklistPublic,
    ChecklistReceipt,
    ChecklistStatus,
)

__all__ = ["router"]

router = APIRouter(prefix="/checklists", tags=["checklists"])
# units (their own checklists only) and coordinators (any unit's)
Writer = Annotated[Actor, Depends(allow(Role.UNIT, Role.COORDINATOR))]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={200: {"description": "sent before under its reference: nothing new stored"}},
)
def submit(
    data: ChecklistCreate, session: SessionDep, response: Response, actor: Writer
) -> ChecklistReceipt:
    """Submit a checklist; each target enterprise becomes one inspection request.

    With a `reference` (the unit's own number for it) a checklist sent again with the
    same content stores nothing new and answers 200 with the stored one; other content
    under a reference already used is a 409 naming the checklist that holds it.
    A target at which the unit's yearly cap is used up is a 409 naming the rule and the
    count (`caps`: the caps in the way); `warnings` name the targets close to a cap.
    """
    receipt = checklists.receive_checklist(session, actor, data)
    if not receipt.created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/api/v1/checklists/{receipt.checklist.id}"
    response.headers["ETag"] = _etag(receipt.checklist)
    return ChecklistReceipt.of(receipt.checklist, receipt.warnings)


def _etag(checklist: ChecklistPublic) -> str:
    return f'"{checklist.id}-v{checklist.version}"'


def _version_from(if_match: str | None, checklist_id: int) -> int:
    if if_match is None:
        raise PreconditionRequiredError(
            "修改检查清单须在 If-Match 请求头中带上读取时的 ETag", "If-Match"
        )
    tag = if_match.strip().removeprefix("W/").strip('"')
    prefix = f"{checklist_id}-v"
    if not tag.startswith(prefix) or not tag[len(prefix) :].isdigit():
        raise PreconditionFailedError(f"If-Match 的值 {if_match} 不是该检查清单的 ETag", "If-Match")
    return int(tag[len(prefix) :])


@router.get("/{checklist_id}")
def read(
    checklist_id: RowId, session: SessionDep, response: Response, actor: Writer
) -> ChecklistPublic:
    """One checklist with its items and targets; the `ETag` names its version."""
    checklist = checklists.get_checklist(session, actor, checklist_id)
    response.headers["ETag"] = _etag(checklist)
    return checklist


@router.put("/{checklist_id}")
def amend(
    checklist_id: RowId,
    data: ChecklistCreate,
    session: SessionDep,
    response: Response,
    actor: Writer,
    if_match: Annotated[str | None, Header(max_length=100)] = None,
) -> ChecklistReceipt:
    """Replace a checklist's content while none of its requests is in a published plan.

    Send the `ETag` you read in `If-Match`: 428 without it, 412 if the checklist
    changed since, 409 once it is announced or withdrawn, or where a target's yearly cap
    for the unit is used up; `warnings` name the targets close to a cap.
    """
    expected = _version_from(if_match, checklist_id)
    amended = changes.amend_checklist(session, actor, checklist_id, data, expected)
    response.headers["ETag"] = _etag(amended)
    return amended


@router.get(
    "",
    responses={
        200: {
            "headers": {
                "X-Total-Count": {
                    "description": "how many checklists the filters keep, over all pages",
                    "schema": {"type": "integer"},
                }
            }
        }
    },
)
def list_all(
    session: SessionDep,
    response: Response,
    actor: Writer,
    unit: Annotated[str | None, Query(max_length=64)] = None,
    state: Annotated[ChecklistStatus | None, Query(alias="status")] = None,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
    offset: Annotated[int, Query(ge=0, le=MAX_ROW_ID)] = 0,
) -> list[ChecklistPublic]:
    """Checklists, newest first, a page at a time (`limit`, `offset`); `from`/`to` keep those
    whose window meets the range. `X-Total-Count` says how many there are in all."""
    page = checklists.list_checklists(
        session, actor, unit, state, date_from, date_to, limit, offset
    )
    response.headers["X-Total-Count"] = str(page.total)
    return page.checklists


@router.post("/{checklist_id}/withdraw")
def withdraw(checklist_id: RowId, session: SessionDep, actor: Writer) -> ChecklistPublic:
    """Withdraw a checklist; its requests leave future plans."""
    return changes.withdraw_checklist(session, actor, checklist_id)


@router.post("/{checklist_id}/approve")
def approve(
    checklist_id: RowId,
    session: SessionDep,
    actor: Annotated[Actor, Depends(allow(Role.UNIT))],
) -> ChecklistPublic:
    """Approve a draft checklist (审批): only the head of its unit may (403 for anyone else,
    coordinators included; 409 when it is not a draft). Approved checklists are planned;
    a complaint or referral approved after a plan took it is flagged `approved_afterwards`."""
    return approval.approve_checklist(session, actor, checklist_id)
