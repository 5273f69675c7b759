"""Browser fixtures: one mock portal and one Chromium per session, a fresh context per visit.

The browser comes from pytest-playwright-asyncio's ``browser`` fixture; we only tell it which
binary to use and map the mock portal's real host names to loopback inside Chromium.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from preflight.capture.browser import LaunchOptions, feature_flags, find_browser
from preflight.config.network import parse_connect_to, spki_hash
from preflight.mock.server import MockPortal

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures"
EXTRA_ROOTS = [p for p in (FIXTURES / "traps", FIXTURES / "sites", FIXTURES / "cookies", FIXTURES / "guard")
               if p.is_dir()]


class WebSocketLog:
    """A loopback WebSocket server that accepts every connection and keeps every frame: the mock
    portal refuses the upgrade, so only this one can prove that no frame was ever sent."""

    def __init__(self) -> None:
        self.frames: list[tuple[str, str]] = []
        self.port = 0
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Future[None] | None = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    def __enter__(self) -> WebSocketLog:
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the WebSocket log server did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set_result, None)
        self._thread.join(5)

    async def _main(self) -> None:
        import websockets

        async def handler(ws: Any) -> None:
            path = ws.request.path
            self.frames.append((path, "<open>"))
            try:
                async for message in ws:
                    self.frames.append((path, message if isinstance(message, str) else message.decode("latin-1")))
            except Exception:  # noqa: BLE001 - the browser went away
                pass

        self._loop = asyncio.get_running_loop()
        self._stop = self._loop.create_future()
        async with websockets.serve(handler, "127.0.0.1", 0) as server:
            self.port = server.sockets[0].getsockname()[1]
            self._ready.set()
            await self._stop


@pytest.fixture(scope="session")
def mock_portal() -> Iterator[MockPortal]:
    with MockPortal(roots=EXTRA_ROOTS) as portal:
        yield portal


@pytest.fixture(scope="session")
def ws_log() -> Iterator[WebSocketLog]:
    with WebSocketLog() as server:
        yield server


@pytest.fixture(scope="session")
def portal_mappings(mock_portal: MockPortal) -> tuple[Any, ...]:
    return tuple(parse_connect_to(arg) for arg in mock_portal.connect_to_args())


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], mock_portal: MockPortal,
                             portal_mappings: tuple[Any, ...]) -> dict[str, Any]:
    choice = find_browser()
    options = LaunchOptions(choice, portal_mappings, (spki_hash(mock_portal.cert_path),))
    return {**browser_type_launch_args, "executable_path": choice.executable_path, "channel": choice.channel,
            "headless": True, "args": options.args(), "ignore_default_args": feature_flags()[0]}


@pytest.fixture(autouse=True)
def _fresh_log(mock_portal: MockPortal) -> None:
    """Each test reads only its own requests from the server's log."""
    mock_portal.requests.clear()
