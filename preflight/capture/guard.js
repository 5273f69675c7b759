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
  // Whether text holds a field value the page has (as typed, URI-encoded, base64, hex or reversed).
  const hex = (v) => { try { return Array.from(new TextEncoder().encode(v), (b) => b.toString(16).padStart(2, '0')).join(''); } catch (e) { return v; } };
  const holdsSecret = (text) => {
    text = String(text);
    for (const v of seen) {
      const forms = [v, encodeURIComponent(v), hex(v), v.split('').reverse().join('')];
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
  // What was stopped goes to preflight with its URL and readable payload (over the binding, inside
  // the browser process, never kept): preflight knows every value registered in every realm, this
  // realm only its own (a fresh about:blank iframe knows none). A payload that cannot be read here
  // (a Blob, a stream, a Request's body) is flagged as opaque.
  const tell = (reason, method, url, body) => {
    let carries = false, sample = '', opaque = false;
    try { carries = holdsSecret(String(url || '')) || holdsSecret(payloadText(body)); } catch (e) {}
    try { sample = payloadText(body).slice(0, 20000); opaque = body != null && sample === '' && typeof body !== 'string'; } catch (e) { opaque = true; }
    try { report(reason, String(method || 'GET').toUpperCase(), String(url || location.href), carries, sample, opaque); } catch (e) {}
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
  // Field values registered before any script or request can carry them, whatever the markup or
  // the page's scripts do (the route also registers every value attribute of each document's HTML,
  // see ``SubmissionGuard.watch``). An input that was ever a password field stays sensitive (a
  // flip to type=hidden changes nothing); value attributes are read raw, so getAttribute('value'),
  // a removed attribute (the observer keeps its old value) and defaultValue are all covered.
  // Mutation records are delivered at the microtask checkpoint the parser performs before each
  // parser-inserted script runs, so an inline script cannot read a value the guard has not seen.
  const everSensitive = new WeakSet();
  const isSensitive = (el) => { if (sensitive(el)) everSensitive.add(el); return everSensitive.has(el); };
  const getAttr = Element.prototype.getAttribute;
  const noteInput = (el) => {
    if (!isSensitive(el)) return;
    try { remember(getAttr.call(el, 'value')); } catch (e) {}
    try { remember(desc.get.call(el)); } catch (e) {}
  };
  const observed = new WeakSet();
  let observer = null;
  const observe = (root) => {
    if (!observer || observed.has(root)) return;
    observed.add(root);
    try { observer.observe(root, {childList: true, subtree: true, attributes: true, attributeFilter: ['value', 'type'], attributeOldValue: true}); } catch (e) {}
  };
  const visit = (node) => {
    if (!node || node.nodeType !== 1) return;
    const all = [node];
    try { all.push(...node.querySelectorAll('*')); } catch (e) {}
    for (const el of all) {
      if (el.tagName === 'INPUT') noteInput(el);
      else if (el.isContentEditable && el.closest && el.closest('form')) { try { remember(el.textContent.trim()); } catch (e) {} }
      else if (el.tagName === 'TEXTAREA') { try { remember(el.defaultValue); remember(el.value); } catch (e) {} }
      else if (el.tagName === 'SCRIPT') neutralizeSpeculation(el);
      if (el.shadowRoot) { observe(el.shadowRoot); Array.from(el.shadowRoot.children).forEach(visit); }
    }
  };
  // Speculation rules make the browser itself prefetch or prerender a URL, past route() (measured:
  // the raw password arrived in both). The record arrives before Blink prepares a parser-inserted
  // script, and before its candidates-update microtask for an inserted one: the rules never load.
  const neutralizeSpeculation = (el) => {
    let type = '';
    try { type = String(getAttr.call(el, 'type') || '').trim().toLowerCase(); } catch (e) {}
    if (type !== 'speculationrules') return;
    const text = el.textContent;
    try { el.setAttribute('type', 'text/plain'); el.textContent = ''; el.remove(); } catch (e) {}
    tell('speculation-rules', 'GET', location.href, text);
  };
  try {
    observer = new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'childList') { r.addedNodes.forEach(visit); continue; }
        const el = r.target;
        if (el.tagName === 'INPUT') {
          if (r.attributeName === 'type' && !UNSENSITIVE.has(String(r.oldValue || 'text').toLowerCase())) everSensitive.add(el);
          if (r.attributeName === 'value' && isSensitive(el)) remember(r.oldValue);
          noteInput(el);
        } else if (el.tagName === 'SCRIPT') neutralizeSpeculation(el);
      }
    });
    observe(document);
  } catch (e) {}
  const attachShadow = Element.prototype.attachShadow;
  if (attachShadow) {
    define(Element.prototype, 'attachShadow', function () { const root = attachShadow.apply(this, arguments); observe(root); return root; });
  }
  // A <select> or <textarea> that holds a credential (named like one) is a field too: its value is
  // registered when a script reads it. Other selects are not (a role picker's "provider" must not
  // block every URL that says "provider").
  const CREDENTIAL_NAME = /pass|pwd|pin|secret|otp|code|token/i;
  for (const proto of [window.HTMLSelectElement && HTMLSelectElement.prototype, window.HTMLTextAreaElement && HTMLTextAreaElement.prototype]) {
    const vd = proto && Object.getOwnPropertyDescriptor(proto, 'value');
    if (!vd) continue;
    Object.defineProperty(proto, 'value', {
      configurable: false, enumerable: vd.enumerable,
      get() {
        const v = vd.get.call(this);
        try { if (this.tagName === 'TEXTAREA' || CREDENTIAL_NAME.test((this.name || '') + ' ' + (this.id || '') + ' ' + (this.autocomplete || ''))) remember(v); } catch (e) {}
        return v;
      },
      set(v) { vd.set.call(this, v); },
    });
  }
  const dvDesc = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'defaultValue');
  if (dvDesc) {
    Object.defineProperty(HTMLInputElement.prototype, 'defaultValue', {
      configurable: false, enumerable: dvDesc.enumerable,
      get() { const v = dvDesc.get.call(this); if (isSensitive(this)) remember(v); return v; },
      set(v) { if (isSensitive(this)) remember(String(v)); dvDesc.set.call(this, v); },
    });
  }
  const setAttr = Element.prototype.setAttribute;
  define(Element.prototype, 'setAttribute', function (name, value) {
    if (this.tagName === 'INPUT') {
      const n = String(name).toLowerCase();
      if (n === 'type') noteInput(this);
      else if (n === 'value' && isSensitive(this)) remember(String(value));
    }
    return setAttr.apply(this, arguments);
  });
  define(Element.prototype, 'getAttribute', function (name) {
    const v = getAttr.apply(this, arguments);
    if (this.tagName === 'INPUT' && String(name).toLowerCase() === 'value' && isSensitive(this)) remember(v);
    return v;
  });
  if (window.HTMLScriptElement && HTMLScriptElement.supports) {
    const supports = HTMLScriptElement.supports;
    define(HTMLScriptElement, 'supports', function (type) { return String(type).trim().toLowerCase() === 'speculationrules' ? false : supports.apply(this, arguments); });
  }
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
        // A Request object's body cannot be read synchronously: it goes as opaque.
        const body = init && init.body != null ? init.body : (input instanceof Request && !['GET', 'HEAD'].includes(method) ? new Blob() : undefined);
        tell(keepalive ? 'keepalive' : 'fetch-' + method.toLowerCase(), method, url, body);
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
  // WebTransport opens its own QUIC connection (even with --disable-quic): no route sees it.
  // It and the APIs below are defined whether or not the browser has them: the launch flags take
  // most away (the browser would send for them itself), and these stand-ins make an attempt show
  // in the report instead of a silent ReferenceError (and "submission.none").
  define(window, 'WebTransport', function WebTransport(url) { tell('webtransport', 'CONNECT', abs(url)); throw new DOMException('blocked by preflight', 'SecurityError'); });
  define(window, 'WebSocketStream', function WebSocketStream(url) { tell('websocket', 'GET', abs(url)); throw new DOMException('blocked by preflight', 'SecurityError'); });
  define(window, 'fetchLater', function fetchLater(input, init) {
    tell('fetch-later', String((init && init.method) || 'GET').toUpperCase(), abs((input && input.url) || input), init && init.body);
    throw new DOMException('blocked by preflight', 'NotAllowedError');
  });
  define(window, 'PaymentRequest', function PaymentRequest(methods) {
    let first = '';
    try { first = String(methods[0].supportedMethods); } catch (e) {}
    tell('payment-request', 'GET', first);
    throw new DOMException('blocked by preflight', 'SecurityError');
  });
  if (window.CredentialsContainer && CredentialsContainer.prototype.get) {
    const credentialsGet = CredentialsContainer.prototype.get;
    define(CredentialsContainer.prototype, 'get', function (options) {
      if (options && options.identity) {
        let config = '';
        try { config = String(options.identity.providers[0].configURL); } catch (e) {}
        tell('fedcm', 'GET', config);
        return Promise.reject(new DOMException('blocked by preflight', 'NotAllowedError'));
      }
      return credentialsGet.apply(this, arguments);
    });
  }
  // Workers: init scripts never run in them, so every worker starts from a blob: bootstrap that
  // runs WORKER_PRELUDE first and then loads the page's script from its own URL (importScripts for
  // a classic worker, import() for a module one: its relative imports and import.meta.url keep
  // working). No race with the worker's start, and no response rewriting (route.fetch would go
  // through the driver's own network stack, which knows neither --connect-to nor pinned certs).
  const createURL = URL.createObjectURL;
  const OrigBlob = window.Blob;
  const syncRead = (u) => {
    try {
      const x = new XMLHttpRequest();
      xhrOpen.call(x, 'GET', u, false);
      x.overrideMimeType('text/plain; charset=utf-8');
      xhrSend.call(x);
      return x.status === 200 || x.status === 0 ? x.responseText : null;
    } catch (e) { return null; }
  };
  const PRELUDE = __WORKER_PRELUDE__;
  const bootstrap = (u, module) => createURL(new OrigBlob([
    'self.__preflightWorkerBase = ', JSON.stringify(u), ';\nself.__preflightPrelude = ', JSON.stringify(PRELUDE), ';\n',
    PRELUDE, '\n', module ? 'await import(' + JSON.stringify(u) + ');' : 'importScripts(' + JSON.stringify(u) + ');'],
    {type: 'text/javascript'}));
  const OrigWorker = window.Worker;
  if (OrigWorker) {
    const Wrapped = function Worker(url, options) {
      if (!new.target) throw new TypeError("Failed to construct 'Worker': Please use the 'new' operator.");
      return new OrigWorker(bootstrap(abs(url), !!(options && options.type === 'module')), options);
    };
    Wrapped.prototype = OrigWorker.prototype;
    define(window, 'Worker', Wrapped);
  }
  // Shared workers are off by launch flag (their requests bypass route); refuse them here too.
  define(window, 'SharedWorker', function SharedWorker(url) { tell('shared-worker', 'GET', abs(url)); throw new DOMException('blocked by preflight', 'SecurityError'); });
  // Worklet module fetches (AudioWorklet) bypass route (measured): refuse a module whose URL or
  // blob:/data: source holds a field value.
  if (window.Worklet && Worklet.prototype.addModule) {
    const addModule = Worklet.prototype.addModule;
    define(Worklet.prototype, 'addModule', function (url) {
      const u = abs(url);
      scan();
      const text = /^(blob|data):/i.test(u) ? u + (syncRead(u) || '') : u;
      if (holdsSecret(text)) { tell('worklet', 'GET', u, text); return Promise.reject(new DOMException('blocked by preflight', 'SecurityError')); }
      return addModule.apply(this, arguments);
    });
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
