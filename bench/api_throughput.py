"""Benchmark: checklist submission over HTTP against the trivial endpoint, same server.

Run by hand (not part of the tests)::

    .venv/bin/python bench/api_throughput.py --backend sqlite --duration 15 --repeats 3
    .venv/bin/python bench/api_throughput.py --backend postgresql --duration 15 --repeats 3
    .venv/bin/python bench/api_throughput.py --backend postgresql --processes 2

Starts the real server (`inspection serve`, one uvicorn process or `--processes N`,
access log on)
on a fresh database, registers the units and a few hundred enterprises of a
generated district over HTTP, then loads it with `wrk` (16 keep-alive
connections, 2 threads): `GET /api/v1/health`, then `POST /api/v1/checklists`,
alternately, `--repeats` times each, after a warm-up of both. Submissions are
realistic bodies (2-5 items with their legal basis, 1-10 registered targets,
a window of the district's calendar), cycled from a few thousand made up front.

Prints a Markdown row per run and the medians: throughput, p50/p99 latency,
the server's CPU use, and submit/health throughput. Afterwards it checks that
nothing was lost: the stored checklists are at least the 201 answers and at
most that plus the submissions in flight when wrk stopped (one per connection
and run, which wrk abandons unanswered); then it posts a fixed number with a
Python client and requires stored == 201 answers exactly.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from service_common import (
    KEYS,
    bench_client,
    cpu_seconds,
    fresh_database,
    machine,
    median,
    server,
)

__all__ = ["main"]

BODIES = 4000
LAWS = {
    "SCJG": ("《中华人民共和国食品安全法》", "《中华人民共和国产品质量法》"),
    "YJGL": ("《中华人民共和国安全生产法》", "《危险化学品安全管理条例》"),
    "STHJ": ("《中华人民共和国环境保护法》", "《中华人民共和国大气污染防治法》"),
    "XFJY": ("《中华人民共和国消防法》", "《广东省消防工作若干规定》"),
    "ZJJ": ("《建设工程安全生产管理条例》", "《中华人民共和国建筑法》"),
    "RSJ": ("《中华人民共和国劳动合同法》", "《保障农民工工资支付条例》"),
    "WSJK": ("《公共场所卫生管理条例》", "《中华人民共和国职业病防治法》"),
    "NYNC": ("《中华人民共和国农产品质量安全法》", "《农药管理条例》"),
    "CGZF": ("《城市市容和环境卫生管理条例》",),
    "ZHZF": ("《城市市容和环境卫生管理条例》", "《广东省城乡生活垃圾管理条例》"),
}
ARTICLES = ("第十五条", "第二十一条", "第三十三条", "第四十二条", "第五十六条", "第六十八条")
OTHER_LAW = "《广东省行政执法监督条例》"
_LUA = """
local bodies = {%(bodies)s}
counter, created, other = 0, 0, 0
local threads, next_id = {}, 0
function setup(thread)
  thread:set("tid", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end
function init(args)
  counter = tid * 1009
end
%(request)s
function response(status, headers, body)
  if status == %(expected)d then created = created + 1 else other = other + 1 end
end
function done(summary, latency, requests)
  local ok, bad = 0, 0
  for _, t in ipairs(threads) do ok = ok + t:get("created"); bad = bad + t:get("other") end
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(99), latency.max, ok, bad,
    e.connect + e.read + e.write + e.timeout))
end
"""
_SUBMIT = """
function request()
  counter = counter + 1
  return wrk.format("POST", "/api/v1/checklists",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer %(key)s"},
    bodies[(counter % #bodies) + 1])
end
"""
_HEALTH = 'wrk.method = "GET"\nwrk.path = "/api/v1/health"\n'


def _seed(base: str, count: int, rng: random.Random) -> list[str]:
    """Register the M district's units and `count` of its enterprises; the bodies to submit."""
    from inspection.generator import generate

    problem = generate("M", 1)  # a district month: 33 units, 1165 enterprises
    enterprises = sorted(problem.enterprises, key=lambda e: e.id)[:count]
    registered = {e.id for e in enterprises}
    with bench_client(base, 30) as client:
        for unit in problem.units:
            answer = client.post(
                "/api/v1/units",
                json={
                    "id": unit.id,
                    "name": unit.name,
                    "weekday_capacity": [unit.daily_capacity] * 7,
                },
            )
            answer.raise_for_status()
        for e in enterprises:
            answer = client.post(
                "/api/v1/enterprises",
                json={"credit_code": e.id, "name": e.name, "town": e.town or "凤城街道"},
            )
            answer.raise_for_status()
    items: dict[str, set[str]] = {}
    targets: dict[str, set[str]] = {}
    for request in problem.requests:
        items.setdefault(request.unit, set()).update(request.items)
        if request.enterprise in registered:
            targets.setdefault(request.unit, set()).add(request.enterprise)
    units = sorted(targets)
    start, span = problem.horizon.start, (problem.horizon.end - problem.horizon.start).days + 1
    bodies = []
    for _ in range(BODIES):
        unit_id = rng.choice(units)
        laws = LAWS.get(unit_id.rstrip("0123456789"), (OTHER_LAW,))
        pool = sorted(items[unit_id] | {"日常监督检查", "台账资料检查", "现场安全管理"})
        pool_targets = (
            sorted(targets[unit_id]) if len(targets[unit_id]) >= 10 else sorted(registered)
        )
        earliest = start + timedelta(days=rng.randrange(span))
        latest = earliest + timedelta(days=rng.choice((2, 4, 6, 13)))
        bodies.append(
            json.dumps(
                {
                    "unit_id": unit_id,
                    "title": f"{rng.choice(pool)}专项检查",
                    "inspection_type": "complaint" if rng.random() < 0.05 else "routine",
                    "items": [
                        {"name": name, "legal_basis": rng.choice(laws) + rng.choice(ARTICLES)}
                        for name in rng.sample(pool, rng.randint(2, 5))
                    ],
                    "targets": rng.sample(pool_targets, rng.randint(1, 10)),
                    "earliest": earliest.isoformat(),
                    "latest": latest.isoformat(),
                    "priority": rng.choice((1, 1, 1, 2, 3)),
                },
                ensure_ascii=False,
            )
        )
    return bodies


def _script(folder: Path, name: str, bodies: list[str] | None) -> Path:
    lua = _LUA % {
        "bodies": ",\n".join(f"[==[{b}]==]" for b in bodies or []),
        "request": _SUBMIT.replace("%(key)s", KEYS["coordinator"]) if bodies else _HEALTH,
        "expected": 201 if bodies else 200,
    }
    path = folder / f"{name}.lua"
    path.write_text(lua, encoding="utf-8")
    return path


def _wrk(base: str, script: Path, duration: float, clients: int, pid: int) -> dict[str, float]:
    """One wrk run; throughput, latencies in ms, answers, server CPU (cores busy)."""
    cpu_before, started = cpu_seconds(pid), time.monotonic()
    command = ["wrk", f"-t{min(2, clients)}", f"-c{clients}", f"-d{duration:.0f}s"]
    command += ["--timeout", "10s"]
    done = subprocess.run([*command, "-s", str(script), base], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed: {done.stdout}{done.stderr}")
    output = done.stdout
    cpu = (cpu_seconds(pid) - cpu_before) / (time.monotonic() - started)
    line = next(x for x in output.splitlines() if x.startswith("RESULT "))
    requests, duration_us, p50, p99, worst, ok, bad, errors = map(int, line.split()[1:])
    return {
        "rps": requests / (duration_us / 1e6),
        "p50": p50 / 1000,
        "p99": p99 / 1000,
        "max": worst / 1000,
        "ok": ok,
        "bad": bad,
        "errors": errors,
        "cpu": cpu,
    }


def _stored(url: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        count = int(connection.execute(text("SELECT count(*) FROM checklists")).scalar_one())
    engine.dispose()
    return count


def _settled(url: str) -> int:
    """The stored checklists once the submissions wrk abandoned have finished (stable 2 s)."""
    count, deadline = _stored(url), time.monotonic() + 60
    while time.monotonic() < deadline:
        time.sleep(2)
        count, previous = _stored(url), count
        if count == previous:
            break
    return count


def _exact_check(base: str, url: str, bodies: list[str], clients: int, each: int) -> str:
    """Post clients × each submissions from Python threads; stored must equal the 201s."""
    before = _stored(url)

    def client(index: int) -> int:
        created = 0
        with bench_client(base, 30) as http:
            for n in range(each):
                body = bodies[(index * each + n) % len(bodies)].encode()
                answer = http.post(
                    "/api/v1/checklists", content=body, headers={"content-type": "application/json"}
                )
                created += answer.status_code == 201
        return created

    with ThreadPoolExecutor(clients) as pool:
        created = sum(pool.map(client, range(clients)))
    stored = _stored(url) - before
    verdict = "ok" if stored == created == clients * each else "MISMATCH"
    return (
        f"exact check: {clients * each} posted, {created} answered 201, {stored} stored: {verdict}"
    )


def run(
    backend: str,
    duration: float,
    clients: int,
    repeats: int,
    enterprises: int,
    processes: int = 1,
    pg_database: str = "bench",
) -> None:
    """Benchmark one back-end and print its table."""
    folder = Path(tempfile.mkdtemp(prefix="bench-api-"))
    try:
        database = fresh_database(backend, folder, pg_database)
        with server(database, processes=processes) as (base, pid):
            bodies = _seed(base, enterprises, random.Random(1))
            health, submit = _script(folder, "health", None), _script(folder, "submit", bodies)
            warm = [_wrk(base, s, 5, clients, pid) for s in (health, submit)]
            print(
                f"{backend}, {processes} API process(es): {machine()}; load average "
                f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
                f"warm-up {warm[0]['rps']:.0f} / {warm[1]['rps']:.0f}"
            )
            print("| backend | run | endpoint | req/s | p50 ms | p99 ms | max ms | server CPU |")
            print("|---|---|---|---|---|---|---|---|")
            runs: dict[str, list[dict[str, float]]] = {"health": [], "submit": []}
            for repeat in range(1, repeats + 1):
                for name, script in (("health", health), ("submit", submit)):
                    result = _wrk(base, script, duration, clients, pid)
                    runs[name].append(result)
                    if result["bad"] or result["errors"]:
                        print(f"  {name}: {result['bad']} bad answers, {result['errors']} errors")
                    print(
                        f"| {backend} | {repeat} | {name} | {result['rps']:.0f} "
                        f"| {result['p50']:.1f} | {result['p99']:.1f} | {result['max']:.1f} "
                        f"| {result['cpu']:.2f} |"
                    )
            figures = {
                name: {k: median([r[k] for r in rs]) for k in ("rps", "p50", "p99", "max", "cpu")}
                for name, rs in runs.items()
            }
            for name, f in figures.items():
                print(
                    f"| {backend} | median | {name} | {f['rps']:.0f} | {f['p50']:.1f} "
                    f"| {f['p99']:.1f} | {f['max']:.1f} | {f['cpu']:.2f} |"
                )
            ratio = figures["submit"]["rps"] / figures["health"]["rps"]
            pairs = [
                s["rps"] / h["rps"] for h, s in zip(runs["health"], runs["submit"], strict=True)
            ]
            print(
                f"{backend}: submit/health = {ratio:.1%} "
                f"(per repeat {min(pairs):.1%}–{max(pairs):.1%}), "
                f"submit p99 {figures['submit']['p99']:.1f} ms"
            )
            created = warm[1]["ok"] + sum(r["ok"] for r in runs["submit"])
            stored = _settled(database.url)
            in_flight = clients * (repeats + 1)
            verdict = "ok" if created <= stored <= created + in_flight else "MISMATCH"
            print(
                f"{backend}: wrk got {created:.0f} × 201, {stored} stored "
                f"(at most {in_flight} abandoned in flight): {verdict}"
            )
            print(f"{backend}: {_exact_check(base, database.url, bodies, clients, 25)}")
            print(f"{backend}: load average after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per run")
    parser.add_argument("--clients", type=int, default=16, help="concurrent connections")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each endpoint")
    parser.add_argument("--enterprises", type=int, default=400, help="enterprises registered")
    parser.add_argument(
        "--processes", type=int, default=1, help="API processes (`inspection serve --processes`)"
    )
    parser.add_argument(
        "--pg-database", default="bench", help="PostgreSQL database (dropped and made again)"
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install -y wrk)")
    if args.processes > 1 and args.backend != "postgresql":
        parser.error("--processes N > 1 needs --backend postgresql")
    run(
        args.backend,
        args.duration,
        args.clients,
        args.repeats,
        args.enterprises,
        args.processes,
        args.pg_database,
    )


if __name__ == "__main__":
    main()
