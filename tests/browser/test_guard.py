"""The no-submission guarantee, proven from the mock portal's own request log."""

from __future__ import annotations

import pytest

from preflight.capture.visit import CaptureOptions, capture

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
