"""The mock portal's HTTP behaviour, through plain clients (no browser)."""

from __future__ import annotations

import email.utils
import http.client
import json
import math
import socket
import ssl
import threading
import time
from pathlib import Path

import pytest

from preflight.mock import MockPortal, MockPortalError, serve
from preflight.mock.certs import expired_cert, untrusted_cert, wrong_host_cert

from ._client import connect, fetch, trusting
from .conftest import FIXTURES

PROVIDER = "cignaforhcp.cigna.com"


def date_of(reply_headers: object) -> int:
    value = reply_headers.get("Date")  # type: ignore[attr-defined]
    assert value, "no Date header"
    return int(email.utils.parsedate_to_datetime(value).timestamp())


# --------------------------------------------------------------------------- routing


def test_pages_are_chosen_by_host_header(portal: MockPortal) -> None:
    # Given one server, When the same path is asked for under different host names,
    # Then each host gets its own page.
    assert b"Cigna for Health Care Professionals" in fetch(portal, PROVIDER).body
    assert b"myCigna" in fetch(portal, "my.cigna.com").body
    assert b"Evernorth" in fetch(portal, "provider.evernorth.com").body
    assert b"Employer Log In" in fetch(portal, "cignaforemployers.cigna.com").body


def test_unknown_host_falls_back_to_default(portal: MockPortal) -> None:
    reply = fetch(portal, "unknown-host.example")
    assert reply.status == 200
    assert b"Unknown host" in reply.body


def test_host_header_is_case_insensitive_and_port_stripped(plain_portal: MockPortal) -> None:
    # The plain client sends "Host: CIGNAFORHCP.CIGNA.COM:<port>".
    reply = fetch(plain_portal, PROVIDER.upper())
    assert b"Cigna for Health Care Professionals" in reply.body
    assert plain_portal.requests[-1]["host"] == PROVIDER


def test_fixture_roots_come_before_the_packaged_site(portal: MockPortal) -> None:
    assert b"Fixture root wins" in fetch(portal, "login.example.net").body


def test_directories_files_and_content_types(portal: MockPortal) -> None:
    assert fetch(portal, PROVIDER, "/recover/user-id/").status == 200
    moved = fetch(portal, PROVIDER, "/recover/user-id?x=1")
    assert (moved.status, moved.headers["Location"]) == (301, "/recover/user-id/?x=1")
    assert fetch(portal, PROVIDER, "/assets/portal.css").headers["Content-Type"].startswith("text/css")
    assert fetch(portal, PROVIDER, "/assets/logo.svg").headers["Content-Type"] == "image/svg+xml"
    assert fetch(portal, PROVIDER, "/").headers["Content-Type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize("path", ["/no-such-page", "/_routes.toml", "/_scenarios/auto-submit.html",
                                  "/../my.cigna.com/index.html", "/%2e%2e/my.cigna.com/index.html"])
def test_missing_and_private_files_are_404(portal: MockPortal, path: str) -> None:
    assert fetch(portal, PROVIDER, path).status == 404


# --------------------------------------------------------------------------- scenarios


@pytest.mark.parametrize("alias", ["cignaforhcp.com", "www.cignaforhcp.com"])
def test_aliases_redirect_permanently_to_the_canonical_host(portal: MockPortal, alias: str) -> None:
    for path in ("/", "/any/deep/path?q=1"):
        reply = fetch(portal, alias, path)
        assert (reply.status, reply.headers["Location"]) == (301, "https://cignaforhcp.cigna.com/")


def test_redirect_scenarios(portal: MockPortal) -> None:
    out = fetch(portal, PROVIDER, "/redirect-out")
    assert (out.status, out.headers["Location"]) == (302, "https://cignaforhcp-cigna.com/")
    assert fetch(portal, PROVIDER, "/loop").headers["Location"] == "/loop-b"
    assert fetch(portal, PROVIDER, "/loop-b").headers["Location"] == "/loop"
    assert b"Cigna for Health Care Professionals" in fetch(portal, "cignaforhcp-cigna.com").body


def test_error_statuses(portal: MockPortal) -> None:
    assert fetch(portal, PROVIDER, "/error-500").status == 500
    assert fetch(portal, PROVIDER, "/error-404").status == 404
    assert fetch(portal, "scenario.test", "/api/anything").status == 418


def test_auto_submit_page_carries_the_sentinel(portal: MockPortal) -> None:
    body = fetch(portal, PROVIDER, "/auto-submit").body
    assert b'value="SENTINEL-AUTOSUBMIT-7f3a"' in body
    assert b".submit()" in body and b'action="/login"' in body


def test_route_headers_and_cookies(portal: MockPortal) -> None:
    reply = fetch(portal, "scenario.test", "/cookies")
    assert reply.headers.get_all("Set-Cookie") == ["a=1; Path=/; Secure; HttpOnly", "b=2; Path=/"]
    assert reply.headers["Cache-Control"] == "no-store"
    assert reply.headers.get_all("Content-Type") == ["text/plain; charset=utf-8"]  # replaced, not doubled
    assert reply.headers["Strict-Transport-Security"] == "max-age=31536000"  # from [host]
    assert reply.headers["Content-Length"] == str(len(b"cookies"))


def test_method_restricted_route(portal: MockPortal) -> None:
    assert fetch(portal, "scenario.test", "/only-post", method="POST", body=b"x").status == 201
    assert fetch(portal, "scenario.test", "/only-post").status == 404


# --------------------------------------------------------------------------- Date


@pytest.mark.parametrize("path,offset", [("/clock/exact", 0.0), ("/clock/plus-2.37", 2.37),
                                         ("/clock/minus-2.37", -2.37), ("/clock/plus-90", 90.0)])
@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_date_header_follows_the_route_clock(portal: MockPortal, path: str, offset: float, method: str) -> None:
    # Given a server clock of real + offset, Then Date is that clock floored to the second,
    # read at some instant between our send and our receive.
    conn = connect(portal, PROVIDER)
    conn.connect()  # keep the handshake out of the timed window
    before = time.time()
    conn.request(method, path)
    response = conn.getresponse()
    after = time.time()
    response.read()
    conn.close()
    assert math.floor(before + offset) <= date_of(response.headers) <= math.floor(after + offset)


def test_host_clock_and_route_override(portal: MockPortal) -> None:
    for path, offset in (("/", -5.5), ("/route-clock", 1.25)):
        before = time.time()
        reply = fetch(portal, "scenario.test", path)
        after = time.time()
        assert math.floor(before + offset) <= date_of(reply.headers) <= math.floor(after + offset)


def test_date_can_be_omitted_or_garbled(portal: MockPortal) -> None:
    assert fetch(portal, "scenario.test", "/no-date").headers.get("Date") is None
    assert fetch(portal, "scenario.test", "/garbled-date").headers.get("Date") == "not a date"
    assert fetch(portal, PROVIDER, "/clock/no-date").headers.get("Date") is None


# --------------------------------------------------------------------------- HEAD, log


def test_head_has_get_headers_and_no_body(portal: MockPortal) -> None:
    got, head = fetch(portal, PROVIDER, "/"), fetch(portal, PROVIDER, "/", method="HEAD")
    assert head.body == b""
    for name in ("Content-Type", "Content-Length"):
        assert head.headers[name] == got.headers[name]
    assert int(head.headers["Content-Length"]) == len(got.body)
    assert fetch(portal, "cignaforhcp.com", "/", method="HEAD").status == 301


def test_post_is_accepted_and_logged_with_its_body(tmp_path: Path) -> None:
    log = tmp_path / "requests.jsonl"
    with MockPortal(log_path=log) as portal:
        # When a login form is submitted
        reply = fetch(portal, PROVIDER, "/login", method="POST", body=b"username=u&password=SENTINEL-7f3a",
                      headers={"Content-Type": "application/x-www-form-urlencoded", "X-Trace": "t1"})
        fetch(portal, PROVIDER, "/?q=1")
    # Then it is answered, and the memory log holds it all
    assert (reply.status, reply.body) == (200, b"received")
    post = portal.requests.matching(method="POST")[0]
    assert post["host"] == PROVIDER and post["path"] == "/login"
    assert post["body"] == "username=u&password=SENTINEL-7f3a" and post["body_bytes"] == 33
    assert post["headers"]["content-type"] == "application/x-www-form-urlencoded"
    assert post["headers"]["x-trace"] == "t1" and post["sni"] == PROVIDER and post["scheme"] == "https"
    assert portal.requests[-1]["path"] == "/?q=1"
    # And the file log has one line per request, with a digest instead of the body
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [(r["method"], r["path"]) for r in lines] == [("POST", "/login"), ("GET", "/?q=1")]
    assert "body" not in lines[0] and lines[0]["body_bytes"] == 33 and len(lines[0]["body_sha256"]) == 64
    assert "SENTINEL" not in log.read_text(encoding="utf-8")


def test_log_file_is_appended_to(tmp_path: Path) -> None:
    log = tmp_path / "requests.jsonl"
    for _ in range(2):
        with MockPortal(log_path=log, tls=False) as portal:
            fetch(portal, PROVIDER)
    assert len(log.read_text(encoding="utf-8").splitlines()) == 2


def test_chunked_request_body_is_logged(plain_portal: MockPortal) -> None:
    conn = connect(plain_portal, PROVIDER)
    conn.request("PUT", "/upload", body=iter([b"abc", b"defg"]), encode_chunked=True,
                 headers={"Transfer-Encoding": "chunked"})
    assert conn.getresponse().read() == b"received"
    conn.close()
    assert plain_portal.requests[-1]["body"] == "abcdefg"


def test_websocket_upgrade_is_logged_and_refused(portal: MockPortal) -> None:
    reply = fetch(portal, PROVIDER, "/collect/ws", headers={
        "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
    assert reply.status == 400
    record = portal.requests[-1]
    assert record["websocket"] is True and record["path"] == "/collect/ws"


def test_wait_for_returns_a_record_or_none(portal: MockPortal) -> None:
    threading.Thread(target=fetch, args=(portal, PROVIDER, "/later"), daemon=True).start()
    assert portal.requests.wait_for(lambda r: r["path"] == "/later", timeout=5) is not None
    assert portal.requests.wait_for(lambda r: r["path"] == "/never", timeout=0.05) is None


# --------------------------------------------------------------------------- faults


def test_delay(portal: MockPortal) -> None:
    started = time.monotonic()
    assert fetch(portal, "scenario.test", "/delay").body == b"late"
    assert time.monotonic() - started >= 0.3


def test_slow_body_trickles(plain_portal: MockPortal) -> None:
    started = time.monotonic()
    reply = fetch(plain_portal, "scenario.test", "/trickle")
    assert len(reply.body) == 2000 and time.monotonic() - started >= 0.25


def test_size_bytes(portal: MockPortal) -> None:
    reply = fetch(portal, PROVIDER, "/big")
    assert len(reply.body) == int(reply.headers["Content-Length"]) == 5_000_000


def test_drop_closes_without_a_response(plain_portal: MockPortal) -> None:
    with pytest.raises(http.client.RemoteDisconnected):
        fetch(plain_portal, "scenario.test", "/drop")
    assert plain_portal.requests[-1]["path"] == "/drop"  # still logged


def test_reset_after_bytes(plain_portal: MockPortal) -> None:
    conn = connect(plain_portal, "scenario.test")
    conn.request("GET", "/reset")
    response = conn.getresponse()
    assert response.status == 200 and response.headers["Content-Length"] == "10000"
    with pytest.raises((ConnectionResetError, http.client.IncompleteRead)):
        response.read()
    conn.close()


def test_reset_over_tls_is_an_error_too(portal: MockPortal) -> None:
    conn = connect(portal, PROVIDER)
    conn.request("GET", "/reset")
    response = conn.getresponse()
    with pytest.raises((OSError, http.client.IncompleteRead)):
        response.read()
    conn.close()


def test_stop_is_quick_with_hanging_idle_and_half_open_connections() -> None:
    portal = MockPortal(roots=[FIXTURES]).start()
    # Given a request stuck in never_finish, an idle keep-alive connection and a TCP
    # connection that never starts its TLS handshake
    hanging = connect(portal, "scenario.test")
    hanging.request("GET", "/hang")
    response = hanging.getresponse()
    idle = connect(portal, PROVIDER)
    idle.request("GET", "/")
    idle.getresponse().read()
    silent = socket.create_connection(("127.0.0.1", portal.port))
    # When the server stops
    started = time.monotonic()
    portal.stop()
    # Then it stops at once, and the hanging body ends short
    assert time.monotonic() - started < 1.5
    with pytest.raises((http.client.IncompleteRead, OSError)):
        response.read()
    for conn in (hanging, idle):
        conn.close()
    silent.close()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", portal.port), timeout=1).close()


# --------------------------------------------------------------------------- TLS


def test_certificate_is_trusted_by_a_strict_client(portal: MockPortal) -> None:
    context = trusting(portal.cert_path)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    for host in ("localhost", "127.0.0.1", PROVIDER, "unknown-host.example"):
        assert fetch(portal, host).status == 200


def test_refused_handshake_is_recorded(portal: MockPortal) -> None:
    conn = connect(portal, PROVIDER, context=ssl.create_default_context())  # system CAs only
    with pytest.raises(ssl.SSLCertVerificationError):
        conn.request("GET", "/")
    assert portal.tls_errors.wait_for(lambda r: r["sni"] == PROVIDER, timeout=5) is not None
    assert not portal.requests.matching(path="/")


@pytest.mark.parametrize("make,reason", [
    (lambda d: expired_cert(d, [PROVIDER]), "expired"),
    (lambda d: wrong_host_cert(d), "Hostname mismatch"),
])
def test_bad_certificates_fail_verification(tmp_path: Path, make, reason: str) -> None:  # type: ignore[no-untyped-def]
    bad = make(tmp_path)
    with MockPortal(cert=bad) as portal:
        conn = connect(portal, PROVIDER, context=trusting(bad.cert_path))
        with pytest.raises(ssl.SSLCertVerificationError, match=reason):
            conn.request("GET", "/")


def test_sni_certs_serve_another_pair_for_one_host(tmp_path: Path) -> None:
    with MockPortal(sni_certs={"my.cigna.com": untrusted_cert(tmp_path, ["my.cigna.com"])}) as portal:
        assert fetch(portal, PROVIDER).status == 200
        with pytest.raises(ssl.SSLCertVerificationError):
            fetch(portal, "my.cigna.com")


def test_generated_cert_dir_is_removed_on_stop(tmp_path: Path) -> None:
    with MockPortal() as portal:
        cert = portal.cert_path
        assert cert.is_file()
    assert not cert.exists()
    with MockPortal(cert_dir=tmp_path / "certs") as portal:
        kept = portal.cert_path
    assert kept.is_file()


# --------------------------------------------------------------------------- addresses, CLI


def test_urls_and_connect_to(portal: MockPortal, plain_portal: MockPortal) -> None:
    assert portal.url(PROVIDER) == "https://cignaforhcp.cigna.com/"
    assert portal.url(PROVIDER, "login") == "https://cignaforhcp.cigna.com/login"
    assert plain_portal.url(PROVIDER, "/x") == "http://cignaforhcp.cigna.com/x"
    assert portal.connect_to_args([PROVIDER]) == [f"{PROVIDER}:443:127.0.0.1:{portal.port}"]
    assert plain_portal.connect_to_args([PROVIDER]) == [f"{PROVIDER}:80:127.0.0.1:{plain_portal.port}"]
    assert len(portal.connect_to_args()) == len(portal.hosts)


def test_serve_prints_a_ready_command_and_stops(tmp_path: Path) -> None:
    lines: list[str] = []
    stop = threading.Event()
    log = tmp_path / "log.jsonl"
    thread = threading.Thread(target=serve, kwargs=dict(port=0, log_path=log, roots=[], print_fn=lines.append,
                                                        stop=stop), daemon=True)
    thread.start()
    deadline = time.monotonic() + 5
    while not any("Ctrl-C" in line for line in lines) and time.monotonic() < deadline:
        time.sleep(0.01)
    command = next(line for line in lines if "preflight check" in line)
    port = next(line for line in lines if line.startswith("mock portal listening")).rsplit("port ", 1)[1].strip(")")
    cert = next(line for line in lines if line.startswith("certificate: ")).split(": ", 1)[1]
    assert f"--connect-to cignaforhcp.cigna.com:443:127.0.0.1:{port}" in command
    assert f"--trust-cert {cert}" in command and Path(cert).is_file()
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()


def test_busy_port_is_a_clear_error() -> None:
    with MockPortal(tls=False) as first, pytest.raises(MockPortalError, match="cannot listen"):
        MockPortal(tls=False, port=first.port).start()
