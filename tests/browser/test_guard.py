"""The no-submission guarantee, proven from the mock portal's own request log."""

from __future__ import annotations

import asyncio
import re
import time
from pathlib import Path

import pytest

from preflight.capture import guard as guard_mod
from preflight.capture.visit import CaptureOptions, capture
from preflight.checks import submission
from preflight.checks.base import CheckConfig
from preflight.config.allowlist import packaged_default_text, parse_allowlist
from preflight.model.report import Severity

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures"

pytestmark = pytest.mark.browser

OPTIONS = CaptureOptions(timeout_s=15, settle_s=1.5)


def leaked(portal, sentinel: str) -> list[dict]:
    """Requests that carried a body, or the sentinel anywhere in the request."""
    bad = []
    for record in portal.requests:
        text = repr(record)
        if record.get("body_bytes") or record["method"] not in ("GET", "HEAD") or sentinel in text:
            bad.append(record)
    return bad


async def test_auto_submitting_login_page_sends_nothing(browser, mock_portal):
    # Given a login page that pre-fills a password and calls form.submit() on load
    url = mock_portal.url("cignaforhcp.cigna.com", "/auto-submit")
    # When preflight visits it
    snapshot = await capture(browser, url, OPTIONS)
    # Then the server saw the page load but no submission and never the sentinel
    assert any(r["path"] == "/auto-submit" for r in mock_portal.requests)
    assert leaked(mock_portal, "SENTINEL-AUTOSUBMIT-7f3a") == []
    # And the attempt is reported, with the form's target
    reasons = {(b.reason, b.method) for b in snapshot.blocked_requests}
    assert ("form-submit", "POST") in reasons
    assert "SENTINEL" not in repr(snapshot.to_dict())


async def test_every_exfiltration_channel_is_stopped_and_reported(browser, mock_portal):
    url = mock_portal.url("cignaforhcp.cigna.com", "/exfil")
    snapshot = await capture(browser, url, OPTIONS)
    assert leaked(mock_portal, "SENTINEL-EXFIL-7f3a") == []
    reasons = {b.reason for b in snapshot.blocked_requests}
    assert {"fetch-post", "xhr-post", "beacon", "websocket", "secret-in-url", "form-submit"} <= reasons, reasons
    assert "SENTINEL-EXFIL-7f3a" not in repr(snapshot.to_dict())


async def test_an_ordinary_login_page_loads_fully_with_nothing_blocked(browser, mock_portal):
    snapshot = await capture(browser, mock_portal.url("cignaforhcp.cigna.com"), OPTIONS)
    assert snapshot.http_status == 200
    assert snapshot.blocked_requests == ()
    main = snapshot.main_frame
    assert any(i.type == "password" for i in main.inputs)
    assert main.forms and main.forms[0].method == "post"
    assert snapshot.tls is not None and snapshot.tls.protocol.startswith("TLS")
    assert "date" in snapshot.response_headers
    assert snapshot.cookies_enabled is True


async def test_field_values_are_scrubbed_from_every_part_of_the_snapshot(browser, mock_portal):
    # Given a page that copies its pre-filled password into a link, its title and a GET request
    url = mock_portal.url("traps.preflight.test", "/echo-secret.html")
    snapshot = await capture(browser, url, OPTIONS)
    # Then the request never carried it, and no text of the snapshot holds it in any encoding
    assert all("SENTINEL-ECHO-4410" not in r["path"] for r in mock_portal.requests)
    dumped = repr(snapshot.to_dict())
    for form in ("SENTINEL-ECHO-4410", "U0VOVElORUwtRUNITy00NDEw", "53454e54494e454c2d4543484f2d34343130"):
        assert form not in dumped
    assert any(b.reason == "secret-in-url" for b in snapshot.blocked_requests)


# --------------------------------------------------------------------------- paths past the first guard
# Pages in fixtures/guard/guard.preflight.test. Each holds a unique sentinel in a field; the evidence
# is the mock portal's own log (and, for sockets, a WebSocket server that accepts everything).

GUARD_HOST = "guard.preflight.test"
SENTINEL = re.compile(r"SENTINEL-[A-Z0-9]+-[a-z0-9]+")
LATE_S = 1.5
"""Browser-sent uploads (reports, NEL, fetchLater) go out a moment after the page: wait this long for one."""


def _sentinels(page: str) -> set[str]:
    return set(SENTINEL.findall((FIXTURES / "guard" / GUARD_HOST / page).read_text()))


def _leak(record: dict, sentinels: set[str]) -> bool:
    text = repr(record)
    return (record["method"] not in ("GET", "HEAD") or bool(record.get("body_bytes")) or "/collect/" in record["path"]
            or any(s in text for s in sentinels))


async def _visit(browser, mock_portal, ws_log, page: str):
    url = mock_portal.url(GUARD_HOST, "/" + page) + f"?ws={ws_log.port}"
    ws_log.frames.clear()
    snapshot = await capture(browser, url, OPTIONS)
    sentinels = _sentinels(page)
    # Negative evidence needs a bounded wait: the browser uploads reports a moment later.
    late = await asyncio.to_thread(mock_portal.requests.wait_for, lambda r: _leak(r, sentinels), LATE_S)
    assert any(r["path"].startswith("/" + page) for r in mock_portal.requests), "the page was never loaded"
    leaks = [(r["method"], r["path"]) for r in mock_portal.requests if _leak(r, sentinels)]
    assert late is None and leaks == [], leaks
    assert ws_log.frames == [], ws_log.frames
    assert not any(s in repr(snapshot.to_dict()) for s in sentinels)
    return snapshot


def _reasons(snapshot) -> dict[str, bool]:
    """reason -> carried a field value (any attempt with that reason)."""
    found: dict[str, bool] = {}
    for b in snapshot.blocked_requests:
        found[b.reason] = found.get(b.reason, False) or b.carries_field_value
    return found


async def test_the_browsers_own_senders_are_switched_off(browser, mock_portal):
    # The launch flags, seen without the guard: the APIs whose requests the browser sends itself
    # (past route()) are gone in this Chromium.
    context = await browser.new_context()
    try:
        page = await context.new_page()
        await page.goto(mock_portal.url(GUARD_HOST, "/plain.html"))
        kinds = await page.evaluate("""() => ({fetchLater: typeof fetchLater, SharedWorker: typeof SharedWorker,
            WebSocketStream: typeof WebSocketStream, IdentityCredential: typeof IdentityCredential,
            PaymentRequest: typeof PaymentRequest})""")
    finally:
        await context.close()
    assert set(kinds.values()) == {"undefined"}, kinds


@pytest.mark.parametrize("page, reason", [
    ("csp-report.html", "reporting-endpoint"),    # Reporting API: a CSP report with the script sample
    ("pp-report.html", "reporting-endpoint"),     # Reporting API: a Permissions-Policy violation report
    ("nel.html", "reporting-endpoint"),           # Network Error Logging
])
async def test_browser_uploaded_reports_never_leave(browser, mock_portal, ws_log, page, reason):
    snapshot = await _visit(browser, mock_portal, ws_log, page)
    assert reason in _reasons(snapshot)


@pytest.mark.parametrize("page, reason", [
    ("fetchlater.html", "fetch-later"),
    ("fedcm.html", "fedcm"),                      # the browser would fetch the config URL itself
    ("payment.html", "payment-request"),          # ... and the payment-method manifest
    ("sharedworker-fetch.html", "shared-worker"),
    ("sharedworker-ws.html", "shared-worker"),
    ("wsstream.html", "websocket"),
    ("audioworklet.html", "worklet"),             # a worklet's module fetch bypasses route()
    ("specrules.html", "speculation-rules"),      # browser prefetch/prerender, inserted by script
    ("specrules-header.html", "speculation-rules"),  # ... and from a Speculation-Rules header
    ("webtransport.html", "webtransport"),
])
async def test_paths_around_route_are_closed_and_reported(browser, mock_portal, ws_log, page, reason):
    snapshot = await _visit(browser, mock_portal, ws_log, page)
    assert reason in _reasons(snapshot), snapshot.blocked_requests
    assert not any(b.layer == "detected" for b in snapshot.blocked_requests)


async def test_a_dedicated_workers_socket_and_post_are_refused_in_the_worker(browser, mock_portal, ws_log):
    snapshot = await _visit(browser, mock_portal, ws_log, "worker-ws.html")
    reasons = _reasons(snapshot)
    assert "worker-websocket" in reasons
    assert reasons.get("worker-fetch-post") is True  # the worker's POST body was the password


async def test_an_ordinary_worker_still_works_behind_the_guard(browser, mock_portal):
    # Classic (relative importScripts, fetch) and module (relative import, import.meta.url) workers.
    context = await browser.new_context()
    guard = guard_mod.SubmissionGuard()
    try:
        await guard.install(context)
        page = await context.new_page()
        await guard.watch(context, page)
        await page.goto(mock_portal.url(GUARD_HOST, "/worker-ok.html"))
        await page.wait_for_function("document.title.startsWith('worker:') && document.body.dataset.module", timeout=5000)
        assert await page.title() == "worker: helper-ok data-ok function"
        assert await page.evaluate("document.body.dataset.module") == "module-ok /worker-ok-module.js"
    finally:
        await context.close()
    assert guard.blocked == ()


@pytest.mark.parametrize("page", [
    "value-inline-read.html",         # getAttribute('value') by an inline script before DOMContentLoaded
    "value-type-flip.html",           # password -> hidden before anything read it
    "value-attr-removed.html",        # value attribute removed right after parse
    "value-dsd.html",                 # a closed declarative shadow root
    "value-dsd-open.html",            # an open one, read before DOMContentLoaded
    "value-default-after-load.html",  # defaultValue set by script after load
])
async def test_field_values_are_known_before_any_request_can_carry_them(browser, mock_portal, ws_log, page):
    snapshot = await _visit(browser, mock_portal, ws_log, page)
    assert _reasons(snapshot).get("secret-in-url") is True, snapshot.blocked_requests


@pytest.mark.xfail(strict=False, reason=(
    "known race, measured: the worker's Network.webSocketCreated reaches the watch's non-flattened "
    "session late or not at all in about 1 run in 4 (README, Known limits); when it arrives, every "
    "assertion below holds. The guard itself never lets this socket out: this test removes it"))
async def test_a_path_that_gets_past_the_guard_is_reported_as_unguarded(browser, mock_portal, ws_log, monkeypatch):
    # Take the worker bootstrap away: the worker's socket now opens. The DevTools watch must see it,
    # and the report must fail instead of claiming the page sent nothing.
    crippled = guard_mod.INIT_SCRIPT.replace("define(window, 'Worker', Wrapped);", "")
    assert crippled != guard_mod.INIT_SCRIPT
    monkeypatch.setattr(guard_mod, "INIT_SCRIPT", crippled)
    ws_log.frames.clear()
    snapshot = await capture(browser, mock_portal.url(GUARD_HOST, "/worker-ws.html") + f"?ws={ws_log.port}", OPTIONS)
    await asyncio.to_thread(lambda: [time.sleep(0.05) for _ in range(40) if not ws_log.frames])
    assert ("/worker", "SENTINEL-WORKERWS-e1f2") in ws_log.frames  # it did get out
    detected = [b for b in snapshot.blocked_requests if b.layer == "detected"]
    assert [b.reason for b in detected] == ["unguarded-websocket"]
    result = submission.check(snapshot, CheckConfig(parse_allowlist(packaged_default_text())))
    codes = {f.code: f.severity for f in result.findings}
    assert codes.get("submission.unguarded_path") == Severity.FAIL and "submission.none" not in codes


def test_a_request_the_route_never_saw_is_detected():
    guard = guard_mod.SubmissionGuard()
    guard.remember_secret("hunter2-secret")
    guard._on_will_be_sent({"requestId": "1", "request": {"method": "GET", "url": "https://a.test/x?p=hunter2-secret"}})
    guard._on_will_be_sent({"requestId": "2", "request": {"method": "GET", "url": "https://a.test/seen"}})
    guard._on_will_be_sent({"requestId": "3", "request": {"method": "GET", "url": "https://a.test/favicon.ico"}})
    guard._on_will_be_sent({"requestId": "4", "type": "Preflight", "request": {"method": "OPTIONS", "url": "https://a.test/p"}})
    guard._routed.add("https://a.test/seen")
    guard.reconcile()
    assert [(b.reason, b.layer, b.carries_field_value) for b in guard.blocked] == [("unguarded-request", "detected", True)]
    assert "hunter2" not in guard.blocked[0].url


def test_a_stopped_channel_whose_content_cannot_be_read_is_not_called_telemetry():
    guard = guard_mod.SubmissionGuard()
    guard.record("GET", "wss://a.test/s", "websocket", "page")
    assert guard.blocked[-1].carries_field_value is False  # empty fields: a socket is telemetry
    guard.remember_secret("hunter2-secret")
    for reason in ("websocket", "worker-websocket", "shared-worker", "popup", "speculation-rules"):
        guard.record("GET", "https://a.test/x", reason, "page")
        assert guard.blocked[-1].carries_field_value is True, reason
    guard.record("POST", "https://stats.test/b", "beacon", "page")
    assert guard.blocked[-1].carries_field_value is False  # readable, and it carried nothing


def test_a_fresh_realm_report_is_judged_with_every_realms_values():
    # A fresh about:blank iframe's guard knows no value; preflight knows them all.
    guard = guard_mod.SubmissionGuard()
    guard.remember_secret("hunter2-secret")
    guard._on_report(None, "fetch-post", "POST", "https://a.test/c", False, "password=hunter2-secret", False)
    assert guard.blocked[-1].carries_field_value is True
    guard._on_report(None, "keepalive", "POST", "https://a.test/k", False, "", True)
    assert guard.blocked[-1].carries_field_value is True  # an unreadable body while fields hold values
    assert "hunter2" not in repr(guard.blocked)
