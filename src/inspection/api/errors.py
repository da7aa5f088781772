"""Every error as problem+json (RFC 9457), with the path of the offending field.

The service's own errors, request validation, the framework's own refusals (a body
that cannot be parsed at all, an unknown route, a method a route does not take) and
an unhandled exception (a 500, logged with its traceback) alike.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

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

    async def framework_refusal(_request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        code, detail, field = _FRAMEWORK.get(
            error.status_code, ("bad_request", f"请求无法处理（HTTP {error.status_code}）", None)
        )
        response = _problem(error.status_code, code, detail, field=field)
        for name, value in (error.headers or {}).items():
            response.headers[name] = value
        return response

    async def server_error(_request: Request, _error: Exception) -> JSONResponse:
        # Starlette logs the traceback and re-raises after this answer is sent
        return _problem(500, "internal_error", "服务器内部错误，请稍后重试；如仍出现请联系管理员")

    app.add_exception_handler(InspectionError, service_error)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(StarletteHTTPException, framework_refusal)
    app.add_exception_handler(Exception, server_error)


# the framework's own refusals: 400 is FastAPI's for a body it cannot parse at all (invalid
# UTF-8, nesting too deep, an integer of thousands of digits); JSON with a syntax error is a 422
_FRAMEWORK: dict[int, tuple[str, str, str | None]] = {
    400: ("bad_request", "请求体无法解析：不是有效的 UTF-8 JSON，或嵌套过深、数字过长", "body"),
    404: ("not_found", "没有这个地址", "path"),
    405: ("method_not_allowed", "此地址不支持该请求方法", "method"),
}
