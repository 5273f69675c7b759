"""``preflight doctor``: is this workstation ready to run checks? Each step says what to fix."""

from __future__ import annotations

import asyncio
import platform
import sys
from collections.abc import Callable

from preflight.errors import PreflightError


def run_doctor(browser_path: str | None, browser_channel: str | None, allowlist_path: str | None,
               echo: Callable[[str], None]) -> int:
    """Prints one line per step; returns 0 when ready, 2 for a bad allowlist, 3 when it cannot run."""
    from importlib.metadata import version

    from preflight.config.allowlist import load_allowlist

    ok = True
    echo(f"python      {platform.python_version()} ({sys.executable})")
    try:
        echo(f"playwright  {version('playwright')}")
    except Exception:  # noqa: BLE001
        echo("playwright  MISSING — pip install portal-preflight")
        return 3
    try:
        allowlist = load_allowlist(allowlist_path)
        echo(f"allowlist   {allowlist.source}: {len(allowlist.portals)} portal(s), {len(allowlist.hosts)} host(s)")
    except PreflightError as exc:
        echo(f"allowlist   INVALID — {exc}")
        return 2
    echo(f"clock       {_time_sync()}")
    try:
        browser, visited = asyncio.run(_visit_mock(browser_path, browser_channel))
        echo(f"browser     {browser}")
        echo(f"visit       {visited}")
    except PreflightError as exc:
        echo(f"browser     NOT READY — {exc}")
        ok = False
    return 0 if ok else 3


_SYNC_QUERIES = {
    "Linux": (["timedatectl", "show", "-p", "NTPSynchronized", "--value"], "yes"),
    "Windows": (["w32tm", "/query", "/status"], "Source:"),
    "Darwin": (["systemsetup", "-getusingnetworktime"], "On"),
}


def _time_sync() -> str:
    """Local time zone, and whether the OS sets the time automatically (when it can tell).

    Informational: `preflight check` measures the skew against the portal itself."""
    import subprocess
    import time

    offset = -time.altzone if time.localtime().tm_isdst > 0 else -time.timezone
    zone = f"time zone {time.tzname[time.localtime().tm_isdst > 0]} (UTC{offset / 3600:+g})"
    query = _SYNC_QUERIES.get(platform.system())
    if query is None:
        return f"{zone}; automatic time: unknown on this system"
    try:
        result = subprocess.run(query[0], capture_output=True, text=True, timeout=3)
    except (OSError, subprocess.TimeoutExpired):
        return f"{zone}; automatic time: unknown ({query[0][0]} not available)"
    if result.returncode != 0:
        return f"{zone}; automatic time: unknown ({query[0][0]} could not tell)"
    synced = query[1] in result.stdout
    advice = "" if synced else " — set date and time automatically"
    return f"{zone}; automatic time: {'yes' if synced else 'no'}{advice}"


async def _visit_mock(browser_path: str | None, browser_channel: str | None) -> tuple[str, str]:
    """Launch the chosen browser and make one guarded visit to the embedded mock portal."""
    from preflight.config.allowlist import load_allowlist
    from preflight.config.network import parse_connect_to
    from preflight.mock.server import MockPortal
    from preflight.runner import NullObserver, RunSettings, run_async

    with MockPortal() as portal:
        host = "cignaforhcp.cigna.com"
        settings = RunSettings(allowlist=load_allowlist(None), browser_path=browser_path,
                               browser_channel=browser_channel,
                               mappings=tuple(parse_connect_to(c) for c in portal.connect_to_args([host])),
                               trust_certs=(str(portal.cert_path),), jobs=1, timeout_s=20, clock=False)
        report = await run_async([portal.url(host)], settings, NullObserver())
        posted = sum(1 for r in portal.requests if r["method"] not in ("GET", "HEAD"))
    result = report.results[0]
    if result.error is not None:
        raise PreflightError(f"the guarded visit failed: {result.error.message}", "see `preflight check --help`")
    return report.browser, f"mock portal {result.verdict.value} in {result.elapsed_s:.1f} s, {posted} submission(s) reached it"
