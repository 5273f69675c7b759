"""The exporter's engine: one shared browser, a bounded number of probes at once, a short queue.

HTTP threads call ``ProbeService.probe``; the checks run on one asyncio loop in a thread of its
own, in one ``BrowserSession`` (relaunched by capture when it dies). Admission is decided before
any work: more than ``concurrency + queue`` probes in the building is a ``Refused(503)`` with
``Retry-After``, so a Prometheus scraping faster than the browser can answer gets quick refusals
instead of a pile of waiting requests. Each probe is bounded by the scrape's own timeout (minus a
margin), waiting for a slot included, as blackbox_exporter does.
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from preflight.capture.visit import CaptureOptions
from preflight.config.targets import Target, validate_target
from preflight.errors import PreflightError, UsageError
from preflight.model.report import TargetResult, Verdict
from preflight.runner import NullObserver, RunSettings, browser_spec, check_target

MARGIN_S = 0.5
"""Taken off Prometheus' scrape timeout, so the answer arrives before Prometheus gives up."""
GRACE_S = 5.0
"""Beyond a probe's budget before its HTTP thread stops waiting (the visit is bounded inside)."""
MIN_PROBE_S = 1.0
"""A probe with less time than this left after waiting for a slot is refused, not started."""


@dataclass(frozen=True)
class ServeConfig:
    """What the exporter serves: the run settings every probe starts from, and the named targets."""

    settings: RunSettings
    targets: Mapping[str, Target]
    source: str = ""


class Refused(Exception):
    """A probe not run: ``status`` 400 (not a target we may probe) or 503 (busy, shutting down)."""

    def __init__(self, status: int, reason: str, retry_after: int | None = None) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True)
class ProbeOutcome:
    result: TargetResult
    duration_s: float
    finished_at: float


class ProbeService:
    def __init__(self, load: Callable[[], ServeConfig], concurrency: int = 1, queue: int | None = None,
                 allow_any_target: bool = False, session_factory: Callable[[Any], Any] | None = None,
                 log: Callable[[str], None] = lambda _line: None) -> None:
        self._load = load
        self.concurrency = max(1, concurrency)
        self.queue = self.concurrency * 2 if queue is None else max(0, queue)
        self.allow_any_target = allow_any_target
        self._session_factory = session_factory
        self._log = log
        self.config = load()
        self._check_config = self.config.settings.check_config()
        self._lock = threading.Lock()
        self._admitted = 0
        self.in_flight = 0
        self.counts: dict[str, int] = {}
        self.last: dict[str, ProbeOutcome] = {}
        self.swaps = 0
        self.reload_ok: bool = True
        self.reload_at = time.time()
        self._recent: list[float] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self._failure: BaseException | None = None
        self._stopping = False
        self._session: Any = None
        self._slots: asyncio.Semaphore | None = None
        self._stop: asyncio.Event | None = None

    # -- lifecycle

    def start(self, timeout_s: float = 60.0) -> None:
        """Start the loop and the browser; raises what stopped the browser from starting."""
        self._thread = threading.Thread(target=self._run, name="preflight-probes", daemon=True)
        self._thread.start()
        if not self._started.wait(timeout_s):
            raise PreflightError("the browser did not start in time", "see `preflight doctor`")
        if self._failure is not None:
            raise self._failure

    @property
    def ready(self) -> bool:
        return self._started.is_set() and self._failure is None and not self._stopping

    def stop(self, grace_s: float = 10.0) -> None:
        """Refuse new probes, let the running ones finish (up to ``grace_s``), close the browser."""
        self._stopping = True
        loop = self._loop
        if loop is not None and self._stop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(grace_s + 15.0)

    def _run(self) -> None:
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._main())
        except BaseException as exc:  # noqa: BLE001 - reported to start()'s caller
            self._failure = exc
        finally:
            self._started.set()
            loop.close()

    async def _main(self) -> None:
        self._slots = asyncio.Semaphore(self.concurrency)
        self._stop = asyncio.Event()
        await self._open(self.config)
        self._started.set()
        try:
            await self._stop.wait()
            # Graceful: every slot back means no probe is running.
            for _ in range(self.concurrency):
                try:
                    await asyncio.wait_for(self._slots.acquire(), timeout=10.0)
                except TimeoutError:
                    break
        finally:
            await self._close()

    async def _open(self, config: ServeConfig) -> None:
        from preflight.capture.session import BrowserSession

        factory = self._session_factory or BrowserSession
        session = factory(browser_spec(config.settings))
        self._session = await session.__aenter__()

    async def _close(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.__aexit__(None, None, None)

    # -- probes

    @property
    def relaunches(self) -> int:
        return self.swaps + int(getattr(self._session, "relaunches", 0) or 0)

    @property
    def queued(self) -> int:
        with self._lock:
            return max(0, self._admitted - self.in_flight)

    def target_for(self, name: str) -> Target:
        """The configured target ``name``; with ``--allow-any-target`` also any http(s) URL."""
        if not name:
            raise Refused(400, "no target given: /probe?target=NAME")
        target = self.config.targets.get(name)
        if target is not None:
            return target
        if not self.allow_any_target:
            raise Refused(400, f"unknown target {name[:200]!r}: only targets named in {self.config.source or 'the config'} "
                               "may be probed (start with --allow-any-target to probe any URL)")
        try:
            return Target(url=validate_target(name))
        except UsageError as exc:
            raise Refused(400, exc.message) from None

    def probe(self, name: str, scrape_timeout_s: float | None = None) -> ProbeOutcome:
        """One check of a target, within the scrape's timeout; ``Refused`` when it cannot run."""
        started = time.monotonic()
        if self._stopping or not self.ready or self._loop is None:
            raise self._refuse("shutting down" if self._stopping else "not ready", 503, "shed", 1)
        try:
            target = self.target_for(name)
        except Refused as refused:
            raise self._refuse(refused.reason, refused.status, "refused") from None
        default = target.timeout_s or self.config.settings.timeout_s
        budget = default if scrape_timeout_s is None else min(default, scrape_timeout_s - MARGIN_S)
        if budget < MIN_PROBE_S:
            raise self._refuse(f"a scrape timeout of {scrape_timeout_s:g} s leaves no time for a browser check",
                               400, "refused")
        with self._lock:
            if self._admitted >= self.concurrency + self.queue:
                retry = self._retry_after()
                self.counts["shed"] = self.counts.get("shed", 0) + 1
                raise Refused(503, f"busy: {self._admitted} probes running or waiting "
                                   f"(--concurrency {self.concurrency}, queue {self.queue})", retry)
            self._admitted += 1
        try:
            future = asyncio.run_coroutine_threadsafe(self._probe(target, started + budget), self._loop)
            try:
                result = future.result(timeout=budget + GRACE_S)
            except TimeoutError:
                future.cancel()
                raise self._refuse("the probe overran its time", 503, "timeout", 1) from None
            except Refused as refused:
                raise self._refuse(refused.reason, refused.status, "shed", refused.retry_after) from None
        finally:
            with self._lock:
                self._admitted -= 1
        duration = round(time.monotonic() - started, 3)
        outcome = ProbeOutcome(result, duration, time.time())
        kind = {Verdict.PASS: "success", Verdict.WARN: "success", Verdict.FAIL: "failure",
                Verdict.ERROR: "error"}[result.verdict]
        with self._lock:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.last[result.label] = outcome
            self._recent = (self._recent + [duration])[-20:]
        self._log(f"probe {result.label}: {result.verdict.value} in {duration:.1f} s")
        return outcome

    def _refuse(self, reason: str, status: int, kind: str, retry_after: int | None = None) -> Refused:
        with self._lock:
            self.counts[kind] = self.counts.get(kind, 0) + 1
        return Refused(status, reason, retry_after)

    def _retry_after(self) -> int:
        typical = sorted(self._recent)[len(self._recent) // 2] if self._recent else 5.0
        return max(1, math.ceil(typical))

    async def _probe(self, target: Target, deadline: float) -> TargetResult:
        from preflight.capture.clockprobe import make_probe

        assert self._slots is not None
        try:
            await asyncio.wait_for(self._slots.acquire(), timeout=max(0.01, deadline - time.monotonic()))
        except TimeoutError:
            raise Refused(503, "no free browser before the scrape timeout", 1) from None
        probe = None
        try:
            left = deadline - time.monotonic()
            if left < MIN_PROBE_S:
                raise Refused(503, "no time left for the check after waiting for a free browser", 1)
            with self._lock:
                self.in_flight += 1
            config = self.config
            settings = replace(config.settings, timeout_s=left)
            if settings.clock:
                probe = make_probe(settings.mappings, settings.trust_certs, settings.allowlist)
            options = CaptureOptions(timeout_s=left, clock_probe=probe)
            return await check_target(self._session, replace(target, timeout_s=left), settings, options,
                                      self._check_config, NullObserver())
        finally:
            if probe is not None:
                probe.close()
            with self._lock:
                self.in_flight = max(0, self.in_flight - 1)
            self._slots.release()

    # -- configuration

    def reload(self) -> None:
        """Read the configuration again; keep the old one (and say why) when the new one is bad.

        A change of browser settings (host mappings, pinned certificates, browser) swaps the
        browser once the probes running now have finished."""
        try:
            config = self._load()
            check_config = config.settings.check_config()
        except PreflightError:
            self.reload_ok = False
            raise
        old = self.config
        if browser_spec(config.settings) != browser_spec(old.settings) and self._loop is not None:
            asyncio.run_coroutine_threadsafe(self._swap(config), self._loop).result(timeout=120)
        self.config, self._check_config = config, check_config
        self.reload_ok, self.reload_at = True, time.time()
        self._log(f"configuration reloaded from {config.source or 'the command line'}: {len(config.targets)} target(s)")

    async def _swap(self, config: ServeConfig) -> None:
        assert self._slots is not None
        for _ in range(self.concurrency):
            await self._slots.acquire()
        try:
            await self._close()
            await self._open(config)
            self.swaps += 1
        finally:
            for _ in range(self.concurrency):
                self._slots.release()
