"""Which of Chrome, Edge and Chromium are installed, their versions, and whether they are current.

Locations per platform: Linux ``PATH`` names and vendor folders (``--version`` asked, 3 s each);
macOS application bundles (version from ``Info.plist``, nothing run); Windows ``App Paths``
registry entries and install folders (version from ``BLBeacon`` or the versioned folder name).
"Current" is the Chromium major the installed Playwright was built for (its ``browsers.json``,
a Chrome beta at release) or the newest browser found here, whichever is higher.
"""

from __future__ import annotations

import plistlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from preflight.doctor.base import failed, passed, warned
from preflight.doctor.system import System, join, which
from preflight.model.doctor import MachineCheck, Owner

VERSION_TIMEOUT_S = 3.0
BEHIND_WARN = 3
"""Majors behind "current" that count as out of date: Chrome ships a major every four weeks and
Playwright's reference is a beta, so 3 behind is about two months of missed updates."""

_VERSION = re.compile(r"(\d+)\.(\d+)\.(\d+)\.(\d+)")


@dataclass(frozen=True)
class InstalledBrowser:
    name: str
    """``Chrome``, ``Edge`` or ``Chromium``."""
    path: str
    version: str | None
    """``156.0.8078.114``; ``None`` when it could not be read."""

    @property
    def major(self) -> int | None:
        return int(self.version.split(".", 1)[0]) if self.version else None

    def describe(self) -> str:
        return f"{self.name} {self.version or '(version unknown)'} ({self.path})"


_LINUX = (
    ("Chrome", ("google-chrome", "google-chrome-stable"), ("/opt/google/chrome/chrome",)),
    ("Edge", ("microsoft-edge", "microsoft-edge-stable"), ("/opt/microsoft/msedge/msedge",)),
    ("Chromium", ("chromium", "chromium-browser"), ("/snap/bin/chromium", "/usr/lib/chromium/chromium")),
)
_MAC = (
    ("Chrome", "Google Chrome.app", "Google Chrome"),
    ("Edge", "Microsoft Edge.app", "Microsoft Edge"),
    ("Chromium", "Chromium.app", "Chromium"),
)
_WINDOWS = (
    # name, App Paths entry, install folders (under these env roots), BLBeacon key
    ("Chrome", "chrome.exe", (("ProgramFiles", "Google\\Chrome\\Application"),
                              ("ProgramFiles(x86)", "Google\\Chrome\\Application"),
                              ("LOCALAPPDATA", "Google\\Chrome\\Application")),
     "HKCU\\Software\\Google\\Chrome\\BLBeacon"),
    ("Edge", "msedge.exe", (("ProgramFiles(x86)", "Microsoft\\Edge\\Application"),
                            ("ProgramFiles", "Microsoft\\Edge\\Application")),
     "HKCU\\Software\\Microsoft\\Edge\\BLBeacon"),
    ("Chromium", "chrome.exe", (("LOCALAPPDATA", "Chromium\\Application"),),
     "HKCU\\Software\\Chromium\\BLBeacon"),
)


def find_installed(system: System) -> tuple[InstalledBrowser, ...]:
    if system.platform == "darwin":
        return _mac(system)
    if system.platform == "windows":
        return _windows(system)
    return _linux(system)


def _linux(system: System) -> tuple[InstalledBrowser, ...]:
    found: list[InstalledBrowser] = []
    for name, commands, folders in _LINUX:
        path = next((p for p in (which(system, c) for c in commands) if p), None) \
            or next((f for f in folders if system.exists(f)), None)
        if path is None:
            continue
        answer = system.run([path, "--version"], VERSION_TIMEOUT_S)
        match = _VERSION.search(answer.stdout) if answer.ok else None
        found.append(InstalledBrowser(name, path, match.group(0) if match else None))
    return tuple(found)


def _mac(system: System) -> tuple[InstalledBrowser, ...]:
    found: list[InstalledBrowser] = []
    home = system.environ.get("HOME", "")
    for name, bundle, binary in _MAC:
        for apps in ("/Applications", f"{home}/Applications" if home else ""):
            if not apps or not system.exists(f"{apps}/{bundle}"):
                continue
            version = None
            plist = system.read_file(f"{apps}/{bundle}/Contents/Info.plist")
            if plist:
                try:
                    version = str(plistlib.loads(plist).get("CFBundleShortVersionString") or "") or None
                except (plistlib.InvalidFileException, ValueError):
                    version = None
            found.append(InstalledBrowser(name, f"{apps}/{bundle}/Contents/MacOS/{binary}", version))
            break
    return tuple(found)


def _windows(system: System) -> tuple[InstalledBrowser, ...]:
    found: list[InstalledBrowser] = []
    for name, app_path, folders, beacon in _WINDOWS:
        path: str | None = None
        if name != "Chromium":  # Chromium registers no App Paths entry of its own (chrome.exe is Chrome's)
            registered = system.read_registry(f"HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\App Paths\\{app_path}", "")
            if isinstance(registered, str) and registered.strip('"') and system.exists(registered.strip('"')):
                path = registered.strip('"')
        candidates = [join(system, system.environ[root], sub) for root, sub in folders if system.environ.get(root)]
        if path is None:
            path = next((join(system, f, app_path) for f in candidates if system.exists(join(system, f, app_path))), None)
        if path is None:
            continue
        version = system.read_registry(beacon, "version")
        if not isinstance(version, str) or not _VERSION.fullmatch(version):
            folder = path.rsplit("\\", 1)[0]
            versions = [n for n in (system.list_dir(folder) or ()) if _VERSION.fullmatch(n)]
            version = max(versions, key=lambda v: tuple(int(x) for x in v.split("."))) if versions else None
        found.append(InstalledBrowser(name, path, version))
    return tuple(found)


def update_fix(system: System, browser: InstalledBrowser) -> str:
    page = "edge://settings/help" if browser.name == "Edge" else "chrome://settings/help"
    if system.platform == "linux" and browser.name == "Chromium":
        return (f"Update {browser.name}: `sudo apt-get update && sudo apt-get install --only-upgrade chromium` "
                "(Debian/Ubuntu), or the distribution's updater")
    return f"Update {browser.name}: open {page} (it updates and asks to relaunch); if updates are managed, ask IT"


def installed_check(system: System, browsers: Sequence[InstalledBrowser]) -> MachineCheck:
    if not browsers:
        where = {"windows": "Program Files and the App Paths registry", "darwin": "/Applications and ~/Applications"}
        return failed("browsers.installed", Owner.PRACTICE_IT,
                      f"no Chrome, Edge or Chromium found (looked in {where.get(system.platform, 'PATH and /opt')})",
                      "Install Google Chrome or Microsoft Edge (the portals support both), then run doctor again")
    missing = [n for n in ("Chrome", "Edge", "Chromium") if n not in {b.name for b in browsers}]
    evidence = "; ".join(b.describe() for b in browsers) + (f"; not installed: {', '.join(missing)}" if missing else "")
    return passed("browsers.installed", evidence, Owner.PRACTICE_IT)


def up_to_date_check(system: System, browsers: Sequence[InstalledBrowser], reference_major: int | None) -> MachineCheck:
    majors = [b.major for b in browsers if b.major is not None]
    if not browsers:
        return failed("browsers.up_to_date", Owner.PRACTICE_IT, "no browser to compare", "Install Chrome or Edge first")
    current = max([m for m in (reference_major, *majors) if m is not None], default=None)
    basis = f"current taken as {current} (Playwright's Chromium {reference_major})" if reference_major \
        else f"current taken as {current} (the newest here)"
    unknown = [b for b in browsers if b.major is None]
    stale = [b for b in browsers if b.major is not None and current is not None and current - b.major >= BEHIND_WARN]
    if stale:
        worst = min(stale, key=lambda b: b.major or 0)
        behind = ", ".join(f"{b.name} {b.major} is {current - (b.major or 0)} major versions behind"  # type: ignore[operator]
                           for b in stale)
        return warned("browsers.up_to_date", Owner.PRACTICE_IT, f"{behind}; {basis}",
                      update_fix(system, worst) + ". Old browsers miss security fixes and portals stop supporting them")
    if unknown and not majors:
        return warned("browsers.up_to_date", Owner.PRACTICE_IT,
                      "the version of " + ", ".join(b.name for b in unknown) + " could not be read",
                      "Open the browser's About page (chrome://settings/help, edge://settings/help) and check it updates")
    shown = ", ".join(f"{b.name} {b.major}" for b in browsers if b.major is not None)
    return passed("browsers.up_to_date", f"{shown}: within {BEHIND_WARN - 1} major versions of {current}; {basis}",
                  Owner.PRACTICE_IT)
