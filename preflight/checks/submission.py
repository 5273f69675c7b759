"""What the page tried to send on its own, and what the guard stopped."""

from __future__ import annotations

from urllib.parse import urlsplit

from preflight.checks.base import CheckConfig, FindingList
from preflight.model.report import CheckResult, Severity
from preflight.model.snapshot import BlockedRequest, PageSnapshot, ResourceRequest

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
    carrying_data = _requests_with_data(snapshot)
    if carrying_data:
        found.add("page_requests", Severity.INFO,
                  f"The page made {len(carrying_data)} GET request(s) of its own with data in the address (analytics, "
                  "tracking, or data the page made up); they were allowed, as any browser allows them, and carried "
                  "no value of the page's fields in a form preflight recognises (a value the page itself re-encodes "
                  "is beyond what it can recognise).", requests=[r.url for r in carrying_data[:10]])
    if not snapshot.blocked_requests and not carrying_data:
        found.add("none", Severity.PASS,
                  "The page tried to send nothing on its own: no form, no request with a body, no request with "
                  "data in its address.")
    if snapshot.dialogs:
        found.add("dialogs", Severity.INFO, f"The page opened {len(snapshot.dialogs)} dialog(s); preflight dismissed them.",
                  dialogs=list(snapshot.dialogs))
    return found.result()


_DATA_TYPES = frozenset({"fetch", "xhr", "ping", "eventsource", "beacon", "other", "image"})
MIN_IMAGE_QUERY = 12
"""An image's ``?v=3`` is a cache buster; a longer query is data."""
MANY_SHORT = 3
"""Image requests with short queries to one folder that count as data."""


def _requests_with_data(snapshot: PageSnapshot) -> list[ResourceRequest]:
    """GET requests the page's scripts or markup made with data in the query (not the document)."""
    found = []
    images: dict[tuple[str, str], list[ResourceRequest]] = {}
    for request in snapshot.requests:
        parts = urlsplit(request.url)
        if request.resource_type not in _DATA_TYPES or not parts.query:
            continue
        if request.resource_type == "image" and len(parts.query) < MIN_IMAGE_QUERY:
            # Short queries are data when the page sends many of them to one place (one character
            # per request); a logo's single ?v=3 is not.
            images.setdefault((parts.netloc, parts.path.rsplit("/", 1)[0]), []).append(request)
            continue
        found.append(request)
    found.extend(r for group in images.values() if len({g.url for g in group}) >= MANY_SHORT for r in group)
    return found


def _listed(blocked: list[BlockedRequest]) -> list[dict[str, object]]:
    return [{"method": b.method, "url": b.url, "reason": b.reason, "layer": b.layer,
             "carries_field_value": b.carries_field_value} for b in blocked]
