"""Text that reads other than it is stored is refused: bidirectional overrides and
zero-width characters in names and titles are a 422 naming the field."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support.data import FOOD_SHOP, checklist_body

TRICKS = ["\u202e", "\u200b", "\u2066", "\ufeff", "\u200d"]


@pytest.mark.parametrize("trick", TRICKS, ids=[f"U+{ord(t):04X}" for t in TRICKS])
def test_invisible_characters_in_text_fields_are_refused(
    api_one_unit: TestClient, trick: str
) -> None:
    cases = [
        ("/api/v1/checklists", checklist_body(title=f"食品{trick}检查"), "title"),
        (
            "/api/v1/checklists",
            checklist_body(items=[{"name": f"许可{trick}", "legal_basis": "《食品安全法》"}]),
            "items[0].name",
        ),
        (
            "/api/v1/enterprises",
            {"credit_code": FOOD_SHOP, "name": f"{trick}伟佳饭店", "town": "凤城街道"},
            "name",
        ),
        ("/api/v1/keys", {"role": "auditor", "name": f"张{trick}三"}, "name"),
    ]
    for path, body, field in cases:
        answer = api_one_unit.post(path, json=body)
        assert answer.status_code == 422, (path, answer.text)
        assert answer.json()["field"] == field
    assert api_one_unit.get("/api/v1/checklists").json() == []
