"""The third-party cookie comparison: the login visited again with third-party cookies allowed and blocked."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import TYPE_CHECKING

from preflight.capture import browser as browser_mod
from preflight.model.snapshot import PageSnapshot, ThirdPartyProbe
from preflight.rules.redact import redact_text

if TYPE_CHECKING:  # pragma: no cover
    from preflight.capture.visit import CaptureOptions

from preflight.capture.session import GRACE_S

PROBE_SETTLE_S = 2.0
"""Settle time of the comparison visits: a login frame that draws itself does so at load."""


async def third_party_probe(playwright: object, launch: browser_mod.LaunchOptions, browser: object, target: str,
                            options: CaptureOptions) -> ThirdPartyProbe:
    """Two fresh visits at once, alike but for third-party cookies.

    Allowed: a throwaway *regular* profile (Chromium's new contexts are Incognito-like and block
    them). Blocked: a new context of the run's browser with the block switched on explicitly.
    Bounded: one timeout for both; no saved state, clock probe or screenshots.
    """
    from preflight.capture.existing_state import throwaway_profiles
    from preflight.capture.visit import CaptureFailed, capture

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
