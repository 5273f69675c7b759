"""Runs targets concurrently in one browser, runs the checks, keeps going past failures."""

from __future__ import annotations

import asyncio
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping, Protocol, Sequence, TYPE_CHECKING

from . import browser as browser_mod
from .checks import CHECKS, CheckConfig
from .config import Allowlist
from .redact import redact_text, redact_url
from .models import (CheckResult, ExistingCookies, PageSnapshot, RunReport, TargetError, TargetResult,
                     ThirdPartyProbe)

if TYPE_CHECKING:  # pragma: no cover
    from .capture import CaptureOptions

GRACE_S = 3.0
"""Time beyond ``--timeout`` for closing a context that hung."""


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


@dataclass(frozen=True)
class RunSettings:
    allowlist: Allowlist
    browser_path: str | None = None
    browser_channel: str | None = None
    mappings: tuple[browser_mod.HostMapping, ...] = ()
    trust_certs: tuple[str, ...] = ()
    jobs: int = 4
    timeout_s: float = 30.0
    retries: int = 1
    screenshot_dir: Path | None = None
    storage_state: str | None = None
    profile_dir: str | None = None
    """A Chrome/Edge/Chromium profile folder whose cookies the visits carry (read from a copy)."""
    third_party_probe: bool = True
    """Compare visits with third-party cookies allowed and blocked when a sign-in frame needs them."""
    expect_role: str | None = None
    clock: bool = True
    check_settings: Mapping[str, Any] = field(default_factory=dict)
    """Check thresholds from ``preflight.toml``, keyed ``"<check>.<name>"``."""


def run_checks(snapshot: PageSnapshot, config: CheckConfig) -> tuple[CheckResult, ...]:
    """Every registered check on one snapshot; a check that crashes becomes an error result."""
    results = []
    for name, check in CHECKS.items():
        try:
            results.append(check(snapshot, config))
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others
            where = traceback.extract_tb(exc.__traceback__)[-1]
            results.append(CheckResult(name, error=f"{type(exc).__name__}: {exc} "
                                                   f"({Path(where.filename).name}:{where.lineno})"))
    return tuple(results)


def run(targets: Sequence[str], settings: RunSettings, observer: RunObserver | None = None) -> RunReport:
    """Synchronous entry point: the whole run, browser started and stopped inside."""
    return asyncio.run(run_async(targets, settings, observer or NullObserver()))


async def run_async(targets: Sequence[str], settings: RunSettings, observer: RunObserver) -> RunReport:
    from playwright.async_api import async_playwright

    from .capture import CaptureOptions

    started = time.time()
    spki = tuple(browser_mod.spki_hash(path) for path in settings.trust_certs)
    config = CheckConfig(allowlist=settings.allowlist, expect_role=settings.expect_role,
                         settings=settings.check_settings)
    # First use of the checks builds their tables (vocabulary, lookalike brands, suffix list):
    # do it in a thread while the driver and browser start, not after the first visit.
    warm_up = asyncio.ensure_future(asyncio.to_thread(run_checks, PageSnapshot(requested_url=""), config))
    async with async_playwright() as playwright:
        choice = browser_mod.find_browser(settings.browser_path, settings.browser_channel,
                                          browser_mod.playwright_managed_path(playwright))
        launch_options = browser_mod.LaunchOptions(choice, settings.mappings, spki)
        state = _BrowserHolder(playwright, launch_options)
        await state.get()
        semaphore = asyncio.Semaphore(max(1, settings.jobs))
        probe = _clock_probe(settings) if settings.clock else None
        existing, visit_state = await _existing_state(settings, playwright, launch_options)
        options = CaptureOptions(timeout_s=settings.timeout_s, screenshot_dir=settings.screenshot_dir,
                                 storage_state=visit_state, existing_cookies=existing, clock_probe=probe)

        async def one(target: str) -> TargetResult:
            async with semaphore:
                # Only capture sees the target as typed; everything shown gets it redacted.
                shown = redact_url(target)
                observer.target_started(shown)
                result = await _visit(target, state, options, config, settings.retries, observer,
                                      third_party=settings.third_party_probe, shown=shown)
                result = replace(result, target=shown)
                observer.target_finished(result)
                return result

        try:
            await warm_up
            results = await asyncio.gather(*(one(t) for t in targets))
        finally:
            await state.close()
    return RunReport(results=tuple(results), allowlist_path=settings.allowlist.source,
                     browser=choice.describe(), started_at=started, elapsed_s=round(time.time() - started, 3))


class _BrowserHolder:
    """One browser for the run; relaunched once if it dies so the batch carries on."""

    def __init__(self, playwright: object, options: browser_mod.LaunchOptions) -> None:
        self.playwright = playwright
        self.options = options
        self.browser = None
        self.relaunches = 0
        self.lock = asyncio.Lock()

    async def get(self):  # type: ignore[no-untyped-def]
        async with self.lock:
            if self.browser is None or not self.browser.is_connected():
                if self.browser is not None:
                    self.relaunches += 1
                self.browser = await browser_mod.launch(self.playwright, self.options)  # type: ignore[arg-type]
            return self.browser

    async def close(self) -> None:
        if self.browser is not None:
            try:
                await asyncio.wait_for(self.browser.close(), timeout=10)
            except Exception:  # noqa: BLE001 - already gone
                pass


async def _visit(target: str, state: "_BrowserHolder", options: Any, config: CheckConfig, retries: int,
                 observer: RunObserver, third_party: bool = True, shown: str = "") -> TargetResult:
    """One target, with retries of transient errors; ``shown`` is the redacted target for notes."""
    from .capture import CaptureFailed, capture, classify_error

    started = time.monotonic()
    attempts = 0
    while True:
        attempts += 1
        try:
            browser = await state.get()
            snapshot = await asyncio.wait_for(capture(browser, target, options),
                                              timeout=options.timeout_s + GRACE_S)
        except CaptureFailed as failed:
            if failed.transient and attempts <= retries:
                observer.note(f"{shown}: {failed.message}; retrying ({attempts}/{retries})")
                continue
            partial = failed.partial
            checks = run_checks(partial, config) if partial is not None and partial.final_url else ()
            return TargetResult(target, partial, checks, TargetError(failed.code, failed.message),
                                attempts, round(time.monotonic() - started, 3))
        except asyncio.TimeoutError:
            return TargetResult(target, None, (), TargetError(
                "target.timeout", f"the check did not finish within {options.timeout_s:g} s"),
                attempts, round(time.monotonic() - started, 3))
        except Exception as exc:  # noqa: BLE001 - browser died mid-visit, or a bug
            code, message, transient = classify_error(str(exc))
            if transient and attempts <= retries:
                observer.note(f"{shown}: {message}; retrying ({attempts}/{retries})")
                continue
            return TargetResult(target, None, (), TargetError(code, message), attempts,
                                round(time.monotonic() - started, 3))
        if third_party:
            snapshot = await _with_third_party_probe(snapshot, target, state, options, config)
        snapshot = replace(snapshot, timings={**snapshot.timings, "total_s": round(time.monotonic() - started, 3)})
        return TargetResult(target, snapshot, run_checks(snapshot, config), None, attempts,
                            round(time.monotonic() - started, 3))


def _clock_probe(settings: RunSettings):  # type: ignore[no-untyped-def]
    """The clock probe for capture: timed HEAD requests to the visit's official hosts."""
    from . import clockprobe

    return clockprobe.make_probe(settings.mappings, settings.trust_certs, settings.allowlist)


# --------------------------------------------------------------------------- cookies: existing state, third parties


async def _existing_state(settings: RunSettings, playwright: object,
                          launch: browser_mod.LaunchOptions) -> tuple[ExistingCookies | None, dict | None]:  # type: ignore[type-arg]
    """Facts about the cookies ``--profile`` / ``--storage-state`` hold, and the state the visits start from."""
    from . import profile

    if settings.profile_dir:
        location = profile.locate_profile(settings.profile_dir)
        existing, state = await profile.read_profile(playwright, launch, location, settings.timeout_s)  # type: ignore[arg-type]
        return existing, profile.loadable_state(state)
    if settings.storage_state:
        state = profile.read_storage_state(settings.storage_state)
        return profile.storage_state_cookies(state, settings.storage_state), profile.loadable_state(state)
    return None, None


async def _with_third_party_probe(snapshot: PageSnapshot, target: str, state: _BrowserHolder,
                                  options: CaptureOptions, config: CheckConfig) -> PageSnapshot:
    """When the visit met a sign-in frame from another site that uses cookies, visit twice more."""
    from .cookiejar import identity_hosts, needs_third_party_probe

    # The same identity hosts the cookie check will judge: no visits whose result it would drop.
    if not needs_third_party_probe(snapshot, identity_hosts(snapshot, config.allowlist)):
        return snapshot
    browser = await state.get()
    probe = await third_party_probe(state.playwright, state.options, browser, target, options)
    return replace(snapshot, third_party_probe=probe)


PROBE_SETTLE_S = 2.0
"""Settle time of the comparison visits: a login frame that draws itself does so at load."""


async def third_party_probe(playwright: object, launch: browser_mod.LaunchOptions, browser: object, target: str,
                            options: CaptureOptions) -> ThirdPartyProbe:
    """Two fresh visits at once, alike but for third-party cookies.

    Allowed: a throwaway *regular* profile (Chromium's new contexts are Incognito-like and block
    them). Blocked: a new context of the run's browser with the block switched on explicitly.
    Bounded: one timeout for both; no saved state, clock probe or screenshots.
    """
    from .capture import CaptureFailed, capture
    from .profile import throwaway_profiles

    base = replace(options, clock_probe=None, screenshot_dir=None, storage_state=None, existing_cookies=None,
                   block_third_party_cookies=False, settle_s=min(options.settle_s, PROBE_SETTLE_S))
    try:
        async with throwaway_profiles(playwright, launch, options.timeout_s) as profiles:  # type: ignore[arg-type]
            visits = await asyncio.wait_for(asyncio.gather(
                capture(profiles, target, base),  # type: ignore[arg-type]
                capture(browser, target, replace(base, block_third_party_cookies=True)),  # type: ignore[arg-type]
                return_exceptions=True), timeout=options.timeout_s + GRACE_S)
    except Exception as exc:  # noqa: BLE001 - the comparison is extra: its failure is a fact, not a crash
        return ThirdPartyProbe(error=_probe_error(exc))
    allowed, blocked = (v.partial if isinstance(v, CaptureFailed) else v if isinstance(v, PageSnapshot) else None
                        for v in visits)
    errors = [_probe_error(v) for v in visits if isinstance(v, BaseException)]
    return ThirdPartyProbe(allowed=allowed, blocked=blocked, error=errors[0] if errors else None)


def _probe_error(exc: BaseException) -> str:
    if isinstance(exc, asyncio.TimeoutError):
        return "the comparison visits did not finish in time"
    text = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return redact_text(text.strip().splitlines()[0])[:200]
