"""What the page tried to send on its own, and what the guard stopped."""

from __future__ import annotations

from preflight.checks.base import CheckConfig, FindingList
from preflight.model.report import CheckResult, Severity
from preflight.model.snapshot import BlockedRequest, PageSnapshot

NAME = "submission"


# Attempts that are a submission whatever they carry.
_SUBMISSIONS = frozenset({"form-submit", "cookie-stash", "secret-in-url", "secret-in-headers"})


def check(snapshot: PageSnapshot, config: CheckConfig) -> CheckResult:
    found = FindingList(NAME)
    # ``layer="detected"``: the DevTools watch saw something leave (or open) that no guard layer
    # stopped: a socket, a WebTransport session, a browser prefetch. Never "none" then.
    unguarded = [b for b in snapshot.blocked_requests if b.layer == "detected"]
    stopped = [b for b in snapshot.blocked_requests if b.layer != "detected"]
    if unguarded:
        reasons = sorted({b.reason for b in unguarded})
        found.add("unguarded_path", Severity.FAIL,
                  f"The page sent or opened {len(unguarded)} thing(s) by a path preflight's guard could not stop "
                  f"({', '.join(reasons)}); it may have sent the page's field values. The run's no-submission "
                  "guarantee does not hold for this page.", attempts=_listed(unguarded))
    attempts = [b for b in stopped if b.carries_field_value or b.reason in _SUBMISSIONS]
    telemetry = [b for b in stopped if b not in attempts]
    if attempts:
        reasons = sorted({b.reason for b in attempts})
        found.add("blocked", Severity.WARN,
                  f"The page tried to submit a form or send its field values on its own {len(attempts)} time(s) "
                  f"({', '.join(reasons)}); preflight stopped every attempt. A login page should not do this "
                  "before you sign in.", attempts=_listed(attempts))
    if telemetry:
        reasons = sorted({b.reason for b in telemetry})
        found.add("telemetry_blocked", Severity.INFO,
                  f"The page sent {len(telemetry)} request(s) of its own that preflight stopped ({', '.join(reasons)}: "
                  "analytics and the like); none carried a value of the page's fields.", attempts=_listed(telemetry))
    if not snapshot.blocked_requests:
        found.add("none", Severity.PASS, "The page tried to send nothing on its own.")
    if snapshot.dialogs:
        found.add("dialogs", Severity.INFO, f"The page opened {len(snapshot.dialogs)} dialog(s); preflight dismissed them.",
                  dialogs=list(snapshot.dialogs))
    return found.result()


def _listed(blocked: list[BlockedRequest]) -> list[dict[str, object]]:
    return [{"method": b.method, "url": b.url, "reason": b.reason, "layer": b.layer,
             "carries_field_value": b.carries_field_value} for b in blocked]
