"""What the page tried to send on its own, and what the guard stopped."""

from __future__ import annotations

from ..models import CheckResult, PageSnapshot, Severity
from .base import CheckConfig, FindingList

NAME = "submission"


def check(snapshot: PageSnapshot, config: CheckConfig) -> CheckResult:
    found = FindingList(NAME)
    blocked = snapshot.blocked_requests
    if blocked:
        reasons = sorted({b.reason for b in blocked})
        found.add("blocked", Severity.WARN,
                  f"The page tried to send data on its own {len(blocked)} time(s) ({', '.join(reasons)}); "
                  "preflight stopped every attempt. A login page should not do this before you sign in.",
                  attempts=[{"method": b.method, "url": b.url, "reason": b.reason, "layer": b.layer} for b in blocked])
    else:
        found.add("none", Severity.PASS, "The page tried to send nothing on its own.")
    if snapshot.dialogs:
        found.add("dialogs", Severity.INFO, f"The page opened {len(snapshot.dialogs)} dialog(s); preflight dismissed them.",
                  dialogs=list(snapshot.dialogs))
    return found.result()
