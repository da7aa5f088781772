"""The OpenAPI document is a contract: a change to it must be deliberate.

After an intended API change, refresh the snapshot with `make openapi-snapshot`
and review the diff of tests/snapshots/openapi.json like any other change.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from inspection.api.app import create_app

SNAPSHOT = Path(__file__).parent / "snapshots" / "openapi.json"


def current_document() -> str:
    """The app's OpenAPI document as the snapshot stores it."""
    return json.dumps(create_app().openapi(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_the_openapi_document_matches_its_snapshot() -> None:
    assert SNAPSHOT.read_text(encoding="utf-8") == current_document(), (
        "the API changed: if that is intended, run `make openapi-snapshot` and commit the diff"
    )


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def test_every_operation_documents_its_problems_and_every_body_has_an_example() -> None:
    document = create_app().openapi()
    schemas = document["components"]["schemas"]
    for path, method, operation in _operations(document):
        problem = operation["responses"].get("4XX")
        assert problem is not None, f"{method} {path} does not document its 4xx"
        assert "application/problem+json" in problem["content"]
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body is not None:
            name = body["schema"]["$ref"].rsplit("/", 1)[-1]
            assert schemas[name].get("examples"), f"{name} ({method} {path}) has no example"
