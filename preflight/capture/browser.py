"""Find and launch a Chromium; turn ``--resolve``/``--connect-to``/``--trust-cert`` into flags.

Playwright is imported only by the browser-driving layer (this module, ``guard``, ``capture``,
and the orchestration in ``runner``, ``profile`` and ``doctor``), always lazily, so that
``preflight --version`` and ``preflight vet`` never load it. Checks and reporters never do.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from preflight.errors import BrowserNotFound, UsageError

if TYPE_CHECKING:  # pragma: no cover
    from playwright.async_api import Browser, Playwright

from preflight.config.network import HostMapping

ENV_BROWSER = "PREFLIGHT_BROWSER"

CHANNELS = ("chrome", "msedge", "chrome-beta", "msedge-beta", "msedge-dev")

PATH_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge")

# Quiet, offline, reproducible: nothing phones home, nothing is saved or filled.
LAUNCH_FLAGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--metrics-recording-only",
    "--password-store=basic",
    "--disable-quic",
    "--dns-prefetch-disable",  # a <link rel=dns-prefetch> to SECRET.example would leak through DNS
    # No --disable-features here: Chromium keeps only the last one, and Playwright's own list
    # carries interception fixes. ``launch`` merges GUARD_DISABLED_FEATURES into Playwright's list.
)

# Senders that go around every page-side and route-side guard: the browser (or the network
# service) sends them itself, so neither the init script nor ``context.route`` ever sees them.
# Measured on Chromium 156: each name below removes the API or stops the upload (server log empty).
GUARD_DISABLED_FEATURES = (
    "Reporting",            # Reporting API uploads (CSP report-to with script samples, Permissions-Policy ...)
    "NetworkErrorLogging",  # NEL reports, uploaded by the network service
    "FetchLaterAPI",        # fetchLater(): a deferred POST the browser sends after the page is gone
    "WebSocketStream",      # a WebSocket that route_web_socket (page-script based) never sees
    "FedCm",                # IdentityCredential: the browser fetches the config URL itself
    "WebPayments",          # PaymentRequest: the browser fetches the payment-method manifest itself
    "AutofillServerCommunication",  # autofill queries: signatures of the page's forms and fields to Google
)
PERFORMANCE_DISABLED_FEATURES = (
    # A renderer process started ahead of need for the next navigation. One browser serves many
    # fresh contexts, and a renderer cannot move between contexts, so most spares are started and
    # thrown away: a 20-target batch started 78 renderers with it, 30 without, and a visit cost
    # about 10% less CPU (three interleaved pairs of 40 visits, 4 at a time).
    "SpareRendererForSitePerProcess",
)
BROWSER_SERVICE_HOSTS = (
    # Chromium's own services, which it calls with no page asking (measured with a catch-all sink on
    # Chromium 156, our flags on: update2 pings, autofill form signatures, and a ListAccounts POST
    # that no switch stops, and that would carry a --profile copy's Google cookies). No request
    # to them passes route(); none is a portal's. They never resolve.
    "update.googleapis.com", "content-autofill.googleapis.com", "clients2.google.com",
    "clientservices.googleapis.com", "optimizationguide-pa.googleapis.com", "safebrowsing.googleapis.com",
    "accounts.google.com",
)
# Blink runtime features, a second switch for the same APIs (and SharedWorker, whose requests
# Playwright's route does not see in 1.65). Measured: each removes the constructor in every realm.
GUARD_DISABLED_BLINK_FEATURES = ("SharedWorker", "FetchLaterAPI", "WebSocketStream", "FedCm")

_PLAYWRIGHT_DISABLED_FEATURES = (
    # Playwright 1.65's own --disable-features list (chromiumSwitches.ts), used when the driver's
    # copy cannot be read; ``playwright_disabled_features`` prefers the installed driver's list.
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding",
    "ThirdPartyStoragePartitioning", "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin",
    "OptimizationHints", "NetworkTimeServiceQuerying", "AimEnabled", "PreconnectToSearch",
    "msForceBrowserSignIn", "msEdgeUpdateLaunchServicesPreferredVersion",
)


@functools.cache
def playwright_disabled_features() -> tuple[str, ...]:
    """The ``--disable-features`` list the installed Playwright driver passes, read from its bundle.

    Chromium keeps only the last ``--disable-features``: to add names, ``launch`` drops
    Playwright's flag (``ignore_default_args`` matches it exactly) and passes one merged flag.
    """
    try:
        import playwright

        lib = Path(playwright.__file__).parent / "driver" / "package" / "lib"
        for name in ("coreBundle.js", "server/chromium/chromiumSwitches.js"):
            path = lib / name
            if not path.is_file():
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            match = re.search(r"disabledFeatures\s*=\s*\[(.*?)\]\.filter\(Boolean\)", text, re.S)
            if match:
                body = re.sub(r"//[^\n]*", "", match.group(1))
                if "?" in body:  # a conditional entry: the list depends on the environment
                    break
                names = tuple(re.findall(r'"([^"]+)"', body))
                if names:
                    return names
    except Exception:  # noqa: BLE001 - any surprise: fall back to the pinned copy
        pass
    return _PLAYWRIGHT_DISABLED_FEATURES


def feature_flags() -> tuple[list[str], list[str]]:
    """(``ignore_default_args``, extra args): Playwright's --disable-features replaced by the merge."""
    base = playwright_disabled_features()
    merged = list(dict.fromkeys([*base, *GUARD_DISABLED_FEATURES, *PERFORMANCE_DISABLED_FEATURES]))
    return (["--disable-features=" + ",".join(base)],
            ["--disable-features=" + ",".join(merged),
             "--disable-blink-features=" + ",".join(GUARD_DISABLED_BLINK_FEATURES)])


@dataclass(frozen=True)
class BrowserChoice:
    """Which Chromium to drive and why it was picked (shown in reports and ``doctor``)."""

    executable_path: str | None = None
    channel: str | None = None
    source: str = ""
    """``--browser-path``, ``PREFLIGHT_BROWSER``, ``--browser-channel``, ``playwright``, ``PATH``."""

    def describe(self) -> str:
        what = self.executable_path or f"channel {self.channel}"
        return f"{what} (from {self.source})"


@dataclass(frozen=True)
class LaunchOptions:
    choice: BrowserChoice
    mappings: tuple[HostMapping, ...] = ()
    trusted_spki: tuple[str, ...] = ()
    extra_args: tuple[str, ...] = field(default_factory=tuple)
    reachable_hosts: tuple[str, ...] = ()
    """Hosts the allowlist names (portals, identity services): never blocked as browser services."""

    def args(self) -> list[str]:
        args = list(LAUNCH_FLAGS) + feature_flags()[1]
        # First rule that matches wins: the browser's own service hosts never resolve, whatever a
        # --connect-to catch-all says; anything not mapped still resolves normally (QUIC off, so
        # the mapping covers all traffic). A service host the allowlist names stays reachable.
        blocked = [f"MAP {host} ~NOTFOUND" for host in BROWSER_SERVICE_HOSTS if host not in self.reachable_hosts]
        args.append("--host-resolver-rules=" + ", ".join([*blocked, *(m.rule() for m in self.mappings)]))
        if self.trusted_spki:
            args.append("--ignore-certificate-errors-spki-list=" + ",".join(self.trusted_spki))
        args.extend(self.extra_args)
        return args


def find_browser(path: str | None = None, channel: str | None = None,
                 playwright_managed: str | None = None) -> BrowserChoice:
    """Pick a Chromium: explicit path, env, channel, Playwright-managed, then PATH.

    ``playwright_managed`` is Playwright's own idea of its Chromium's path (may not exist).
    """
    if path:
        return _existing(path, "--browser-path")
    env = os.environ.get(ENV_BROWSER)
    if env:
        return _existing(env, ENV_BROWSER)
    if channel:
        if channel not in CHANNELS:
            raise UsageError(f"unknown browser channel {channel!r}", f"use one of {', '.join(CHANNELS)}")
        return BrowserChoice(channel=channel, source="--browser-channel")
    if playwright_managed and os.path.isfile(playwright_managed):
        return BrowserChoice(executable_path=playwright_managed, source="playwright")
    for name in PATH_NAMES:
        found = shutil.which(name)
        if found:
            return BrowserChoice(executable_path=found, source="PATH")
    raise BrowserNotFound(
        "no Chromium found",
        "install one (Debian: apt-get install -y chromium; elsewhere: python -m playwright install "
        "chromium), or pass --browser-path PATH, set PREFLIGHT_BROWSER, or use --browser-channel chrome",
    )


def _existing(path: str, source: str) -> BrowserChoice:
    resolved = shutil.which(path) or path
    if not os.path.isfile(resolved) or not os.access(resolved, os.X_OK):
        raise BrowserNotFound(f"browser {path!r} (from {source}) is not an executable file",
                              "point it at a Chromium, Chrome or Edge binary")
    return BrowserChoice(executable_path=resolved, source=source)


def playwright_managed_path(playwright: Playwright) -> str | None:
    try:
        return playwright.chromium.executable_path
    except Exception:  # noqa: BLE001 - Playwright raises plain Error when not installed
        return None


async def launch(playwright: Playwright, options: LaunchOptions, timeout_s: float = 30.0) -> Browser:
    from playwright.async_api import Error as PlaywrightError

    from preflight.errors import BrowserLaunchError

    try:
        return await playwright.chromium.launch(
            executable_path=options.choice.executable_path,
            channel=options.choice.channel,
            headless=True,
            args=options.args(),
            ignore_default_args=feature_flags()[0],
            timeout=timeout_s * 1000,
            handle_sigint=False,
        )
    except PlaywrightError as exc:
        raise BrowserLaunchError(f"could not start {options.choice.describe()}: {launch_failure(str(exc))}",
                                 "run `preflight doctor` to check the browser set-up") from None


def launch_failure(text: str) -> str:
    """Playwright's launch error in a help desk's words (its own are about its internals)."""
    first = text.strip().splitlines()[0] if text.strip() else "no message"
    lowered = text.lower()
    if "has been closed" in lowered or "exited" in lowered or "closed" in first.lower():
        return "the browser exited as soon as it started (is it a working Chromium build for this machine?)"
    if "timeout" in lowered:
        return "the browser did not start in time"
    return first[:200]
