"""The mock portal: a threaded HTTPS server on loopback that answers as the portals' hosts.

The browser keeps the real host names and maps them to ``127.0.0.1:PORT``, so the mock routes by
the ``Host`` header, keeps every request as evidence (the no-submission tests prove from this log
that nothing was posted), and plays the scenarios of ``_routes.toml``: redirects, clock offsets,
dropped, reset, trickling and hanging connections.
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import html
import json
import logging
import math
import shutil
import socket
import socketserver
import ssl
import struct
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO
from urllib.parse import urlsplit

from preflight.errors import PreflightError
from preflight.mock.certs import CertPair, generate_cert, spki_sha256_base64
from preflight.mock.routes import HostSettings, Route
from preflight.mock.site import HostSite, Site, content_type, host_from_header

logger = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"
MAX_BODY_BYTES = 64 * 1024 * 1024
"""Request bodies above this are counted but not kept."""
HANDSHAKE_TIMEOUT_S = 10.0
IDLE_TIMEOUT_S = 30.0
"""A keep-alive connection with no new request is closed after this long."""
RESET_SETTLE_S = 0.2
"""Pause between the last byte and the RST of ``reset_after_bytes``."""
SLOW_BODY_PIECES = 10
"""``slow_body_s`` sends the body in this many pieces, evenly spaced."""
STOP_GRACE_S = 1.0
"""``stop()`` waits at most this long for handler threads to notice their sockets closed."""

Record = dict[str, Any]
_HTML = "text/html; charset=utf-8"


class MockPortalError(PreflightError):
    """The mock portal could not start (port in use, unreadable log path)."""


class RequestLog(Sequence[Record]):
    """A thread-safe, append-only list of records with a way to wait for one.

    ``wait_for`` exists so tests wait on a condition ("the POST arrived") instead of sleeping.
    """

    def __init__(self) -> None:
        self._items: list[Record] = []
        self._changed = threading.Condition()

    def append(self, record: Record) -> None:
        with self._changed:
            self._items.append(record)
            self._changed.notify_all()

    def clear(self) -> None:
        with self._changed:
            self._items.clear()

    def __getitem__(self, index: int) -> Record:  # type: ignore[override]
        with self._changed:
            return self._items[index]

    def __len__(self) -> int:
        with self._changed:
            return len(self._items)

    def __iter__(self) -> Iterator[Record]:
        with self._changed:
            return iter(list(self._items))

    def wait_for(self, predicate: Callable[[Record], bool], timeout: float = 5.0) -> Record | None:
        """The first record (already there or yet to come) that satisfies ``predicate``; ``None`` on timeout."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for record in self._items:
                    if predicate(record):
                        return record
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._changed.wait(remaining)

    def matching(self, *, method: str | None = None, host: str | None = None,
                 path: str | None = None) -> list[Record]:
        """Records with this method / host / raw path (``None`` matches anything)."""
        return [r for r in self
                if (method is None or r["method"] == method)
                and (host is None or r["host"] == host)
                and (path is None or r["path"] == path)]


# --------------------------------------------------------------------------- responses


@dataclass(frozen=True)
class ResponsePlan:
    """What to answer, decided before anything is sent; timing behaviours live on ``route``."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    route: Route | None = None
    date_offset_s: float = 0.0

    def date_header(self, now: float | None = None) -> str | None:
        """The ``Date`` value at the moment of sending: the server clock floored to the second."""
        if self.route is not None and self.route.date is not None:
            return None if self.route.date in ("", "omit") else self.route.date
        server_clock = (time.time() if now is None else now) + self.date_offset_s
        return email.utils.formatdate(math.floor(server_clock), usegmt=True)


def plan_response(site: HostSite, method: str, path: str, query: str = "") -> ResponsePlan:
    """Static files by default; the first matching route of the host overrides what it names."""
    route = site.routes.match(method, path)
    location: str | None
    if route is not None and route.redirect is not None:
        target = html.escape(route.redirect)
        status, ctype, location = 302, _HTML, route.redirect
        body = _page("Moved", f'This page has moved to <a href="{target}">{target}</a>.')
    else:
        status, ctype, body, location = _default_answer(site, method, path, query)
    if route is not None:
        supplied = _route_body(site, route)
        if supplied is not None:
            ctype, body = supplied
            if route.redirect is None:  # the route supplies the page: no static file is involved
                status, location = 200, None
        if route.status is not None:
            status = route.status
    headers = _merge([("Content-Type", ctype)] + ([("Location", location)] if location else []),
                     site.routes.settings.headers)
    if route is not None:
        headers = _merge(headers, route.headers)
        headers += [("Set-Cookie", cookie) for cookie in route.set_cookies]
    if not any(name.lower() == "content-length" for name, _ in headers):
        headers.append(("Content-Length", str(len(body))))
    offset = _date_offset(site.routes.settings, route)
    return ResponsePlan(status, tuple(headers), body, route, offset)


def _route_body(site: HostSite, route: Route) -> tuple[str, bytes] | None:
    """(content type, body) when the route names its own body."""
    if route.body is not None:
        return _HTML, route.body.encode("utf-8")
    if route.file is not None:
        file = site.directory / route.file
        return content_type(file), file.read_bytes()
    if route.size_bytes is not None:
        return _HTML, _filler(route.size_bytes)
    return None


def _default_answer(site: HostSite, method: str, path: str, query: str) -> tuple[int, str, bytes, str | None]:
    """(status, content type, body, location) when no route says otherwise."""
    if method not in ("GET", "HEAD"):
        # Anything sent is accepted and logged: the log, not the answer, is the evidence.
        return 200, "text/plain; charset=utf-8", b"received", None
    found = site.lookup(path)
    if found.file is not None:
        return 200, content_type(found.file), found.file.read_bytes(), None
    if found.add_slash:
        location = path + "/" + (f"?{query}" if query else "")
        return 301, _HTML, _page("Moved", "Moved."), location
    return 404, _HTML, _page("Page not found", "We could not find that page."), None


def _date_offset(settings: HostSettings, route: Route | None) -> float:
    if route is not None and route.date_offset_s is not None:
        return route.date_offset_s
    return settings.date_offset_s


def _merge(headers: list[tuple[str, str]], overrides: Mapping[str, str]) -> list[tuple[str, str]]:
    """Headers with ``overrides`` replacing same-named ones (case-insensitively) or appended."""
    names = {name.lower() for name in overrides}
    return [(n, v) for n, v in headers if n.lower() not in names] + list(overrides.items())


def _page(title: str, message: str) -> bytes:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body><h1>{title}</h1><p>{message}</p></body></html>\n").encode()


def _filler(size: int) -> bytes:
    unit = b"<!-- preflight mock portal: generated filler to make a large page -->\n"
    return (unit * (size // len(unit) + 1))[:size]


# --------------------------------------------------------------------------- HTTP


class _Handler(BaseHTTPRequestHandler):
    """One connection: parse each request, record it, answer it as planned."""

    protocol_version = "HTTP/1.1"
    timeout = IDLE_TIMEOUT_S
    disable_nagle_algorithm = True  # headers and body are separate writes: no 40 ms delayed-ACK stall
    server: _PortalServer

    def handle_one_request(self) -> None:
        # Replaces the stdlib version so that every method reaches ``_answer`` (no do_GET zoo).
        try:
            self.raw_requestline = self.rfile.readline(65537)
            if len(self.raw_requestline) > 65536:
                self.requestline, self.request_version, self.command = "", "", ""
                self.send_error(414)
                return
            if not self.raw_requestline:
                self.close_connection = True
                return
            if not self.parse_request():
                return
            self._answer()
            self.wfile.flush()
        except OSError:  # timeouts, resets, TLS errors, sockets closed by stop()
            self.close_connection = True

    def _answer(self) -> None:
        body = self._read_body()
        host = host_from_header(self.headers.get("Host"))
        websocket = "websocket" in self.headers.get("Upgrade", "").lower()
        self.server.record(self._record(host, body, websocket))
        if websocket:
            self.close_connection = True
            refusal = b"the mock portal does not serve WebSockets"
            self._send(ResponsePlan(400, (("Content-Type", "text/plain; charset=utf-8"),
                                          ("Content-Length", str(len(refusal))), ("Connection", "close")), refusal))
            return
        path, query = _split_target(self.path)
        plan = plan_response(self.server.site.host(host), self.command, path, query)
        self._send(plan, head_only=self.command == "HEAD")

    def _send(self, plan: ResponsePlan, head_only: bool = False) -> None:
        route = plan.route
        stopping = self.server.stopping
        if route is not None and route.delay_s and stopping.wait(route.delay_s):
            return
        if route is not None and route.drop:
            self.close_connection = True
            return
        self.send_response_only(plan.status)
        for name, value in plan.headers:
            self.send_header(name, value)
        date = plan.date_header()  # as late as possible: clock tests measure it to the millisecond
        if date is not None:
            self.send_header("Date", date)
        self.end_headers()
        if head_only:
            return
        body = plan.body
        if route is not None and route.reset_after_bytes is not None:
            self.wfile.write(body[:route.reset_after_bytes])
            self.close_connection = True
            # A RST makes the peer's kernel drop data its application has not read yet; give the
            # client a moment to read what was sent, so "N bytes, then reset" is what it sees.
            if not stopping.wait(RESET_SETTLE_S):
                self._reset()
        elif route is not None and route.never_finish:
            self.wfile.write(body[:len(body) // 2])
            stopping.wait()
            self.close_connection = True
        elif route is not None and route.slow_body_s > 0:
            step = max(1, -(-len(body) // SLOW_BODY_PIECES))
            for start in range(0, len(body), step):
                self.wfile.write(body[start:start + step])
                if stopping.wait(route.slow_body_s / SLOW_BODY_PIECES):
                    self.close_connection = True
                    return
        else:
            self.wfile.write(body)

    def _reset(self) -> None:
        """Close with SO_LINGER 0, so the peer gets a TCP RST rather than a clean end."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()  # the real close (and RST) happens when finish() closes rfile

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        try:
            length = int(self.headers.get("Content-Length", "0").strip() or 0)
        except ValueError:
            length = 0
        if length <= 0:
            return b""
        body = self.rfile.read(min(length, MAX_BODY_BYTES))
        if length > MAX_BODY_BYTES:
            self.close_connection = True  # the rest is never read: the connection cannot be reused
        return body

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        size = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                chunk = int(line.split(b";", 1)[0].strip() or b"0", 16)
            except ValueError:
                self.close_connection = True
                break
            if chunk == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                break
            data = self.rfile.read(chunk)
            self.rfile.readline(8)
            size += len(data)
            if size <= MAX_BODY_BYTES:
                parts.append(data)
        return b"".join(parts)

    def _record(self, host: str, body: bytes, websocket: bool) -> Record:
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}\n{value}" if key in headers else value
        return {
            "ts": time.time(),
            "method": self.command,
            "host": host,
            "path": self.path,
            "headers": headers,
            "body_bytes": len(body),
            "body_sha256": hashlib.sha256(body).hexdigest(),
            "body": body.decode("latin-1"),
            "scheme": "https" if isinstance(self.connection, ssl.SSLSocket) else "http",
            "sni": getattr(self.connection, "preflight_sni", None),
            "websocket": websocket,
        }

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        logger.debug("%s " + format, self.address_string(), *args)


def _split_target(target: str) -> tuple[str, str]:
    """Request target -> (path, query); absolute-form targets keep only their path."""
    if target.startswith(("http://", "https://")):
        parts = urlsplit(target)
        return parts.path or "/", parts.query
    path, _, query = target.partition("#")[0].partition("?")
    return path or "/", query


class _PortalServer(ThreadingHTTPServer):
    """Threaded server that wraps TLS in the connection's own thread and can close every socket."""

    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True

    def __init__(self, port: int, site: Site, tls: ssl.SSLContext | None,
                 record: Callable[[Record], None], tls_error: Callable[[Record], None]) -> None:
        self.site = site
        self.tls = tls
        self.record = record
        self.tls_error = tls_error
        self.stopping = threading.Event()
        self._open: set[socket.socket] = set()
        self._open_changed = threading.Condition()
        super().__init__((LOOPBACK, port), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn): slow or hanging offline.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "localhost", self.server_address[1]

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, address = super().get_request()
        with self._open_changed:
            self._open.add(conn)
        return conn, address

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Runs in the connection's thread: a slow TLS handshake never blocks accepting others."""
        conn: socket.socket = request
        try:
            if self.tls is not None:
                conn = self.tls.wrap_socket(request, server_side=True, do_handshake_on_connect=False)
                if not self._replace(request, conn):
                    return
                conn.settimeout(HANDSHAKE_TIMEOUT_S)
                try:
                    conn.do_handshake()
                except OSError as exc:
                    self.tls_error({"ts": time.time(), "sni": getattr(conn, "preflight_sni", None),
                                    "error": str(exc)})
                    return
            _Handler(conn, client_address, self)
        finally:
            if conn is not request:
                self.shutdown_request(conn)
            self._forget(conn)

    def _replace(self, old: socket.socket, new: socket.socket) -> bool:
        with self._open_changed:
            self._open.discard(old)
            if self.stopping.is_set():
                new.close()
                return False
            self._open.add(new)
            return True

    def _forget(self, conn: socket.socket) -> None:
        with self._open_changed:
            self._open.discard(conn)
            self._open_changed.notify_all()

    def close_connections(self, grace_s: float) -> None:
        """Shut every open socket down (waking threads blocked on it) and wait a little for them."""
        with self._open_changed:
            for conn in list(self._open):
                # socket.socket.shutdown, not SSLSocket.shutdown: no TLS state is touched from
                # this thread, the kernel just ends the connection under the handler's feet.
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(conn, socket.SHUT_RDWR)
            self._open_changed.wait_for(lambda: not self._open, timeout=grace_s)

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], OSError):
            return  # clients that go away are the normal case for a fault-injecting server
        logger.exception("mock portal: error while answering %s", client_address)


# --------------------------------------------------------------------------- public API


class MockPortal:
    """The mock portal server: ``with MockPortal() as portal: ... portal.url("my.cigna.com")``.

    Listens on ``127.0.0.1`` (port 0: any free port). HTTPS with a fresh self-signed certificate
    for every host of the site roots plus ``hosts`` (``tls=False`` for plain HTTP).
    """

    def __init__(
        self,
        *,
        port: int = 0,
        tls: bool = True,
        roots: Sequence[Path | str] = (),
        log_path: Path | str | None = None,
        cert_dir: Path | str | None = None,
        hosts: Iterable[str] = (),
        cert: CertPair | None = None,
        sni_certs: Mapping[str, CertPair] | None = None,
        observer: Callable[[Record], None] | None = None,
    ) -> None:
        """``roots`` are searched before the packaged site. ``cert`` serves an existing pair
        instead of generating one; ``sni_certs`` serves another pair to clients asking for that
        host name (bad-certificate scenarios for one host). ``observer`` sees every record."""
        self.site = Site(roots)  # validates every _routes.toml now, not at the first request
        self.tls = tls
        self.log_path = Path(log_path) if log_path is not None else None
        self.requests = RequestLog()
        self.tls_errors = RequestLog()
        """Failed TLS handshakes (``{"ts", "sni", "error"}``): a browser refusing the certificate."""
        self.hosts: tuple[str, ...] = tuple(dict.fromkeys([*self.site.hosts, *(h.lower() for h in hosts)]))
        """Every host name the certificate covers (the site's hosts, then the extra ones)."""
        self._requested_port = port
        self._cert_dir = Path(cert_dir) if cert_dir is not None else None
        self._cert = cert
        self._sni_certs = {k.lower(): v for k, v in (sni_certs or {}).items()}
        self._observer = observer
        self._server: _PortalServer | None = None
        self._thread: threading.Thread | None = None
        self._temp_dir: Path | None = None
        self._log_file: TextIO | None = None
        self._log_lock = threading.Lock()
        self._stopped = False

    # -- lifecycle

    def start(self) -> MockPortal:
        if self._server is not None or self._stopped:
            raise RuntimeError("a MockPortal starts once")
        context = self._tls_context() if self.tls else None
        if self.log_path is not None:
            try:
                self._log_file = self.log_path.open("a", encoding="utf-8")
            except OSError as exc:
                raise MockPortalError(f"{self.log_path}: cannot open the request log ({exc.strerror or exc})",
                                      "pick a writable path for --log") from None
        try:
            self._server = _PortalServer(self._requested_port, self.site, context, self._record, self.tls_errors.append)
        except OSError as exc:
            self._cleanup()
            raise MockPortalError(f"cannot listen on {LOOPBACK}:{self._requested_port} ({exc.strerror or exc})",
                                  "pick another --port, or 0 for any free port") from None
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name=f"mock-portal:{self.port}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop quickly: end the accept loop, wake hanging handlers, close every socket."""
        if self._stopped:
            return
        self._stopped = True
        server = self._server
        if server is not None:
            server.stopping.set()
            # shutdown() waits, unbounded, for the accept loop to notice: bounded here, so a loop
            # stuck in a client's handshake cannot hold Ctrl-C up (closing the socket wakes it).
            stopper = threading.Thread(target=server.shutdown, name="mock-portal-stop", daemon=True)
            stopper.start()
            stopper.join(timeout=2 * STOP_GRACE_S)
            server.server_close()
            server.close_connections(STOP_GRACE_S)
        if self._thread is not None:
            self._thread.join(timeout=STOP_GRACE_S)
        self._cleanup()

    def __enter__(self) -> MockPortal:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # -- addresses

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the mock portal is not started")
        return int(self._server.server_address[1])

    @property
    def scheme(self) -> str:
        return "https" if self.tls else "http"

    @property
    def cert_path(self) -> Path:
        return self._served_cert().cert_path

    @property
    def key_path(self) -> Path:
        return self._served_cert().key_path

    def url(self, host: str, path: str = "/") -> str:
        """The URL a browser should open: the real host name, default port (mapped to the mock)."""
        return f"{self.scheme}://{host}{path if path.startswith('/') else '/' + path}"

    def connect_to_args(self, hosts: Iterable[str] | None = None) -> list[str]:
        """``HOST:443:127.0.0.1:PORT`` for each host (curl ``--connect-to`` syntax); default all hosts."""
        default_port = 443 if self.tls else 80
        return [f"{host}:{default_port}:{LOOPBACK}:{self.port}" for host in (self.hosts if hosts is None else hosts)]

    def serve_cert(self, pair: CertPair) -> None:
        """Serve ``pair`` on connections from now on (certificate renewal and issuer-change
        scenarios); ``sni_certs`` keep answering for their hosts."""
        server = self._server
        if server is None or server.tls is None:
            raise RuntimeError("serve_cert needs a started HTTPS mock portal")
        context = _server_context(pair)
        context.sni_callback = server.tls.sni_callback
        self._cert = pair
        server.tls = context

    # -- internals

    def _served_cert(self) -> CertPair:
        if self._cert is None:
            raise RuntimeError("no certificate: the mock portal is not started, or runs with tls=False")
        return self._cert

    def _tls_context(self) -> ssl.SSLContext:
        if self._cert is None:
            directory = self._cert_dir
            if directory is None:
                self._temp_dir = directory = Path(tempfile.mkdtemp(prefix="preflight-mock-"))
            self._cert = generate_cert(directory, self.hosts)
        context = _server_context(self._cert)
        alternates = {host: _server_context(pair) for host, pair in self._sni_certs.items()}

        def on_sni(conn: Any, server_name: str | None, _ctx: ssl.SSLContext) -> None:
            conn.preflight_sni = server_name  # kept for the request records
            alternate = alternates.get((server_name or "").lower())
            if alternate is not None:
                conn.context = alternate

        context.sni_callback = on_sni
        return context

    def _record(self, record: Record) -> None:
        self.requests.append(record)
        if self._log_file is not None:
            line = json.dumps({k: v for k, v in record.items() if k != "body"}, ensure_ascii=False)
            with self._log_lock:
                if not self._log_file.closed:
                    self._log_file.write(line + "\n")
                    self._log_file.flush()
        if self._observer is not None:
            try:
                self._observer(record)
            except Exception:  # an observer's bug must not take a request down with it
                logger.exception("mock portal observer failed")

    def _cleanup(self) -> None:
        with self._log_lock:
            if self._log_file is not None:
                self._log_file.close()
        if self._temp_dir is not None:
            shutil.rmtree(self._temp_dir, ignore_errors=True)


def _server_context(pair: CertPair) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(pair.cert_path, pair.key_path)
    context.set_alpn_protocols(["http/1.1"])  # the mock speaks HTTP/1.1 only; say so up front
    return context


# --------------------------------------------------------------------------- CLI entry


def serve(
    port: int = 0,
    log_path: Path | str | None = None,
    roots: Sequence[Path | str] = (),
    print_fn: Callable[[str], None] = print,
    *,
    stop: threading.Event | None = None,
) -> None:
    """Run the mock portal for ``preflight mock-portal`` until Ctrl-C (or ``stop`` is set).

    Prints where it listens, the certificate to trust and a ready ``preflight check`` command,
    then one line per request. Ctrl-C stops the server and returns normally: it is the expected
    way to end this command. Raises ``MockPortalError`` when it cannot start.
    """
    def announce(record: Record) -> None:
        size = f" ({record['body_bytes']} bytes sent)" if record["body_bytes"] else ""
        print_fn(f"{record['method']} {record['host'] or '-'}{record['path']}{size}")

    with MockPortal(port=port, log_path=log_path, roots=roots, observer=announce) as portal:
        target = "cignaforhcp.cigna.com"
        print_fn(f"mock portal listening on https://{LOOPBACK}:{portal.port}/ (port {portal.port})")
        print_fn(f"certificate: {portal.cert_path}")
        print_fn(f"SPKI pin (Chromium --ignore-certificate-errors-spki-list): {spki_sha256_base64(portal.cert_path)}")
        print_fn(f"request log: {portal.log_path or 'not written (use --log FILE)'}")
        print_fn(f"hosts: {', '.join(portal.hosts)}")
        print_fn("try:")
        print_fn(f"  preflight check https://{target}/ --connect-to {portal.connect_to_args([target])[0]}"
                 f" --trust-cert {portal.cert_path}")
        print_fn(f"(map each further host the same way: --connect-to HOST:443:{LOOPBACK}:{portal.port})")
        print_fn("Ctrl-C to stop.")
        waiter = stop or threading.Event()
        try:
            while not waiter.wait(0.5):  # short waits keep Ctrl-C responsive on every platform
                pass
        except KeyboardInterrupt:
            print_fn("mock portal stopped")
