"""`inspection draw verify`: replay a draw from its public record, with no database."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.text import Text

from inspection.cli.common import EXIT_VIOLATION, fail, out
from inspection.services.draws.algorithm import parse_record, verify_record

__all__ = ["draw_app"]

draw_app = typer.Typer(help="Random draws (双随机抽查): replay one.", no_args_is_help=True)
_MAX_RECORD_BYTES = 50_000_000


def _read(record: Path | None, url: str | None) -> Any:
    """The record's JSON from the file or the address; one line and exit 2 when it fails."""
    if (record is None) == (url is None):
        fail("give RECORD.json or --url, one of them")
    try:
        if record is not None:
            text = record.read_bytes()[:_MAX_RECORD_BYTES].decode("utf-8")
            where = str(record)
        else:
            assert url is not None
            if not url.startswith(("http://", "https://")):
                fail(f"--url: {url} is not an http(s) address")
            with urllib.request.urlopen(url, timeout=30) as answer:  # http(s) only, checked above
                text = answer.read(_MAX_RECORD_BYTES).decode("utf-8")
            where = url
    except urllib.error.HTTPError as exc:
        exc.close()  # it holds the answer's socket: closed now, not whenever it is collected
        fail(f"{record or url}: {exc}")
    except (OSError, UnicodeDecodeError, urllib.error.URLError) as exc:
        fail(f"{record or url}: {exc}")
    try:
        return json.loads(text, parse_float=Decimal)
    except ValueError as exc:
        fail(f"{where}: not JSON: {exc}")


@draw_app.command("verify")
def verify(
    record: Annotated[
        Path | None, typer.Argument(help="The draw's record (GET /api/v1/draws/{id}/record).")
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="Read the record from here.")] = None,
) -> None:
    """Recompute the commitment, the population hash and the draw; print 一致 or 不一致 and
    what differs (exit 0 / 1)."""
    data = _read(record, url)
    try:
        parsed = parse_record(data)
    except ValueError as exc:
        fail(f"{record or url}: {exc}")
    verdict = verify_record(parsed)
    if not verdict.consistent:
        out.print(Text(f"不一致：{'；'.join(verdict.differences)}"))
        raise typer.Exit(EXIT_VIOLATION)
    if verdict.revealed:
        out.print(Text("一致：承诺值、对象名录哈希和抽取结果均与记录相符"))
    else:
        out.print(Text("一致：对象名录哈希和抽取数量相符（种子尚未公布，抽取结果待揭晓后复核）"))
