"""`inspection serve` and `inspection db upgrade`: the HTTP service and its database."""

from __future__ import annotations

import threading
from types import FrameType
from typing import Annotated, Any

import typer

from inspection.cli.common import err, fail, load_settings, open_engine, out

__all__ = ["db_app", "serve"]


def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    dev: Annotated[
        bool,
        typer.Option("--dev", help="On loopback only: start without an admin key (one is made)."),
    ] = False,
) -> None:
    """Run the HTTP API (the database is created or upgraded at start).

    Refuses to start while no admin key exists (`inspection keys create --role admin`),
    unless `--dev` is given on a loopback address, which issues one and prints it.
    Holds a shared lock on the data folder while it runs, so that `inspection demo
    --reset` refuses to delete the database under it.
    """
    from inspection.db.files import DataDirBusyError, serving

    data_dir = load_settings().data_dir
    try:
        # held for the server's lifetime: `inspection demo --reset` refuses to delete the
        # database under a running server (the kernel drops the lock if the server dies)
        with serving(data_dir):
            _serve(host, port, dev)
    except DataDirBusyError:
        fail(
            f"INSPECTION_DATA_DIR: 数据目录 {data_dir} 的数据库正在重建（inspection demo），"
            "请稍后再启动"
        )


def _serve(host: str, port: int, dev: bool) -> None:
    import ipaddress

    import uvicorn
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

    app = create_app()
    settings = app.state.settings
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        timeout_graceful_shutdown=settings.shutdown_grace_s,
        log_config=access_log_config(LOGGING_CONFIG),
    )
    _stopping_server(config, app.state.streams.stopping).run()


def _stopping_server(config: Any, stopping: threading.Event) -> Any:
    """A uvicorn server that, asked to stop, first tells the open event streams to end.

    uvicorn waits for open responses before it exits; an event stream would keep it
    waiting for as long as its client listens. The streams watch `stopping` and end
    at their next poll; `timeout_graceful_shutdown` cancels whatever still runs.
    """
    import uvicorn

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            stopping.set()
            super().handle_exit(sig, frame)

    return Server(config)


db_app = typer.Typer(help="The service's database.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database named by the settings (embedded SQLite by default)."""
    with open_engine("database upgrade failed") as engine:
        shown = engine.url.render_as_string(hide_password=True)
    out.print(f"database at head: {shown}")
