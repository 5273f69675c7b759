"""The check registry: every check, by name, in the order reports show them.

Registered by hand (no import-time discovery); ``tests/checks/test_registry.py`` keeps it complete.
"""

from __future__ import annotations

from preflight.checks import baseline, clock, cookies, domain, portal, submission, transport
from preflight.checks.base import Check, CheckConfig

CHECKS: dict[str, Check] = {
    "domain": domain.check,
    "transport": transport.check,
    "submission": submission.check,
    "portal": portal.check,
    "clock": clock.check,
    "cookies": cookies.check,
    "baseline": baseline.check,
}

PARTIAL_CHECKS = ("domain", "transport", "submission")
"""What runs on a visit that broke off (unreachable, crashed, unreadable): the addresses it went
through, the answer it got, what it tried to send. Never the page's content: a page that could
not be read must not come out as "no login form" with a confident role."""

__all__ = ["CHECKS", "PARTIAL_CHECKS", "Check", "CheckConfig"]
