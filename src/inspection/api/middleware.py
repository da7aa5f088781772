"""ASGI middleware: a cap on body size (413), and safe retries with `Idempotency-Key`.

A POST carrying `Idempotency-Key` is answered once: its first answer (any
status below 500) is stored with a hash of the request, and a retry with the
same key and the same request gets that answer again, marked
`Idempotent-Replayed: true`, without running anything twice. The same key with
a different request is a 422; a retry while the first is still running (or
whose first run died before answering) is a 409. Keys are scoped to the
caller's `Authorization` header, so two callers cannot collide.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inspection.services.spreadsheets.io import size_text
from inspection.services.trust.idempotency import (
    StoredAnswer,
    claim_key,
    forget_key,
    keep_answer,
)

__all__ = ["BodyLimitMiddleware", "IdempotencyMiddleware"]

_KEPT_HEADERS = ("content-type", "location", "etag")


async def _problem(send: Send, status: int, code: str, detail: str, field: str) -> None:
    body = json.dumps(
        {
            "type": f"urn:inspect-once:{code}",
            "title": code,
            "status": status,
            "detail": detail,
            "field": field,
        },
        ensure_ascii=False,
    ).encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/problem+json"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


class BodyLimitMiddleware:
    """Refuse bodies over their limit with 413, by declared length or as they stream in.

    A file upload (``multipart/form-data``) may be as large as the upload limit allows;
    any other body as large as `max_bytes`.
    """

    def __init__(self, app: ASGIApp, max_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        kind = (_header(scope, b"content-type") or "").lower()
        limit = self.max_upload_bytes if kind.startswith("multipart/") else self.max_bytes
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _problem(send, 413, "too_large", _too_large(limit), "body")
            return
        received = 0
        too_large = False

        async def limited_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    too_large = True
                    # the app sees the body end here and fails to parse it; its answer is
                    # replaced by the 413 below
                    return {"type": "http.request", "body": b"", "more_body": False}
            return message

        async def guarded_send(message: Message) -> None:
            if not too_large:
                await send(message)
            elif message["type"] == "http.response.start":
                await _problem(send, 413, "too_large", _too_large(limit), "body")

        await self.app(scope, limited_receive, guarded_send)


def _too_large(limit: int) -> str:
    return f"请求体超过 {size_text(limit)} 上限"


class IdempotencyMiddleware:
    """Store the first answer to a keyed POST and replay it on a retry."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _header(scope, b"idempotency-key") if scope["type"] == "http" else None
        if key is None or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        if not 1 <= len(key) <= 200:
            await _problem(
                send, 422, "invalid_input", "Idempotency-Key 应为 1–200 个字符", "Idempotency-Key"
            )
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        engine: Engine = scope["app"].state.engine
        principal = hashlib.sha256((_header(scope, b"authorization") or "").encode()).hexdigest()
        target = f"POST {scope['path']}?{scope.get('query_string', b'').decode('latin-1')}"
        digest = hashlib.sha256(target.encode() + b"\n" + body).hexdigest()
        stored = claim_key(engine, principal, key, target, digest)
        if stored is not None:
            await self._replay(stored, digest, send)
            return
        await self._first(scope, body, send, engine, principal, key)

    async def _replay(self, stored: StoredAnswer, digest: str, send: Send) -> None:
        if stored.request_sha256 != digest:
            await _problem(
                send,
                422,
                "invalid_input",
                "此 Idempotency-Key 已用于另一个不同的请求",
                "Idempotency-Key",
            )
            return
        if stored.status_code is None or stored.body is None:
            await _problem(
                send,
                409,
                "conflict",
                "使用此 Idempotency-Key 的请求正在处理，或结果未知；请稍后查询",
                "Idempotency-Key",
            )
            return
        headers = [(k.encode(), v.encode()) for k, v in stored.headers.items()]
        headers += [
            (b"content-length", str(len(stored.body)).encode()),
            (b"idempotent-replayed", b"true"),
        ]
        await send(
            {"type": "http.response.start", "status": stored.status_code, "headers": headers}
        )
        await send({"type": "http.response.body", "body": stored.body})

    async def _first(
        self, scope: Scope, body: bytes, send: Send, engine: Engine, principal: str, key: str
    ) -> None:
        sent = False

        async def replay_receive() -> Message:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        answer: dict[str, Any] = {"status": 500, "headers": {}, "body": b""}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["headers"] = {
                    bytes(k).decode("latin-1").lower(): bytes(v).decode("latin-1")
                    for k, v in message.get("headers", [])
                    if bytes(k).decode("latin-1").lower() in _KEPT_HEADERS
                }
            elif message["type"] == "http.response.body":
                answer["body"] += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, replay_receive, capture)
        finally:
            if answer["status"] >= 500:  # nothing was decided: a retry may run again
                forget_key(engine, principal, key)
            else:
                keep_answer(
                    engine, principal, key, answer["status"], answer["body"], answer["headers"]
                )
