"""The submission check says what the guard saw: never "none" when something went or was stopped."""

from __future__ import annotations

from preflight.checks import CheckConfig
from preflight.checks.submission import check
from preflight.model.report import Severity
from preflight.model.snapshot import BlockedRequest, ResourceRequest

from ..factories import default_allowlist, snapshot

CONFIG = CheckConfig(allowlist=default_allowlist())


def codes(shot):
    return {f.code: f.severity for f in check(shot, CONFIG).findings}


def requests(*pairs: tuple[str, str]) -> tuple[ResourceRequest, ...]:
    return tuple(ResourceRequest(url, kind) for url, kind in pairs)


def test_a_quiet_page_sends_nothing():
    quiet = snapshot(requests=requests(("https://cignaforhcp.cigna.com/app.js", "script"),
                                       ("https://cignaforhcp.cigna.com/logo.png?v=3", "image")))
    assert codes(quiet) == {"submission.none": Severity.PASS}


def test_data_in_addresses_is_listed_and_is_not_none():
    beacon = snapshot(requests=requests(("https://stats.example/collect?u=RkFHVkFZ&p=cmV2ZXJzZWQ", "image")))
    assert codes(beacon) == {"submission.page_requests": Severity.INFO}
    xhr = snapshot(requests=requests(("https://cignaforhcp.cigna.com/api/ping?t=1", "xhr")))
    assert "submission.none" not in codes(xhr)


def test_one_character_per_request_is_data_though_each_query_is_short():
    drip = snapshot(requests=requests(*((f"https://x.example/c/{i}?{ch}", "image") for i, ch in enumerate("SECRET"))))
    assert codes(drip) == {"submission.page_requests": Severity.INFO}
    two_logos = snapshot(requests=requests(("https://x.example/img/a.png?v=3", "image"),
                                           ("https://x.example/img/b.png?v=3", "image")))
    assert codes(two_logos) == {"submission.none": Severity.PASS}


def test_what_got_past_fails_and_what_carried_a_value_warns():
    shot = snapshot(blocked_requests=(
        BlockedRequest("GET", "wss://x.example/s", "unguarded-websocket", "detected", True),
        BlockedRequest("POST", "https://x.example/c", "non-get-method", "network", True),
        BlockedRequest("POST", "https://stats.example/c", "beacon", "page", False)))
    assert codes(shot) == {"submission.unguarded_path": Severity.FAIL, "submission.blocked": Severity.WARN,
                           "submission.telemetry_blocked": Severity.INFO}
