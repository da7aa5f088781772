"""docs/deployment.md and docs/deploy/: the units pass `systemd-analyze verify`, the compose
file is what the page says (this machine has no compose plugin and no docker daemon, so it is
read as YAML, not run), and every `inspection …` command they run exists with its options."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from inspection.cli import app
from inspection.settings import Settings
from tests.support.live_server import BIN
from tests.support.paths import ROOT

DEPLOY = ROOT / "docs" / "deploy"
PAGE = ROOT / "docs" / "deployment.md"
UNITS = {  # file: the instance verified (a template is verified as one of its instances)
    "inspection-upgrade.service": "inspection-upgrade.service",
    "inspection-api@.service": "inspection-api@8000.service",
    "inspection-worker@.service": "inspection-worker@1.service",
}
_INSTALLED = "/srv/inspection/.venv/bin/inspection"
runner = CliRunner()


def _compose() -> dict[str, object]:
    loaded = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _service(name: str) -> dict[str, object]:
    services = _compose()["services"]
    assert isinstance(services, dict)
    service = services[name]
    assert isinstance(service, dict)
    return service


def _documented_commands() -> list[list[str]]:
    """Every `inspection …` command line of the page's code blocks, the units' ExecStart
    and the compose services' commands, as argument lists (without `inspection`)."""
    commands: list[list[str]] = []
    page = PAGE.read_text(encoding="utf-8")
    for block in re.findall(r"```sh\n(.*?)```", page, re.DOTALL):
        for line in block.splitlines():
            words = line.split("#", 1)[0].split()
            if words[:1] == ["inspection"]:
                commands.append(words[1:])
    for unit in UNITS:
        for line in (DEPLOY / unit).read_text(encoding="utf-8").splitlines():
            if line.startswith("ExecStart="):
                words = line.removeprefix("ExecStart=").split()
                assert words[0] == _INSTALLED, line
                commands.append(words[1:])
    services = _compose()["services"]
    assert isinstance(services, dict)
    for service in services.values():
        command = service.get("command")
        if isinstance(command, list) and command[:1] == ["inspection"]:
            commands.append([str(word) for word in command[1:]])
    return commands


def _command_path(words: list[str]) -> list[str]:
    """The subcommand words before the first option: `db upgrade`, `serve`, `keys create`."""
    path = []
    for word in words:
        if word.startswith("-"):
            break
        path.append(word)
    return path


COMMANDS = _documented_commands()


def test_the_page_and_the_files_name_the_commands_of_a_deployment() -> None:
    paths = {" ".join(_command_path(c)) for c in COMMANDS}
    assert {"db upgrade", "serve", "worker", "keys create"} <= paths
    serves = [c for c in COMMANDS if _command_path(c) == ["serve"]]
    assert all("--processes" in c for c in serves), serves


@pytest.mark.parametrize("command", sorted({" ".join(_command_path(c)) for c in COMMANDS}), ids=str)
def test_each_documented_command_exists_with_its_options(command: str) -> None:
    path = command.split()
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    used = {
        word.split("=", 1)[0]
        for c in COMMANDS
        if _command_path(c) == path
        for word in c
        if word.startswith("--")
    }
    for option in sorted(used):
        assert option in result.output, f"inspection {command} has no {option}"


def test_the_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    systemd_analyze = shutil.which("systemd-analyze")
    assert systemd_analyze is not None, "systemd-analyze is needed (apt-get install systemd)"
    verified = []
    for source, instance in UNITS.items():
        text = (DEPLOY / source).read_text(encoding="utf-8")
        # the command at this test's virtualenv, the environment file optional: what verify
        # checks is that the command runs and every key and value is understood
        text = text.replace(_INSTALLED, str(BIN / "inspection"))
        text = text.replace("EnvironmentFile=/", "EnvironmentFile=-/")
        (tmp_path / instance).write_text(text, encoding="utf-8")
        verified.append(str(tmp_path / instance))
    done = subprocess.run(
        [systemd_analyze, "verify", "--man=no", *verified],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stderr.strip() == "", done.stderr  # unknown keys are only warnings: none


def test_the_units_run_the_upgrade_first_and_stop_gracefully() -> None:
    found = re.search(
        r"^INSPECTION_SHUTDOWN_GRACE_S=(\S+)$",
        (DEPLOY / "inspection.env").read_text(encoding="utf-8"),
        re.MULTILINE,
    )
    assert found is not None
    grace = float(found.group(1))
    for unit in ("inspection-api@.service", "inspection-worker@.service"):
        text = (DEPLOY / unit).read_text(encoding="utf-8")
        assert re.search(r"^After=.*inspection-upgrade\.service", text, re.MULTILINE), unit
        assert "KillMode=mixed" in text, unit  # SIGTERM to the main process, not its children
        stop = re.search(r"^TimeoutStopSec=(\d+)$", text, re.MULTILINE)
        assert stop is not None, unit
        assert float(stop.group(1)) > grace, unit
    upgrade = (DEPLOY / "inspection-upgrade.service").read_text(encoding="utf-8")
    assert "Type=oneshot" in upgrade


def test_the_compose_file_runs_the_upgrade_once_then_the_api_and_the_workers() -> None:
    compose = _compose()
    services = compose["services"]
    assert isinstance(services, dict)
    assert set(services) == {"db", "upgrade", "api", "worker"}
    assert _service("upgrade")["command"] == ["inspection", "db", "upgrade"]
    assert _service("upgrade")["restart"] == "no"
    for name in ("api", "worker"):
        depends = _service(name)["depends_on"]
        assert depends == {"upgrade": {"condition": "service_completed_successfully"}}, name
        environment = _service(name)["environment"]
        assert isinstance(environment, dict)
        assert environment["INSPECTION_DATABASE_URL"].split("@")[1].startswith("db:5432/")
        assert environment["INSPECTION_JOBS"] == "queue"
        grace = float(environment["INSPECTION_SHUTDOWN_GRACE_S"])
        assert float(str(_service(name)["stop_grace_period"]).removesuffix("s")) > grace
        # each value is one the settings accept
        Settings(**{k.removeprefix("INSPECTION_").lower(): v for k, v in environment.items()})
    assert _service("worker")["init"] is True  # SIGTERM to the worker, not its solve child
    assert _service("worker")["deploy"] == {"replicas": 2}
    assert _service("db")["healthcheck"]
    assert (DEPLOY / "Dockerfile").read_text(encoding="utf-8").startswith("#")


def test_the_connection_budget_of_the_example_files_fits_max_connections() -> None:
    environment = _service("api")["environment"]
    assert isinstance(environment, dict)
    per_api = int(environment["INSPECTION_DB_POOL_SIZE"]) + int(
        environment["INSPECTION_DB_MAX_OVERFLOW"]
    )
    api = _service("api")["command"]
    assert isinstance(api, list)
    processes = int(api[api.index("--processes") + 1])
    workers = 2
    command = _service("db")["command"]
    assert isinstance(command, list)
    max_connections = int(command[command.index("-c") + 1].split("=")[1])
    assert processes * per_api + 10 * workers + 3 <= max_connections
