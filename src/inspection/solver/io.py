"""Reading and writing interchange files, with one-line errors instead of tracebacks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from inspection.solver.errors import InvalidProblemError
from inspection.solver.schema import PROBLEM_FORMATS, SOLUTION_FORMATS, Problem, Solution

__all__ = ["dump_solution", "load_problem", "load_solution", "parse_problem", "parse_solution"]

_Model = TypeVar("_Model", bound=BaseModel)


def _json_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path


def _describe(error: Any, formats: tuple[str, ...]) -> tuple[str, str]:
    """Turn one pydantic error into (json path, sentence)."""
    expected_format = " or ".join(repr(name) for name in formats)
    ctx = error.get("ctx") or {}
    path = str(ctx.get("path") or _json_path(tuple(error["loc"])))
    kind = error["type"]
    value = error.get("input")
    if path == "format" or path.endswith(".format"):
        if kind == "missing":
            return path, f"missing format (expected {expected_format})"
        return path, f"unknown format {value!r} (expected {expected_format})"
    if kind == "missing":
        return path, "is required but missing"
    message = str(error["msg"])
    if kind in ("tuple_type", "list_type"):  # the models' tuples are JSON lists
        return path, f"{value!r} is not a list"
    if kind.startswith(("date", "datetime")):
        return path, f"{value!r} is not a date of the form YYYY-MM-DD"
    if kind in ("greater_than_equal", "greater_than"):
        return path, f"{value!r}: {message[0].lower()}{message[1:]}"
    return path, message


def _parse(
    model: type[_Model], text: str | bytes, source: str | None, fmt: tuple[str, ...]
) -> _Model:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidProblemError(
            f"line {exc.lineno} column {exc.colno}", f"malformed JSON: {exc.msg}", source
        ) from None
    except UnicodeDecodeError as exc:
        raise InvalidProblemError("", f"not UTF-8 text: {exc.reason}", source) from None
    if not isinstance(raw, dict):
        raise InvalidProblemError("", f"expected a JSON object, found {type(raw).__name__}", source)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        path, problem = _describe(exc.errors()[0], fmt)
        more = exc.error_count() - 1
        if more:
            problem += f" (and {more} more error{'s' if more > 1 else ''})"
        raise InvalidProblemError(path, problem, source) from None


def parse_problem(text: str | bytes, source: str | None = None) -> Problem:
    """Parse and validate a problem document.

    Args:
        text: The JSON document.
        source: Where it came from, named in errors.

    Raises:
        InvalidProblemError: With the JSON path and the problem in one line.
    """
    return _parse(Problem, text, source, PROBLEM_FORMATS)


def parse_solution(text: str | bytes, source: str | None = None) -> Solution:
    """Parse and validate a solution document (see :func:`parse_problem`)."""
    return _parse(Solution, text, source, SOLUTION_FORMATS)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidProblemError("", f"cannot read file: {exc.strerror}", str(path)) from None


def load_problem(path: Path) -> Problem:
    """Read and validate a problem file; errors name the file."""
    return parse_problem(_read(path), str(path))


def load_solution(path: Path) -> Solution:
    """Read and validate a solution file; errors name the file."""
    return parse_solution(_read(path), str(path))


def dump_solution(solution: Solution, path: Path) -> None:
    """Write a solution as indented UTF-8 JSON, leaving out fields that are unset."""
    path.write_text(solution.model_dump_json(indent=1, exclude_none=True) + "\n", encoding="utf-8")
