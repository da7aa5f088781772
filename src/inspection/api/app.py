"""The FastAPI app factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline
from sqlalchemy import Engine

from inspection import __version__
from inspection.api.errors import PROBLEM_RESPONSES, install_error_handlers
from inspection.api.input_guard import InputGuardMiddleware
from inspection.api.middleware import BodyLimitMiddleware, IdempotencyMiddleware
from inspection.api.openapi import DESCRIPTION, install_openapi
from inspection.api.rate_limit import TokenBuckets
from inspection.api.routers import (
    alerts,
    caps,
    catalogue,
    checklists,
    draws,
    files,
    health,
    me,
    notices,
    officers,
    outcomes,
    plans,
    ratings,
    reference,
    regions,
    rounds,
    rules,
    schedule,
    stats,
    trust,
    verify,
)
from inspection.api.streams import StreamSlots
from inspection.db.engine import make_engine, upgrade
from inspection.services.planning.jobs import InProcessJobs, PlanJobs
from inspection.services.planning.runner import PlanRunner
from inspection.services.planning.schedule import ScheduleClock
from inspection.services.planning.schedule_timer import ScheduleTimer
from inspection.settings import Settings, get_settings
from inspection.web.pages import install_desk

__all__ = ["create_app"]


def _plan_jobs(settings: Settings, engine: Engine) -> PlanJobs:
    """The job queue on PostgreSQL (unless `INSPECTION_JOBS` says otherwise), else the
    in-process runner."""
    if settings.uses_queue(engine.dialect.name):
        if engine.dialect.name != "postgresql":
            raise ValueError("INSPECTION_JOBS=queue 需要 PostgreSQL（INSPECTION_DATABASE_URL）")
        # imported here: procrastinate is loaded only by processes that use the queue
        from inspection.services.planning.queue import QueueJobs

        return QueueJobs(engine.url.render_as_string(hide_password=False))
    return InProcessJobs(PlanRunner(engine, settings.max_concurrent_solves))


def _schedule_timer(settings: Settings, engine: Engine, jobs: PlanJobs) -> ScheduleTimer | None:
    """In-process: a thread firing the weekly schedules (the queue's workers do it there)."""
    if settings.uses_queue(engine.dialect.name):
        return None
    timer = ScheduleTimer(
        engine, jobs, settings.schedule_timer_s, ScheduleClock.parse(settings.schedule_clock)
    )
    timer.start()
    return timer


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    """Build the app.

    Args:
        settings: Defaults to the environment's.
        engine: An engine to use as is (tests); otherwise one is made from the
            settings and its database upgraded at start-up.
    """
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = engine is None
        app.state.engine = engine or make_engine(
            settings.resolved_database_url(), settings.db_pool_size, settings.db_max_overflow
        )
        if owned:
            upgrade(app.state.engine)
        app.state.jobs = _plan_jobs(settings, app.state.engine)
        app.state.jobs.resume()  # what a previous server left
        timer = _schedule_timer(settings, app.state.engine, app.state.jobs)
        yield
        if timer is not None:
            timer.close()
        app.state.jobs.close()  # a solve ending now must not start another
        if owned:
            app.state.engine.dispose()

    # /docs and /redoc from the package's copies of Swagger UI and ReDoc (under
    # /static-offline-docs), not from a CDN: the machines that run this have no internet
    app = FastAPIOffline(
        title="Inspect Once (综合查一次)",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        responses=PROBLEM_RESPONSES,
    )
    install_openapi(app)
    app.add_middleware(IdempotencyMiddleware)
    app.add_middleware(InputGuardMiddleware)  # a refused request is never stored or replayed
    app.add_middleware(  # outermost: reads the whole body before anything else runs
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        max_upload_bytes=settings.upload_body_limit_bytes(),
    )
    app.state.settings = settings
    app.state.streams = StreamSlots(settings.max_streams_per_key)
    app.state.public_buckets = TokenBuckets(settings.public_requests_per_minute)
    install_error_handlers(app)
    app.include_router(health.router, prefix="/api/v1")
    app.include_router(files.router, prefix="/api/v1")  # before /checklists/{id}
    app.include_router(reference.router, prefix="/api/v1")
    app.include_router(checklists.router, prefix="/api/v1")
    app.include_router(catalogue.router, prefix="/api/v1")
    app.include_router(plans.router, prefix="/api/v1")
    app.include_router(schedule.router, prefix="/api/v1")
    app.include_router(regions.router, prefix="/api/v1")
    app.include_router(rounds.router, prefix="/api/v1")
    app.include_router(stats.router, prefix="/api/v1")
    app.include_router(trust.router, prefix="/api/v1")
    app.include_router(me.router, prefix="/api/v1")
    app.include_router(rules.router, prefix="/api/v1")
    app.include_router(officers.router, prefix="/api/v1")
    app.include_router(caps.router, prefix="/api/v1")
    app.include_router(alerts.router, prefix="/api/v1")
    app.include_router(outcomes.router, prefix="/api/v1")
    app.include_router(draws.public_router, prefix="/api/v1")
    app.include_router(draws.router, prefix="/api/v1")
    app.include_router(verify.router, prefix="/api/v1")
    app.include_router(ratings.router, prefix="/api/v1")
    app.include_router(notices.router, prefix="/api/v1")
    app.include_router(verify.page_router)  # /v/{code}: the address on the QR code
    app.include_router(notices.page_router)  # /notices: the printable pages
    install_desk(app)
    return app
