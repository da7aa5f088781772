"""Every 4xx as problem+json (RFC 9457), with the path of the offending field."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from inspection.errors import InspectionError

__all__ = ["PROBLEM_JSON", "install_error_handlers"]

PROBLEM_JSON = "application/problem+json"


def _path(location: tuple[Any, ...]) -> str:
    parts = [p for p in location if p not in ("body", "query", "path")]
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _problem(status: int, code: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": f"urn:inspect-once:{code}", "title": code, "status": status, "detail": detail}
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def install_error_handlers(app: FastAPI) -> None:
    """Map the service's error hierarchy and request validation to problem+json."""

    async def service_error(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, InspectionError)
        return _problem(
            error.status, error.code, error.detail, field=error.field, **error.extensions()
        )

    async def invalid_request(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        errors = [
            {"field": _path(tuple(e["loc"])), "problem": str(e["msg"])} for e in error.errors()
        ]
        first = errors[0] if errors else {"field": "", "problem": "invalid request"}
        return _problem(
            422,
            "invalid_input",
            f"{first['field']}: {first['problem']}" if first["field"] else first["problem"],
            field=first["field"] or None,
            errors=errors,
        )

    app.add_exception_handler(InspectionError, service_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
