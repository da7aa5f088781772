"""Writing a problem as a JSON file that diffs and greps well: one record per line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from inspection.solver.schema import Problem

__all__ = ["problem_json", "write_problem"]

# Keys that only format 1.1 defines: a version 1 problem leaves them out, so its file
# stays byte for byte what it was before 1.1 existed.
_EXCLUDE_1_0: Any = {
    "rules": True,
    "officers": True,
    "enterprises": {"__all__": {"no_disturb"}},
    "requests": {"__all__": {"category"}},
}


def problem_json(problem: Problem) -> str:
    """The problem as UTF-8 JSON text with each unit, enterprise and request on its own line.

    The same holds inside `rules` (each cap on its own line). A version 1 problem
    carries none of the keys format 1.1 adds.
    """
    exclude = None if problem.is_1_1 else _EXCLUDE_1_0
    document = problem.model_dump(mode="json", exclude_none=True, exclude=exclude)
    return _object(document, 0) + "\n"


def write_problem(problem: Problem, path: Path) -> None:
    """Write the problem to `path` (see :func:`problem_json`)."""
    path.write_text(problem_json(problem), encoding="utf-8")


def _is_records(value: object) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], dict)


def _has_records(value: object) -> bool:
    return isinstance(value, dict) and any(
        _is_records(v) or _has_records(v) for v in value.values()
    )


def _object(document: dict[str, Any], depth: int) -> str:
    """An object with one key per line; lists of records get one record per line."""
    pad = " " * (depth + 1)
    parts = []
    for key, value in document.items():
        if _is_records(value):
            records = ",\n".join(pad + " " + _compact(record) for record in value)
            parts.append(f"{pad}{json.dumps(key)}: [\n{records}\n{pad}]")
        elif _has_records(value):
            parts.append(f"{pad}{json.dumps(key)}: {_object(value, depth + 1)}")
        else:
            parts.append(f"{pad}{json.dumps(key)}: {_compact(value)}")
    return "{\n" + ",\n".join(parts) + "\n" + " " * depth + "}"


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
