from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from preflight.mock import MockPortal

FIXTURES = Path(__file__).with_name("fixtures")


@pytest.fixture
def portal() -> Iterator[MockPortal]:
    """HTTPS mock with the test fixtures in front of the packaged site."""
    with MockPortal(roots=[FIXTURES], hosts=["unknown-host.example"]) as running:
        yield running


@pytest.fixture
def plain_portal() -> Iterator[MockPortal]:
    """Plain-HTTP mock: byte-level faults (resets, drops) without TLS in the way."""
    with MockPortal(roots=[FIXTURES], tls=False) as running:
        yield running
