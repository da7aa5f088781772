"""Shared test data for the service: two real-looking Qingcheng enterprises and a checklist body."""

from __future__ import annotations

from typing import Any

from inspection.services.access import Actor, Role
from inspection.settings import Settings

__all__ = ["ACTOR", "FACTORY", "FOOD_SHOP", "UPLOAD_LIMIT", "checklist_body", "head_of"]

# valid unified social credit codes (python-stdnum accepts them), from the generator
FOOD_SHOP = "92441802MAM4JPET9M"
FACTORY = "91441802469544064E"


def checklist_body(**changes: Any) -> dict[str, Any]:
    """A valid checklist submission of 区市场监督管理局 for both enterprises, changed as given."""
    body: dict[str, Any] = {
        "unit_id": "SCJG",
        "title": "食品安全日常检查",
        "inspection_type": "routine",
        "items": [{"name": "食品经营许可情况", "legal_basis": "《食品安全法》第三十五条"}],
        "targets": [FOOD_SHOP, FACTORY],
        "earliest": "2024-06-03",
        "latest": "2024-06-07",
    }
    body.update(changes)
    return body


# who the service-level tests act as (the audit trail names them); coordinators act for any unit
ACTOR = Actor(name="tests", role=Role.COORDINATOR)


def head_of(unit_id: str) -> Actor:
    """The head of a unit (单位负责人), who approves its checklists: what they submit is
    approved at once."""
    return Actor(name=f"tests-{unit_id}-head", role=Role.UNIT, unit_id=unit_id, unit_head=True)


# the service's one upload limit, as the default settings set it
UPLOAD_LIMIT = Settings().max_upload_bytes
