"""The OpenAPI document: FastAPI's, plus the problem+json shape every 4xx answers with."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from inspection.api.errors import Problem

__all__ = ["DESCRIPTION", "install_openapi"]

DESCRIPTION = """\
综合查一次：执法单位提交检查清单，协调人排期、审核并发布联合检查，督察人员统计减少的入户检查次数。

Units submit checklists (JSON or Excel/CSV), coordinators plan a horizon (the
solve runs in a worker process), review and publish it, auditors read the
visits saved. Every 4xx is `application/problem+json` naming the field.
"""


def install_openapi(app: FastAPI) -> None:
    """Make `app.openapi()` include the `Problem` schema the 4xx answers refer to."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            schemas["Problem"] = Problem.model_json_schema()
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
