"""One direction of imports: solver <- db <- services <- api/cli, the core stays pure, and the
services' wings import only the wings below them."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from tests.support.paths import PACKAGE, ROOT

CORE_THIRD_PARTY = {"pydantic", "pydantic_core", "ortools", "chinese_calendar"}
# what each layer may import from the package besides itself
ALLOWED = {
    "solver": set(),
    "db": set(),  # tables, engine, migrations, repository: nothing of the package
    "services": {"inspection.solver", "inspection.db", "inspection.errors"},
    "api": {
        "inspection.services",
        "inspection.db.engine",  # the app factory makes its engine; tables are the services'
        "inspection.errors",
        "inspection.settings",
        "inspection.web",
    },
    "web": set(),  # the desk's page and files: it reaches the data through the API only
}
# the services' wings, lowest first: a wing imports only wings of a lower rank
WING_RANK = {
    "access": 0,
    "trust": 1,
    "ledger": 2,
    "reference": 2,
    "regions": 3,  # beside reference: reads its models (names), the db's region helpers
    "rules": 3,
    "officers": 3,
    "catalogue": 3,
    "checklists": 4,
    "codes": 4,
    "rounds": 5,
    "draws": 5,
    "figures": 5,
    "outcomes": 6,
    "ratings": 5,
    "notices": 5,
    "translation": 6,
    "planning": 7,
    "spreadsheets": 7,
    "demo": 8,
}
SERVICES = PACKAGE / "services"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # `from inspection.services import x` imports the module inspection.services.x
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _wing(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["inspection", "services"] else None


@pytest.mark.parametrize("layer", sorted(ALLOWED))
def test_layers_import_only_downwards(layer: str) -> None:
    allowed = {f"inspection.{layer}", *ALLOWED[layer]}
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in _imports(path):
            if name.startswith("inspection.") and name != "inspection.__version__":
                parent = name.rsplit(".", 1)[0]
                assert any(
                    candidate == a or candidate.startswith(a + ".")
                    for a in allowed
                    for candidate in (name, parent)
                ), f"{path.relative_to(PACKAGE)} imports {name}"


def test_every_wing_has_a_rank() -> None:
    wings = {p.stem for p in SERVICES.glob("*.py") if p.stem != "__init__"}
    wings |= {p.name for p in SERVICES.iterdir() if (p / "__init__.py").is_file()}
    assert wings == set(WING_RANK)


def test_wings_import_only_wings_below_them() -> None:
    for path in sorted(SERVICES.rglob("*.py")):
        relative = path.relative_to(SERVICES)
        own = relative.parts[0].removesuffix(".py")
        if own == "__init__":
            continue
        for name in _imports(path):
            other = _wing(name)
            if other is None or other == own or other not in WING_RANK:
                continue
            assert WING_RANK[other] < WING_RANK[own], (
                f"services/{relative} ({own}, rank {WING_RANK[own]}) imports {name} "
                f"({other}, rank {WING_RANK[other]})"
            )


def test_the_core_imports_only_pydantic_ortools_and_the_calendar() -> None:
    for path in sorted((PACKAGE / "solver").rglob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            if top in ("inspection", "__future__") or top in sys.stdlib_module_names:
                continue
            assert top in CORE_THIRD_PARTY, f"{path.name} imports {name}"


def test_no_test_module_imports_another() -> None:
    """Shared helpers live in tests/support, fixtures in conftest files."""
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for name in _imports(path):
            module = name.split(".")
            assert not (
                module[0] == "tests" and any(part.startswith("test_") for part in module)
            ), f"{path.relative_to(ROOT)} imports {name}"


def test_only_the_queue_module_imports_procrastinate() -> None:
    """The job queue stays behind `PlanJobs`: one module knows procrastinate."""
    importers = {
        path.relative_to(PACKAGE).as_posix()
        for path in sorted(PACKAGE.rglob("*.py"))
        if any(name.split(".")[0] == "procrastinate" for name in _imports(path))
    }
    assert importers == {"services/planning/queue.py"}
