"""ASGI middleware: a cap on body size (413), and safe retries with `Idempotency-Key`.

A POST carrying `Idempotency-Key` is answered once: its first answer (any
status below 500) is stored with a hash of the request, and a retry with the
same key and the same request gets that answer again, marked
`Idempotent-Replayed: true`, without running anything twice. The same key with
a different request is a 422; a retry while the first is still running (or
whose first run died before answering) is a 409. Keys are scoped to the
caller's API key (its id), so two callers cannot collide; a caller without a
valid key gets no idempotency at all (the app answers it 401). Routes whose
answer carries a secret refuse `Idempotency-Key` themselves
(:data:`inspection.api.deps.NoIdempotencyKey`), so no secret is ever stored.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

import anyio
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inspection.services.access import Role
from inspection.services.spreadsheets.io import size_text
from inspection.services.trust import keys
from inspection.services.trust.idempotency import (
    StoredAnswer,
    claim_key,
    forget_key,
    keep_answer,
)
from inspection.settings import Settings

__all__ = ["BodyLimitMiddleware", "IdempotencyMiddleware", "bearer_key", "problem_reply"]

_KEPT_HEADERS = ("content-type", "location", "etag")


async def problem_reply(send: Send, status: int, code: str, detail: str, field: str) -> None:
    """Answer with a problem+json document, before (or instead of) the app."""
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
    """Read the whole body, up to its limit, before the app sees any of it; 413 above it.

    A file upload (``multipart/form-data``) may be as large as the upload limit allows;
    any other body as large as `max_bytes`. The 413 is answered before any handler
    (or the idempotency layer) runs: a body refused is never acted upon, in part or whole.
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
            await problem_reply(send, 413, "too_large", _too_large(limit), "body")
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client left before sending it all
                return
            body += message.get("body", b"")
            if len(body) > limit:
                await problem_reply(send, 413, "too_large", _too_large(limit), "body")
                return
            more = message.get("more_body", False)
        whole: Message = {"type": "http.request", "body": bytes(body), "more_body": False}
        delivered = False

        async def replay_receive() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return whole
            return await receive()  # what follows the body: a disconnect, for a stream

        await self.app(scope, replay_receive, send)


def _too_large(limit: int) -> str:
    return f"请求体超过 {size_text(limit)} 上限"


def bearer_key(scope: Scope) -> str | None:
    """The key of `Authorization: Bearer <key>`, the scheme in any case (as HTTPBearer reads it)."""
    value = _header(scope, b"authorization")
    if not value:
        return None
    scheme, _, credentials = value.partition(" ")
    if scheme.lower() != "bearer" or not credentials:
        return None
    return credentials


def _principal(engine: Engine, scope: Scope) -> str | None:
    """Whose request this is: the id of a live API key, or None (no key, or not a valid one)."""
    key = bearer_key(scope)
    if key is None:
        return None
    with Session(engine) as session:
        actor = keys.authenticate(session, key)
    if actor is None or actor.role == Role.FEED or actor.key_id is None:
        return None
    return f"key-{actor.key_id}"


class IdempotencyMiddleware:
    """Store the first answer to a keyed POST and replay it on a retry, for a valid key only.

    The caller is authenticated first: a request without a valid API key (none, unknown,
    revoked) runs as if it had no `Idempotency-Key`, so the app answers it 401; nothing is
    stored for it and nothing stored is replayed to it. A 401 or 5xx answer is not kept.
    Records are scoped to the key's id, whatever the spelling of its `Authorization` header.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = _header(scope, b"idempotency-key") if scope["type"] == "http" else None
        if key is None or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        engine: Engine = scope["app"].state.engine
        # the database on worker threads, as every route's: a blocking read or write on the
        # event loop would hold up every other request of the process meanwhile
        principal = await run_in_threadpool(_principal, engine, scope)
        if principal is None:  # refused by the app's authentication, never stored
            await self.app(scope, receive, send)
            return
        if not 1 <= len(key) <= 200:
            await problem_reply(
                send, 422, "invalid_input", "Idempotency-Key 应为 1–200 个字符", "Idempotency-Key"
            )
            return
        body, more = b"", True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        settings: Settings = scope["app"].state.settings
        ttl = timedelta(hours=settings.idempotency_ttl_hours)
        target = f"POST {scope['path']}?{scope.get('query_string', b'').decode('latin-1')}"
        digest = hashlib.sha256(target.encode() + b"\n" + body).hexdigest()
        stored = await run_in_threadpool(claim_key, engine, principal, key, target, digest, ttl)
        if stored is not None:
            await self._replay(stored, digest, send)
            return
        await self._first(scope, body, send, engine, principal, key)

    async def _replay(self, stored: StoredAnswer, digest: str, send: Send) -> None:
        if stored.request_sha256 != digest:
            await problem_reply(
                send,
                422,
                "invalid_input",
                "此 Idempotency-Key 已用于另一个不同的请求",
                "Idempotency-Key",
            )
            return
        if stored.status_code is None or stored.body is None:
            await problem_reply(
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
            # a 5xx decided nothing (a retry may run again); a 401 is a key revoked while
            # the request ran: refused, so nothing of it is kept
            # shielded: a request cancelled (a shutdown past its grace) still settles its key
            with anyio.CancelScope(shield=True):
                if answer["status"] >= 500 or answer["status"] == 401:
                    await run_in_threadpool(forget_key, engine, principal, key)
                else:
                    await run_in_threadpool(
                        keep_answer,
                        engine,
                        principal,
                        key,
                        answer["status"],
                        answer["body"],
                        answer["headers"],
                    )
