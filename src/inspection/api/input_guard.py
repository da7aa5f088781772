"""One guard for every string a request carries: no control characters reach the app.

PostgreSQL cannot store or even compare text holding U+0000 (its driver raises, a 500),
and no name, id, code or search term of this service has a use for control characters.
The guard looks at the request before any route runs:

- the path (decoded): a control character is a 404, no resource has such a name;
- every query parameter's name and value: 422 naming the parameter;
- the headers the service reads (`Authorization`, `Idempotency-Key`, `If-Match`,
  `Content-Type`): 422 naming the header;
- a JSON body: every string, object key included, may hold no control character but
  tab, line feed and carriage return (the fields' own rules are stricter where they
  need to be): 422 naming the field (``items[0].name``);
- a multipart body (a file upload): its part headers (the file's name).

It is fast in the common case: one compiled regular expression over the raw text, and
a JSON body is parsed only when its bytes hold an escape that could be a control
character (``\\u0000``, ``\\b``, ...).
"""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inspection.api.middleware import problem_reply

__all__ = ["InputGuardMiddleware", "first_control_character"]

# C0, DEL and C1: Unicode's category Cc
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
# in text fields tab, line feed and carriage return are the fields' own business
_BODY_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# a JSON escape that may decode to one of them (or a false alarm, "\\u0000" written out)
_SUSPECT_ESCAPE = re.compile(rb"\\(?:u00[01]|u007f|u00[89]|[bf])", re.IGNORECASE)
_RAW_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_PART_HEADER = re.compile(
    rb"^content-disposition:[^\r\n]*[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", re.IGNORECASE | re.MULTILINE
)
_GUARDED_HEADERS = {
    b"authorization": "Authorization",
    b"idempotency-key": "Idempotency-Key",
    b"if-match": "If-Match",
    b"content-type": "Content-Type",
}
_MESSAGE = "不能包含控制字符（如 U+0000）"


def first_control_character(value: Any, path: str = "") -> str | None:
    """The path (``items[0].name``) of the first string in a JSON value holding a control
    character other than tab, line feed and carriage return; None when there is none."""
    if isinstance(value, str):
        return path if _BODY_CONTROL.search(value) else None
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = first_control_character(item, f"{path}[{index}]")
            if found is not None:
                return found
    elif isinstance(value, dict):
        for key, item in value.items():
            field = f"{path}.{key}" if path else str(key)
            if _BODY_CONTROL.search(key):
                return field
            found = first_control_character(item, field)
            if found is not None:
                return found
    return None


def _refusal(scope: Scope, body: bytes) -> tuple[int, str] | None:
    """(status, field) of the first control character in the request, or None."""
    if _CONTROL.search(scope["path"]):
        return 404, "path"
    query = scope.get("query_string", b"").decode("latin-1")
    if query:
        for name, value in parse_qsl(query, keep_blank_values=True):
            if _CONTROL.search(name) or _CONTROL.search(value):
                return 422, name if not _CONTROL.search(name) else "query"
    kind = b""
    for key, value in scope.get("headers", []):
        name = _GUARDED_HEADERS.get(bytes(key).lower())
        if name is not None and _RAW_CONTROL.search(value.replace(b"\t", b"")):
            return 422, name
        if bytes(key).lower() == b"content-type":
            kind = bytes(value).lower()
    if not body:
        return None
    if kind.startswith(b"multipart/"):
        return (422, "file") if _PART_HEADER.search(body) else None
    if _SUSPECT_ESCAPE.search(body) is None:
        return None
    try:
        document = json.loads(body)
    except (ValueError, RecursionError):
        return None  # not JSON: the app's parser answers it
    try:
        found = first_control_character(document)
    except RecursionError:  # nested deeper than a walk can go: no field of ours is
        return 422, "body"
    return None if found is None else (422, found or "body")


class InputGuardMiddleware:
    """Refuse a request carrying a control character anywhere the service reads text."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # the body limit outside has read the whole body already: one message
        first = await receive()
        body = first.get("body", b"") if first["type"] == "http.request" else b""
        refusal = _refusal(scope, body)
        if refusal is not None:
            status, field = refusal
            code = "not_found" if status == 404 else "invalid_input"
            detail = "资源不存在：路径" + _MESSAGE if status == 404 else f"{field}: {_MESSAGE}"
            await problem_reply(send, status, code, detail, field)
            return
        delivered = False

        async def replay_receive() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return first
            return await receive()

        await self.app(scope, replay_receive, send)
