"""Random draws of enterprises (双随机抽查): commit, reveal, read, and the public record."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status

from inspection.api.auth import allow
from inspection.api.deps import RowId, SessionDep
from inspection.api.rate_limit import public_rate_limit
from inspection.services.access import Actor, Role
from inspection.services.draws import service as draws
from inspection.services.draws.models import DrawCreate, DrawOptions, DrawPublic, DrawRecord

__all__ = ["public_router", "router"]

router = APIRouter(prefix="/draws", tags=["draws"])
# the record is public (anyone may replay a draw), rate-limited like the inspection codes
public_router = APIRouter(
    prefix="/draws", tags=["draws"], dependencies=[Depends(public_rate_limit)]
)
# units draw for themselves, coordinators for a joint random check
Drawer = Annotated[Actor, Depends(allow(Role.UNIT, Role.COORDINATOR))]
Reader = Annotated[Actor, Depends(allow(Role.UNIT, Role.COORDINATOR, Role.AUDITOR))]


@router.get("/options")
def options(session: SessionDep, actor: Drawer) -> DrawOptions:
    """The register's industries, towns and risk classes a draw may choose from."""
    return draws.draw_options(session)


@router.post("", status_code=status.HTTP_201_CREATED)
def commit(data: DrawCreate, session: SessionDep, response: Response, actor: Drawer) -> DrawPublic:
    """Commit to a draw: the population is frozen (its SHA-256 published) and a fresh seed
    made, of which only the SHA-256 (`commitment`) is published until the reveal; with a
    `public_seed` the commitment is that text's SHA-256.

    A unit draws for itself only; a coordinator's joint draw names each unit with its items.
    Refused with 422 naming the field: an unknown unit or risk class, an empty population,
    a count over its class, a ratio outside 0.01-100 %, an item the unit's catalogue refuses.
    """
    created = draws.commit_draw(session, actor, data)
    response.headers["Location"] = f"/api/v1/draws/{created.draw_id}"
    return created


@router.get("")
def listing(session: SessionDep, actor: Reader) -> list[DrawPublic]:
    """The draws, newest first (a unit: those it takes part in)."""
    return draws.list_draws(session, actor)


@router.get("/{draw_id}")
def detail(draw_id: RowId, session: SessionDep, actor: Reader) -> DrawPublic:
    """One draw (a unit: one it takes part in, others are 404)."""
    return draws.get_draw(session, actor, draw_id)


@router.post("/{draw_id}/reveal")
def reveal(draw_id: RowId, session: SessionDep, actor: Drawer) -> DrawPublic:
    """Draw with the committed seed and publish it; each unit gets a routine checklist of the
    drawn enterprises (approved when its head reveals, otherwise a draft for approval).

    A draw is revealed once: a second reveal is 409.
    """
    return draws.reveal_draw(session, actor, draw_id)


@public_router.get("/{draw_id}/record")
def public_record(draw_id: RowId, session: SessionDep) -> DrawRecord:
    """Everything needed to replay the draw (no key): algorithm, population per class,
    quotas, commitment, population hash, and after the reveal the seed and the drawn codes.

    `inspection draw verify` replays it, as does the desk's 复核.
    """
    return draws.public_record(session, draw_id)
