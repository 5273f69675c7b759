"""The check registry: every check, by name, in the order reports show them.

Registered by hand (no import-time discovery); ``tests/checks/test_registry.py`` keeps it complete.
"""

from __future__ import annotations

from preflight.checks import clock, cookies, domain, portal, submission, transport
from preflight.checks.base import Check, CheckConfig

CHECKS: dict[str, Check] = {
    "domain": domain.check,
    "transport": transport.check,
    "submission": submission.check,
    "portal": portal.check,
    "clock": clock.check,
    "cookies": cookies.check,
}

__all__ = ["CHECKS", "Check", "CheckConfig"]
