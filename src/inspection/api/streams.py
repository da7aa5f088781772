"""Long-lived responses (server-sent events) under bounds: per key, and ending on shutdown.

A stream holds no database connection while it waits (each poll opens a short
session in the threadpool and closes it), one key holds at most
`max_streams_per_key` streams at once (429 beyond), and every stream ends
within a poll once the server is asked to stop, so SIGTERM never waits on a
client that keeps a stream open.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import AsyncIterator

from starlette.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from inspection.errors import TooManyRequestsError

__all__ = ["BoundedStream", "StreamSlots"]


class StreamSlots:
    """How many streams each key holds open, and whether the server is stopping.

    Attributes:
        stopping: Set when the server is asked to stop (SIGTERM); open streams end.
    """

    def __init__(self, per_key: int) -> None:
        self._per_key = per_key
        self._open: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.stopping = threading.Event()

    def take(self, holder: str) -> None:
        """Take a slot for `holder`'s new stream.

        Raises:
            TooManyRequestsError: `holder` holds the most streams a key may hold.
        """
        with self._lock:
            if self._open[holder] >= self._per_key:
                raise TooManyRequestsError(
                    f"此密钥已打开 {self._per_key} 个进度流，已达上限；请先关闭其他页面的进度流",
                    "Authorization",
                )
            self._open[holder] += 1

    def give_back(self, holder: str) -> None:
        """Free a slot taken by :meth:`take`."""
        with self._lock:
            self._open[holder] -= 1
            if self._open[holder] <= 0:
                del self._open[holder]

    def open_count(self, holder: str) -> int:
        """Streams `holder` holds open now."""
        with self._lock:
            return self._open[holder]


class BoundedStream(StreamingResponse):
    """A streaming response that gives its slot back however it ends.

    The slot is freed when the response is done, also when the client went away
    before the body started (a generator that never ran runs no `finally`).
    """

    def __init__(
        self, content: AsyncIterator[str], slots: StreamSlots, holder: str, media_type: str
    ) -> None:
        super().__init__(content, media_type=media_type)
        self._slots, self._holder = slots, holder

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._slots.give_back(self._holder)
