"""The access log without secrets: a feed token in a URL (``?token=…``) is logged as redacted.

Calendar applications can only send a unit's feed token in the URL, and uvicorn's access
log writes every URL whole; anyone who reads the log could otherwise subscribe as that unit.
"""

from __future__ import annotations

import copy
import logging
import re
from typing import Any

__all__ = ["RedactTokens", "access_log_config", "redact"]

# a `token` parameter anywhere in a query string, its value up to the next parameter
_TOKEN = re.compile(r"([?&](?:token|%74oken)=)[^&#\s]*", re.IGNORECASE)


def redact(text: str) -> str:
    """The text with the value of every ``token=`` query parameter replaced."""
    return _TOKEN.sub(r"\1[redacted]", text)


class RedactTokens(logging.Filter):
    """A filter for uvicorn's access logger: redacts feed tokens in the logged path."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record's arguments (uvicorn passes the path as one of them); keep it."""
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True


def access_log_config(base: dict[str, Any]) -> dict[str, Any]:
    """uvicorn's logging configuration `base` with :class:`RedactTokens` on its access handler."""
    config = copy.deepcopy(base)
    config.setdefault("filters", {})["redact_tokens"] = {"()": RedactTokens}
    config["handlers"]["access"].setdefault("filters", []).append("redact_tokens")
    return config
