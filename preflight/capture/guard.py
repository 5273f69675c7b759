"""The no-submission guarantee: nothing the page holds ever leaves the browser.

Four layers, because each alone has holes:

1. **Context options and launch flags**: service workers blocked, downloads refused, fresh
   profile (no saved passwords), autofill off; and the browser's own senders switched off
   (Reporting API, NEL, fetchLater, FedCM, PaymentRequest, SharedWorker, WebSocketStream: see
   ``capture.browser.GUARD_DISABLED_FEATURES``), since no page script or route ever sees what they send.
2. **In the page** (an init script in every frame, before any page script): ``form.submit()``,
   ``requestSubmit()`` and submit events are stopped; ``sendBeacon``, non-GET ``fetch``/XHR,
   ``keepalive`` fetches, WebSockets and ``window.open`` are refused. The in-page layer matters
   because a beacon fired from ``pagehide`` while a context closes can escape ``route()``.
   Values of password fields and pre-filled inputs are registered with the guard (never
   reported) so that the network layer can spot them in a URL.
3. **At the network** (a context route): every request whose method is not GET or HEAD is
   aborted, and so is any request whose URL or headers carry a registered field value (a GET
   form, a ``location`` assignment, an image beacon, a value stashed in a cookie or a custom
   header). WebSockets are closed before they connect.
4. **A DevTools watch** (``SubmissionGuard.watch``, one session per page): each document's HTML is
   read at the response stage and its input values registered before the renderer sees a byte;
   a ``Speculation-Rules`` header is removed. It also *detects* what got past every layer (a
   socket or WebTransport session that opened, a prefetch the browser started, a request the
   route never saw) as ``layer="detected"``, reported as ``submission.unguarded_path`` (fail).

Workers get none of the page's init script: every ``Worker`` starts from a blob: bootstrap that
runs ``WORKER_PRELUDE`` (the same refusals) before the page's worker script.

Every stopped attempt becomes a ``BlockedRequest`` (method, redacted URL, reason, layer).
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import threading
from collections.abc import Awaitable
from html.parser import HTMLParser
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, unquote_plus, urlsplit

from preflight.model.snapshot import BlockedRequest
from preflight.rules.redact import redact_text, redact_url, secret_forms

if TYPE_CHECKING:  # pragma: no cover
    from playwright.async_api import BrowserContext, Page, Route, WebSocketRoute

REPORT_BINDING = "__preflightGuardReport"
SECRET_BINDING = "__preflightGuardSecret"
REPORT_HOST = "preflight-guard.invalid"
"""Workers have no bindings: their prelude reports with a GET to this host, which the route answers
(aborts) and records. Were it ever to escape the route, ``.invalid`` never resolves."""
MAX_RECORDED = 200
MIN_SECRET_LENGTH = 4
SAFE_METHODS = frozenset({"GET", "HEAD"})

CONTEXT_OPTIONS: dict[str, Any] = {
    "service_workers": "block",
    "accept_downloads": False,
    "java_script_enabled": True,
    "bypass_csp": False,
}

# Prepended to every worker script the page starts (network ones in the route, blob:/data: ones by
# the page's Worker wrapper): init scripts never run in workers, and Playwright's route_web_socket
# (a page-script mock) does not reach them. Measured on Chromium 156 / Playwright 1.65: without it a
# dedicated worker's WebSocket sent the password; its fetch() goes through the route already.
WORKER_PRELUDE = (resources.files("preflight.capture").joinpath("worker_guard.js").read_text(encoding="utf-8")
                  .replace("__REPORT_HOST__", REPORT_HOST))
"""Run first in every worker (``worker_guard.js``): the same refusals as the page's."""

# The init script. It closes over the bindings at document start, so a page that later
# overwrites them cannot silence the guard, and it freezes what it replaces.
INIT_SCRIPT = (resources.files("preflight.capture").joinpath("guard.js").read_text(encoding="utf-8")
               .replace("__REPORT_BINDING__", REPORT_BINDING).replace("__SECRET_BINDING__", SECRET_BINDING)
               .replace("__MIN_SECRET_LENGTH__", str(MIN_SECRET_LENGTH))
               .replace("__WORKER_PRELUDE__", json.dumps(WORKER_PRELUDE)))
"""The in-page layer (``guard.js``), run in every frame before the page's scripts."""


class SubmissionGuard:
    """Installs the guard on a context and records what it stopped.

    One guard per context (per target). Methods are called from Playwright's event loop;
    the lock only protects against the binding and route callbacks interleaving.
    """

    def __init__(self) -> None:
        self._blocked: list[BlockedRequest] = []
        self._secrets: set[str] = set()
        self._encoded: set[str] = set()
        self._lock = threading.Lock()
        self._routed: set[str] = set()
        """URLs (no fragment) the route saw: the DevTools watch reports any request it did not."""
        self._sent: dict[str, tuple[str, str]] = {}
        """DevTools ``requestWillBeSent``: request id -> (method, URL) of the page's own requests."""
        self._preloads: set[str] = set()
        self.closing = False

    @property
    def blocked(self) -> tuple[BlockedRequest, ...]:
        with self._lock:
            return tuple(self._blocked)

    @property
    def holds_values(self) -> bool:
        """Whether the page's fields hold any value (a fresh login page's are empty)."""
        with self._lock:
            return bool(self._secrets)

    def record(self, method: str, url: str, reason: str, layer: str, carries_field_value: bool = False) -> None:
        # A channel whose content the guard cannot see (a socket, a WebTransport session, a shared
        # worker, a report the browser would compose) is never called telemetry while the page's
        # fields hold values: "none carried a value" would be a claim the guard cannot make.
        if not carries_field_value and reason.removeprefix("worker-").removeprefix("unguarded-") in OPAQUE_CHANNELS:
            carries_field_value = self.holds_values
        with self._lock:
            if len(self._blocked) < MAX_RECORDED:
                self._blocked.append(BlockedRequest(method=method.upper()[:16], url=redact_url(url, self._secrets),
                                                    reason=reason[:40], layer=layer,
                                                    carries_field_value=carries_field_value))

    @property
    def secrets(self) -> tuple[str, ...]:
        """The field values registered so far (kept in memory only, never reported)."""
        with self._lock:
            return tuple(self._secrets)

    def redact(self, text: str) -> str:
        """``text`` without the field values the page held (in any encoding), URLs redacted."""
        return redact_text(text, self.secrets)

    def remember_secret(self, value: str) -> None:
        if isinstance(value, str) and len(value) >= MIN_SECRET_LENGTH:
            with self._lock:
                if len(self._secrets) < 10_000 and value not in self._secrets:
                    self._secrets.add(value)
                    self._encoded.update(secret_forms(value, MIN_SECRET_LENGTH))

    def carries_secret(self, url: str) -> bool:
        """Whether ``url`` holds a field value: as typed, percent-encoded, base64 or hex."""
        with self._lock:
            encoded = tuple(self._encoded)
        if not encoded:
            return False
        forms = {url, unquote(url), unquote_plus(url)}
        return any(secret in form for secret in encoded for form in forms)

    async def install(self, context: BrowserContext) -> None:
        # Bindings first: the init script captures them at document start. The rest is
        # independent, so it goes in one round of messages.
        await asyncio.gather(context.expose_binding(REPORT_BINDING, self._on_report),
                             context.expose_binding(SECRET_BINDING, self._on_secret))
        steps: list[Awaitable[Any]] = [context.add_init_script(script=INIT_SCRIPT),
                                       context.route("**/*", self._on_route)]
        if hasattr(context, "route_web_socket"):
            steps.append(context.route_web_socket("**/*", self._on_websocket))
        await asyncio.gather(*steps)

    # -- callbacks (synchronous where possible: they must run before the request they guard)

    def _on_report(self, _source: Any, reason: Any, method: Any, url: Any, carries: Any = False,
                   sample: Any = "", opaque: Any = False) -> None:
        # The realm's own answer, or ours: we know the values of every realm (the page's sample is
        # looked at for that and never kept).
        carries = carries is True or self.carries_secret(str(url)) or bool(sample and self.carries_secret(str(sample)))
        self.record(str(method), str(url), str(reason), "page", carries or (opaque is True and self.holds_values))

    def _on_secret(self, _source: Any, value: Any) -> None:
        self.remember_secret(str(value))

    def _worker_report(self, url: str) -> None:
        query = parse_qs(urlsplit(url).query)
        reported = query.get("u", [""])[0]
        carries = self.carries_secret(reported) or self.carries_secret(query.get("b", [""])[0])
        self.record(query.get("m", ["GET"])[0], reported, "worker-" + query.get("r", ["?"])[0], "page", carries)

    async def _on_route(self, route: Route) -> None:
        request = route.request
        method = request.method.upper()
        with self._lock:
            if len(self._routed) < 20_000:
                self._routed.add(request.url.split("#", 1)[0])
        try:
            if urlsplit(request.url).hostname == REPORT_HOST:
                self._worker_report(request.url)  # a worker's prelude telling what it stopped
                await route.abort("blockedbyclient")
            elif method not in SAFE_METHODS:
                # The body is looked at (never kept) only to tell telemetry from a field value.
                body = request.post_data_buffer
                carries = self.carries_secret(request.url) or bool(body and self.carries_secret(body.decode("latin-1")))
                self.record(method, request.url, "non-get-method", "network", carries)
                await route.abort(_abort_code(request))
            elif self.carries_secret(request.url):
                self.record(method, request.url, "secret-in-url", "network", True)
                await route.abort(_abort_code(request))
            elif any(self.carries_secret(value) for value in request.headers.values()):
                # A value stashed in a cookie or put in a custom header of a GET request.
                self.record(method, request.url, "secret-in-headers", "network", True)
                await route.abort(_abort_code(request))
            elif self.closing:
                # After the visit nothing more needs to load; late beacons die here too.
                await route.abort("aborted")
            else:
                await route.fallback()
        except Exception:  # noqa: BLE001 - the page or context went away mid-route
            pass

    async def watch(self, context: BrowserContext, page: Page) -> None:
        """A DevTools session on the page for what neither the init script nor the route can do.

        * Every document's HTML is read at the response stage (before the renderer gets a byte),
          and the value attributes of its inputs (declarative shadow roots included) registered:
          values are known before any script can read them or any request carry them.
        * Detection: a WebSocket or WebTransport session that opened anyway (the guard refuses
          all of them, so any is a bypass), a speculation rule set that survived, in the page or in
          any of its workers, is recorded as ``layer="detected"`` (``submission.unguarded_path``).
        """
        session = await context.new_cdp_session(page)
        self._session = session
        session.on("Fetch.requestPaused", lambda event: asyncio.ensure_future(self._on_response(session, event)))
        session.on("Network.webSocketCreated", lambda event: self._detected("websocket", "GET", event.get("url", "")))
        session.on("Network.webTransportCreated",
                   lambda event: self._detected("webtransport", "CONNECT", event.get("url", "")))
        # A prefetch/prerender the browser actually started (a Speculation-Rules header, which no
        # page script can intercept): it went past route(), so it can only be reported.
        for kind in ("prefetch", "prerender"):
            session.on(f"Preload.{kind}StatusUpdated", lambda event, kind=kind: self._on_preload(kind, event))
        # Reporting API reports queued for upload (off by launch flag: this notices a Chromium that
        # no longer knows the feature name).
        session.on("Network.reportingApiReportAdded", lambda event: self._detected(
            "reporting-api", "POST", ((event.get("report") or {}).get("initiatorUrl") or "")))
        session.on("Network.requestWillBeSent", self._on_will_be_sent)
        session.on("Target.attachedToTarget", lambda event: asyncio.ensure_future(self._on_attached(session, event)))
        session.on("Target.receivedMessageFromTarget", self._on_target_message)
        await asyncio.gather(
            session.send("Fetch.enable", {"patterns": [{"resourceType": "Document", "requestStage": "Response"}]}),
            session.send("Network.enable", {"maxTotalBufferSize": 0, "maxResourceBufferSize": 0}),
            session.send("Preload.enable"),
            session.send("Network.enableReportingApi", {"enable": True}),
            # Workers: not flattened, so their events reach this session as messages.
            session.send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": False}),
            return_exceptions=True)

    def _on_will_be_sent(self, event: dict[str, Any]) -> None:
        request = event.get("request") or {}
        url = request.get("url", "")
        # Redirect hops and CORS preflights never reach a route handler; they are not requests the
        # page made. Only http(s): data:/blob: never leave the browser.
        if event.get("redirectResponse") or event.get("type") == "Preflight" or not url.startswith(("http:", "https:")):
            return
        if urlsplit(url).hostname == REPORT_HOST:
            return
        with self._lock:
            if len(self._sent) < 20_000:
                self._sent[event.get("requestId", url)] = (request.get("method", "GET"), url.split("#", 1)[0])

    def reconcile(self) -> None:
        """At the end of a visit: every request DevTools saw the page send must have met the route.
        One that did not went around every guard layer (``unguarded-request``)."""
        with self._lock:
            missed = [(m, u) for m, u in self._sent.values() if u not in self._routed and not _default_favicon(m, u)]
            self._sent.clear()
        for method, url in dict.fromkeys(missed):
            self._detected("request", method, url)

    def _detected(self, reason: str, method: str, url: str) -> None:
        self.record(method, url, "unguarded-" + reason, "detected", self.carries_secret(url))

    def _on_preload(self, kind: str, event: dict[str, Any]) -> None:
        if event.get("status") not in ("Running", "Ready", "Success"):
            return
        url = event.get("prefetchUrl") or (event.get("key") or {}).get("url", "")
        key = f"{kind} {url}"
        with self._lock:
            if key in self._preloads:
                return  # one report per attempt (Running, then Ready ...)
            self._preloads.add(key)
        self._detected(kind, "GET", url)

    async def _on_attached(self, session: Any, event: dict[str, Any]) -> None:
        target = event.get("sessionId")

        def send(method: str, params: dict[str, Any] | None = None) -> Any:
            message = {"id": next(_MESSAGE_IDS), "method": method, "params": params or {}}
            return session.send("Target.sendMessageToTarget", {"sessionId": target, "message": json.dumps(message)})

        try:
            await send("Network.enable", {"maxTotalBufferSize": 0, "maxResourceBufferSize": 0})
            await send("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": True, "flatten": False})
        except Exception:  # noqa: BLE001 - worker already gone
            pass
        finally:
            try:
                await send("Runtime.runIfWaitingForDebugger")
            except Exception:  # noqa: BLE001
                pass

    def _on_target_message(self, event: dict[str, Any]) -> None:
        try:
            message = json.loads(event.get("message", ""))
        except ValueError:
            return
        method, params = message.get("method"), message.get("params") or {}
        if method == "Network.webSocketCreated":
            self._detected("websocket", "GET", params.get("url", ""))
        elif method == "Network.webTransportCreated":
            self._detected("webtransport", "CONNECT", params.get("url", ""))

    async def _on_response(self, session: Any, event: dict[str, Any]) -> None:
        request_id = event["requestId"]
        status = event.get("responseStatusCode") or 0
        kind = event.get("resourceType")
        headers = event.get("responseHeaders") or []
        try:
            if kind == "Document" and (200 <= status < 300 or status >= 400):
                text, size = await _response_body(session, request_id)
                for value in markup_values(text[:MAX_SCANNED_HTML]):
                    self.remember_secret(value)
                if _truncated(headers, size):
                    # Reading the body here ends it without the connection's error (a reset after
                    # N bytes would then load as a short page, measured): keep the failure a failure.
                    await session.send("Fetch.failRequest", {"requestId": request_id, "errorReason": "ConnectionClosed"})
                    return
        except Exception:  # noqa: BLE001 - no body (redirect, aborted): nothing to register
            pass
        if kind == "Document" and any(h.get("name", "").lower() in REPORTING_HEADERS for h in headers):
            # The browser would upload reports (CSP, Permissions-Policy, NEL ...) by itself; reporting
            # is off by launch flag, so this is only told (as telemetry, never a field value).
            self.record("POST", (event.get("request") or {}).get("url", ""), "reporting-endpoint", "network")
        kept = [h for h in headers if h.get("name", "").lower() not in STRIPPED_HEADERS]
        if kind == "Document" and len(kept) != len(headers):
            # A header that makes the browser send on its own (past route()). continueResponse's
            # header overrides are not applied to navigations (measured), so the document is
            # answered again, same status and body, without it.
            try:
                body = await session.send("Fetch.getResponseBody", {"requestId": request_id})
                raw = body.get("body", "") if body.get("base64Encoded") else base64.b64encode(
                    body.get("body", "").encode("utf-8")).decode("ascii")
                kept = [h for h in kept if h.get("name", "").lower() not in ("content-length", "content-encoding")]
                await session.send("Fetch.fulfillRequest", {"requestId": request_id, "responseCode": status,
                                                            "responseHeaders": kept, "body": raw})
                stripped = " ".join(h.get("value", "") for h in headers if h.get("name", "").lower() in STRIPPED_HEADERS)
                self.record("GET", (event.get("request") or {}).get("url", ""), "speculation-rules", "network",
                            self.carries_secret(stripped))
                return
            except Exception:  # noqa: BLE001 - fall through: the detection still reports it
                pass
        try:
            await session.send("Fetch.continueResponse", {"requestId": request_id})
        except Exception:  # noqa: BLE001 - gone with its page, or an older Chromium
            try:
                await session.send("Fetch.continueRequest", {"requestId": request_id})
            except Exception:  # noqa: BLE001
                pass

    async def _on_websocket(self, ws: WebSocketRoute) -> None:
        self.record("GET", ws.url, "websocket", "network")
        try:
            await ws.close(code=1008, reason="blocked by preflight")
        except Exception:  # noqa: BLE001
            pass


MAX_SCANNED_HTML = 4_000_000
OPAQUE_CHANNELS = frozenset({"websocket", "webtransport", "shared-worker", "nested-worker", "reporting-endpoint",
                             "reporting-api", "webrtc", "request", "popup", "speculation-rules", "prefetch",
                             "prerender"})
"""Stopped (or detected) attempts whose payload the guard cannot read."""
REPORTING_HEADERS = frozenset({"reporting-endpoints", "report-to", "nel"})
STRIPPED_HEADERS = frozenset({"speculation-rules"})
"""Response headers removed from documents: a ``Speculation-Rules`` header makes the browser prefetch
or prerender by itself (measured: the raw password reached the server, no route() saw it)."""
_MESSAGE_IDS = itertools.count(1)
_UNSENSITIVE_TYPES = frozenset({"hidden", "submit", "button", "reset", "checkbox", "radio", "image", "file", "range",
                                "color"})


class _InputValues(HTMLParser):
    """The ``value`` attributes of sensitive inputs in an HTML text (template contents included)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.values: list[str] = []
        self._textarea: list[str] | None = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea" and self._textarea is not None:
            text = "".join(self._textarea).strip()
            if text:
                self.values.append(text)
            self._textarea = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "textarea":
            self._textarea = []  # its text is its value
            return
        if tag != "input":
            return
        found = dict(attrs)
        value = found.get("value")
        if value and (found.get("type") or "text").strip().lower() not in _UNSENSITIVE_TYPES:
            self.values.append(value)

    handle_startendtag = handle_starttag


def markup_values(html: str) -> list[str]:
    """Values a page's markup puts in its fields, as the browser will see them (entities decoded)."""
    parser = _InputValues()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - malformed markup: keep what was found
        pass
    return parser.values


async def _response_body(session: Any, request_id: str) -> tuple[str, int]:
    """(text, size in bytes) of a paused response's body."""
    body = await session.send("Fetch.getResponseBody", {"requestId": request_id})
    data = body.get("body", "")
    if body.get("base64Encoded"):
        raw = base64.b64decode(data)
        return raw.decode("utf-8", "replace"), len(raw)
    return data, len(data.encode("utf-8", "surrogatepass"))


def _truncated(headers: list[dict[str, str]], size: int) -> bool:
    """Whether fewer bytes arrived than ``Content-Length`` announced (identity encoding only)."""
    names = {h.get("name", "").lower(): h.get("value", "") for h in headers}
    if names.get("content-encoding", "identity").strip().lower() not in ("", "identity"):
        return False
    try:
        return size < int(names.get("content-length", "").strip())
    except ValueError:
        return False


def _abort_code(request: Any) -> str:
    """``aborted`` for a navigation the guard stops: Chromium then keeps the page it was on (as for a
    download), which stays readable. ``blockedbyclient`` would commit an error page
    (chrome-error://chromewebdata) and the visit would judge that instead of the login."""
    try:
        if request.is_navigation_request():
            return "aborted"
    except Exception:  # noqa: BLE001 - the request's frame is gone
        pass
    return "blockedbyclient"


def _default_favicon(method: str, url: str) -> bool:
    """The browser's own ``GET /favicon.ico`` (no ``<link rel=icon>``): not routed by Playwright, and
    it carries nothing of the page (a page-chosen icon URL is routed like any request)."""
    parts = urlsplit(url)
    return method.upper() == "GET" and parts.path == "/favicon.ico" and not parts.query
