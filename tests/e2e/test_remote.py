"""`preflight check --connect` through two real `python -m playwright run-server` processes.

The servers are started here (port 0, ``--unsafe`` so that the client's launch options, with the
guard's switches, the host mapping and the system Chromium's path, are kept) and killed at
teardown with every browser they launched (``run_servers`` asserts no process of theirs is left).

* Spread: targets go to both endpoints, as the report and the servers' own logs say.
* An endpoint killed mid-run is skipped and named; the visits it was serving are
  ``browser.endpoint_unreachable`` (or, with a retry, served by the other endpoint).
* The guard and redaction: a representative subset of the trap corpus and of the hostile corpus,
  judged by the servers' own request logs exactly as test_traps.py / test_hostile.py judge them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from preflight.mock.server import MockPortal
from tests.e2e.run_servers import SYSTEM_CHROMIUM, RunServer, run_servers

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not Path(SYSTEM_CHROMIUM).exists(), reason=f"needs Debian's chromium at {SYSTEM_CHROMIUM}")]
ROOT = Path(__file__).resolve().parents[2]
FAULTS = ROOT / "fixtures" / "faults"
HOST = "cignaforhcp.cigna.com"
SCHEMA = json.loads(resources.files("preflight").joinpath("schema/run.schema.json").read_text())


def preflight(args: list[str], timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "preflight", "check", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, "PYTHONPATH": str(ROOT)})


def remote_args(servers: list[RunServer]) -> list[str]:
    # --browser-path names the server's browser (sent as executablePath, kept thanks to --unsafe).
    args = ["--browser-path", SYSTEM_CHROMIUM]
    for server in servers:
        args += ["--connect", server.endpoint]
    return args


def portal_args(portal: MockPortal, hosts: list[str] | None = None) -> list[str]:
    args = ["--trust-cert", str(portal.cert_path)]
    for mapping in portal.connect_to_args(hosts):
        args += ["--connect-to", mapping]
    return args


# --------------------------------------------------------------------------- spread and failure


def test_targets_are_spread_across_both_run_servers():
    with run_servers(2) as servers, MockPortal() as portal:
        urls = [portal.url(HOST, f"/?n={n}") for n in range(6)]
        result = preflight([*urls, "--json", "--no-clock", "--jobs", "4", "--timeout", "20",
                            *portal_args(portal), *remote_args(servers)])
        connections = [server.connections for server in servers]
        endpoints = [server.endpoint for server in servers]
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    served = [r["browser_endpoint"] for r in report["results"]]
    assert sorted(set(served)) == sorted(endpoints)
    # Least busy first: the first four visits (--jobs 4) go two to each; the rest to whichever is free.
    assert min(served.count(e) for e in endpoints) >= 2
    assert all(r["verdict"] == "pass" for r in report["results"])
    # Each server saw one client connection (one browser) for the whole run.
    assert connections == [1, 1]
    assert all(e in report["browser"] for e in endpoints)


@pytest.mark.parametrize("retries", [0, 1])
def test_an_endpoint_killed_mid_run_is_skipped_and_reported(retries):
    with run_servers(2) as servers, MockPortal(roots=[FAULTS]) as portal:
        # /slow answers after 3 s: four visits are in flight, two per endpoint, when one endpoint dies.
        urls = [portal.url(HOST, f"/slow?n={n}") for n in range(6)]
        args = [sys.executable, "-m", "preflight", "check", *urls, "--json", "--no-clock", "--jobs", "4",
                "--timeout", "20", "--retries", str(retries), *portal_args(portal), *remote_args(servers)]
        run = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONPATH": str(ROOT)})
        try:
            deadline = time.monotonic() + 60
            while sum(1 for r in portal.requests if r["path"].startswith("/slow")) < 4 and time.monotonic() < deadline:
                time.sleep(0.05)
            assert sum(1 for r in portal.requests if r["path"].startswith("/slow")) >= 4, "the visits never started"
            victim, survivor = servers
            victim.kill()
            assert victim.group_alive() == set()
            stdout, stderr = run.communicate(timeout=120)
        finally:
            if run.poll() is None:
                run.kill()
                run.wait()
    report = json.loads(stdout)
    jsonschema.validate(report, SCHEMA)
    assert (f"browser endpoint skipped: the connection to {victim.endpoint} was lost; reconnecting failed: nothing "
            f"answers at {victim.endpoint} (connection refused) (1 of 2 still up)") in stderr, stderr
    results = report["results"]
    # Nothing was served by the dead endpoint; what it was serving names it.
    assert all(r["browser_endpoint"] in (None, survivor.endpoint) for r in results)
    lost = [r for r in results if r["error"]]
    if retries == 0:
        assert len(lost) == 2 and report["verdict"] == "error"
        for r in lost:
            assert r["error"]["code"] == "browser.endpoint_unreachable"
            assert victim.endpoint in r["error"]["message"]
        assert all(r["verdict"] == "pass" and r["browser_endpoint"] == survivor.endpoint
                   for r in results if not r["error"])
    else:  # the batch carries on: the two visits start again on the survivor
        assert lost == [] and report["verdict"] == "pass"
        assert sorted(r["attempts"] for r in results) == [1, 1, 1, 1, 2, 2]
        assert stderr.count("went away during the check; retrying (1/1)") == 2


def test_a_server_without_unsafe_or_a_browser_is_one_clear_line():
    # Without --unsafe, run-server drops executablePath (and args): it looks for its own browser.
    with run_servers(1, unsafe=False) as servers, MockPortal() as portal:
        result = preflight([portal.url(HOST), "--no-clock", "--timeout", "15", *portal_args(portal),
                            *remote_args(servers)])
    assert result.returncode == 3, result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("preflight: error: no browser endpoint could be used: ")
    assert f"the browser server at {servers[0].endpoint} has no browser at " in line
    assert "start it with --unsafe" in line
    assert "╔" not in result.stderr and "Call log" not in result.stderr


def test_an_endpoint_that_is_not_there_is_skipped_and_the_run_goes_on():
    with run_servers(1) as servers, MockPortal() as portal:
        nowhere = RunServer()  # a port nobody listens on: a free one, taken and released
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            nowhere.endpoint = f"ws://127.0.0.1:{probe.getsockname()[1]}/"
        result = preflight([portal.url(HOST), portal.url(HOST, "/?b"), "--json", "--no-clock", "--timeout", "15",
                            *portal_args(portal), *remote_args([nowhere, *servers])])
    assert result.returncode == 0, result.stderr
    assert f"browser endpoint skipped: nothing answers at {nowhere.endpoint} (connection refused) (1 of 2 still up)" \
        in result.stderr
    assert {r["browser_endpoint"] for r in json.loads(result.stdout)["results"]} == {servers[0].endpoint}


# --------------------------------------------------------------------------- the guard, through run-server

TRAP_PAGES = ("form-submit.html", "fetch-post.html", "xhr-post.html", "beacon.html", "get-form.html",
              "image-beacon-base64.html", "location-assign.html", "cookie-stash.html", "header-smuggle.html",
              "websocket.html", "fetch-keepalive-get.html", "a-ping.html")
"""The classic submissions (test_traps.py asserts the same of them): one per route out of the page."""
CARRY_FIELD_VALUES = TRAP_PAGES[:9]
"""Those whose attempt carries the page's field values (test_traps.py's list)."""

HOSTILE_PAGES = (
    "worker-fetch-post", "sharedworker-fetch-post", "iframe-blank-fetch", "popup-blank-fetch",
    "csp-report-uri-sample", "csp-report-to-sample", "nel-failing-subresource", "fetchlater-post",
    "speculation-inline-prefetch", "fedcm-config-url", "payment-method-manifest", "webtransport-stream",
    "websocketstream-send", "value-read-before-dcl", "declarative-shadow-dom", "transform-rot13",
)
"""One page per family of route (test_hostile.py's profile set), plus every page that only the
launch switches stop (Reporting, NEL, fetchLater, FedCM, PaymentRequest, WebSocketStream,
SharedWorker, QUIC): the switches have to arrive through the run-server for these to pass."""


@pytest.fixture(scope="module")
def pool():
    with run_servers(2) as servers:
        yield servers


@pytest.fixture(scope="module")
def trap_run(pool):
    from tests.e2e.test_traps import HOST as TRAP_HOST
    from tests.e2e.test_traps import TRAPS

    with MockPortal(roots=[TRAPS]) as portal:
        urls = [portal.url(TRAP_HOST, "/" + page) for page in TRAP_PAGES]
        result = preflight([*urls, "--json", "--jobs", "6", "--no-clock", "--timeout", "20",
                            *portal_args(portal, [TRAP_HOST]), *remote_args(pool)], timeout=300)
        records = list(portal.requests)
    assert result.stdout, result.stderr[-3000:]
    return json.loads(result.stdout), records


def test_traps_the_server_never_received_a_body_a_post_or_a_sentinel(trap_run):
    from urllib.parse import unquote_plus

    from tests.e2e.test_traps import HELPER_SENTINELS, MANIFEST, encodings

    report, records = trap_run
    assert {"/" + p for p in TRAP_PAGES} <= {r["path"] for r in records}
    sentinels = [t["sentinel"] for t in MANIFEST if t["page"] in TRAP_PAGES] + HELPER_SENTINELS
    leaks = []
    for record in records:
        text = unquote_plus(json.dumps(record))
        if record["method"] not in ("GET", "HEAD") or record.get("body_bytes"):
            leaks.append((record["method"], record["path"], "method/body"))
        leaks += [(record["method"], record["path"], s) for s in sentinels if any(f in text for f in encodings(s))]
    assert leaks == []
    jsonschema.validate(report, SCHEMA)


# Not named ``page``: that is pytest-playwright's fixture, and a test asking for it gets its
# session-scoped ``browser_name`` parameter, which moves these tests away from the rest of the
# module (pytest groups by session parameters) and so runs ``pool`` and ``trap_run`` twice.
@pytest.mark.parametrize("trap_page", TRAP_PAGES)
def test_traps_each_attempt_is_reported_and_redacted(trap_run, trap_page):
    from tests.e2e.test_traps import MANIFEST

    report, _records = trap_run
    trap = next(t for t in MANIFEST if t["page"] == trap_page)
    result = next(r for r in report["results"] if r["target"].endswith("/" + trap_page))
    assert trap["sentinel"] not in json.dumps(result)
    assert result["blocked_requests"], f"{trap_page}: {trap['what']} was not reported"
    codes = {f["code"]: f["severity"] for f in result["findings"]}
    assert "submission.blocked" in codes or "submission.telemetry_blocked" in codes, codes
    if trap_page in CARRY_FIELD_VALUES:  # never called telemetry (test_traps.py asserts the same locally)
        assert codes.get("submission.blocked") == "warn", codes


def test_traps_were_spread_across_both_servers(trap_run, pool):
    report, _records = trap_run
    assert {r["browser_endpoint"] for r in report["results"]} == {s.endpoint for s in pool}


@pytest.fixture(scope="module")
def hostile_run(pool, tmp_path_factory):
    from tests.e2e.hostile_server import HostileServers
    from tests.e2e.test_hostile import BY_STEM, TIMEOUT_S, normalise
    from tests.e2e.test_hostile import HOST as HOSTILE_HOST
    from tests.e2e.test_hostile import HOSTILE as HOSTILE_ROOT

    workdir = tmp_path_factory.mktemp("hostile-remote")
    with HostileServers(workdir) as hostile, MockPortal(roots=[HOSTILE_ROOT]) as portal:
        urls = [portal.url(HOSTILE_HOST, "/" + BY_STEM[stem]["page"]) for stem in HOSTILE_PAGES]
        args = [*urls, "--json", "--jobs", "4", "--no-clock", "--retries", "0", "--timeout", str(TIMEOUT_S),
                "--trust-cert", str(portal.cert_path), "--trust-cert", str(hostile.cert_path)]
        for mapping in hostile.connect_to_args(portal.connect_to_args([HOSTILE_HOST])):
            args += ["--connect-to", mapping]
        result = preflight([*args, *remote_args(pool)])
        time.sleep(1.0)  # uploads queued by the browser's network service (reports) land late
        records = normalise(list(portal.requests), list(hostile.records))
        problems = list(hostile.problems)
    assert result.stdout, result.stderr[-3000:]
    return {"mode": "remote", "report": json.loads(result.stdout), "records": records, "server_problems": problems}


def _hostile_leaks(run: dict[str, Any], kind: str) -> list[tuple[str, str]]:
    from tests.e2e.test_hostile import _all_leaks

    return _all_leaks(run, kind)


def test_hostile_every_page_was_loaded(hostile_run):
    assert hostile_run["server_problems"] == []
    loaded = {r.get("path", "").split("?")[0] for r in hostile_run["records"] if r["server"] == "portal"}
    assert {f"/{stem}.html" for stem in HOSTILE_PAGES} <= loaded


@pytest.mark.parametrize("kind", ["method ", "body ", "websocket", "webtransport"])
def test_hostile_nothing_of_this_kind_reached_a_server(hostile_run, kind):
    assert _hostile_leaks(hostile_run, kind) == []


def test_hostile_no_sentinel_reached_a_server(hostile_run):
    from tests.e2e.test_hostile import LIMITED

    leaks = _hostile_leaks(hostile_run, "sentinel") + _hostile_leaks(hostile_run, "tls handshake")
    assert [(stem, d) for stem, d in leaks if stem not in LIMITED] == []


def test_hostile_the_browser_itself_sends_nothing_to_third_parties(hostile_run):
    # The service-host block is a launch switch (--host-resolver-rules): it reached the server's browser.
    from tests.e2e.test_hostile import _host_of, is_background

    seen = sorted({(r.get("method"), _host_of(r)) for r in hostile_run["records"]
                   if is_background(r) and r.get("event") == "request"})
    assert seen == []


@pytest.mark.parametrize("stem", HOSTILE_PAGES)
def test_hostile_each_attempt_is_reported_and_redacted(hostile_run, stem):
    from tests.e2e.test_hostile import BY_STEM, LIMITED, evidence

    trap = BY_STEM[stem]
    result = next(r for r in hostile_run["report"]["results"] if r["target"].endswith("/" + trap["page"]))
    assert trap["sentinel"] not in json.dumps(result) and trap["user_sentinel"] not in json.dumps(result)
    codes = {f["code"] for f in result["findings"]}
    if stem in LIMITED:
        assert "submission.none" not in codes and "submission.page_requests" in codes
        return
    arrived = evidence(hostile_run)[0][stem]
    if arrived or result.get("blocked_requests"):
        assert "submission.none" not in codes, (stem, [d for d, _ in arrived])


# --------------------------------------------------------------------------- --cdp: a browser already running

CDP_PAGES = ("form-submit.html", "fetch-post.html", "beacon.html", "get-form.html", "websocket.html",
             "cookie-stash.html")


def devtools_switches(portal: MockPortal, host: str, guard: bool) -> list[str]:
    """What the user starts Chrome with for --cdp (README, Remote browsers): the host mapping and
    the certificate pin, and with ``guard`` every switch preflight launches its own browser with."""
    from preflight.capture.browser import BrowserChoice, LaunchOptions
    from preflight.config.network import parse_connect_to, spki_hash

    options = LaunchOptions(BrowserChoice(), tuple(parse_connect_to(m) for m in portal.connect_to_args([host])),
                            (spki_hash(str(portal.cert_path)),))
    args = options.args()
    return args if guard else [a for a in args if a.startswith(("--host-resolver-rules", "--ignore-certificate"))]


def open_pages(url: str) -> list[list[str]]:
    """Every context's pages of the browser at ``url``, as a fresh DevTools client sees them."""
    import asyncio

    from playwright.async_api import async_playwright

    async def read() -> list[list[str]]:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.connect_over_cdp(url)
            try:
                return [[page.url for page in context.pages] for context in browser.contexts]
            finally:
                await browser.close()

    return asyncio.run(read())


@pytest.mark.parametrize("guard_switches", [True, False], ids=["started-with-guard-switches", "plain"])
def test_cdp_visits_in_fresh_contexts_guarded_and_leaves_the_browser_as_it_was(tmp_path, guard_switches):
    from urllib.parse import unquote_plus

    from tests.e2e.run_servers import DevToolsChromium
    from tests.e2e.test_traps import HOST as TRAP_HOST
    from tests.e2e.test_traps import MANIFEST, TRAPS, encodings

    with MockPortal(roots=[TRAPS]) as portal, \
            DevToolsChromium(tmp_path / "profile", devtools_switches(portal, TRAP_HOST, guard_switches)) as chromium:
        before = open_pages(chromium.url)
        urls = [portal.url(TRAP_HOST, "/" + page) for page in CDP_PAGES]
        result = preflight([*urls, "--json", "--jobs", "3", "--no-clock", "--timeout", "20", "--cdp", chromium.url])
        records = list(portal.requests)
        assert chromium.alive(), "--cdp closed the user's browser"
        after = open_pages(chromium.url)
    assert result.stdout, result.stderr[-3000:]
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    # The user's page is still there, alone: every visit had a context of its own, closed after.
    assert before == after == [[DevToolsChromium.USER_PAGE]]
    note = "this browser was not started with the guard's switches"
    assert (note in result.stderr) is not guard_switches
    # The guard, judged from the server's log; each attempt reported, no sentinel in the report.
    leaks = []
    for record in records:
        text = unquote_plus(json.dumps(record))
        if record["method"] not in ("GET", "HEAD") or record.get("body_bytes"):
            leaks.append((record["method"], record["path"]))
        leaks += [(record["path"], t["sentinel"]) for t in MANIFEST if any(f in text for f in encodings(t["sentinel"]))]
    assert leaks == []
    for result_of in report["results"]:
        assert result_of["browser_endpoint"] == chromium.url
        assert result_of["blocked_requests"], result_of["target"]
        page = result_of["target"].rsplit("/", 1)[1]
        assert next(t["sentinel"] for t in MANIFEST if t["page"] == page) not in json.dumps(result_of)
