"""The public inspection code routes: the page an enterprise opens, its QR code, and JSON.

No key: the code itself is the credential, and the answer holds only the visit
it names. Every route takes a token of the caller's address
(:mod:`inspection.api.rate_limit`), so guessing codes is slow as well as hopeless.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import HTMLResponse, Response

from inspection.api.deps import SessionDep
from inspection.api.errors import PROBLEM_RESPONSES
from inspection.api.rate_limit import public_rate_limit
from inspection.api.verify_page import SECURITY_HEADERS, not_found_page, verification_page
from inspection.errors import NotFoundError
from inspection.services.codes.qr import qr_svg
from inspection.services.codes.verify import Verification, verify_code
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
def page(code: Code, session: SessionDep) -> HTMLResponse:
    """The verification page (HTML, Chinese, for a phone); 404 page for an unknown code."""
    try:
        visit = verify_code(session, code)
    except NotFoundError:
        return HTMLResponse(not_found_page(), status_code=404, headers=SECURITY_HEADERS)
    html = verification_page(visit, f"/v/{visit.code}/qr.svg")
    return HTMLResponse(html, headers=SECURITY_HEADERS)


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
