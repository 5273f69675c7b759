"""Runs targets concurrently in one browser, runs the checks, keeps going past failures."""

from __future__ import annotations

import asyncio
import time
import traceback
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol, Sequence

from . import browser as browser_mod
from .checks import CHECKS, CheckConfig
from .config import Allowlist
from .redact import redact_url
from .models import CheckResult, PageSnapshot, RunReport, TargetError, TargetResult

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
    expect_role: str | None = None
    clock: bool = True
    check_settings: dict[str, float] = field(default_factory=dict)


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

    from .capture import CaptureFailed, CaptureOptions, capture

    started = time.time()
    spki = tuple(browser_mod.spki_hash(path) for path in settings.trust_certs)
    config = CheckConfig(allowlist=settings.allowlist, expect_role=settings.expect_role,
                         settings=settings.check_settings)
    async with async_playwright() as playwright:
        choice = browser_mod.find_browser(settings.browser_path, settings.browser_channel,
                                          browser_mod.playwright_managed_path(playwright))
        launch_options = browser_mod.LaunchOptions(choice, settings.mappings, spki)
        state = _BrowserHolder(playwright, launch_options)
        await state.get()
        semaphore = asyncio.Semaphore(max(1, settings.jobs))
        probe = _clock_probe(settings) if settings.clock else None
        options = CaptureOptions(timeout_s=settings.timeout_s, screenshot_dir=settings.screenshot_dir,
                                 storage_state=settings.storage_state, clock_probe=probe)

        async def one(target: str) -> TargetResult:
            async with semaphore:
                observer.target_started(target)
                result = await _visit(target, state, options, config, settings.retries, CaptureFailed, capture, observer)
                # From here on the target is shown: never with its tokens or credentials.
                result = replace(result, target=redact_url(target))
                observer.target_finished(result)
                return result

        try:
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


async def _visit(target, state, options, config, retries, CaptureFailed, capture, observer) -> TargetResult:  # type: ignore[no-untyped-def]
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
                observer.note(f"{target}: {failed.message}; retrying ({attempts}/{retries})")
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
            from .capture import classify_error

            code, message, transient = classify_error(str(exc))
            if transient and attempts <= retries:
                observer.note(f"{target}: {message}; retrying ({attempts}/{retries})")
                continue
            return TargetResult(target, None, (), TargetError(code, message), attempts,
                                round(time.monotonic() - started, 3))
        snapshot = replace(snapshot, timings={**snapshot.timings, "total_s": round(time.monotonic() - started, 3)})
        return TargetResult(target, snapshot, run_checks(snapshot, config), None, attempts,
                            round(time.monotonic() - started, 3))


def _clock_probe(settings: RunSettings):  # type: ignore[no-untyped-def]
    """The clock probe for capture: timed HEAD requests to the visit's official hosts."""
    from . import clockprobe

    return clockprobe.make_probe(settings.mappings, settings.trust_certs, settings.allowlist)
