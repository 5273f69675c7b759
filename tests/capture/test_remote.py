"""Remote browsers without a browser: Playwright's connect errors as one line, the launch options a
run-server gets, which endpoint a visit leases, and the command line's refusals."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any

import pytest

from preflight.capture import remote
from preflight.capture.browser import BrowserChoice, LaunchOptions, feature_flags
from preflight.capture.visit import CaptureFailed
from preflight.config.network import parse_connect_to

# Recorded from Playwright 1.65.2 (Python): a real `python -m playwright run-server` (1.65) answering
# a client whose User-Agent said Playwright/1.64.0, i.e. the server's own 428 text as the client
# raises it. Playwright compares major.minor only.
MISMATCH = (
    "BrowserType.connect: WebSocket error: ws://127.0.0.1:44443/ 428 Precondition Required\n"
    "╔════════════════════════════════════════════════════╗\n"
    "║ Playwright version mismatch:                       ║\n"
    "║   - server version: v1.65                          ║\n"
    "║   - client version: v1.64                          ║\n"
    "║                                                    ║\n"
    "║ If you are using VSCode extension, restart VSCode. ║\n"
    "║                                                    ║\n"
    "║ If you are connecting to a remote service,         ║\n"
    "║ keep your local Playwright version in sync         ║\n"
    "║ with the remote service version.                   ║\n"
    "║                                                    ║\n"
    "║ <3 Playwright Team                                 ║\n"
    "╚════════════════════════════════════════════════════╝\n"
    "Call log:\n"
    "  - <ws connecting> ws://127.0.0.1:44443/\n"
    "  - <ws unexpected response> ws://127.0.0.1:44443/ 428 Precondition Required\n"
    "  - <ws disconnected> ws://127.0.0.1:44443/ code=1006 reason=\n"
)
REFUSED = ("BrowserType.connect: WebSocket error: connect ECONNREFUSED 127.0.0.1:1\nCall log:\n"
           "  - <ws connecting> ws://127.0.0.1:1/\n  - <ws error> ws://127.0.0.1:1/ error connect ECONNREFUSED 127.0.0.1:1\n")
NO_BROWSER = ("BrowserType.connect: Executable doesn't exist at /root/.cache/ms-playwright/chromium_headless_shell-1255/"
              "chrome-headless-shell-linux64/chrome-headless-shell\n╔══════╗\n║ Looks like Playwright was just installed"
              " or updated. ║\n╚══════╝")


def test_a_version_mismatch_is_one_line_naming_both_versions():
    line = remote.connect_failure(MISMATCH, "ws://127.0.0.1:44443/")
    assert line == ("ws://127.0.0.1:44443/ runs Playwright 1.65, preflight runs Playwright 1.64: the versions must "
                    "match (pip install 'playwright==1.65.*' here, or run the server with Playwright 1.64)")
    assert "\n" not in line


@pytest.mark.parametrize("text, expected", [
    (REFUSED, "nothing answers at ws://h/ (connection refused)"),
    ("BrowserType.connect: WebSocket error: getaddrinfo ENOTFOUND pool.example\n", "the host of ws://h/ does not resolve"),
    (NO_BROWSER, "the browser server at ws://h/ has no browser at /root/.cache/ms-playwright/chromium_headless_shell-1255/"
                 "chrome-headless-shell-linux64/chrome-headless-shell: install one there, or start it with --unsafe "
                 "and pass --browser-path (a path on that machine)"),
    ("BrowserType.connect: WebSocket error: ws://h/ 401 Unauthorized\nCall log:\n",
     "ws://h/ refused the connection (HTTP 401 Unauthorized)"),
    ("BrowserType.connect_over_cdp: Timeout 30000ms exceeded.\nCall log:\n", "ws://h/ did not answer in time"),
    ("BrowserType.connect: WebSocket error: wss://pool.example/?token=abcdef0123456789abcdef 418 I'm a teapot\n",
     "ws://h/ refused the connection (HTTP 418 I'm a teapot)"),
    ("BrowserType.connect: socket hang up wss://pool.example/?token=abcdef0123456789abcdef\nCall log:\n",
     "ws://h/: socket hang up wss://pool.example/?token=REDACTED"),
])
def test_connect_errors_are_one_line(text, expected):
    assert remote.connect_failure(text, "ws://h/") == expected


def test_the_endpoint_is_shown_redacted():
    # A browserless-style token in the query, or credentials: never in a note or a report.
    assert remote.Endpoint("wss://pool.example/?token=0123456789abcdef0123", "connect").shown == \
        "wss://pool.example/?token=REDACTED"
    assert remote.Endpoint("wss://user:secret@pool.example/", "connect").shown == "wss://REDACTED@pool.example/"


def test_the_run_server_gets_the_same_switches_as_a_local_launch():
    launch = LaunchOptions(BrowserChoice("/usr/bin/chromium", None, "the browser server"),
                           (parse_connect_to("portal.example:443:127.0.0.1:8443"),), ("SPKIHASH=",))
    header = remote.launch_header(launch, 12.5)
    options = json.loads(header["x-playwright-launch-options"])
    assert options["args"] == launch.args()
    assert any(a.startswith("--host-resolver-rules=") and "MAP portal.example:443 127.0.0.1:8443" in a
               for a in options["args"])
    assert "--ignore-certificate-errors-spki-list=SPKIHASH=" in options["args"]
    assert options["ignoreDefaultArgs"] == feature_flags()[0]
    assert options["executablePath"] == "/usr/bin/chromium" and "channel" not in options
    assert options["headless"] is True and options["timeout"] == 12500


class FakeBrowser:
    def __init__(self) -> None:
        self.connected = True

    def is_connected(self) -> bool:
        return self.connected


def pool_of(count: int, answering: tuple[str, ...] = ()) -> tuple[remote.BrowserPool, list[str]]:
    """A pool of connected fake browsers; connecting again works only for the ``answering`` URLs."""
    notes: list[str] = []
    pool = remote.BrowserPool(None, [f"ws://h{i}/" for i in range(count)], "connect",  # type: ignore[arg-type]
                              LaunchOptions(BrowserChoice()), 5.0, notes.append)
    for endpoint in pool.endpoints:
        endpoint.browser = FakeBrowser()  # type: ignore[assignment]

    async def connect(endpoint: remote.Endpoint) -> str | None:
        if endpoint.url in answering:
            endpoint.browser, endpoint.down_since = FakeBrowser(), None  # type: ignore[assignment]
            return None
        return f"nothing answers at {endpoint.shown} (connection refused)"

    pool._connect = connect  # type: ignore[method-assign]
    return pool, notes


def test_visits_lease_the_least_busy_endpoint():
    async def scenario() -> list[str]:
        pool, _notes = pool_of(2)
        order: list[str] = []
        async with pool.lease() as a, pool.lease() as b, pool.lease() as c:
            order += [a.url, b.url, c.url]
        async with pool.lease() as d:
            order.append(d.url)  # both idle again: h1 served fewer
        return order

    assert asyncio.run(scenario()) == ["ws://h0/", "ws://h1/", "ws://h0/", "ws://h1/"]


def test_a_dead_endpoint_is_skipped_named_once_and_the_last_one_says_so():
    async def scenario() -> tuple[list[str], list[str], str]:
        pool, notes = pool_of(2)
        first = pool.endpoints[0]
        first.browser.connected = False  # type: ignore[union-attr]
        assert await pool.died(first)
        assert await pool.died(first)  # said once
        leased = []
        for _ in range(2):
            async with pool.lease() as endpoint:
                leased.append(endpoint.url)
        pool.endpoints[1].browser.connected = False  # type: ignore[union-attr]
        await pool.died(pool.endpoints[1])
        with pytest.raises(CaptureFailed) as failed:
            async with pool.lease():
                pass
        return leased, notes, f"{failed.value.code}: {failed.value.message}"

    leased, notes, error = asyncio.run(scenario())
    assert leased == ["ws://h1/", "ws://h1/"]
    lost = "browser endpoint skipped: the connection to ws://h{0}/ was lost; reconnecting failed: nothing answers " \
           "at ws://h{0}/ (connection refused) ({1} of 2 still up)"
    assert notes == [lost.format(0, 1), lost.format(1, 0)]
    assert error.startswith("browser.endpoint_unreachable: no browser endpoint is up: the connection to ws://h0/ "
                            "was lost; reconnecting failed: nothing answers at ws://h0/ (connection refused); ")


def test_a_run_server_whose_browser_died_is_connected_again():
    async def scenario() -> tuple[bool, str, int]:
        pool, notes = pool_of(1, answering=("ws://h0/",))
        endpoint = pool.endpoints[0]
        endpoint.browser.connected = False  # type: ignore[union-attr]
        died = await pool.died(endpoint)
        async with pool.lease() as again:
            return died and again is endpoint and endpoint.down_since is None, " ".join(notes), pool.reconnects

    ok, notes, reconnects = asyncio.run(scenario())
    assert ok and reconnects == 1
    assert notes == "ws://h0/: the connection was lost and made again (a new browser)"


def test_a_connected_endpoint_is_preferred_to_one_whose_connection_dropped():
    async def scenario() -> tuple[str, int]:
        pool, _notes = pool_of(2, answering=("ws://h0/",))
        pool.endpoints[0].browser.connected = False  # type: ignore[union-attr]
        pool.endpoints[1].busy = 5
        async with pool.lease() as endpoint:
            return endpoint.url, pool.reconnects

    # h0 is idle but disconnected: a connected endpoint is preferred even when busier.
    assert asyncio.run(scenario()) == ("ws://h1/", 0)


def test_a_visit_that_failed_on_a_live_browser_does_not_take_the_endpoint_down(monkeypatch):
    monkeypatch.setattr(remote, "DISCONNECT_WAIT_S", 0.05)
    pool, notes = pool_of(1)
    assert asyncio.run(pool.died(pool.endpoints[0])) is False
    assert notes == [] and pool.endpoints[0].down_since is None


# --------------------------------------------------------------------------- the command line


def one_line_error(*args: str) -> str:
    result = subprocess.run([sys.executable, "-m", "preflight", "check", "https://cignaforhcp.cigna.com/", *args],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("preflight: error: ") and " — " in lines[0], result.stderr
    return lines[0]


@pytest.mark.parametrize("args, needle", [
    (["--connect", "http://127.0.0.1:3000/"], "--connect http://127.0.0.1:3000/: not a ws:// or wss:// URL"),
    (["--cdp", "127.0.0.1:9222"], "--cdp 127.0.0.1:9222: not an http(s):// or ws(s):// URL"),
    (["--connect", "ws://a:1/", "--cdp", "http://b:2"], "--connect and --cdp both name the browser"),
    (["--cdp", "http://127.0.0.1:9222", "--connect-to", "cignaforhcp.cigna.com:443:127.0.0.1:8443"],
     "--cdp uses a browser that is already running, whose switches are set"),
    (["--cdp", "http://127.0.0.1:9222", "--browser-path", "/usr/bin/chromium"], "--browser-path/--browser-channel"),
    (["--connect", "ws://a:1/", "--browser-policies"], "--browser-policies opens a profile in a browser launched here"),
])
def test_remote_options_refused_before_anything_starts(args: list[str], needle: str, tmp_path: Any):
    assert needle in one_line_error(*args)


def test_with_connect_the_browser_path_is_the_servers_and_not_looked_up_here():
    # --browser-path /nowhere would be refused locally; with --connect it goes to the server.
    result = subprocess.run([sys.executable, "-m", "preflight", "check", "https://cignaforhcp.cigna.com/", "--no-clock",
                             "--timeout", "3", "--browser-path", "/nowhere/chromium", "--connect", "ws://127.0.0.1:1/"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 3, result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "preflight: error: no browser endpoint could be used: nothing answers at ws://127.0.0.1:1/ (connection refused)"
        " — start the browser server (see README, Remote browsers) or check the URL")
