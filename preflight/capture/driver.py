"""The Playwright driver (a Node.js process), started before anything else a run needs.

The driver takes about 0.35 s to boot on its own process; a run's own imports and tables
(checks, reports, the vocabulary) take about as long in Python. ``DriverStart`` spawns the
driver first, so the two overlap instead of adding up. Only the public API is used: the
start is ``async_playwright().__aenter__()`` run as a task, which spawns Node within its
first loop iterations.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from playwright.async_api import Playwright

STOP_S = 10.0
"""Bound on waiting for a driver that is still starting when the run is over."""


class DriverStart:
    """A Playwright driver being started; ``await playwright()`` for it, ``await stop()`` always."""

    def __init__(self) -> None:
        from playwright.async_api import async_playwright

        self._manager = async_playwright()
        self._task: asyncio.Future[Playwright] = asyncio.ensure_future(self._manager.__aenter__())
        self._stopped = False

    @classmethod
    async def begin(cls) -> DriverStart:
        """Start it and give the loop the few turns in which Node is spawned."""
        started = cls()
        for _ in range(3):
            await asyncio.sleep(0)
        return started

    async def playwright(self) -> Playwright:
        return await self._task

    async def stop(self) -> None:
        """Stop the driver; one still starting is waited for (bounded), then stopped."""
        if self._stopped:
            return
        self._stopped = True
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout=STOP_S)
        except asyncio.CancelledError:
            self._task.cancel()
            raise
        except Exception:  # noqa: BLE001 - it never started (or hung): nothing to stop but the task
            self._task.cancel()
            with contextlib.suppress(BaseException):
                await self._task
            return
        await self._manager.__aexit__(None, None, None)
