"""`inspection draw verify`: a record replayed with no database (一致, exit 0), a tampered one
(不一致 and what differs, exit 1), and a bad file (one line, exit 2)."""

from __future__ import annotations

import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlmodel import Session
from typer.testing import CliRunner

from inspection.cli import app
from inspection.db.engine import make_engine, upgrade
from inspection.services.draws.models import DrawCreate
from inspection.services.draws.service import commit_draw, public_record, reveal_draw
from tests.support.data import ACTOR
from tests.support.draws import draw_body, fill_register

runner = CliRunner()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # the test reads stderr
        del format, args


@pytest.fixture
def record_file(tmp_path: Path) -> Path:
    """A revealed draw's record, written as the record route answers it."""
    engine = make_engine(f"sqlite:///{tmp_path / 'draws.db'}")
    upgrade(engine)
    fill_register(engine)
    with Session(engine) as session:
        draw_id = commit_draw(session, ACTOR, DrawCreate(**draw_body())).draw_id
        reveal_draw(session, ACTOR, draw_id)
        record = public_record(session, draw_id)
    engine.dispose()
    path = tmp_path / "record.json"
    path.write_text(record.model_dump_json(indent=2), encoding="utf-8")
    return path


def test_a_record_replays(record_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # no database at all: the settings point nowhere usable
    monkeypatch.setenv("INSPECTION_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    result = runner.invoke(app, ["draw", "verify", str(record_file)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("一致")


@pytest.mark.parametrize("what", ["seed", "population", "drawn"])
def test_a_tampered_record_does_not(record_file: Path, what: str) -> None:
    record = json.loads(record_file.read_text(encoding="utf-8"))
    first = record["classes"][0]
    if what == "seed":
        record["seed"] = ("0" if record["seed"][0] != "0" else "1") + record["seed"][1:]
    elif what == "population":
        first["population"] = first["population"][:-1]
    else:
        first["drawn"] = list(reversed(first["drawn"]))
    record_file.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    result = runner.invoke(app, ["draw", "verify", str(record_file)])
    assert result.exit_code == 1, result.output
    assert result.output.startswith("不一致：")
    expected = {"seed": "承诺值", "population": "对象名录", "drawn": "抽取结果"}[what]
    assert expected in result.output


@pytest.mark.parametrize(
    "content", ["not json", "[]", '{"format": "inspect-once/draw-record/1"}', "\udcff"]
)
def test_a_bad_file_is_one_line_and_exit_2(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content.encode("utf-8", errors="surrogateescape"))
    result = runner.invoke(app, ["draw", "verify", str(path)])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1
    assert result.output.startswith("error: ")


def test_a_missing_file_is_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["draw", "verify", str(tmp_path / "absent.json")])
    assert result.exit_code == 2
    assert "absent.json" in result.output


def test_a_record_replays_from_its_address(record_file: Path) -> None:
    """`--url`: the record read over HTTP (here a local server of the file)."""
    handler = functools.partial(_QuietHandler, directory=str(record_file.parent))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/{record_file.name}"
        result = runner.invoke(app, ["draw", "verify", "--url", url])
        assert result.exit_code == 0, result.output
        assert result.output.startswith("一致")
        missing = runner.invoke(app, ["draw", "verify", "--url", url + ".gone"])
        assert missing.exit_code == 2
        assert len(missing.output.strip().splitlines()) == 1
    finally:
        server.shutdown()
        server.server_close()


def test_a_file_and_an_address_together_are_refused(record_file: Path) -> None:
    result = runner.invoke(app, ["draw", "verify", str(record_file), "--url", "http://x/"])
    assert result.exit_code == 2
    assert "one of them" in result.output
