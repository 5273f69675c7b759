"""Browser fixtures: one mock portal and one Chromium per session, a fresh context per visit.

The browser comes from pytest-playwright-asyncio's ``browser`` fixture; we only tell it which
binary to use and map the mock portal's real host names to loopback inside Chromium.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from preflight.capture.browser import LaunchOptions, find_browser
from preflight.config.network import parse_connect_to, spki_hash
from preflight.mock.server import MockPortal

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures"
EXTRA_ROOTS = [p for p in (FIXTURES / "traps", FIXTURES / "sites", FIXTURES / "cookies") if p.is_dir()]


@pytest.fixture(scope="session")
def mock_portal() -> Iterator[MockPortal]:
    with MockPortal(roots=EXTRA_ROOTS) as portal:
        yield portal


@pytest.fixture(scope="session")
def portal_mappings(mock_portal: MockPortal) -> tuple[Any, ...]:
    return tuple(parse_connect_to(arg) for arg in mock_portal.connect_to_args())


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any], mock_portal: MockPortal,
                             portal_mappings: tuple[Any, ...]) -> dict[str, Any]:
    choice = find_browser()
    options = LaunchOptions(choice, portal_mappings, (spki_hash(mock_portal.cert_path),))
    return {**browser_type_launch_args, "executable_path": choice.executable_path, "channel": choice.channel,
            "headless": True, "args": options.args()}


@pytest.fixture(autouse=True)
def _fresh_log(mock_portal: MockPortal) -> None:
    """Each test reads only its own requests from the server's log."""
    mock_portal.requests.clear()
