"""Digest pacing: evenly spaced sends (aiolimiter) with a bounded number of digests in flight."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

from aiolimiter import AsyncLimiter

DIGEST_RATE = 28.0  # digest messages per second: under Telegram's ~30/s, room left for replies


class DigestGate:
    """Paces digests evenly and lets ``in_flight`` (default one) through at a time.

    The limiter's bucket holds a single slot refilled every 1/rate s, so sends are spaced evenly
    and never burst (PTB's AIORateLimiter lets a whole second's worth through at once). The
    semaphore bounds the digests between "claimed" and "answered": a crash mid-round loses at
    most that many (one by default).
    """

    def __init__(self, per_second: float = DIGEST_RATE, in_flight: int = 1) -> None:
        self.limiter = AsyncLimiter(1, 1.0 / per_second)
        self._lock = asyncio.Semaphore(in_flight)

    def slot(self) -> AbstractAsyncContextManager[object]:
        """``async with gate.slot():`` claim and send one digest inside."""
        return self._slot()

    @asynccontextmanager
    async def _slot(self) -> AsyncIterator[object]:
        async with self._lock:
            await self.limiter.acquire()
            yield self
