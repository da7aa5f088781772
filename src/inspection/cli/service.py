"""`inspection serve` and `inspection db upgrade`: the HTTP service and its database."""

from __future__ import annotations

import socket
import sys
import threading
from types import FrameType
from typing import TYPE_CHECKING, Annotated, Any

import typer
import uvicorn
from uvicorn.supervisors import multiprocess

from inspection.cli.common import err, fail, load_settings, open_engine, out

if TYPE_CHECKING:
    from inspection.settings import Settings

__all__ = ["db_app", "serve"]

_APP_FACTORY = "inspection.api.app:create_app"  # what each of N processes imports and calls
_HEALTHCHECK_S = 60
# how long a thread may hold the GIL while another waits for it (Python's default: 5 ms);
# see `_StoppingServer.run`
_SWITCH_INTERVAL_S = 0.0005


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    dev: Annotated[
        bool,
        typer.Option("--dev", help="On loopback only: start without an admin key (one is made)."),
    ] = False,
    processes: Annotated[
        int,
        typer.Option(
            "--processes",
            min=1,
            max=64,
            help="API processes sharing the port (PostgreSQL only; plans solved by workers).",
        ),
    ] = 1,
) -> None:
    """Run the HTTP API (the database is created or upgraded at start).

    Refuses to start while no admin key exists (`inspection keys create --role admin`),
    unless `--dev` is given on a loopback address, which issues one and prints it.
    Holds a shared lock on the data folder while it runs, so that `inspection demo
    --reset` refuses to delete the database under it. `--processes N` runs N uvicorn
    worker processes over the app factory; refused on SQLite and while plans would be
    solved inside the API processes (docs/deployment.md).
    """
    from inspection.db.files import DataDirBusyError, serving

    settings = load_settings()
    if processes > 1:
        _check_processes(settings)
    data_dir = settings.data_dir
    try:
        # held for the server's lifetime: `inspection demo --reset` refuses to delete the
        # database under a running server (the kernel drops the lock if the server dies)
        with serving(data_dir):
            _serve(host, port, dev, processes)
    except DataDirBusyError:
        fail(
            f"INSPECTION_DATA_DIR: 数据目录 {data_dir} 的数据库正在重建（inspection demo），"
            "请稍后再启动"
        )


def _check_processes(settings: Settings) -> None:
    """Refuse `--processes N > 1` where N processes would not be safe (one line, exit 2).

    SQLite: one file, one writer, and the data-folder lock belongs to one server. The
    in-process plan runner: each API process would start (and at start-up fail or resume)
    the same queued plans, so plans must go to the job queue and `inspection worker`.
    """
    if settings.resolved_database_url().startswith("sqlite"):
        fail(
            "--processes: 多个 API 进程需要 PostgreSQL（INSPECTION_DATABASE_URL），"
            "SQLite 只能单进程"
        )
    if not settings.uses_queue():
        fail(
            "--processes: 多个 API 进程时排期须由 inspection worker 求解"
            "（INSPECTION_JOBS=queue 或 auto），不能在 API 进程内求解（in-process）"
        )


def _serve(host: str, port: int, dev: bool, processes: int) -> None:
    import ipaddress

    from sqlmodel import Session

    from inspection.api.app import create_app
    from inspection.services.access import Actor, Role
    from inspection.services.trust.keys import create_key, has_active_admin_key

    with open_engine() as engine, Session(engine) as session:
        if not has_active_admin_key(session):
            try:
                loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
            except ValueError:
                loopback = False
            if not (dev and loopback):
                fail(
                    "no admin key: run `inspection keys create --role admin` first "
                    "(or `--dev` on a loopback address)"
                )
            dev_admin = Actor(name="serve --dev", role=Role.ADMIN)
            issued = create_key(session, dev_admin, Role.ADMIN)
            err.print(f"开发模式：已创建管理员密钥 {issued.key}", soft_wrap=True)
    from uvicorn.config import LOGGING_CONFIG

    from inspection.api.access_log import access_log_config
    from inspection.settings import get_settings

    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "timeout_graceful_shutdown": get_settings().shutdown_grace_s,
        "log_config": access_log_config(LOGGING_CONFIG),
    }
    if processes == 1:
        _StoppingServer(uvicorn.Config(create_app(), **options)).run()
        return
    # N processes each import and call the factory (uvicorn's supervisor restarts one that
    # dies); the schema was upgraded above, and each process's own start-up upgrade waits
    # for the others on the advisory lock and finds it at head
    config = uvicorn.Config(
        _APP_FACTORY,
        factory=True,
        workers=processes,
        # the supervisor pings each child and kills one silent for this long; a spawned child
        # answers only once it has imported the package, which on a busy 2-core machine took
        # more than uvicorn's default 5 s (the first child was killed and started again)
        timeout_worker_healthcheck=_HEALTHCHECK_S,
        **options,
    )
    listening = config.bind_socket()
    # uvicorn makes this socket with protocol 0, so asyncio does not set TCP_NODELAY on the
    # connections it accepts (it checks for IPPROTO_TCP): small answers then waited for the
    # client's delayed ACK, ~40 ms each (health p50 48 ms against 18 ms in one process).
    # Linux passes the listening socket's TCP_NODELAY on to every accepted connection.
    if listening.family in (socket.AF_INET, socket.AF_INET6):
        listening.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sockets = [listening]
    # uvicorn's supervisor builds its per-process `Process` by this module-level name; ours
    # runs a `_StoppingServer` in each child. Set in this (parent) process only.
    multiprocess.Process = _StoppingProcess  # type: ignore[misc]
    multiprocess.Multiprocess(config, sockets=sockets).run()


class _StoppingServer(uvicorn.Server):
    """A uvicorn server that, asked to stop, first tells the open event streams to end.

    uvicorn waits for open responses before it exits; an event stream would keep it
    waiting for as long as its client listens. The streams watch their `stopping` event
    and end at their next poll; `timeout_graceful_shutdown` cancels whatever still runs.
    The app is found under uvicorn's wrappers of the loaded app, so this works as well in
    each of N worker processes, where the app is built by the factory after start.
    """

    def run(self, sockets: list[socket.socket] | None = None) -> None:
        """Serve, with a short GIL switch interval in this process.

        The request threads of a server process share one GIL. A thread whose database
        answer has come waits for the GIL until the running thread's switch interval
        ends; a submission holding the audit chain's head row lock (every change waits
        for it, across processes) waited so after each statement, 5 ms each time, and
        the lock queue grew behind it (PostgreSQL, 16 clients: 27 → 56 submissions/s at
        0.5 ms, bench/README.md). A shorter interval costs a little CPU in switches.
        """
        sys.setswitchinterval(_SWITCH_INTERVAL_S)
        super().run(sockets)

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        stopping = _streams_stopping(getattr(self.config, "loaded_app", None))
        if stopping is not None:
            stopping.set()
        super().handle_exit(sig, frame)


def _streams_stopping(app: Any) -> threading.Event | None:
    """The `stopping` event of the app's event streams, under any middleware wrapping it."""
    while app is not None:
        streams = getattr(getattr(app, "state", None), "streams", None)
        if streams is not None:
            stopping: threading.Event = streams.stopping
            return stopping
        app = getattr(app, "app", None)
    return None


class _StoppingProcess(multiprocess.Process):
    """uvicorn's worker process, running a `_StoppingServer` (pickled into the child by
    reference to this module, which the child imports)."""

    @property
    def server(self) -> uvicorn.Server:
        if self._server is None:
            self._server = _StoppingServer(config=self.config)
        return self._server


db_app = typer.Typer(help="The service's database.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database named by the settings (embedded SQLite by default)."""
    with open_engine("database upgrade failed") as engine:
        shown = engine.url.render_as_string(hide_password=True)
    out.print(f"database at head: {shown}")
