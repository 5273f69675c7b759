"""The no-submission guarantee: nothing the page holds ever leaves the browser.

Three layers, because each alone has holes:

1. **Context options**: service workers blocked, downloads refused, fresh profile (no saved
   passwords), autofill off (launch flags in ``browser``).
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

Every stopped attempt becomes a ``BlockedRequest`` (method, redacted URL, reason, layer).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, unquote_plus

from preflight.model.snapshot import BlockedRequest
from preflight.rules.redact import redact_text, redact_url, secret_forms

if TYPE_CHECKING:  # pragma: no cover
    from playwright.async_api import BrowserContext, Route, WebSocketRoute


REPORT_BINDING = "__preflightGuardReport"

SECRET_BINDING = "__preflightGuardSecret"

MAX_RECORDED = 200

MIN_SECRET_LENGTH = 4

SAFE_METHODS = frozenset({"GET", "HEAD"})

CONTEXT_OPTIONS: dict[str, Any] = {
    "service_workers": "block",
    "accept_downloads": False,
    "java_script_enabled": True,
    "bypass_csp": False,
}

# The init script. It closes over the bindings at document start, so a page that later
# overwrites them cannot silence the guard, and it freezes what it replaces.
INIT_SCRIPT = (resources.files("preflight.capture").joinpath("guard.js").read_text(encoding="utf-8")
               .replace("__REPORT_BINDING__", REPORT_BINDING).replace("__SECRET_BINDING__", SECRET_BINDING)
               .replace("__MIN_SECRET_LENGTH__", str(MIN_SECRET_LENGTH)))
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
        self.closing = False

    @property
    def blocked(self) -> tuple[BlockedRequest, ...]:
        with self._lock:
            return tuple(self._blocked)

    def record(self, method: str, url: str, reason: str, layer: str, carries_field_value: bool = False) -> None:
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

    def _on_report(self, _source: Any, reason: Any, method: Any, url: Any, carries: Any = False) -> None:
        self.record(str(method), str(url), str(reason), "page", carries is True)

    def _on_secret(self, _source: Any, value: Any) -> None:
        self.remember_secret(str(value))

    async def _on_route(self, route: Route) -> None:
        request = route.request
        method = request.method.upper()
        try:
            if method not in SAFE_METHODS:
                # The body is looked at (never kept) only to tell telemetry from a field value.
                body = request.post_data_buffer
                carries = self.carries_secret(request.url) or bool(body and self.carries_secret(body.decode("latin-1")))
                self.record(method, request.url, "non-get-method", "network", carries)
                await route.abort("blockedbyclient")
            elif self.carries_secret(request.url):
                self.record(method, request.url, "secret-in-url", "network", True)
                await route.abort("blockedbyclient")
            elif any(self.carries_secret(value) for value in request.headers.values()):
                # A value stashed in a cookie or put in a custom header of a GET request.
                self.record(method, request.url, "secret-in-headers", "network", True)
                await route.abort("blockedbyclient")
            elif self.closing:
                # After the visit nothing more needs to load; late beacons die here too.
                await route.abort("aborted")
            else:
                await route.fallback()
        except Exception:  # noqa: BLE001 - the page or context went away mid-route
            pass

    async def _on_websocket(self, ws: WebSocketRoute) -> None:
        self.record("GET", ws.url, "websocket", "network")
        try:
            await ws.close(code=1008, reason="blocked by preflight")
        except Exception:  # noqa: BLE001
            pass
