"""Timed ``HEAD`` requests that pin the portal's clock down to a few milliseconds.

The network half of the clock check (the arithmetic is ``preflight.clock``). ``Date`` counts
whole seconds, so, like htpdate but better, the probe times its requests to straddle the
server's second boundary: each round places a comb of requests across the instants where the
current interval says the boundary may fall, stops at the first request that sees the new
second, and so shrinks the interval by the comb's size. One round of about eleven requests turns
one second into under a tenth (+-50 ms) within about a second of the first request; a second
round runs only when the first did not get there. On a slow network the comb gets sparser
(requests must not overlap), so there are fewer samples and a wider, still true, interval.

It runs in a thread beside the browser (started with the run, while the browser launches, for
official targets; otherwise when the first response commits),
over one kept-alive connection per host that goes where the browser's ``--connect-to`` /
``--resolve`` mappings send it, with the real host name in SNI and ``Host`` and only the
``--trust-cert`` certificates trusted (system trust when none is given). Nothing with a body is
ever sent: ``HEAD``, or ``GET`` when a server refuses ``HEAD``. No cookies, no credentials.
"""

from __future__ import annotations

import asyncio
import functools
import http.client
import math
import socket
import ssl
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar
from urllib.parse import urlsplit

from preflight.config.network import HostMapping, certificate_der, map_hosts, spki_hash, spki_hash_of_der
from preflight.model.snapshot import ClockSample
from preflight.rules import skew as clock
from preflight.rules.hosts import host_of

if TYPE_CHECKING:  # pragma: no cover
    from preflight.config.allowlist import Allowlist

MAX_REQUESTS = 12
"""Timed requests per host."""
BUDGET_S = 2.4
"""Longest a host's measurement may take, connection included (capture waits for it). Measured
from the start of the run, most of it passes while the browser launches and loads the page; a
shorter budget (1.5 s, tried) left a loaded machine's probe without a server second boundary."""
MAX_HOSTS = 4
"""Hosts of a redirect chain measured at once."""
GOOD_ENOUGH_S = 0.1
"""Stop once the proven interval is this narrow (+-50 ms, against thresholds of 30 s); more
requests would only cost time. One comb of the whole budget across the first second boundary
gets there on a fast link, so the measurement ends within about a second of its start, hidden
behind the browser's launch (two combs of half the requests, tried, took two seconds)."""

MIN_SPACING_S = 0.003
"""Scheduling slack between two requests of a comb, on top of the round trip."""

MAX_GET_BODY = 256 * 1024
"""A ``GET`` fallback body larger than this is not read: the connection is dropped instead."""

USER_AGENT = "portal-preflight clock check (HEAD only)"

_T = TypeVar("_T")


class Timebase(Protocol):
    """Local wall time for the samples, and a way to wait for it (a fake one in tests)."""

    def now(self) -> float: ...

    def sleep_until(self, instant: float) -> bool:
        """Wait until ``now() >= instant``; ``False`` if the measurement was stopped meanwhile."""
        ...


class Exchange(Protocol):
    """One request on a kept-alive connection: ``open`` (untimed), then timed ``send``."""

    def open(self, timeout_s: float) -> None: ...

    def send(self, timeout_s: float) -> tuple[int, str | None]:
        """Send one request and read the answer's head: ``(status, Date header or None)``."""
        ...


class SteadyClock:
    """``time.time()`` read once, then advanced by ``time.monotonic()``.

    Every sample of a run shares one time base, so a clock step on this computer in the middle
    of the measurement cannot tear the samples apart; the skew refers to the wall clock as it
    read when the probe started.
    """

    def __init__(self, stop: threading.Event | None = None) -> None:
        self.stop = stop or threading.Event()
        before = time.monotonic()
        wall = time.time()
        after = time.monotonic()
        self._origin_wall = wall
        self._origin_mono = (before + after) / 2

    def now(self) -> float:
        return self._origin_wall + (time.monotonic() - self._origin_mono)

    def sleep_until(self, instant: float) -> bool:
        delay = instant - self.now()
        if delay > 0:
            return not self.stop.wait(delay)
        return not self.stop.is_set()


@dataclass(frozen=True)
class Round:
    """One comb of requests aimed at one second boundary of the server."""

    boundary: int
    """The server second (Unix) whose start the comb brackets."""
    instants: tuple[float, ...]
    """Local times at which the server should read its clock (send half a round trip earlier)."""


def plan_round(bounds: clock.SkewBounds, now: float, rtt: float, requests_left: int, deadline: float,
               see_tick: bool = False) -> Round | None:
    """Spread up to ``requests_left`` requests, evenly, over the next boundary window.

    The server's second ``N`` starts at local time ``N + skew``: somewhere in
    ``[N + low, N + high]``. A request read there by the server says on which side the boundary
    fell, so ``k`` requests cut the window into ``k + 1`` pieces. Every request left may go into
    this window; requests closer than a round trip would overlap, so a slow network gets fewer;
    when none fits the window, one goes as late as the deadline allows. ``None`` when no request
    fits at all.

    ``see_tick``: the last request goes just past the window instead, so that it certainly sees
    the new second: until the server's clock has been seen ticking, a replayed ``Date`` cannot be
    told from a live one.
    """
    earliest = now + rtt / 2 + MIN_SPACING_S
    last_useful = deadline - rtt
    boundary = math.floor(earliest - bounds.high) + 1
    ahead = boundary + bounds.high - max(boundary + bounds.low, earliest)
    if ahead < bounds.width / 2 and boundary + 1 + bounds.low < last_useful:
        boundary += 1  # most of this window is already past: aim at the next one
    start, end = max(boundary + bounds.low, earliest), boundary + bounds.high
    if start >= last_useful:
        return None
    spacing = rtt + MIN_SPACING_S
    fits = math.floor((end - start) / spacing) - 1
    # The whole budget goes into this window: it is the soonest, and the comb stops at the first
    # request past the boundary, so what it does not use is left for a later window.
    count = max(1, min(fits, requests_left))
    if see_tick:
        step = (end - start) / count
        planned = [start + step * j for j in range(1, count)] + [end + rtt / 2 + MIN_SPACING_S]
    else:
        step = (end - start) / (count + 1)
        planned = [start + step * j for j in range(1, count + 1)]
    instants = tuple(t for t in planned if t <= last_useful)
    # Out of time for a comb: one last request, as late as possible (the likeliest to see a tick).
    return Round(boundary, instants or (last_useful,))


def measure(exchange: Exchange, host: str, steady: Timebase, *, max_requests: int = MAX_REQUESTS,
            budget_s: float = BUDGET_S) -> tuple[ClockSample, ...]:
    """Time up to ``max_requests`` requests through ``exchange`` within ``budget_s``.

    A failed request ends the measurement with a ``status=0`` sample (no answer): the check
    reads that as "could not connect". Everything the samples prove is left to
    ``clock.estimate``; the schedule only decides when to ask.
    """
    deadline = steady.now() + budget_s
    samples: list[ClockSample] = []

    def ask() -> ClockSample:
        sent = steady.now()
        try:
            exchange.open(max(0.1, deadline - sent))
            sent = steady.now()  # the (re)connection is not part of the timed request
            status, date = exchange.send(max(0.1, deadline - sent))
        except (OSError, http.client.HTTPException, ValueError):
            status, date = 0, None
        sample = ClockSample(host, sent, steady.now(), date, status)
        samples.append(sample)
        return sample

    first = ask()
    if first.status == 0:
        return tuple(samples)
    if clock.sample_bounds(first) is None:
        ask()  # a second look, so a missing or garbled Date is not a one-off
        return tuple(samples)
    while len(samples) < max_requests:
        bounds = clock.intersect_all(samples)
        rtt = min(s.received - s.sent for s in samples if s.status > 0)
        if bounds is None:
            break  # a contradiction: the check says why
        ticked = len({clock.parse_http_date(s.date_header) for s in samples}) > 1
        if ticked and bounds.width <= max(GOOD_ENOUGH_S, 2 * rtt + MIN_SPACING_S):
            break  # as narrow as wanted, or as this network allows
        plan = plan_round(bounds, steady.now(), rtt, max_requests - len(samples), deadline, see_tick=not ticked)
        if plan is None:
            break
        for instant in plan.instants:
            if len(samples) >= max_requests or not steady.sleep_until(instant - rtt / 2):
                return tuple(samples)
            sample = ask()
            date = clock.parse_http_date(sample.date_header)
            if sample.status == 0 or date is None:
                return tuple(samples)
            if date >= plan.boundary:
                break  # the boundary is behind us: the rest of this comb would learn nothing
    return tuple(samples)


@dataclass(frozen=True)
class ProbeTarget:
    """Where to ask for the time: the URL's host and path, and where the connection really goes."""

    scheme: str
    host: str
    port: int
    path: str
    connect_host: str
    connect_port: int

    @classmethod
    def from_url(cls, url: str, mappings: Sequence[HostMapping] = ()) -> ProbeTarget | None:
        """``None`` for URLs that are not http(s) or have no host."""
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = host_of(url)
        if scheme not in ("http", "https") or not host:
            return None
        try:
            port = parts.port or (443 if scheme == "https" else 80)
        except ValueError:
            return None
        # The path only: query strings and ;parameters may carry tokens, and change nothing here.
        path = (parts.path or "/").split(";", 1)[0] or "/"
        connect_host, connect_port = map_hosts(mappings, host, port)
        return cls(scheme, host, port, path, connect_host, connect_port)


def _dial(connect_to: tuple[str, int]) -> Callable[..., socket.socket]:
    """A ``create_connection`` for ``http.client`` that ignores the address it is given.

    The connection's host stays the real name, so SNI, the certificate check and ``Host`` use it,
    while the socket goes where ``--connect-to`` / ``--resolve`` send the browser.
    """
    def create_connection(_address: object, timeout: float | None = None,
                          source_address: tuple[str, int] | None = None) -> socket.socket:
        return socket.create_connection(connect_to, timeout, source_address)

    return create_connection


class HttpExchange:
    """``HEAD`` on one kept-alive connection; ``GET`` (no body sent, small bodies read) if refused.

    ``context`` is a factory so that an unreadable ``--trust-cert`` fails like a refused
    connection (inside the measurement), not like a crash of the visit.
    """

    def __init__(self, target: ProbeTarget, context: Callable[[], ssl.SSLContext] | None = None) -> None:
        self.target = target
        self.context = context or ssl_context
        self.method = "HEAD"
        self._conn: http.client.HTTPConnection | None = None

    def open(self, timeout_s: float) -> None:
        if self._conn is not None and self._conn.sock is not None:
            return
        target = self.target
        connect_to = (target.connect_host, target.connect_port)
        if target.scheme == "https":
            conn: http.client.HTTPConnection = http.client.HTTPSConnection(
                target.host, target.port, timeout=timeout_s, context=self.context())
        else:
            conn = http.client.HTTPConnection(target.host, target.port, timeout=timeout_s)
        conn._create_connection = _dial(connect_to)  # type: ignore[attr-defined]
        self._conn = conn
        conn.connect()
        context = getattr(conn, "_context", None)
        if isinstance(context, PinnedContext) and isinstance(conn.sock, ssl.SSLSocket):
            try:
                verify_pins(conn.sock, context.spki_pins, context.pinned_certs)
            except ssl.SSLError:
                self.close()
                raise
        if conn.sock is not None:
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send(self, timeout_s: float) -> tuple[int, str | None]:
        conn = self._conn
        if conn is None or conn.sock is None:
            raise ConnectionError("not connected")
        try:
            conn.sock.settimeout(timeout_s)
            conn.request(self.method, self.target.path, headers={
                "User-Agent": USER_AGENT, "Accept": "*/*", "Cache-Control": "no-cache"})
            response = conn.getresponse()
        except BaseException:
            self.close()
            raise
        status, date = response.status, response.getheader("Date")
        self._finish(response)
        if self.method == "HEAD" and status in (405, 501):
            self.method = "GET"  # this answer's Date still counts; the next requests use GET
        return status, date

    def _finish(self, response: http.client.HTTPResponse) -> None:
        """Read the rest (nothing for HEAD) so the connection can be reused, or drop it."""
        length = response.getheader("Content-Length")
        small = self.method == "HEAD" or (length is not None and length.isdigit() and int(length) <= MAX_GET_BODY)
        try:
            if small:
                response.read()
            else:
                response.close()
        except (OSError, http.client.HTTPException):
            small = False
        if not small or response.will_close:
            self.close()

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class PinnedContext(ssl.SSLContext):
    """A TLS context that trusts exactly what Chromium trusts under ``--trust-cert``: a chain in
    which some certificate (leaf or CA) has a pinned SPKI (``--ignore-certificate-errors-spki-list``).

    Python cannot take a CA-issued leaf as a trust anchor (no partial-chain flag), so the handshake
    verifies nothing and ``verify_pins`` checks the presented chain right after it.
    """

    spki_pins: frozenset[str] = frozenset()
    pinned_certs: tuple[bytes, ...] = ()
    """The ``--trust-cert`` certificates (DER): a CA among them may sign a leaf sent without it."""


def ssl_context(trust_certs: Sequence[str | Path] = ()) -> ssl.SSLContext:
    """Pinned to the ``--trust-cert`` certificates' SPKIs when given, else system trust."""
    if not trust_certs:
        return ssl.create_default_context()
    context = PinnedContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    context.spki_pins = frozenset(spki_hash(path) for path in trust_certs)
    context.pinned_certs = tuple(certificate_der(path) for path in trust_certs)
    return context


def verify_pins(sock: ssl.SSLSocket, pins: frozenset[str], pinned_certs: Sequence[bytes] = ()) -> None:
    """Raise ``ssl.SSLCertVerificationError`` unless a certificate of the chain has a pinned SPKI,
    or was signed by a pinned CA (servers do not send their root)."""
    chain: list[bytes] = []
    sslobj = getattr(sock, "_sslobj", None)
    if sslobj is not None and hasattr(sslobj, "get_unverified_chain"):  # CPython >= 3.10 (public in 3.13)
        chain = [cert.public_bytes(ssl._ssl.ENCODING_DER) for cert in sslobj.get_unverified_chain() or ()]  # type: ignore[attr-defined]
    if not chain:
        leaf = sock.getpeercert(binary_form=True)
        chain = [leaf] if leaf else []
    if any(spki_hash_of_der(der) in pins for der in chain) or _issued_by_pinned(chain, pinned_certs):
        return
    raise ssl.SSLCertVerificationError("the server's certificate is not the one given with --trust-cert")


def _issued_by_pinned(chain: Sequence[bytes], pinned_certs: Sequence[bytes]) -> bool:
    from cryptography import x509

    for issuer_der in pinned_certs:
        issuer = x509.load_der_x509_certificate(issuer_der)
        for der in chain:
            try:
                x509.load_der_x509_certificate(der).verify_directly_issued_by(issuer)
            except Exception:  # noqa: BLE001 - InvalidSignature, a key type that cannot sign, ...: not this one
                continue
            return True
    return False


def measure_url(url: str, mappings: Sequence[HostMapping] = (), trust_certs: Sequence[str | Path] = (), *,
                steady: Timebase | None = None, context: Callable[[], ssl.SSLContext] | None = None,
                max_requests: int = MAX_REQUESTS, budget_s: float = BUDGET_S) -> tuple[ClockSample, ...]:
    """Measure one URL's host (blocking). ``()`` for a URL that is not http(s)."""
    target = ProbeTarget.from_url(url, mappings)
    if target is None:
        return ()
    exchange = HttpExchange(target, context or (lambda: ssl_context(trust_certs)))
    try:
        return measure(exchange, target.host, steady or SteadyClock(), max_requests=max_requests,
                       budget_s=budget_s)
    finally:
        exchange.close()


def pick_urls(urls: Sequence[str], is_official: Callable[[str], bool] | None = None,
              max_hosts: int = MAX_HOSTS) -> list[str]:
    """One URL per host to measure: ``urls[0]`` is the final page, the rest the redirect chain.

    Official hosts only (the final page's first), when ``is_official`` says which those are;
    the final page's host alone when none of them is official.
    """
    per_host: dict[str, str] = {}
    for url in urls:
        host = host_of(url)
        if host and url.split(":", 1)[0].lower() in ("http", "https"):
            per_host.setdefault(host, url)
    if not per_host:
        return []
    picked = [u for h, u in per_host.items() if is_official is None or is_official(h)]
    return (picked or [urls[0]])[:max_hosts]


class Probe:
    """The ``CaptureOptions.clock_probe``: ``await probe(final_url, *redirect_chain_urls)``.

    Hosts are measured at once, each in a thread with its own connection, once per run: a
    measurement started early by ``prefetch`` (while the browser launches, as soon as the
    target's host is known to be official) is the one a visit then awaits. ``close`` stops
    every thread at its next wait.
    """

    def __init__(self, mappings: Sequence[HostMapping] = (), trust_certs: Sequence[str | Path] = (),
                 is_official: Callable[[str], bool] | None = None, *, max_requests: int = MAX_REQUESTS,
                 budget_s: float = BUDGET_S) -> None:
        self.mappings = tuple(mappings)
        self.trust_certs = tuple(str(p) for p in trust_certs)
        self.is_official = is_official
        self.max_requests = max_requests
        self.budget_s = budget_s
        self._context: ssl.SSLContext | None = None
        self._context_lock = threading.Lock()
        self._stop = threading.Event()
        self._steady = SteadyClock(self._stop)
        self._by_host: dict[str, asyncio.Future[tuple[ClockSample, ...]]] = {}

    def prefetch(self, url: str) -> None:
        """Start measuring ``url``'s host now if it is official (no request to any other host)."""
        host = host_of(url)
        if host and (self.is_official is None or self.is_official(host)):
            self._measurement(url)

    async def __call__(self, final_url: str, *chain_urls: str) -> tuple[ClockSample, ...]:
        urls = pick_urls([final_url, *chain_urls], self.is_official)
        if not urls:
            return ()
        # shield: a visit that stops waiting must not cancel a measurement another visit shares.
        measured = await asyncio.gather(*(asyncio.shield(self._measurement(url)) for url in urls))
        return tuple(sample for samples in measured for sample in samples)

    def _measurement(self, url: str) -> asyncio.Future[tuple[ClockSample, ...]]:
        host = host_of(url)
        running = self._by_host.get(host)
        if running is None:
            running = asyncio.ensure_future(_in_thread(functools.partial(
                measure_url, url, self.mappings, steady=self._steady, context=self.context,
                max_requests=self.max_requests, budget_s=self.budget_s)))
            self._by_host[host] = running
        return running

    def close(self) -> None:
        """Stop every measurement at its next wait (the end of a run)."""
        self._stop.set()
        for running in self._by_host.values():
            running.cancel()

    def context(self) -> ssl.SSLContext:
        """Built once per run, on first use, in a probe thread (reading certificates is slow)."""
        with self._context_lock:
            if self._context is None:
                self._context = ssl_context(self.trust_certs)
            return self._context


async def _in_thread(job: Callable[[], _T]) -> _T:
    """``job()`` in a thread of its own: the loop's shared executor may be small, and a
    measurement queued behind others would start late and hold the visit up."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[_T] = loop.create_future()

    def settle(result: _T | None, error: BaseException | None) -> None:
        if done.cancelled():
            return
        if error is not None:
            done.set_exception(error)
        else:
            done.set_result(result)  # type: ignore[arg-type]

    def run() -> None:
        try:
            outcome: tuple[_T | None, BaseException | None] = (job(), None)
        except BaseException as exc:  # noqa: BLE001 - handed to the awaiting task
            outcome = (None, exc)
        try:
            loop.call_soon_threadsafe(settle, *outcome)
        except RuntimeError:
            pass  # the loop is gone (the run was interrupted): nobody is waiting any more

    threading.Thread(target=run, name="preflight-clock-probe", daemon=True).start()
    return await done


def make_probe(mappings: Sequence[HostMapping] = (), trust_certs: Sequence[str] = (),
               allowlist: Allowlist | None = None) -> Probe:
    """The probe capture runs beside each visit; only allowlisted hosts are measured when an
    allowlist is given (the final page's host when none of the visit's hosts is listed)."""
    is_official = None if allowlist is None else (lambda host: allowlist.lookup(host) is not None)
    return Probe(tuple(mappings), tuple(str(p) for p in trust_certs), is_official)
