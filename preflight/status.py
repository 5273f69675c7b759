"""One exit table. Commands return an ``ExitStatus``; only the entry point exits with it."""

from __future__ import annotations

import enum


class ExitStatus(enum.IntEnum):
    """What a run of ``preflight`` ends with (README's *Exit codes*)."""

    OK = 0
    """Every target passed or warned (or, for ``vet``, every URL is official)."""
    FAIL = 1
    """At least one target failed (or warned, with ``--fail-on warn``)."""
    USAGE = 2
    """Bad input: a URL, an option, an allowlist or config file, an output path."""
    COULD_NOT_RUN = 3
    """No browser, the browser would not start, or a target could not be reached."""
    BUG = 70
    """An internal error of preflight (``EX_SOFTWARE``): rerun with ``--traceback`` and report it."""
    INTERRUPTED = 130
    """Ctrl-C or SIGTERM."""
