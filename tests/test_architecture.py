"""One direction of imports: solver <- db <- services <- api/cli, and the core stays pure."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "inspection"
CORE_THIRD_PARTY = {"pydantic", "pydantic_core", "ortools", "chinese_calendar"}
# what each layer may import from the package besides itself
ALLOWED = {
    "solver": set(),
    "db": {"inspection.solver"},
    "services": {"inspection.solver", "inspection.db", "inspection.errors"},
    "api": {
        "inspection.services",
        "inspection.db",
        "inspection.errors",
        "inspection.settings",
        "inspection.web",
    },
    "web": set(),  # the desk's page and files: it reaches the data through the API only
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layers_import_only_downwards(layer: str) -> None:
    allowed = {f"inspection.{layer}", *ALLOWED[layer]}
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in _imports(path):
            if name.startswith("inspection"):
                assert name == "inspection" or any(
                    name == a or name.startswith(a + ".") for a in allowed
                ), f"{path.relative_to(PACKAGE)} imports {name}"


def test_the_core_imports_only_pydantic_ortools_and_the_calendar() -> None:
    for path in sorted((PACKAGE / "solver").rglob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            if top in ("inspection", "__future__") or top in sys.stdlib_module_names:
                continue
            assert top in CORE_THIRD_PARTY, f"{path.name} imports {name}"
