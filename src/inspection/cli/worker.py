"""`inspection worker`: solve queued plans from the job queue (PostgreSQL only)."""

from __future__ import annotations

import logging
from typing import Annotated

import typer

from inspection.cli.common import fail, load_settings, open_engine

__all__ = ["worker"]


def worker(
    concurrency: Annotated[
        int,
        typer.Option(
            "--concurrency",
            min=1,
            max=64,
            envvar="INSPECTION_WORKER_CONCURRENCY",
            help="Jobs at once (one solve is one core; with 1, periodic ticks wait for it).",
        ),
    ] = 1,
    queues: Annotated[
        str,
        typer.Option(
            "--queues",
            envvar="INSPECTION_WORKER_QUEUES",
            help="Comma-separated queues to take jobs from.",
        ),
    ] = "plans,periodic",
) -> None:
    """Run a worker: take plans' jobs from the queue and solve each in a child process.

    Any number of workers may run, on any machine that reaches the database; each
    solve uses one CP-SAT thread. SIGTERM lets running solves finish for the grace
    period (`INSPECTION_SHUTDOWN_GRACE_S`), then hands them back to the queue.
    """
    settings = load_settings()
    url = settings.resolved_database_url()
    if not url.startswith("postgresql"):
        fail("inspection worker 需要 PostgreSQL（INSPECTION_DATABASE_URL）")
    names = [name.strip() for name in queues.split(",") if name.strip()]
    if not names:
        fail("--queues: 至少需要一个队列")
    from inspection.services.planning.queue import WorkerOptions, worker_app

    # procrastinate tells what each job did on its loggers; a worker's log is its stderr
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    with open_engine() as engine:
        options = WorkerOptions(
            database_url=url,
            heartbeat_s=settings.heartbeat_s,
            stalled_cron=settings.stalled_cron,
            max_plan_attempts=settings.max_plan_attempts,
            schedule_cron=settings.schedule_cron,
            schedule_clock=settings.schedule_clock,
        )
        worker_app(engine, options).run_worker(
            queues=names,
            concurrency=concurrency,
            abort_job_polling_interval=settings.abort_poll_s,
            update_heartbeat_interval=settings.heartbeat_s,
            stalled_worker_timeout=3 * settings.heartbeat_s,
            shutdown_graceful_timeout=settings.shutdown_grace_s,
        )
