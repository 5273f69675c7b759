"""What the mock portal cannot be, for the hostile trap corpus: servers that log every byte.

``HostileServers`` runs, on 127.0.0.1 (port 0 each) in one asyncio thread:

* ``ws``: a WebSocket server over TLS (the ``websockets`` package). It *accepts* the upgrade and
  logs the handshake (path, headers) and every message received, text or binary.
* ``wt``: an HTTP/3 server (aioquic, UDP) with WebTransport enabled. It logs every request
  (``CONNECT`` with ``:protocol = webtransport`` is accepted with 200), every byte of every
  WebTransport stream, every datagram and any other HTTP/3 body data; ``conn`` ties a
  connection's records to its ``CONNECT`` (and so to a page). Chromium does not apply its SPKI
  list to WebTransport's QUIC handshake ("certificate unknown"): a page pins the certificate
  itself with ``serverCertificateHashes``, whose hex it reads from the sink's ``/wt-cert-hash``.
* ``sink``: a TLS server for every other host name (mapped with a catch-all ``*:443`` rule). It
  logs the SNI of every handshake, even when no request follows (``<link rel=preconnect>`` to a
  host name that carries the secret), then the raw bytes of what is sent and answers ``200 ok``.

All three serve one self-signed EC P-256 certificate valid for ten days (short enough for
WebTransport's ``serverCertificateHashes`` too); Chromium trusts it through its SPKI pin
(``preflight check --trust-cert``). Every record is a dict with ``server``, ``event`` and
``ts``; ``data`` holds received bytes as latin-1 text so that a sentinel search sees them raw.

    with HostileServers(tmp_path) as hostile:
        args += ["--trust-cert", str(hostile.cert_path)]
        for mapping in hostile.connect_to_args():   # most specific first, catch-all last
            args += ["--connect-to", mapping]
        ...
        hostile.records
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import hashlib
import ssl
import threading
import time
from pathlib import Path
from typing import Any

from preflight.mock.certs import generate_cert

WS_HOST = "ws.hostile.test"
WT_HOST = "wt.hostile.test"
HOSTS = (WS_HOST, WT_HOST, "sink.hostile.test")
LOOPBACK = "127.0.0.1"


class HostileServers:
    def __init__(self, directory: Path) -> None:
        now = dt.datetime.now(dt.UTC)
        self.cert = generate_cert(Path(directory), HOSTS, name="hostile", not_before=now - dt.timedelta(hours=1),
                                  not_after=now + dt.timedelta(days=10), common_name="preflight hostile servers")
        from cryptography import x509
        from cryptography.hazmat.primitives import serialization

        der = x509.load_pem_x509_certificate(self.cert.cert_path.read_bytes()).public_bytes(serialization.Encoding.DER)
        self.cert_sha256 = hashlib.sha256(der).hexdigest()
        """For WebTransport's ``serverCertificateHashes`` (served at ``https://sink.hostile.test/wt-cert-hash``)."""
        self.records: list[dict[str, Any]] = []
        self.problems: list[str] = []
        """Servers that could not start (with the reason); the others still run."""
        self.ws_port = self.wt_port = self.sink_port = 0
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None

    @property
    def cert_path(self) -> Path:
        return self.cert.cert_path

    def connect_to_args(self, page_mappings: list[str] = ()) -> list[str]:
        """``--connect-to`` values: the WebSocket and WebTransport hosts, ``page_mappings`` (the
        mock portal's hosts), then every other host on port 443 to the sink."""
        args = []
        if self.ws_port:
            args.append(f"{WS_HOST}:443:{LOOPBACK}:{self.ws_port}")
        if self.wt_port:  # the same rule maps the UDP (QUIC) destination
            args.append(f"{WT_HOST}:443:{LOOPBACK}:{self.wt_port}")
        args += list(page_mappings)
        if self.sink_port:
            args.append(f":443:{LOOPBACK}:{self.sink_port}")
        return args

    def log(self, server: str, event: str, **fields: Any) -> None:
        with self._lock:
            self.records.append({"ts": time.time(), "server": server, "event": event, **fields})

    # -- lifecycle

    def __enter__(self) -> HostileServers:
        self._thread = threading.Thread(target=self._run, name="hostile-servers", daemon=True)
        self._thread.start()
        if not self._ready.wait(15):
            raise RuntimeError("the hostile servers did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(10)

    def _run(self) -> None:
        self._loop = asyncio.new_event_loop()
        try:
            self._loop.run_until_complete(self._main())
        finally:
            self._loop.close()

    async def _main(self) -> None:
        self._stop = asyncio.Event()
        closers = []
        for name, start in (("ws", self._start_ws), ("wt", self._start_wt), ("sink", self._start_sink)):
            try:
                closers.append(await start())
            except Exception as exc:  # noqa: BLE001 - reported, the other servers still run
                self.problems.append(f"{name}: {type(exc).__name__}: {exc}")
        self._ready.set()
        await self._stop.wait()
        for close in closers:
            try:
                await close()
            except Exception:  # noqa: BLE001
                pass

    def _tls(self, alpn: list[str] | None = None) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert.cert_path, self.cert.key_path)
        if alpn:
            context.set_alpn_protocols(alpn)
        return context

    # -- WebSocket

    async def _start_ws(self):
        from websockets.asyncio.server import serve

        async def handler(connection: Any) -> None:
            request = connection.request
            peer = connection.remote_address
            self.log("ws", "open", path=request.path, headers=dict(request.headers.raw_items()), peer=str(peer))
            try:
                async for message in connection:
                    data = message if isinstance(message, str) else message.decode("latin-1")
                    self.log("ws", "frame", path=request.path, binary=not isinstance(message, str),
                             bytes=len(message), data=data)
            except Exception as exc:  # noqa: BLE001
                self.log("ws", "error", path=request.path, error=repr(exc))
            self.log("ws", "close", path=request.path)

        def on_request(connection: Any, request: Any) -> None:
            # Every handshake, before it is accepted: a refused one still counts as an attempt.
            self.log("ws", "handshake", path=request.path, headers=dict(request.headers.raw_items()))

        server = await serve(handler, LOOPBACK, 0, ssl=self._tls(["http/1.1"]), process_request=on_request,
                             max_size=None, ping_interval=None)
        self.ws_port = server.sockets[0].getsockname()[1]

        async def close() -> None:
            server.close()
            await server.wait_closed()
        return close

    # -- HTTP/3 WebTransport

    async def _start_wt(self):
        from aioquic.asyncio import serve
        from aioquic.h3.connection import H3_ALPN
        from aioquic.quic.configuration import QuicConfiguration

        configuration = QuicConfiguration(alpn_protocols=H3_ALPN, is_client=False, max_datagram_frame_size=65536)
        configuration.load_cert_chain(self.cert.cert_path, self.cert.key_path)
        server = await serve(LOOPBACK, 0, configuration=configuration,
                             create_protocol=functools.partial(_WebTransportProtocol, hostile=self))
        self.wt_port = server._transport.get_extra_info("sockname")[1]  # noqa: SLF001 - no public accessor

        async def close() -> None:
            server.close()
        return close

    # -- catch-all TLS sink

    async def _start_sink(self):
        context = self._tls(["http/1.1"])

        names: dict[int, str | None] = {}

        def on_sni(sslobj: Any, server_name: str | None, _ctx: Any) -> None:
            names[id(sslobj)] = server_name
            self.log("sink", "tls", sni=server_name)
        context.sni_callback = on_sni

        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            sni = names.pop(id(writer.get_extra_info("ssl_object")), None)
            received = b""
            try:
                while True:
                    chunk = await asyncio.wait_for(reader.read(65536), timeout=1.0)
                    if not chunk:
                        break
                    received += chunk
                    if b"\r\n\r\n" in received and _complete(received):
                        break
            except (TimeoutError, ConnectionError, ssl.SSLError):
                pass
            if received.startswith(b"GET /wt-cert-hash "):
                # WebTransport ignores the SPKI list: pages pin the certificate themselves.
                answer = self.cert_sha256.encode()
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nAccess-Control-Allow-Origin: *\r\n"
                             b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(answer), answer))
                await writer.drain()
                writer.close()
                return
            if received:
                head, _, body = received.partition(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, _, rest = lines[0].partition(" ")
                path = rest.rsplit(" ", 1)[0]
                headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
                self.log("sink", "request", sni=sni, method=method, path=path, headers=headers,
                         body_bytes=len(body), data=received.decode("latin-1"))
                try:
                    writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok")
                    await writer.drain()
                except (ConnectionError, ssl.SSLError):
                    pass
            try:
                writer.close()
            except Exception:  # noqa: BLE001
                pass

        server = await asyncio.start_server(handle, LOOPBACK, 0, ssl=context)
        self.sink_port = server.sockets[0].getsockname()[1]

        async def close() -> None:
            server.close()
        return close


def _complete(received: bytes) -> bool:
    head, _, body = received.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return len(body) >= int(value.strip() or 0)
        if name.strip().lower() == b"transfer-encoding":
            return body.endswith(b"0\r\n\r\n")
    return True


def _h3_base():
    from aioquic.h3.connection import H3Connection
    return H3Connection


class _WebTransportH3(_h3_base()):  # type: ignore[misc]
    """aioquic's HTTP/3 plus the WebTransport session limit that current Chromium waits for
    (``SETTINGS_WT_MAX_SESSIONS``, both the draft-07 and the later code point)."""

    def _get_local_settings(self) -> dict[int, int]:
        settings = super()._get_local_settings()
        settings[0xC671706A] = 16
        settings[0x14E9CD29] = 16
        return settings


def _wt_protocol_base():
    from aioquic.asyncio.protocol import QuicConnectionProtocol
    return QuicConnectionProtocol


class _WebTransportProtocol(_wt_protocol_base()):  # type: ignore[misc]
    def __init__(self, *args: Any, hostile: HostileServers, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._hostile = hostile
        self._h3: Any = None
        self._conn = id(self)
        self._hostile.log("wt", "quic-connection", conn=self._conn)

    def quic_event_received(self, event: Any) -> None:
        from aioquic.quic.events import ConnectionTerminated, ProtocolNegotiated

        if isinstance(event, ConnectionTerminated):
            self._hostile.log("wt", "terminated", conn=self._conn, error_code=event.error_code, reason=event.reason_phrase)
        if isinstance(event, ProtocolNegotiated):
            self._h3 = _WebTransportH3(self._quic, enable_webtransport=True)
            self._hostile.log("wt", "alpn", conn=self._conn, protocol=event.alpn_protocol)
        if self._h3 is not None:
            for h3_event in self._h3.handle_event(event):
                self._h3_event(h3_event)

    def _h3_event(self, event: Any) -> None:
        from aioquic.h3.events import DatagramReceived, DataReceived, HeadersReceived, WebTransportStreamDataReceived

        log = functools.partial(self._hostile.log, conn=self._conn)
        if isinstance(event, HeadersReceived):
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in event.headers}
            method = headers.get(":method", "")
            log("wt", "request", method=method, path=headers.get(":path", ""), headers=headers,
                stream_id=event.stream_id)
            if method == "CONNECT" and headers.get(":protocol") == "webtransport":
                self._h3.send_headers(event.stream_id, [(b":status", b"200"), (b"sec-webtransport-http3-draft", b"draft02")])
            else:
                self._h3.send_headers(event.stream_id, [(b":status", b"404")], end_stream=True)
            self.transmit()
        elif isinstance(event, WebTransportStreamDataReceived):
            log("wt", "stream-data", session_id=event.session_id, stream_id=event.stream_id,
                bytes=len(event.data), data=event.data.decode("latin-1"), ended=event.stream_ended)
        elif isinstance(event, DatagramReceived):
            log("wt", "datagram", stream_id=event.stream_id, bytes=len(event.data), data=event.data.decode("latin-1"))
        elif isinstance(event, DataReceived):
            if event.data:
                log("wt", "data", stream_id=event.stream_id, bytes=len(event.data), data=event.data.decode("latin-1"))
