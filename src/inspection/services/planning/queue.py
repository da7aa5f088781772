"""Plans solved by ``inspection worker`` processes through procrastinate (PostgreSQL only).

The only module that imports procrastinate (docs/province-platform.md §1–§4):

* :class:`QueueJobs`, the API's side: a plan's ``plan.solve`` job is deferred on the
  caller's own psycopg connection, so it commits or rolls back with the plan row, through
  a never-opened deferring app (an opened worker app cannot defer on a sync connection);
* :func:`worker_app`, the worker's side: the task bodies. ``plan.solve`` claims the plan
  (:func:`claim_plan`), solves it in a child forked from a preloaded server (one CP-SAT
  thread), turns a user's abort into the solver's stop and a shutdown into a retried job;
  a plan over several districts is split by its ``plan.solve`` into ``plan.part`` jobs, one
  per district, and the part that ends last defers ``plan.merge`` (:mod:`.parts`, §8);
  ``jobs.retry_stalled`` hands the jobs of workers whose heartbeat stopped back to the queue;
  ``plan.schedule`` makes the regions' weekly drafts that are due (:mod:`.schedule`).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.synchronize
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from procrastinate import App, JobContext, PsycopgConnector, RetryStrategy, SyncPsycopgConnector
from procrastinate.exceptions import AlreadyEnqueued, JobAborted
from procrastinate.job_context import AbortReason
from psycopg import OperationalError
from sqlalchemy import Engine, text
from sqlmodel import Session, col, select

from inspection.db.tables import PlanPartRow, PlanRow
from inspection.services.planning.models import PlanStatus
from inspection.services.planning.part_merge import merge_plan
from inspection.services.planning.part_runs import claim_part, fail_part, run_part
from inspection.services.planning.parts import PartStatus, split_plan
from inspection.services.planning.runner import child_engine
from inspection.services.planning.schedule import ScheduleClock, fire_due_schedules
from inspection.services.planning.use_cases import clash_error
from inspection.services.planning.worker import claim_plan, mark_failed, run_plan

__all__ = [
    "PLAN_MERGE",
    "PLAN_PART",
    "PLAN_SCHEDULE",
    "PLAN_SOLVE",
    "QUEUES",
    "RETRY_STALLED",
    "JobKind",
    "QueueJobs",
    "WorkerOptions",
    "conninfo",
    "worker_app",
]

_JOIN_S: Final = 0.05  # how often the job's thread looks at its child and its abort request

# Solves are forked from a server process that imported the service once: a spawned child
# imports it (OR-Tools, SQLAlchemy, pydantic models) for every plan, ≈3 s of CPU each. The
# child still sees the worker as its parent (multiprocessing hands it the worker's end of a
# pipe as `parent_process().sentinel`), so `exit_with_parent` ends it with a killed worker.
_CHILDREN: Final = multiprocessing.get_context("forkserver")


@dataclass(frozen=True)
class JobKind:
    """A task's name and the queue its jobs wait in."""

    name: str
    queue: str


PLAN_SOLVE: Final = JobKind("plan.solve", "plans")
# a plan's parts and merge wait with the plans: every worker taking plans takes them too
PLAN_PART: Final = JobKind("plan.part", "plans")
PLAN_MERGE: Final = JobKind("plan.merge", "plans")
RETRY_STALLED: Final = JobKind("jobs.retry_stalled", "periodic")
PLAN_SCHEDULE: Final = JobKind("plan.schedule", "periodic")
QUEUES: Final = (PLAN_SOLVE.queue, RETRY_STALLED.queue)
"""The queues a worker listens to unless told otherwise."""


def conninfo(database_url: str) -> str:
    """The libpq address of a SQLAlchemy ``postgresql+psycopg://`` URL."""
    return database_url.replace("postgresql+psycopg://", "postgresql://", 1)


class QueueJobs:
    """Plans go to the job queue, in the caller's transaction; workers solve them."""

    def __init__(self, database_url: str) -> None:
        # never opened: deferring with `connection=` runs on the caller's connection only
        self._app = App(connector=SyncPsycopgConnector(conninfo=conninfo(database_url)))

    def enqueue(self, session: Session, plan_id: int, lock_key: str) -> None:
        """Defer `plan.solve` on the session's connection and note its id on the plan.

        Raises:
            PlanClashError: a job with the same lock is still waiting (its plan named).
        """
        connection = session.connection().connection.driver_connection
        deferrer = self._app.configure_task(
            PLAN_SOLVE.name, queue=PLAN_SOLVE.queue, queueing_lock=lock_key, connection=connection
        )
        try:
            job_id = deferrer.defer(plan_id=plan_id)
        except AlreadyEnqueued:
            # the failed defer aborted the transaction: read the holder in a fresh one
            session.rollback()
            raise clash_error(_waiting_plan(session, plan_id, lock_key)) from None
        plan = session.get(PlanRow, plan_id)
        if plan is not None:
            plan.job_id = job_id
            session.add(plan)
            session.flush()

    def defer_parts(self, session: Session, part_ids: Sequence[int]) -> list[int]:
        """Defer one `plan.part` job per part on the session's connection; their ids."""
        connection = session.connection().connection.driver_connection
        deferrer = self._app.configure_task(
            PLAN_PART.name, queue=PLAN_PART.queue, connection=connection
        )
        return [deferrer.defer(part_id=part_id) for part_id in part_ids]

    def defer_merge(self, session: Session, plan_id: int) -> None:
        """Defer the plan's `plan.merge` on the session's connection, unless one waits."""
        connection = session.connection().connection.driver_connection
        deferrer = self._app.configure_task(
            PLAN_MERGE.name,
            queue=PLAN_MERGE.queue,
            queueing_lock=f"merge:{plan_id}",
            connection=connection,
        )
        savepoint = session.begin_nested()  # a duplicate's failed insert undoes this alone
        try:
            deferrer.defer(plan_id=plan_id)
        except AlreadyEnqueued:
            savepoint.rollback()  # the merge waiting already does the work
        else:
            savepoint.commit()

    def request_abort(self, session: Session, plan_id: int) -> None:
        """A running plan's job, or its running parts' jobs, are asked to abort (committed
        with the caller's stop flag, which the parts' solves also read).

        A plan still queued keeps its job: it starts, reads the stop flag and stores the
        first plan found as `stopped`, as the in-process runner does.
        """
        plan = session.get(PlanRow, plan_id)
        if plan is None or plan.job_id is None or plan.status != PlanStatus.RUNNING:
            return
        running = session.exec(
            select(PlanPartRow.job_id)
            .where(PlanPartRow.plan_id == plan_id)
            .where(PlanPartRow.status == PartStatus.RUNNING)
        )
        connection = session.connection().connection.driver_connection
        for job_id in [plan.job_id, *(j for j in running if j is not None)]:
            self._app.job_manager.cancel_job_by_id(job_id, abort=True, connection=connection)

    def resume(self) -> None:
        """Nothing: the workers own running plans, a restarted API must not fail them."""

    def close(self) -> None:
        """Nothing to close: the deferring app holds no connection of its own."""


def _waiting_plan(session: Session, plan_id: int, lock: str) -> PlanRow:
    """The plan whose waiting job holds `lock` (the one a duplicate ran into)."""
    holder = session.execute(
        text("SELECT id FROM procrastinate_jobs WHERE queueing_lock = :lock AND status = 'todo'"),
        {"lock": lock},
    ).scalar_one_or_none()
    found = session.exec(select(PlanRow).where(col(PlanRow.job_id) == holder)).first()
    return found if found is not None else PlanRow(id=plan_id)  # type: ignore[call-arg]


@dataclass(frozen=True)
class WorkerOptions:
    """What a worker's tasks need to know."""

    database_url: str
    heartbeat_s: float
    stalled_cron: str
    max_plan_attempts: int
    schedule_cron: str = "*/5 * * * *"
    schedule_clock: str = ""  # tests only: ScheduleClock.parse's spec


def worker_app(engine: Engine, options: WorkerOptions) -> App:
    """The worker's app (opened by `run_worker`) with the task bodies bound to `engine`."""
    _CHILDREN.set_forkserver_preload(["inspection.services.planning.queue"])
    app = App(
        connector=PsycopgConnector(conninfo=conninfo(options.database_url), min_size=1, max_size=6)
    )

    @app.task(
        name=PLAN_SOLVE.name,
        queue=PLAN_SOLVE.queue,
        pass_context=True,
        # a shutdown's abort or a dropped connection is retried; a bug in the solve is not
        retry=RetryStrategy(max_attempts=3, retry_exceptions={JobAborted, OperationalError}),
    )
    def solve_plan(context: JobContext, plan_id: int) -> None:
        solve_in_child(engine, options, context, plan_id)

    @app.task(
        name=PLAN_PART.name,
        queue=PLAN_PART.queue,
        pass_context=True,
        retry=RetryStrategy(max_attempts=3, retry_exceptions={JobAborted, OperationalError}),
    )
    def solve_part(context: JobContext, part_id: int) -> None:
        attempt = claim_part(engine, part_id, options.max_plan_attempts)
        if attempt is None:
            return
        code = _run_child(context, _part_child, (options.database_url, part_id, attempt))
        if code != 0:
            fail_part(engine, part_id, f"求解进程异常退出（代码 {code}）", attempt)

    @app.task(
        name=PLAN_MERGE.name,
        queue=PLAN_MERGE.queue,
        pass_context=True,
        retry=RetryStrategy(max_attempts=3, retry_exceptions={JobAborted, OperationalError}),
    )
    def merge_parts(context: JobContext, plan_id: int) -> None:
        code = _run_child(context, _merge_child, (options.database_url, plan_id))
        if code != 0:
            mark_failed(engine, plan_id, f"合并区县排期的进程异常退出（代码 {code}）")

    @app.periodic(cron=options.stalled_cron)
    @app.task(
        name=RETRY_STALLED.name,
        queue=RETRY_STALLED.queue,
        queueing_lock="retry_stalled_jobs",
        pass_context=True,
    )
    async def retry_stalled(context: JobContext, timestamp: int) -> None:
        manager = context.app.job_manager
        stalled = await manager.get_stalled_jobs(seconds_since_heartbeat=3 * options.heartbeat_s)
        for job in stalled:
            await manager.retry_job(job)

    # the drafts' solve jobs are deferred on the tick's own connection, which the opened
    # worker app cannot do (design §0, spike 2): a second, never-opened app does it
    deferring = QueueJobs(options.database_url)
    clock = ScheduleClock.parse(options.schedule_clock)

    @app.periodic(cron=options.schedule_cron)
    @app.task(
        name=PLAN_SCHEDULE.name,
        queue=PLAN_SCHEDULE.queue,
        queueing_lock="plan_schedule",
        pass_context=True,
    )
    def fire_schedules(context: JobContext, timestamp: int) -> None:
        # now, not the tick's timestamp: a tick run late fires what is due when it runs
        with Session(engine) as session:
            fire_due_schedules(session, clock.read(datetime.now(UTC)), deferring)

    return app


def _solve_child(
    database_url: str, plan_id: int, attempt: int, abort: multiprocessing.synchronize.Event
) -> None:
    """In the child: split a plan of several districts into parts, or solve it whole."""
    with child_engine(database_url) as engine:
        whole = split_plan(engine, plan_id, attempt, QueueJobs(database_url))
        if whole is not None:
            run_plan(engine, plan_id, attempt=attempt, abort=abort, workers=1, job=whole)


def _part_child(
    database_url: str, part_id: int, attempt: int, abort: multiprocessing.synchronize.Event
) -> None:
    """In the child: solve one part; the last to end defers the merge."""
    with child_engine(database_url) as engine:
        run_part(engine, part_id, attempt, QueueJobs(database_url), abort=abort, workers=1)


def _merge_child(database_url: str, plan_id: int, abort: multiprocessing.synchronize.Event) -> None:
    """In the child: merge the plan's parts, repair the seams, check and store the whole."""
    with child_engine(database_url) as engine:
        merge_plan(engine, plan_id, workers=1)


def _run_child(
    context: JobContext, target: Callable[..., None], args: tuple[object, ...]
) -> int | None:
    """Run `target(*args, abort)` in a forked child, watching the job's abort reason: a
    user's abort is handed to the child's solver, a shutdown ends the child and the job
    (retried). The child's exit code.

    Raises:
        JobAborted: the worker is shutting down.
    """
    abort = _CHILDREN.Event()
    process = _CHILDREN.Process(target=target, args=(*args, abort), daemon=True)
    process.start()
    while process.exitcode is None:
        process.join(_JOIN_S)
        reason = context.abort_reason()
        if reason == AbortReason.USER_REQUEST:
            abort.set()  # the child's solver stops and stores the best plan as `stopped`
        elif reason == AbortReason.SHUTDOWN:
            process.terminate()
            process.join()
            raise JobAborted("worker shutting down; the job is run again")
    return process.exitcode


def solve_in_child(
    engine: Engine, options: WorkerOptions, context: JobContext, plan_id: int
) -> None:
    """The body of `plan.solve`: claim, then split or solve in a child, watching for aborts.

    Raises:
        JobAborted: the worker is shutting down (the child is ended, the plan left
            running for the retried job, which claims it again).
    """
    attempt = claim_plan(engine, plan_id, options.max_plan_attempts)
    if attempt is None:  # ended already (a duplicate or late job), or out of attempts
        return
    code = _run_child(context, _solve_child, (options.database_url, plan_id, attempt))
    if code != 0:
        mark_failed(engine, plan_id, f"求解进程异常退出（代码 {code}）", attempt)
