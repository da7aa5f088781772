"""Writing a problem as a JSON file that diffs and greps well: one record per line."""

from __future__ import annotations

import json
from pathlib import Path

from inspection.solver.schema import Problem

__all__ = ["problem_json", "write_problem"]


def problem_json(problem: Problem) -> str:
    """The problem as UTF-8 JSON text with each unit, enterprise and request on its own line."""
    document = problem.model_dump(mode="json", exclude_none=True)
    parts = []
    for key, value in document.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            records = ",\n".join("  " + _compact(record) for record in value)
            parts.append(f" {json.dumps(key)}: [\n{records}\n ]")
        else:
            parts.append(f" {json.dumps(key)}: {_compact(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def write_problem(problem: Problem, path: Path) -> None:
    """Write the problem to `path` (see :func:`problem_json`)."""
    path.write_text(problem_json(problem), encoding="utf-8")


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
