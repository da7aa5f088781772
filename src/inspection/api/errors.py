"""Every 4xx as problem+json (RFC 9457), with the path of the offending field."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from inspection.errors import InspectionError

__all__ = ["PROBLEM_JSON", "PROBLEM_RESPONSES", "Problem", "install_error_handlers"]

PROBLEM_JSON = "application/problem+json"


class Problem(BaseModel):
    """Every 4xx answer (RFC 9457), in Chinese, naming the offending field."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "type": "urn:inspect-once:invalid_input",
                    "title": "invalid_input",
                    "status": 422,
                    "detail": "targets[1]: 统一社会信用代码无效：校验位不符",
                    "field": "targets[1]",
                    "errors": [
                        {"field": "targets[1]", "problem": "统一社会信用代码无效：校验位不符"}
                    ],
                }
            ]
        }
    )

    type: str
    title: str
    status: int
    detail: str
    field: str | None = None
    errors: list[dict[str, Any]] | None = Field(
        default=None,
        description="every problem found: {field, problem}, or {row, column, problem} for a file",
    )


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    "4XX": {
        "description": "a problem (RFC 9457): what is wrong and which field",
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }
}


def _path(location: tuple[Any, ...]) -> str:
    parts = [p for p in location if p not in ("body", "query", "path")]
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _problem_of(error: Any) -> str:
    """A validation error's sentence: a model's own (Chinese) message without pydantic's
    "Value error, " in front of it; pydantic's message otherwise."""
    context = error.get("ctx") or {}
    if error.get("type") == "value_error" and "error" in context:
        return str(context["error"])
    return str(error["msg"])


def _problem(status: int, code: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": f"urn:inspect-once:{code}", "title": code, "status": status, "detail": detail}
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def install_error_handlers(app: FastAPI) -> None:
    """Map the service's error hierarchy and request validation to problem+json."""

    async def service_error(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, InspectionError)
        response = _problem(
            error.status, error.code, error.detail, field=error.field, **error.extensions()
        )
        if error.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="inspect-once"'
        return response

    async def invalid_request(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        errors = [
            {"field": _path(tuple(e["loc"])), "problem": _problem_of(e)} for e in error.errors()
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
