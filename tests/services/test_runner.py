"""A plan worker never outlives its server: when the server is killed with SIGKILL (no
clean-up runs), its spawned solver process notices and exits instead of solving on until
its time limit for nobody."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.paths import ROOT

# the "server": spawns a worker like PlanRunner does, prints its pid, then waits
_PARENT = """
import multiprocessing, sys, time
from tests.support.workers import guarded_worker, unguarded_worker
target = guarded_worker if sys.argv[1] == "guarded" else unguarded_worker
worker = multiprocessing.get_context("spawn").Process(target=target, daemon=True)
worker.start()
print(worker.pid, flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _worker_after_parent_killed(kind: str, wait_s: float) -> tuple[int, bool]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen(
        [sys.executable, "-c", _PARENT, kind], stdout=subprocess.PIPE, env=env, cwd=ROOT
    ) as parent:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        assert _alive(worker)
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=30)
    deadline = time.monotonic() + wait_s
    while _alive(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    return worker, _alive(worker)


@pytest.mark.parametrize("kind", ["guarded", "unguarded"])
def test_a_worker_exits_when_its_server_is_killed(kind: str) -> None:
    worker, alive = _worker_after_parent_killed(kind, wait_s=10 if kind == "guarded" else 2)
    if kind == "guarded":
        assert not alive, f"worker {worker} outlived its killed parent"
    else:
        assert alive, "the control should outlive its parent, or this test proves nothing"
        os.kill(worker, signal.SIGKILL)
