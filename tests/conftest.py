"""Suite-wide: under pytest-xdist (``make test`` runs ``-n 2 --dist loadfile -m 'not serial'``), the longest files go first.

``--dist loadfile`` keeps each file on one worker, so a module's servers and corpus runs are set up
once; it hands files out in collection order, and a long file handed out last leaves the other
worker idle until it ends. Inside a worker the files below are moved to the front (the same order
on every worker, as xdist requires); the order within a file is kept. A run without xdist is untouched.
"""

from __future__ import annotations

import pytest

LONGEST_FIRST = (
    "tests/e2e/test_remote.py",
    "tests/e2e/test_traps.py",
    "tests/baseline/test_scenarios.py",
    "tests/e2e/test_fleet.py",
    "tests/e2e/test_serve.py",
    "tests/browser/test_guard.py",
)
"""Measured with ``--durations`` on two cores, longest first (a file missing here only goes later)."""


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not hasattr(config, "workerinput"):
        return
    rank = {path: n for n, path in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(rank)))
