// The no-submission guard's in-page layer: installed by capture/guard.py with add_init_script, so it
// runs in every frame before the page's own scripts. Tokens __LIKE_THIS__ are filled in by guard.py.
(() => {
  if (window.__preflightGuardInstalled) return;
  const report = window.__REPORT_BINDING__;
  const secret = window.__SECRET_BINDING__;
  const define = (obj, name, value) => {
    try { Object.defineProperty(obj, name, {value, writable: false, configurable: false}); } catch (e) {}
  };
  define(window, '__preflightGuardInstalled', true);
  const abs = (u) => { try { return new URL(String(u), document.baseURI).href; } catch (e) { return String(u); } };
  const seen = new Set();
  const remember = (v) => {
    if (typeof v !== 'string' || v.length < __MIN_SECRET_LENGTH__ || seen.has(v)) return;
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
