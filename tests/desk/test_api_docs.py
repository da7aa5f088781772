"""The OpenAPI pages in Chromium on a closed network: `/docs` and `/redoc` need no internet.

Every request to another host than the server's is aborted, as on the machines that run
this service; the pages must still draw their list of operations from the package's files.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Route, expect

from tests.support.desk import DeskServer, open_desk


@pytest.mark.parametrize(
    ("path", "operation"),
    [
        # Swagger UI: one `.opblock` per operation
        ("/docs", ".opblock"),
        # ReDoc: one menu entry per operation, `operation/<operationId>`
        ("/redoc", "li[data-item-id^='tag/']"),
    ],
)
def test_the_api_pages_render_their_operations_with_the_network_blocked(
    browser: Browser, desk_server: DeskServer, path: str, operation: str
) -> None:
    page, errors = open_desk(browser)
    served = urlsplit(desk_server.base).netloc
    aborted: list[tuple[str, str]] = []

    def only_the_server(route: Route) -> None:
        if urlsplit(route.request.url).netloc == served:
            route.continue_()
        else:
            aborted.append((route.request.resource_type, route.request.url))
            route.abort("internetdisconnected")

    page.context.route("**/*", only_the_server)
    page.goto(f"{desk_server.base}{path}")
    expect(page.locator(operation).first).to_be_visible(timeout=15_000)
    assert page.locator(operation).count() > 10
    # ReDoc's bundle links its maker's logo (an <img> in the menu's footer) from its CDN:
    # a missing picture, nothing the page needs; every script, style and font is local
    needed = [(kind, url) for kind, url in aborted if kind != "image"]
    assert needed == [], f"{path} needs other hosts: {needed}"
    pictures = tuple(f"({url})" for kind, url in aborted if kind == "image")
    assert [e for e in errors.found if not e.endswith(pictures)] == []
    page.context.close()
