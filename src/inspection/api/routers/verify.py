"""The public inspection code routes: the page an enterprise opens, its QR code, and JSON.

No key: the code itself is the credential, and the answer holds only the visit
it names. Every route takes a token of the caller's address
(:mod:`inspection.api.rate_limit`), so guessing codes is slow as well as hopeless.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Path, Request, status
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from inspection.api.deps import SessionDep, TodayDep
from inspection.api.errors import PROBLEM_RESPONSES
from inspection.api.rate_limit import public_rate_limit
from inspection.api.verify_page import (
    PAGE_HEADERS,
    SECURITY_HEADERS,
    not_found_page,
    rating_problem,
    verification_page,
)
from inspection.errors import ConflictError, NotFoundError
from inspection.services.codes.qr import qr_svg
from inspection.services.codes.verify import Verification, verify_code
from inspection.services.ratings.give import rate_visit, rating_state
from inspection.services.ratings.models import RatingCreate, RatingReceipt
from inspection.settings import Settings

__all__ = ["page_router", "router"]

Limited = [Depends(public_rate_limit)]
Code = Annotated[str, Path(max_length=64, description="the inspection code, `K7QM-2XHD-9PZT`")]

router = APIRouter(prefix="/verify", tags=["verify"], dependencies=Limited)
page_router = APIRouter(prefix="/v", tags=["verify"], dependencies=Limited)


@router.get("/{code}")
def verify(code: Code, session: SessionDep) -> Verification:
    """The visit an inspection code names (no key): date, enterprise name, units and lead
    unit, officers, items with legal basis, plan, and whether it was cancelled.

    An unknown or malformed code is 404 with the same message.
    """
    return verify_code(session, code)


@router.post("/{code}/rating", status_code=status.HTTP_201_CREATED)
def rate(code: Code, data: RatingCreate, session: SessionDep, today: TodayDep) -> RatingReceipt:
    """The enterprise's rating of the visit (no key): a score of 1-5, an optional comment and
    an optional complaint, once per code (a second: 409 该检查已评价), from the visit's day on
    (409 before it), never for a cancelled visit (409). An unknown code gets verify's 404."""
    return rate_visit(session, code, data, today)


def _page_url(request: Request, code: str) -> str:
    settings: Settings = request.app.state.settings
    base = (settings.public_url or str(request.base_url)).rstrip("/")
    return f"{base}/v/{code}"


# an unknown code gets the HTML page; a path the input guard refuses, its problem document
_NOT_FOUND_PAGE: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "未找到该检查码 (an HTML page), or a refused path (a problem)",
        "content": {"text/html": {}, **PROBLEM_RESPONSES["4XX"]["content"]},
    }
}


@page_router.get("/{code}", response_class=HTMLResponse, responses=_NOT_FOUND_PAGE)
def page(code: Code, session: SessionDep, today: TodayDep) -> HTMLResponse:
    """The verification page (HTML, Chinese, for a phone); 404 page for an unknown code."""
    try:
        visit = verify_code(session, code)
    except NotFoundError:
        return HTMLResponse(not_found_page(), status_code=404, headers=SECURITY_HEADERS)
    state = rating_state(session, visit.code, today)
    html = verification_page(visit, f"/v/{visit.code}/qr.svg", state)
    return HTMLResponse(html, headers=PAGE_HEADERS)


@page_router.post(
    "/{code}/rating",
    response_class=HTMLResponse,
    status_code=status.HTTP_303_SEE_OTHER,
    responses={
        409: {"content": {"text/html": {}}, "description": "rated already, cancelled, too early"},
        422: {"content": {"text/html": {}}, "description": "a score or text refused"},
        **_NOT_FOUND_PAGE,
    },
)
def rate_from_page(
    code: Code,
    session: SessionDep,
    today: TodayDep,
    score: Annotated[str, Form(max_length=8)] = "",
    comment: Annotated[str, Form(max_length=2000)] = "",
    complaint: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """The page's rating form, posted without script: stored, then back to the page
    (303), which says 已评价; a refusal redraws the page with the reason next to the form."""
    try:
        visit = verify_code(session, code)
    except NotFoundError:
        return HTMLResponse(not_found_page(), status_code=404, headers=SECURITY_HEADERS)
    problem: str | None = None
    answer = 422  # Unprocessable Content
    try:
        data = RatingCreate.model_validate(
            {"score": score or None, "comment": comment, "complaint": complaint}
        )
        rate_visit(session, visit.code, data, today)
    except ValidationError as refused:
        problem = rating_problem(refused)
    except ConflictError as conflict:
        problem, answer = conflict.detail, status.HTTP_409_CONFLICT
    if problem is None:
        return RedirectResponse(f"/v/{visit.code}", status_code=status.HTTP_303_SEE_OTHER)
    state = rating_state(session, visit.code, today)
    html = verification_page(
        visit, f"/v/{visit.code}/qr.svg", state, problem, (score, comment, complaint)
    )
    return HTMLResponse(html, status_code=answer, headers=PAGE_HEADERS)


@page_router.get(
    "/{code}/qr.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}}},
)
def qr(code: Code, session: SessionDep, request: Request) -> Response:
    """An SVG QR code of the verification page's full address (404 for an unknown code)."""
    visit = verify_code(session, code)
    return Response(
        qr_svg(_page_url(request, visit.code)),
        media_type="image/svg+xml",
        headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
    )
