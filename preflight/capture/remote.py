"""Remote browsers: Playwright run-servers (``--connect``) and a running Chrome/Edge (``--cdp``).

A ``BrowserPool`` holds one connection per endpoint; each visit leases the least busy endpoint
that is up, in a fresh context of that endpoint's browser (``capture`` never touches a context it
did not create, so the pages of a ``--cdp`` browser are left alone).

- **run-server**: each connection gets its own browser, launched by the server with the launch
  options the client sends in the ``x-playwright-launch-options`` header. Playwright 1.65 keeps
  ``args``, ``ignoreDefaultArgs`` and ``executablePath`` only when the server runs with
  ``--unsafe`` (``filterLaunchOptions`` in playwright-core's ``remote/playwrightServer.ts``) and
  drops them silently otherwise. Those args are the guard's browser switches and the host
  mapping, so every connection is checked (``missing_switches``): an endpoint that dropped them
  is refused, never used with a weaker guard.
- **CDP**: the browser is someone else's and already running; its switches cannot be changed.
  The pool says which of the guard's switches it lacks; the page, network and DevTools layers of
  the guard work over CDP as they do locally.

An endpoint that cannot be reached, or dies, is down: the observer hears it once, the visits it
was serving fail with ``browser.endpoint_unreachable`` (transient: the runner's retry goes to
another endpoint), and it is tried again after ``DOWN_RETRY_S``.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from preflight.capture.browser import GUARD_DISABLED_BLINK_FEATURES, LaunchOptions, feature_flags
from preflight.capture.visit import CaptureFailed
from preflight.errors import BrowserLaunchError
from preflight.rules.redact import redact_text, redact_url

if TYPE_CHECKING:  # pragma: no cover
    from playwright.async_api import Browser, Playwright

ENDPOINT_CODE = "browser.endpoint_unreachable"

DOWN_RETRY_S = 30.0
"""An endpoint that went down is tried again after this long (a long ``serve`` outlives a restart)."""

DISCONNECT_WAIT_S = 3.0
"""After a visit broke with "closed": how long to wait for the connection's ``disconnected`` event,
which Playwright delivers after the failed call returns (late on a loaded machine; only visits
that already failed wait)."""

PROBE_GLOBALS = {"SharedWorker": "SharedWorker", "FetchLaterAPI": "fetchLater",
                 "WebSocketStream": "WebSocketStream", "FedCm": "IdentityCredential"}
"""Each of ``GUARD_DISABLED_BLINK_FEATURES`` and the global it removes: present means the switch is off."""

Kind = Literal["connect", "cdp"]


@dataclass
class Endpoint:
    """One remote browser: where it is, whether it is up, how busy it is."""

    url: str
    kind: Kind
    browser: Browser | None = None
    busy: int = 0
    served: int = 0
    down_since: float | None = None
    reason: str = ""
    """Why it is down (one line), or why it was refused."""
    lost: asyncio.Event = field(default_factory=asyncio.Event)
    """Set when this connection's browser disconnects."""
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    """Held while connecting, so that one visit reconnects and the others wait for it."""
    warned: bool = False
    """The missing-switches note was given (once per endpoint)."""

    @property
    def shown(self) -> str:
        """The endpoint as reports show it: a token in its query or userinfo redacted."""
        return redact_url(self.url)

    def usable(self, now: float) -> bool:
        return self.down_since is None or now - self.down_since >= DOWN_RETRY_S


def launch_header(launch: LaunchOptions, timeout_s: float) -> dict[str, str]:
    """The launch options a run-server starts this connection's browser with (JSON in a header):
    the same switches a local launch gets; the browser path and channel as given (the server's)."""
    options: dict[str, object] = {"headless": True, "args": launch.args(), "ignoreDefaultArgs": feature_flags()[0],
                                  "timeout": timeout_s * 1000}
    if launch.choice.executable_path:
        options["executablePath"] = launch.choice.executable_path
    if launch.choice.channel:
        options["channel"] = launch.choice.channel
    return {"x-playwright-launch-options": json.dumps(options)}


_MISMATCH = re.compile(r"server version:\s*v?(?P<server>\d+\.\d+(?:\.\d+)?).*?client version:\s*v?(?P<client>\d+\.\d+(?:\.\d+)?)",
                       re.S)


def connect_failure(text: str, shown: str) -> str:
    """Playwright's connect error as one line naming the endpoint (its own text is a boxed banner
    and a call log). A version mismatch names both versions."""
    mismatch = _MISMATCH.search(text)
    if mismatch:
        server, client = mismatch.group("server"), mismatch.group("client")
        return (f"{shown} runs Playwright {server}, preflight runs Playwright {client}: the versions must match "
                f"(pip install 'playwright=={server}.*' here, or run the server with Playwright {client})")
    if "ECONNREFUSED" in text:
        return f"nothing answers at {shown} (connection refused)"
    if "ENOTFOUND" in text or "EAI_AGAIN" in text:
        return f"the host of {shown} does not resolve"
    missing = re.search(r"Executable doesn't exist at (\S+)", text)
    if missing:
        return (f"the browser server at {shown} has no browser at {missing.group(1)}: install one there, or start "
                "it with --unsafe and pass --browser-path (a path on that machine)")
    status = re.search(r"\b[45][0-9][0-9] [A-Z][A-Za-z' ]+", text)
    if status and "WebSocket error" in text:
        return f"{shown} refused the connection (HTTP {status.group(0).strip()})"
    if "Timeout" in text and "exceeded" in text:
        return f"{shown} did not answer in time"
    first = next((line for line in text.strip().splitlines() if line.strip()), "no message")
    first = re.sub(r"^[A-Za-z]+\.[a-z_]+: ", "", first.strip())
    return f"{shown}: {redact_text(first)[:200]}"


async def missing_switches(browser: Browser) -> tuple[str, ...]:
    """The guard's Blink switches this browser lacks, read from a blank page in a context of our own.

    Launch args arrive at a run-server's browser all together or not at all, so one missing
    switch means none of preflight's switches (host mapping included) took effect."""
    context = await browser.new_context()
    try:
        page = await context.new_page()
        present = await page.evaluate("names => names.filter(name => typeof self[name] !== 'undefined')",
                                      [PROBE_GLOBALS[f] for f in GUARD_DISABLED_BLINK_FEATURES])
    finally:
        await context.close()
    return tuple(f for f in GUARD_DISABLED_BLINK_FEATURES if PROBE_GLOBALS[f] in present)


class BrowserPool:
    """The run's remote browsers. ``start`` connects to each; ``lease`` hands out the least busy."""

    def __init__(self, playwright: Playwright, urls: Sequence[str], kind: Kind, launch: LaunchOptions,
                 timeout_s: float, note: Callable[[str], None]) -> None:
        self.playwright = playwright
        self.endpoints = [Endpoint(url, kind) for url in dict.fromkeys(urls)]
        self.kind = kind
        self.launch = launch
        self.timeout_s = timeout_s
        self.note = note
        self.reconnects = 0
        self._lock = asyncio.Lock()

    async def start(self) -> None:
        """Connect to every endpoint at once; fails only when none could be used."""
        reasons = await asyncio.gather(*(self._connect(e) for e in self.endpoints))
        for endpoint, reason in zip(self.endpoints, reasons):
            if reason:
                self._down(endpoint, reason)
        if not any(e.browser for e in self.endpoints):
            raise BrowserLaunchError("no browser endpoint could be used: " + "; ".join(e.reason for e in self.endpoints),
                                     "start the browser server (see README, Remote browsers) or check the URL")

    async def _connect(self, endpoint: Endpoint) -> str | None:
        """Connect (again); None when the endpoint is ready, else why not, in one line."""
        from playwright.async_api import Error as PlaywrightError

        lost = asyncio.Event()
        browser: Browser | None = None
        try:
            if self.kind == "cdp":
                browser = await self.playwright.chromium.connect_over_cdp(endpoint.url, timeout=self.timeout_s * 1000)
            else:
                browser = await self.playwright.chromium.connect(endpoint.url, timeout=self.timeout_s * 1000,
                                                                 headers=launch_header(self.launch, self.timeout_s))
            browser.on("disconnected", lambda _browser: lost.set())
            missing = await asyncio.wait_for(missing_switches(browser), timeout=self.timeout_s)
        except (TimeoutError, PlaywrightError) as exc:
            if browser is not None:
                await _disconnect(browser)
            return connect_failure(str(exc) or "Timeout exceeded", endpoint.shown)
        if missing and self.kind == "connect":
            await _disconnect(browser)
            return (f"{endpoint.shown} dropped preflight's browser switches (its launch options were filtered): "
                    "start the run-server with --unsafe")
        if missing and not endpoint.warned:
            endpoint.warned = True
            self.note(f"{endpoint.shown}: this browser was not started with the guard's switches "
                      f"(--disable-blink-features={','.join(missing)} ...): the page, network and DevTools layers "
                      "still guard every visit, and what gets past them is reported; see README, Remote browsers")
        endpoint.browser, endpoint.lost, endpoint.down_since, endpoint.reason = browser, lost, None, ""
        return None

    def _down(self, endpoint: Endpoint, reason: str) -> None:
        first = endpoint.down_since is None or endpoint.reason != reason
        endpoint.browser, endpoint.down_since, endpoint.reason = None, time.monotonic(), reason
        if first:
            live = sum(1 for e in self.endpoints if e.down_since is None)  # connecting ones count as up
            self.note(f"browser endpoint skipped: {reason} ({live} of {len(self.endpoints)} still up)")

    @asynccontextmanager
    async def lease(self) -> AsyncIterator[Endpoint]:
        """The least busy endpoint that is up (reconnected when its connection dropped), for one visit."""
        endpoint = await self._pick()  # counted busy from here
        endpoint.served += 1
        try:
            yield endpoint
        finally:
            endpoint.busy -= 1

    async def _pick(self) -> Endpoint:
        while True:
            async with self._lock:  # choosing is quick; connecting happens outside, per endpoint
                now = time.monotonic()
                candidates = [e for e in self.endpoints if e.browser is not None or e.usable(now)]
                if not candidates:
                    raise CaptureFailed(ENDPOINT_CODE, "no browser endpoint is up: "
                                        + "; ".join(e.reason for e in self.endpoints if e.reason))
                # Connected first, then least busy, then fewest served (round robin among equals).
                endpoint = min(candidates, key=lambda e: (not _connected(e), e.busy, e.served))
                endpoint.busy += 1
            if _connected(endpoint):
                return endpoint
            async with endpoint.lock:
                if not _connected(endpoint) and endpoint.usable(time.monotonic()):
                    if endpoint.browser is not None:  # its browser died; the server may still be there
                        self.reconnects += 1
                    reason = await self._connect(endpoint)
                    if reason:
                        self._down(endpoint, reason)
            if _connected(endpoint):
                return endpoint
            endpoint.busy -= 1

    async def died(self, endpoint: Endpoint) -> bool:
        """Whether the visit's failure was its endpoint going away. The first visit to notice
        reconnects once (a run-server whose browser crashed starts another); failing that, the
        endpoint is down."""
        browser = endpoint.browser
        if browser is None:
            return True
        if browser.is_connected():
            try:
                await asyncio.wait_for(endpoint.lost.wait(), timeout=DISCONNECT_WAIT_S)
            except TimeoutError:
                if browser.is_connected():
                    return False
        async with endpoint.lock:
            if endpoint.browser is browser:
                endpoint.browser = None
                self.reconnects += 1
                reason = await self._connect(endpoint)
                if reason:
                    self._down(endpoint, f"the connection to {endpoint.shown} was lost; reconnecting failed: {reason}")
                else:
                    self.note(f"{endpoint.shown}: the connection was lost and made again (a new browser)")
        return True

    def describe(self) -> str:
        what = "Playwright run-server" if self.kind == "connect" else "Chrome DevTools"
        return f"{what} {', '.join(f'{e.shown} ({e.served} visits)' for e in self.endpoints)}"

    async def close(self) -> None:
        """Disconnect. A run-server closes the browser it launched for us; a CDP browser stays as it was,
        less the contexts we created (each visit closes its own)."""
        await asyncio.gather(*(_disconnect(e.browser) for e in self.endpoints if e.browser is not None))
        for endpoint in self.endpoints:
            endpoint.browser = None


def _connected(endpoint: Endpoint) -> bool:
    return endpoint.browser is not None and endpoint.browser.is_connected()


async def _disconnect(browser: Browser) -> None:
    try:
        await asyncio.wait_for(browser.close(), timeout=10)
    except Exception:  # noqa: BLE001 - already gone
        pass
