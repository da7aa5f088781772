"""Serve the desk: one HTML page and its static files, from the installed package.

The page holds no data: its scripts call `/api/v1` with the key the user typed,
so the desk and any other client go through the same routes, rules and checks.
No CDN: the machines that run this service have no internet.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["STATIC_DIR", "install_desk"]

STATIC_DIR = Path(str(files("inspection.web").joinpath("static")))

# Scripts and styles come from this origin only and no inline script runs, so an
# enterprise name carrying markup cannot execute; the key lives in sessionStorage.
_SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
        "form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def desk() -> HTMLResponse:
    """The desk's page (public: it holds nothing until a key is entered)."""
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    return HTMLResponse(html, headers=_SECURITY_HEADERS)


class _StaticWithHeaders:
    """Static files with the page's security headers (revalidated, never stale after an upgrade)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(k.lower().encode(), v.encode()) for k, v in _SECURITY_HEADERS.items()]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_desk(app: FastAPI) -> None:
    """Add the desk's page at `/` and its files under `/static`."""
    app.include_router(router)
    app.mount("/static", _StaticWithHeaders(StaticFiles(directory=STATIC_DIR)), name="static")
