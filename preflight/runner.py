"""Targets x capture x checks: runs targets concurrently in one browser, with retries, keeps going.

The runner holds no Playwright object of its own: it talks to a ``VisitSession`` (capture's
``BrowserSession``) through plain data, and notifies an observer. Every wait is bounded by the
target's ``--timeout``: retries and the browser launch included.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from preflight.config.settings import Settings
from preflight.config.targets import Target

if TYPE_CHECKING:  # pragma: no cover
    # Imported when first used: a run starts the browser's driver before it imports the
    # capture, checks and report modules (``run_async``), so that the two overlap.
    from preflight.capture.driver import DriverStart
    from preflight.capture.session import BrowserSpec
    from preflight.capture.visit import CaptureOptions
    from preflight.checks import CheckConfig
    from preflight.config.allowlist import Allowlist
    from preflight.config.network import HostMapping
    from preflight.model.baseline import BaselineDocument
    from preflight.model.report import CheckResult, RunReport, TargetResult
    from preflight.model.snapshot import PageSnapshot, ThirdPartyProbe

MIN_RETRY_S = 2.0
"""A retry starts only when at least this much of the target's time is left."""

CONFIRM_PAUSE_S = 1.0
"""``--confirm``: the pause before a target that failed or errored is checked again."""


class RunObserver(Protocol):
    """Progress hooks; the CLI plugs a Rich display in, the core never prints."""

    def target_started(self, target: str) -> None: ...

    def target_finished(self, result: TargetResult) -> None: ...

    def note(self, message: str) -> None: ...


class NullObserver:
    def target_started(self, target: str) -> None:
        pass

    def target_finished(self, result: TargetResult) -> None:
        pass

    def note(self, message: str) -> None:
        pass


class VisitSession(Protocol):
    """What the runner needs of a browser session (``capture.session.BrowserSession``)."""

    @property
    def description(self) -> str: ...

    async def visit(self, target: str, options: CaptureOptions) -> PageSnapshot: ...

    async def third_party_probe(self, target: str, options: CaptureOptions) -> ThirdPartyProbe: ...


@dataclass(frozen=True)
class RunSettings:
    allowlist: Allowlist
    browser_path: str | None = None
    browser_channel: str | None = None
    mappings: tuple[HostMapping, ...] = ()
    trust_certs: tuple[str, ...] = ()
    jobs: int = 4
    timeout_s: float = 30.0
    """Bound of one target, retries included; also bounds the browser launch."""
    retries: int = 1
    screenshot_dir: Path | None = None
    keep_screenshot: bool = False
    """Keep each page's screenshot in memory with its login form located (``--html``)."""
    storage_state: str | None = None
    profile_dir: str | None = None
    """A Chrome/Edge/Chromium profile folder whose cookies the visits carry (read from a copy)."""
    third_party_probe: bool = True
    """Compare visits with third-party cookies allowed and blocked when a sign-in frame needs them."""
    expect_role: str | None = None
    clock: bool = True
    confirm: int = 0
    """Check a target that failed or errored again, up to this many times (each within its timeout)."""
    confirm_pause_s: float = CONFIRM_PAUSE_S
    evidence_dir: Path | None = None
    """``--evidence``: a screenshot, HAR and trace of each check that did not pass, redacted, in here."""
    settings: Settings = Settings()
    """Check thresholds from ``preflight.toml``."""
    profile_preferences: Mapping[str, Any] | None = None
    """``--browser-policies``: cookie settings of the policies in force, applied to every visit."""
    baseline: BaselineDocument | None = None
    """``check --baseline``: the login-page baseline each visit is compared with."""
    integrity: bool = False
    """Take the digests a baseline compares (implied by ``baseline``; ``baseline save`` sets it)."""
    connect: tuple[str, ...] = ()
    """``--connect``: Playwright run-server endpoints; targets are spread across them."""
    cdp: str | None = None
    """``--cdp``: a running Chrome/Edge (DevTools URL) to visit through."""

    def check_config(self) -> CheckConfig:
        from preflight.checks import CheckConfig

        return CheckConfig.build(self.allowlist, self.settings, self.expect_role, baseline=self.baseline)


def run_checks(snapshot: PageSnapshot, config: CheckConfig,
               only: Sequence[str] | None = None) -> tuple[CheckResult, ...]:
    """Every registered check (or those named in ``only``) on one snapshot; a check that crashes
    becomes an error result."""
    from preflight.checks import CHECKS
    from preflight.model.report import CheckResult

    results = []
    for name, check in CHECKS.items():
        if only is not None and name not in only:
            continue
        try:
            results.append(check(snapshot, config))
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
            where = traceback.extract_tb(exc.__traceback__)[-1]
            results.append(CheckResult(name, error=f"{type(exc).__name__}: {exc} "
                                                   f"({Path(where.filename).name}:{where.lineno})"))
    return tuple(results)


def run(targets: Sequence[str | Target], settings: RunSettings, observer: RunObserver | None = None,
        publish: Callable[[RunReport], None] | None = None) -> RunReport:
    """Synchronous entry point: the whole run, browser started and stopped inside.

    ``publish``: called with the report in a worker thread as soon as every target is judged,
    while the browser closes (the CLI renders and writes its reports there); its exceptions
    propagate once the browser is closed."""
    return asyncio.run(run_async(targets, settings, observer or NullObserver(), publish))


def as_targets(targets: Sequence[str | Target]) -> tuple[Target, ...]:
    return tuple(t if isinstance(t, Target) else Target(url=t) for t in targets)


async def run_async(given: Sequence[str | Target], settings: RunSettings, observer: RunObserver,
                    publish: Callable[[RunReport], None] | None = None) -> RunReport:
    started = time.time()
    driver = None
    if not settings.connect and not settings.cdp:
        from preflight.capture.driver import DriverStart

        # The driver (a Node process) boots first; what follows runs while it does.
        driver = await DriverStart.begin()
    try:
        return await _run_started(given, settings, observer, started, driver, publish)
    finally:
        if driver is not None:
            await driver.stop()  # a no-op once the session has stopped it


async def _run_started(given: Sequence[str | Target], settings: RunSettings, observer: RunObserver,
                       started: float, driver: DriverStart | None,
                       publish: Callable[[RunReport], None] | None = None) -> RunReport:
    # The checks' tables (vocabulary, lookalike brands, suffix list) and the report modules are
    # built and imported in a thread while the driver and browser start, not after the first visit.
    config_ready = asyncio.ensure_future(asyncio.to_thread(_warm_config, settings))
    from preflight.capture.clockprobe import make_probe
    from preflight.capture.session import BrowserSession
    from preflight.capture.visit import CaptureOptions
    from preflight.model.report import RunReport

    targets = as_targets(given)
    spec = browser_spec(settings)
    published: asyncio.Future[None] | None = None
    probe = make_probe(settings.mappings, settings.trust_certs, settings.allowlist) if settings.clock else None
    if probe is not None:
        # The official targets' clocks are measured while the browser starts, not after the page loads.
        for target in targets[:max(1, settings.jobs)]:
            probe.prefetch(target.url)
    try:
        async with BrowserSession(spec, note=observer.note, driver=driver) as session:
            semaphore = asyncio.Semaphore(max(1, settings.jobs))
            existing, visit_state = await session.existing_state(settings.profile_dir, settings.storage_state,
                                                                 settings.timeout_s)
            options = CaptureOptions(timeout_s=settings.timeout_s, screenshot_dir=settings.screenshot_dir,
                                     storage_state=visit_state, existing_cookies=existing, clock_probe=probe,
                                     integrity=settings.integrity or settings.baseline is not None,
                                     keep_screenshot=settings.keep_screenshot)
            # Not awaited here: a visit needs no check table, only its checks do (on a loaded
            # machine the low-priority thread can still be building them when the browser is up).
            results = await asyncio.gather(*(check_target(session, t, settings, options, config_ready, observer,
                                                          semaphore)
                                             for t in targets))
            report = RunReport(results=tuple(results), allowlist_path=settings.allowlist.source,
                               browser=session.description, started_at=started,
                               elapsed_s=round(time.time() - started, 3))
            if publish is not None:
                # The reports are rendered and written while the browser closes, not after.
                published = asyncio.ensure_future(asyncio.to_thread(publish, report))
    finally:
        config_ready.cancel()
        if probe is not None:
            probe.close()
        if published is not None:
            await published
    return report


class EvidenceFolder:
    """One check's evidence: recorded into a private temporary folder, then moved to
    ``--evidence DIR/<target>/`` when the check did not pass (and the capture sealed it, i.e.
    redacted every file); deleted in every other case, an interrupted run included."""

    def __init__(self, root: Path | None, label: str, check: int) -> None:
        self.root, self.label, self.check = root, label, check
        self.incoming: Path | None = None

    def __enter__(self) -> EvidenceFolder:
        if self.root is not None:
            self.incoming = Path(tempfile.mkdtemp(prefix="preflight-evidence-"))
        return self

    def __exit__(self, *exc: object) -> None:
        if self.incoming is not None:
            shutil.rmtree(self.incoming, ignore_errors=True)

    def keep(self, wanted: bool) -> tuple[str, ...]:
        from preflight.capture.visit import SEALED_MARK

        if not wanted or self.root is None or self.incoming is None or not (self.incoming / SEALED_MARK).exists():
            return ()
        folder = self.root / evidence_slug(self.label) / f"check-{self.check}"
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True, exist_ok=True)
        kept = []
        for item in sorted(self.incoming.iterdir()):
            if item.name == SEALED_MARK:
                continue
            shutil.move(str(item), folder / item.name)
            kept.append(str(folder / item.name))
        return tuple(kept)


def evidence_slug(label: str) -> str:
    """A file-name-safe folder for a target: its name, or its URL's host and a short digest."""
    import hashlib
    import re

    from preflight.config.targets import NAME_PATTERN
    from preflight.rules.hosts import host_of

    if NAME_PATTERN.fullmatch(label):
        return label

    host = re.sub(r"[^A-Za-z0-9.-]", "_", host_of(label) or "target")[:60]
    return f"{host}-{hashlib.sha256(label.encode()).hexdigest()[:8]}"


async def check_target(session: VisitSession, target: Target, settings: RunSettings, options: CaptureOptions,
                       config: CheckConfig | asyncio.Future[CheckConfig], observer: RunObserver,
                       slot: asyncio.Semaphore | None = None) -> TargetResult:
    """One target of a run (or one probe of the exporter): its visit, retries, ``--confirm``
    rechecks and evidence, inside ``slot`` (the run's ``--jobs``) for each visit."""
    from preflight.model.report import Verdict
    from preflight.rules.redact import redact_url

    # Only capture sees the target as typed; everything shown gets it redacted.
    shown = redact_url(target.url)
    label = target.name or shown
    own_options = replace(options, timeout_s=target.timeout_s or settings.timeout_s)
    expect_role = target.expect or settings.expect_role
    rechecks: list[TargetResult] = []
    while True:
        async with slot if slot is not None else contextlib.nullcontext():
            observer.target_started(label)
            with EvidenceFolder(settings.evidence_dir, label, len(rechecks) + 1) as evidence:
                result = await visit_target(session, target.url, replace(own_options, evidence_dir=evidence.incoming),
                                            config, expect_role, settings.retries, observer,
                                            third_party=settings.third_party_probe, shown=label)
                result = replace(result, target=shown, name=target.name, tags=target.tags,
                                 evidence=evidence.keep(result.verdict is not Verdict.PASS))
        if result.verdict not in (Verdict.FAIL, Verdict.ERROR) or len(rechecks) >= settings.confirm \
                or result.crashed_checks:
            break
        rechecks.append(result)
        observer.note(f"{label}: {result.verdict.value}; checking again to confirm ({len(rechecks)}/{settings.confirm})")
        await asyncio.sleep(settings.confirm_pause_s)
    result = replace(result, rechecks=tuple(rechecks))
    observer.target_finished(result)
    return result


async def _ready(config: CheckConfig | asyncio.Future[CheckConfig], expect_role: str | None) -> CheckConfig:
    """The checks' configuration for one target, once built (a run builds it while its first
    visits run: the visits never wait for it, only their checks do)."""
    built = await config if isinstance(config, asyncio.Future) else config
    return replace(built, expect_role=expect_role)


def browser_spec(settings: RunSettings) -> BrowserSpec:
    from preflight.capture.session import BrowserSpec

    return BrowserSpec(settings.browser_path, settings.browser_channel, settings.mappings, settings.trust_certs,
                       launch_timeout_s=settings.timeout_s, reachable_hosts=settings.allowlist.hosts,
                       profile_preferences=settings.profile_preferences, connect=settings.connect, cdp=settings.cdp)


def _warm_config(settings: RunSettings) -> CheckConfig:
    _yield_cpu()
    # Imported here, off the run's critical path: the reports (Rich for the console one).
    import preflight.reporters
    import preflight.reporters.console  # noqa: F401
    from preflight.model.snapshot import PageSnapshot

    config = settings.check_config()
    run_checks(PageSnapshot(requested_url=""), config)
    return config


WARM_NICE = 10
"""Niceness of the thread that builds the checks' tables while the browser starts: it takes the
CPU the driver and the browser leave idle, not theirs (Linux: per-thread niceness)."""


def _yield_cpu() -> None:
    import os
    import threading

    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WARM_NICE)
    except (AttributeError, OSError):  # not Linux, or not allowed: the thread runs at the usual priority
        pass


async def visit_target(session: VisitSession, target: str, options: CaptureOptions,
                       ready: CheckConfig | asyncio.Future[CheckConfig], expect_role: str | None,
                       retries: int, observer: RunObserver, third_party: bool = True, shown: str = "") -> TargetResult:
    """One target, with retries of transient errors inside its ``timeout_s``; ``shown`` is the
    redacted target for notes. Anything but ``CaptureFailed`` and a timeout is a bug and propagates."""
    from preflight.capture.visit import CaptureFailed
    from preflight.checks import PARTIAL_CHECKS
    from preflight.model.report import TargetError, TargetResult

    started = time.monotonic()
    deadline = started + options.timeout_s
    attempts = 0

    def elapsed() -> float:
        return round(time.monotonic() - started, 3)

    while True:
        attempts += 1
        left = deadline - time.monotonic()
        try:
            snapshot = await session.visit(target, replace(options, timeout_s=max(left, 0.1)))
        except CaptureFailed as failed:
            if failed.transient and attempts <= retries and deadline - time.monotonic() >= MIN_RETRY_S:
                observer.note(f"{shown}: {failed.message}; retrying ({attempts}/{retries})")
                continue
            partial = failed.partial
            config = await _ready(ready, expect_role)
            checks = run_checks(partial, config, PARTIAL_CHECKS) if partial is not None and partial.final_url else ()
            return TargetResult(target, partial, checks, TargetError(failed.code, failed.message), attempts, elapsed())
        except TimeoutError:
            return TargetResult(target, None, (), TargetError(
                "target.timeout", f"the check did not finish within {options.timeout_s:g} s"), attempts, elapsed())
        config = await _ready(ready, expect_role)
        if third_party and _needs_third_party_probe(snapshot, config):
            left = deadline - time.monotonic()
            if left > 1.0:
                probe = await session.third_party_probe(target, replace(options, timeout_s=left, integrity=False,
                                                                        keep_screenshot=False))
                snapshot = replace(snapshot, third_party_probe=probe)
        snapshot = replace(snapshot, timings={**snapshot.timings, "total_s": elapsed()})
        return TargetResult(target, snapshot, run_checks(snapshot, config), None, attempts, elapsed())


def _needs_third_party_probe(snapshot: PageSnapshot, config: CheckConfig) -> bool:
    """A sign-in frame from another site that uses cookies: visit twice more (allowed, blocked)."""
    from preflight.rules.jar import identity_hosts, needs_third_party_probe

    # The same identity hosts the cookie check will judge: no visits whose result it would drop.
    return needs_third_party_probe(snapshot, identity_hosts(snapshot, config.allowlist))
