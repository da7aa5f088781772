"""The package as `pip install` leaves it: a wheel built from the source, installed into a
folder of its own, runs `inspection demo` from a folder that is not the checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import ROOT

_RUN_CLI = "import sys; from inspection.cli import main; sys.argv[0] = 'inspection'; main()"


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder `pip install --target` put the package built from this checkout in."""
    work = tmp_path_factory.mktemp("installed")
    source = work / "source"  # a copy, so that the build leaves nothing in the checkout
    shutil.copytree(
        ROOT / "src",
        source / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    target = work / "site"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target"]
    done = _run([*pip, str(target), str(source)], work, dict(os.environ))
    assert done.returncode == 0, done.stdout + done.stderr
    return target


def _env(target: Path) -> dict[str, str]:
    # the installed copy first; its dependencies from this virtualenv
    env = {k: v for k, v in os.environ.items() if not k.startswith("INSPECTION_")}
    env["PYTHONPATH"] = str(target)
    return env


def test_the_installed_package_is_the_one_run(installed: Path, tmp_path: Path) -> None:
    shown = _run(
        [sys.executable, "-c", "import inspection; print(inspection.__file__)"],
        tmp_path,
        _env(installed),
    )
    assert shown.returncode == 0, shown.stderr
    assert Path(shown.stdout.strip()).is_relative_to(installed)


def test_the_installed_demo_runs_from_any_folder(installed: Path, tmp_path: Path) -> None:
    assert not (tmp_path / "sample_checklists").exists()
    args = ["demo", "--data-dir", "demo-data", "--time-limit", "2"]
    done = _run([sys.executable, "-c", _RUN_CLI, *args], tmp_path, _env(installed))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "109 份检查清单" in done.stdout
    assert "减少入企次数" in done.stdout
    assert (tmp_path / "demo-data" / "inspection.db").is_file()
