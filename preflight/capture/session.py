"""One browser for a run: the Playwright driver, the launch, a relaunch when it dies, the visits.

The runner talks to a ``BrowserSession`` only through plain data (targets, ``CaptureOptions``,
``PageSnapshot``) and ``CaptureFailed``; no Playwright object leaves this package. Every
Playwright error of a visit becomes a ``CaptureFailed`` with a ``target.*``/``browser.*`` code;
anything else raised here is a bug in preflight and is left to propagate (exit 70).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from contextlib import AsyncExitStack
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from preflight.capture import browser as browser_mod
from preflight.capture import remote as remote_mod
from preflight.capture.driver import DriverStart
from preflight.capture.neterrors import classify_error
from preflight.capture.visit import CaptureFailed, CaptureOptions, capture
from preflight.config.network import HostMapping, spki_hash
from preflight.errors import UsageError
from preflight.model.snapshot import ExistingCookies, PageSnapshot, ThirdPartyProbe

if TYPE_CHECKING:  # pragma: no cover
    from playwright.async_api import Browser, Playwright

GRACE_S = 3.0
"""Time beyond ``--timeout`` for closing a context that hung."""

REMOTE_NO_PROBE = ("not made through a remote browser (it needs a regular profile that preflight launches "
                   "itself); run without --connect/--cdp to compare")


@dataclass(frozen=True)
class BrowserSpec:
    """Which browser, and how it reaches the targets: everything a launch needs, as plain data."""

    browser_path: str | None = None
    browser_channel: str | None = None
    mappings: tuple[HostMapping, ...] = ()
    trust_certs: tuple[str, ...] = ()
    launch_timeout_s: float = 30.0
    reachable_hosts: tuple[str, ...] = ()
    """The allowlist's hosts: kept reachable even when they are browser service hosts."""
    profile_preferences: Mapping[str, Any] | None = None
    """``check --browser-policies``: each visit runs in a throwaway regular profile with these
    preferences (the cookie settings of the policies in force) instead of a new context."""
    connect: tuple[str, ...] = ()
    """``--connect``: Playwright run-server endpoints to visit through instead of a local launch."""
    cdp: str | None = None
    """``--cdp``: a running Chrome/Edge to visit through (its DevTools URL)."""

    @property
    def remote(self) -> bool:
        return bool(self.connect or self.cdp)


class BrowserSession:
    """The run's browser. ``async with BrowserSession(spec) as session`` starts it; leaving stops it.

    Relaunched when it died (the batch carries on); ``relaunches`` counts how often.
    """

    def __init__(self, spec: BrowserSpec, note: Callable[[str], None] | None = None,
                 driver: DriverStart | None = None) -> None:
        self.spec = spec
        self._driver = driver
        """A driver the caller started early (``DriverStart.begin``); else one is started here."""
        self._note = note or (lambda _message: None)
        self._pool: remote_mod.BrowserPool | None = None
        self._relaunches = 0
        self._stack = AsyncExitStack()
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._launch: browser_mod.LaunchOptions | None = None
        self._lock = asyncio.Lock()
        self.choice: browser_mod.BrowserChoice | None = None

    async def __aenter__(self) -> BrowserSession:
        driver = self._driver or await DriverStart.begin()
        self._stack.push_async_callback(driver.stop)
        try:
            # Computed while the driver boots: the pins, and the --disable-features merge (read from
            # the driver's 3.6 MB bundle: 15 ms that would otherwise come between boot and launch).
            spki = tuple(spki_hash(path) for path in self.spec.trust_certs)
            browser_mod.playwright_disabled_features()
            self._playwright = await driver.playwright()
            if self.spec.remote:
                await self._start_pool(self._playwright, spki)
                return self
            self.choice = browser_mod.find_browser(self.spec.browser_path, self.spec.browser_channel,
                                                   browser_mod.playwright_managed_path(self._playwright))
            self._launch = browser_mod.LaunchOptions(self.choice, self.spec.mappings, spki,
                                                     reachable_hosts=self.spec.reachable_hosts)
            await self._get()
        except BaseException:
            await self.close()
            raise
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def _start_pool(self, playwright: Playwright, spki: tuple[str, ...]) -> None:
        if self.spec.profile_preferences is not None:
            raise UsageError("--browser-policies visits in throwaway profiles of a browser launched here",
                             "drop --connect/--cdp, or --browser-policies")
        # The browser path and channel name the server's browser, not one here: nothing is looked up locally.
        choice = browser_mod.BrowserChoice(self.spec.browser_path, self.spec.browser_channel, "the browser server")
        self._launch = browser_mod.LaunchOptions(choice, self.spec.mappings, spki, reachable_hosts=self.spec.reachable_hosts)
        kind: remote_mod.Kind = "cdp" if self.spec.cdp else "connect"
        urls = (self.spec.cdp,) if self.spec.cdp else self.spec.connect
        self._pool = remote_mod.BrowserPool(playwright, urls, kind, self._launch, self.spec.launch_timeout_s, self._note)
        await self._pool.start()

    @property
    def relaunches(self) -> int:
        """Times the browser was started again after it died (a remote endpoint: reconnected)."""
        return self._relaunches + (self._pool.reconnects if self._pool is not None else 0)

    @property
    def description(self) -> str:
        if self._pool is not None:
            return self._pool.describe()
        return self.choice.describe() if self.choice else ""

    async def _get(self) -> Browser:
        assert self._playwright is not None and self._launch is not None
        async with self._lock:
            if self._browser is None or not self._browser.is_connected():
                if self._browser is not None:
                    self._relaunches += 1
                self._browser = await browser_mod.launch(self._playwright, self._launch,
                                                         timeout_s=self.spec.launch_timeout_s)
            return self._browser

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
        if self._browser is not None:
            try:
                await asyncio.wait_for(self._browser.close(), timeout=10)
            except Exception:  # noqa: BLE001 - already gone
                pass
            self._browser = None
        await self._stack.aclose()

    async def visit(self, target: str, options: CaptureOptions) -> PageSnapshot:
        """One guarded visit, bounded by ``options.timeout_s`` plus a grace for closing."""
        from playwright.async_api import Error as PlaywrightError

        if self._pool is not None:
            return await self._visit_remote(self._pool, target, options)
        try:
            browser = await self._get()
            if self.spec.profile_preferences is not None:
                return await asyncio.wait_for(self._visit_in_profile(target, options),
                                              timeout=options.timeout_s + GRACE_S)
            return await asyncio.wait_for(capture(browser, target, options), timeout=options.timeout_s + GRACE_S)
        except PlaywrightError as exc:  # the browser died mid-visit, or refused the page
            code, message, transient = classify_error(str(exc))
            raise CaptureFailed(code, message, transient=transient) from None

    async def _visit_remote(self, pool: remote_mod.BrowserPool, target: str, options: CaptureOptions) -> PageSnapshot:
        """One visit in a fresh context of the least busy endpoint; an endpoint that went away
        mid-visit fails it with ``browser.endpoint_unreachable`` (transient: a retry goes elsewhere)."""
        from playwright.async_api import Error as PlaywrightError

        async with pool.lease() as endpoint:
            assert endpoint.browser is not None
            try:
                snapshot = await asyncio.wait_for(capture(endpoint.browser, target, options),
                                                  timeout=options.timeout_s + GRACE_S)
            except (PlaywrightError, CaptureFailed) as exc:
                if isinstance(exc, CaptureFailed):
                    failed = exc
                else:
                    code, message, transient = classify_error(str(exc))
                    failed = CaptureFailed(code, message, transient=transient)
                if failed.code == "browser.crashed" and await pool.died(endpoint):
                    raise CaptureFailed(remote_mod.ENDPOINT_CODE, f"the browser at {endpoint.shown} went away during "
                                        "the check", failed.partial, transient=True) from None
                raise failed from None
            return replace(snapshot, browser_endpoint=endpoint.shown)

    async def _visit_in_profile(self, target: str, options: CaptureOptions) -> PageSnapshot:
        from preflight.capture.existing_state import throwaway_profiles

        assert self._playwright is not None and self._launch is not None
        async with throwaway_profiles(self._playwright, self._launch, options.timeout_s,
                                      self.spec.profile_preferences) as profiles:
            return await capture(profiles, target, options)  # type: ignore[arg-type]

    async def third_party_probe(self, target: str, options: CaptureOptions) -> ThirdPartyProbe:
        from preflight.capture.third_party import third_party_probe

        if self._pool is not None:
            return ThirdPartyProbe(error=REMOTE_NO_PROBE)

        assert self._playwright is not None and self._launch is not None
        return await third_party_probe(self._playwright, self._launch, await self._get(), target,
                                       replace(options, evidence_dir=None))

    async def existing_state(self, profile_dir: str | None, storage_state: str | None,
                             timeout_s: float) -> tuple[ExistingCookies | None, dict[str, Any] | None]:
        """Facts about the cookies ``--profile`` / ``--storage-state`` hold, and the state visits start from."""
        from preflight.capture import existing_state as state

        assert self._playwright is not None and self._launch is not None
        if profile_dir and self._pool is not None:
            raise UsageError("--profile is read in a browser launched here", "use --storage-state with --connect/--cdp")
        if profile_dir:
            location = state.locate_profile(profile_dir)
            existing, loaded = await state.read_profile(self._playwright, self._launch, location, timeout_s)
            return existing, state.loadable_state(loaded)
        if storage_state:
            loaded = state.read_storage_state(storage_state)
            return state.storage_state_cookies(loaded, storage_state), state.loadable_state(loaded)
        return None, None

