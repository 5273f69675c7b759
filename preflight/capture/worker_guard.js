// Prepended to every worker the page starts (guard.js wraps Worker): init scripts never run in
// workers. Workers have no bindings: they report with a GET to __REPORT_HOST__, which the route records.
(() => {
  if (self.__preflightWorkerGuard) return;
  const define = (obj, name, value) => {
    try { Object.defineProperty(obj, name, {value, writable: false, configurable: false}); } catch (e) {}
  };
  define(self, '__preflightWorkerGuard', true);
  // The bootstrap runs from a blob: URL; relative URLs resolve against the page's worker URL.
  const base = self.__preflightWorkerBase || self.location.href;
  const prelude = self.__preflightPrelude;
  const origFetch = self.fetch;
  // The body is sent along (to the route only, which aborts this request) just so that the guard
  // can tell a field value from telemetry; it is never recorded.
  const text = (b) => { try { return b == null ? '' : typeof b === 'string' ? b : b instanceof URLSearchParams ? b.toString() : ''; } catch (e) { return ''; } };
  const report = (reason, method, url, body) => {
    try {
      const q = new URLSearchParams({r: reason, m: method, u: String(url), b: text(body).slice(0, 4000)});
      origFetch.call(self, 'https://__REPORT_HOST__/report?' + q).catch(() => {});
    } catch (e) {}
  };
  const abs = (u) => { try { return new URL(String(u), base).href; } catch (e) { return String(u); } };
  const refuse = (name, reason, method) => {
    define(self, name, function (url) { report(reason, method, abs(url)); throw new DOMException('blocked by preflight', 'SecurityError'); });
  };
  refuse('WebSocket', 'websocket', 'GET');
  refuse('WebSocketStream', 'websocket', 'GET');
  refuse('WebTransport', 'webtransport', 'CONNECT');
  refuse('SharedWorker', 'shared-worker', 'GET');
  if (self.importScripts) {
    const importScripts = self.importScripts;
    define(self, 'importScripts', function (...urls) { return importScripts.apply(this, urls.map((u) => abs(u))); });
  }
  if (self.Worker) {
    // A nested worker starts from the same kind of bootstrap, or not at all.
    const Nested = self.Worker, createURL = URL.createObjectURL, B = self.Blob;
    define(self, 'Worker', function Worker(url, options) {
      const u = abs(url), module = !!(options && options.type === 'module');
      if (typeof prelude !== 'string') { report('nested-worker', 'GET', u); throw new DOMException('blocked by preflight', 'SecurityError'); }
      return new Nested(createURL(new B(['self.__preflightWorkerBase = ', JSON.stringify(u), ';\nself.__preflightPrelude = ',
        JSON.stringify(prelude), ';\n', prelude, '\n', module ? 'await import(' + JSON.stringify(u) + ');' : 'importScripts(' + JSON.stringify(u) + ');'],
        {type: 'text/javascript'})), options);
    });
  }
  if (origFetch) {
    define(self, 'fetch', function (input, init) {
      const method = String((init && init.method) || (input && input.method) || 'GET').toUpperCase();
      const keepalive = !!((init && init.keepalive) || (input && input.keepalive));
      if (!['GET', 'HEAD'].includes(method) || keepalive || (init && init.body != null)) {
        report(keepalive ? 'keepalive' : 'fetch-' + method.toLowerCase(), method, abs((input && input.url) || input), init && init.body);
        return Promise.reject(new TypeError('blocked by preflight'));
      }
      return origFetch.call(this, typeof input === 'string' || input instanceof URL ? abs(input) : input, init);
    });
  }
  if (self.XMLHttpRequest) {
    const open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send, meta = new WeakMap();
    define(XMLHttpRequest.prototype, 'open', function (m, u, ...rest) { meta.set(this, [String(m || 'GET').toUpperCase(), abs(u)]); return open.call(this, m, abs(u), ...rest); });
    define(XMLHttpRequest.prototype, 'send', function (body) {
      const [m, u] = meta.get(this) || ['GET', ''];
      if (!['GET', 'HEAD'].includes(m) || body != null) { report('xhr-' + m.toLowerCase(), m, u, body); return; }
      return send.apply(this, arguments);
    });
  }
  if (self.navigator && navigator.sendBeacon) define(Object.getPrototypeOf(navigator), 'sendBeacon', function (u, data) { report('beacon', 'POST', abs(u), data); return false; });
})();
