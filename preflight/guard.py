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
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, unquote_plus

from .models import BlockedRequest
from .redact import redact_text, redact_url, secret_forms

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
INIT_SCRIPT = r"""
(() => {
  if (window.__preflightGuardInstalled) return;
  const report = window.%(report)s;
  const secret = window.%(secret)s;
  const define = (obj, name, value) => {
    try { Object.defineProperty(obj, name, {value, writable: false, configurable: false}); } catch (e) {}
  };
  define(window, '__preflightGuardInstalled', true);
  const abs = (u) => { try { return new URL(String(u), document.baseURI).href; } catch (e) { return String(u); } };
  const seen = new Set();
  const remember = (v) => {
    if (typeof v !== 'string' || v.length < %(minlen)d || seen.has(v)) return;
    seen.add(v);
    try { secret(v); } catch (e) {}
  };
  // Whether text holds a field value the page has (as typed, URI-encoded or base64).
  const holdsSecret = (text) => {
    text = String(text);
    for (const v of seen) {
      const forms = [v, encodeURIComponent(v)];
      try { forms.push(btoa(v)); } catch (e) {}
      if (forms.some((f) => text.includes(f))) return true;
    }
    return false;
  };
  // What a blocked request would have carried, as text, to tell telemetry from a field value.
  const payloadText = (body) => {
    try {
      if (body == null) return '';
      if (typeof body === 'string') return body;
      if (body instanceof URLSearchParams) return body.toString();
      if (body instanceof FormData) return Array.from(body.entries()).map((e) => e.join('=')).join('&');
      return '';
    } catch (e) { return ''; }
  };
  const tell = (reason, method, url, body) => {
    let carries = false;
    try { carries = holdsSecret(String(url || '')) || holdsSecret(payloadText(body)); } catch (e) {}
    try { report(reason, String(method || 'GET').toUpperCase(), String(url || location.href), carries); } catch (e) {}
  };
  const UNSENSITIVE = new Set(['hidden', 'submit', 'button', 'reset', 'checkbox', 'radio', 'image', 'file', 'range', 'color']);
  const sensitive = (el) => el && el.tagName === 'INPUT' && !UNSENSITIVE.has((el.type || 'text').toLowerCase());
  const desc = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
  const scanInput = (el) => { if (sensitive(el)) { try { remember(desc.get.call(el)); } catch (e) {} } };
  const scan = (root) => {
    try { (root || document).querySelectorAll('input').forEach(scanInput); } catch (e) {}
  };
  // Any script that reads or writes a field value registers it before it can use it.
  Object.defineProperty(HTMLInputElement.prototype, 'value', {
    configurable: false, enumerable: desc.enumerable,
    get() { const v = desc.get.call(this); if (sensitive(this)) remember(v); return v; },
    set(v) { desc.set.call(this, v); if (sensitive(this)) remember(String(v)); },
  });
  const FD = window.FormData;
  if (FD) {
    const Wrapped = function FormData(form, submitter) {
      if (form && form.querySelectorAll) scan(form);
      return submitter === undefined ? (form === undefined ? new FD() : new FD(form)) : new FD(form, submitter);
    };
    Wrapped.prototype = FD.prototype;
    define(window, 'FormData', Wrapped);
  }

  // Forms never leave the page.
  const formMethod = (f) => (f.getAttribute('method') || 'get');
  define(HTMLFormElement.prototype, 'submit', function () { scan(this); tell('form-submit', formMethod(this), this.action); });
  define(HTMLFormElement.prototype, 'requestSubmit', function () { scan(this); tell('form-submit', formMethod(this), this.action); });
  window.addEventListener('submit', (event) => {
    const f = event.target;
    if (f && f.querySelectorAll) scan(f);
    event.preventDefault();
    event.stopImmediatePropagation();
    tell('form-submit', f && formMethod(f), f && f.action);
  }, true);
  window.addEventListener('formdata', (event) => { if (event.target) scan(event.target); }, true);

  // Nothing that carries a body, and nothing that outlives the page.
  if (navigator.sendBeacon) {
    define(Navigator.prototype, 'sendBeacon', function (url, data) { tell('beacon', 'POST', abs(url), data); return false; });
  }
  const origFetch = window.fetch;
  if (origFetch) {
    define(window, 'fetch', function (input, init) {
      let method = (init && init.method) || (input && input.method) || 'GET';
      method = String(method).toUpperCase();
      const url = abs((input && input.url) || input);
      const keepalive = !!((init && init.keepalive) || (input && input.keepalive));
      if (!['GET', 'HEAD'].includes(method) || keepalive || (init && init.body != null)) {
        tell(keepalive ? 'keepalive' : 'fetch-' + method.toLowerCase(), method, url, init && init.body);
        return Promise.reject(new TypeError('blocked by preflight'));
      }
      return origFetch.apply(this, arguments);
    });
  }
  const xhrOpen = XMLHttpRequest.prototype.open;
  const xhrSend = XMLHttpRequest.prototype.send;
  const xhrMeta = new WeakMap();
  define(XMLHttpRequest.prototype, 'open', function (method, url) {
    xhrMeta.set(this, {method: String(method || 'GET').toUpperCase(), url: abs(url)});
    return xhrOpen.apply(this, arguments);
  });
  define(XMLHttpRequest.prototype, 'send', function (body) {
    const meta = xhrMeta.get(this) || {method: 'GET', url: ''};
    if (!['GET', 'HEAD'].includes(meta.method) || body != null) {
      tell('xhr-' + meta.method.toLowerCase(), meta.method, meta.url, body);
      return;
    }
    return xhrSend.apply(this, arguments);
  });
  if (window.WebSocket) {
    const Blocked = function WebSocket(url) { tell('websocket', 'GET', abs(url)); throw new DOMException('blocked by preflight', 'SecurityError'); };
    define(window, 'WebSocket', Blocked);
  }
  // A field value stashed in a cookie would ride along on every later request's Cookie header.
  const cookieDesc = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  if (cookieDesc && cookieDesc.set) {
    Object.defineProperty(Document.prototype, 'cookie', {
      configurable: false, enumerable: cookieDesc.enumerable, get: cookieDesc.get,
      set(v) {
        scan();
        if (holdsSecret(v)) { tell('cookie-stash', 'SET', location.href); return; }
        cookieDesc.set.call(this, v);
      },
    });
  }
  if (window.CookieStore && CookieStore.prototype.set) {
    const storeSet = CookieStore.prototype.set;
    define(CookieStore.prototype, 'set', function (...args) {
      scan();
      if (holdsSecret(JSON.stringify(args))) { tell('cookie-stash', 'SET', location.href); return Promise.resolve(); }
      return storeSet.apply(this, args);
    });
  }
  // Peer-to-peer channels go around HTTP entirely.
  for (const name of ['RTCPeerConnection', 'webkitRTCPeerConnection']) {
    if (window[name]) define(window, name, function () { tell('webrtc', 'CONNECT', location.href); throw new DOMException('blocked by preflight', 'SecurityError'); });
  }
  // preflight never clicks, so every click is scripted: a scripted click must not open a new
  // window or fire a <a ping> POST.
  window.addEventListener('click', (event) => {
    if (event.isTrusted) return;
    const a = event.target && event.target.closest && event.target.closest('a[href], area[href]');
    if (!a) return;
    const target = (a.getAttribute('target') || '').toLowerCase();
    const opensWindow = target && !['_self', '_parent', '_top'].includes(target);
    if (opensWindow || a.hasAttribute('ping')) {
      event.preventDefault();
      tell(opensWindow ? 'popup' : 'ping', opensWindow ? 'GET' : 'POST', a.hasAttribute('ping') && !opensWindow ? abs(a.getAttribute('ping').split(/\s+/)[0]) : a.href);
    }
  }, true);
  define(window, 'open', function (url) { tell('popup', 'GET', url ? abs(url) : 'about:blank'); return null; });
  if (navigator.serviceWorker) {
    try { define(navigator.serviceWorker, 'register', function (url) { tell('service-worker', 'GET', abs(url)); return Promise.reject(new DOMException('blocked by preflight', 'SecurityError')); }); } catch (e) {}
  }
  document.addEventListener('DOMContentLoaded', () => scan(), true);
  window.addEventListener('load', () => scan(), true);
  window.addEventListener('pagehide', () => scan(), true);
})();
""" % {"report": REPORT_BINDING, "secret": SECRET_BINDING, "minlen": MIN_SECRET_LENGTH}


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

    async def install(self, context: "BrowserContext") -> None:
        # Bindings first: the init script captures them at document start. The rest is
        # independent, so it goes in one round of messages.
        await asyncio.gather(context.expose_binding(REPORT_BINDING, self._on_report),
                             context.expose_binding(SECRET_BINDING, self._on_secret))
        steps = [context.add_init_script(script=INIT_SCRIPT), context.route("**/*", self._on_route)]
        if hasattr(context, "route_web_socket"):
            steps.append(context.route_web_socket("**/*", self._on_websocket))
        await asyncio.gather(*steps)

    # -- callbacks (synchronous where possible: they must run before the request they guard)

    def _on_report(self, _source: Any, reason: Any, method: Any, url: Any, carries: Any = False) -> None:
        self.record(str(method), str(url), str(reason), "page", carries is True)

    def _on_secret(self, _source: Any, value: Any) -> None:
        self.remember_secret(str(value))

    async def _on_route(self, route: "Route") -> None:
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

    async def _on_websocket(self, ws: "WebSocketRoute") -> None:
        self.record("GET", ws.url, "websocket", "network")
        try:
            await ws.close(code=1008, reason="blocked by preflight")
        except Exception:  # noqa: BLE001
            pass
