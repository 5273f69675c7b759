"""Existing browser state, read without changing it.

Two sources:

* ``--storage-state FILE``: a Playwright storage-state JSON (``{"cookies": [...], "origins": [...]}``).
* ``--profile DIR``: a Chrome, Edge or Chromium user-data folder (or one profile inside it).
  Only what cookies need is copied to a temporary folder (``Local State``, ``Preferences``,
  the ``Cookies`` database); saved passwords (``Login Data``) and autofill (``Web Data``) are
  never copied, and the copy's preferences turn both off. The original is only ever read.
  Cookies are read twice: the copy's SQLite table first (attributes of every row, expired rows
  included, since Chromium purges those once it opens the profile), then through Playwright's
  ``launch_persistent_context`` on the copy, which decrypts values so that sizes and hashes are
  exact and the visit can carry the same cookies.

Values leave this module only inside the storage-state mapping handed to the browser; every
reportable fact is a ``CookieFacts`` (length and short hash).

It also makes throwaway *regular* profiles: Playwright's ``new_context`` is an Incognito-like
context that blocks third-party cookies in Chromium 156, so a visit with them allowed needs one.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
import sqlite3
import tempfile
import time
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from preflight.config.files import UnreadableFile, read_user_file
from preflight.errors import UsageError
from preflight.model.snapshot import CookieFacts, ExistingCookies
from preflight.rules import jar
from preflight.rules.redact import value_digest

if TYPE_CHECKING:  # pragma: no cover
    from playwright.async_api import BrowserContext, Playwright

    from preflight.capture.browser import LaunchOptions

MAX_STATE_BYTES = 50 * 1024 * 1024

WINDOWS_EPOCH_OFFSET_S = 11644473600
"""Chromium stores times as microseconds since 1601-01-01."""

COOKIE_DB_NAMES = ("Network/Cookies", "Cookies")
"""Where a profile keeps its cookies: ``Network/`` since Chrome 96, the profile root before."""

_COPIED = ("Preferences", "Secure Preferences", "Network/Cookies", "Network/Cookies-journal", "Cookies",
           "Cookies-journal")

_SAME_SITE_COLUMN = {-1: "Lax", 0: "None", 1: "Lax", 2: "Strict"}

# Saved passwords and autofill off in every profile preflight opens; they are not copied either.
_QUIET_PREFERENCES: dict[str, Any] = {
    "credentials_enable_service": False,
    "credentials_enable_autosignin": False,
    "profile": {"password_manager_enabled": False},
    "autofill": {"profile_enabled": False, "credit_card_enabled": False},
}


class ProfileError(UsageError):
    """A storage-state file or profile folder that cannot be used (exit 2)."""


def read_storage_state(path: str | Path) -> dict[str, Any]:
    """The parsed storage-state file, validated; ``ProfileError`` with one line otherwise."""
    where = f"--storage-state {path}"
    if Path(path).is_dir():
        raise ProfileError(f"{where}: is a folder", "for a browser profile folder use --profile")
    try:
        raw = read_user_file(path, MAX_STATE_BYTES)
    except UnreadableFile as exc:
        hint = "give the path of a Playwright storage-state JSON file" if exc.reason == "no such file" else exc.hint
        raise ProfileError(f"{where}: {exc.reason}", hint) from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = f" (line {exc.lineno})" if isinstance(exc, json.JSONDecodeError) else ""
        raise ProfileError(f"{where}: not JSON{line}",
                           "save one with Playwright's context.storage_state(path=...)") from None
    cookies = data.get("cookies") if isinstance(data, dict) else None
    if not isinstance(cookies, list) or not all(_state_cookie_ok(c) for c in cookies):
        raise ProfileError(f"{where}: not a Playwright storage state "
                           "(needs a 'cookies' list of name/value/domain/path)",
                           "save one with Playwright's context.storage_state(path=...)")
    return {"cookies": cookies, "origins": data.get("origins", []) if isinstance(data.get("origins"), list) else []}


def loadable_state(state: Mapping[str, Any], now: float | None = None) -> dict[str, Any]:
    """The cookies of a storage state a browser will accept, completed with Playwright's defaults.

    Expired cookies and ones no browser would store (``SameSite=None`` without ``Secure``, no
    domain) are left out of the visit; the audit still sees them.
    """
    now = time.time() if now is None else now
    cookies = []
    for cookie in state.get("cookies", ()):
        full = {"path": "/", "expires": -1, "httpOnly": False, "secure": False, "sameSite": "Lax", **cookie}
        full["sameSite"] = jar.SAME_SITE.get(str(full["sameSite"]).lower(), "Lax")
        expires = full["expires"] if isinstance(full["expires"], (int, float)) else -1
        if not full["domain"] or (0 <= expires <= now) or (full["sameSite"] == "None" and not full["secure"]):
            continue
        cookies.append({**full, "expires": expires})
    return {"cookies": cookies, "origins": list(state.get("origins", ()))}


def _state_cookie_ok(cookie: Any) -> bool:
    return (isinstance(cookie, dict) and all(isinstance(cookie.get(k), str) for k in ("name", "value", "domain"))
            and isinstance(cookie.get("path", "/"), str))


def storage_state_cookies(state: Mapping[str, Any], location: str = "", source: str = "storage-state",
                          read_at: float | None = None) -> ExistingCookies:
    """``CookieFacts`` for every cookie of a storage state (expired ones included)."""
    return ExistingCookies(source=source, location=location,
                           cookies=tuple(jar.facts_from_playwright(c) for c in state.get("cookies", ())),
                           read_at=time.time() if read_at is None else read_at)


@dataclass(frozen=True)
class ProfileLocation:
    """Where a profile's files are: the user-data folder, the profile inside it, and whose it is."""

    user_data_dir: Path
    profile: str
    """``Default``, ``Profile 1`` ..."""
    browser: str
    """``chrome``, ``edge``, ``chromium`` or ``""``."""
    given: str
    """The folder as given on the command line."""

    @property
    def profile_dir(self) -> Path:
        return self.user_data_dir / self.profile


def locate_profile(path: str | Path) -> ProfileLocation:
    """Accept a user-data folder (with ``Local State``) or one profile folder inside it."""
    folder = Path(path).expanduser()
    where = f"--profile {path}"
    hint = ("give a Chrome/Edge user-data folder (Chrome on Linux: ~/.config/google-chrome; Windows: "
            "%LOCALAPPDATA%\\Google\\Chrome\\User Data) or a profile inside it such as Default")
    if not folder.exists():
        raise ProfileError(f"{where}: no such folder", hint)
    if not folder.is_dir():
        raise ProfileError(f"{where}: not a folder", "for a Playwright JSON file use --storage-state")
    browser = _browser_of(folder)
    if (folder / "Local State").is_file():
        profile = _last_used(folder / "Local State")
        if not _has_cookie_db(folder / profile):
            raise ProfileError(f"{where}: profile {profile!r} holds no cookie database", hint)
        return ProfileLocation(folder, profile, browser, str(path))
    if _has_cookie_db(folder) or (folder / "Preferences").is_file():
        return ProfileLocation(folder.parent, folder.name, browser, str(path))
    raise ProfileError(f"{where}: not a browser profile folder (no 'Local State', 'Preferences' or 'Cookies')", hint)


def _has_cookie_db(folder: Path) -> bool:
    return any((folder / name).is_file() for name in COOKIE_DB_NAMES)


def _last_used(local_state: Path) -> str:
    try:
        data = json.loads(local_state.read_text(encoding="utf-8"))
        last = data.get("profile", {}).get("last_used")
    except (OSError, ValueError, AttributeError):
        last = None
    if isinstance(last, str) and last and "/" not in last and "\\" not in last and last not in (".", ".."):
        return last
    return "Default"


def _browser_of(folder: Path) -> str:
    text = str(folder.resolve()).lower()
    if "edge" in text and "microsoft" in text:
        return "edge"
    if "chrome" in text and ("google" in text or "google-chrome" in text):
        return "chrome"
    if "chromium" in text:
        return "chromium"
    return ""


def copy_profile(location: ProfileLocation, target: Path) -> Path:
    """Copy only what cookies need into ``target`` (a new user-data folder); returns it.

    Passwords and autofill data are not copied; the copy's preferences switch both off.
    """
    target.mkdir(parents=True, exist_ok=True)
    local_state = location.user_data_dir / "Local State"
    if local_state.is_file():
        shutil.copy2(local_state, target / "Local State")
    for name in _COPIED:
        source = location.profile_dir / name
        if source.is_file():
            destination = target / location.profile / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination)
    quiet_preferences(target / location.profile / "Preferences")
    return target


def quiet_preferences(preferences: Path, extra: Mapping[str, Any] | None = None) -> None:
    """Merge preflight's settings (no saved passwords, no autofill, plus ``extra``) into a profile's Preferences."""
    try:
        data = json.loads(preferences.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            data = {}
    except (OSError, ValueError):
        data = {}
    for overlay in (_QUIET_PREFERENCES, extra or {}):
        _merge(data, overlay)
    preferences.parent.mkdir(parents=True, exist_ok=True)
    preferences.write_text(json.dumps(data), encoding="utf-8")


def _merge(into: dict[str, Any], overlay: Mapping[str, Any]) -> None:
    for key, value in overlay.items():
        if isinstance(value, Mapping) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = dict(value) if isinstance(value, Mapping) else value


def stored_cookie_rows(profile_dir: Path) -> list[CookieFacts]:
    """Every row of a (copied) profile's cookie table, expired ones included, values never decrypted.

    ``size`` is estimated from the encrypted blob and ``value_sha256`` left empty; a plaintext
    value (old profiles) is measured and hashed exactly.
    """
    database = next((profile_dir / n for n in COOKIE_DB_NAMES if (profile_dir / n).is_file()), None)
    if database is None:
        return []
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error:
        return []
    try:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(cookies)")}
        version = _db_version(connection)
        wanted = ["name", "host_key", "path", "expires_utc", "is_secure", "is_httponly", "samesite", "value",
                  "encrypted_value", "has_expires", "is_persistent"]
        select = ", ".join(c if c in columns else "NULL" for c in wanted)
        rows = connection.execute(f"SELECT {select} FROM cookies").fetchall()  # noqa: S608 - fixed column names
    except sqlite3.Error:
        return []
    finally:
        connection.close()
    return [_row_facts(row, version) for row in rows]


def _db_version(connection: sqlite3.Connection) -> int:
    try:
        row = connection.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return int(row[0]) if row else 0
    except (sqlite3.Error, ValueError, TypeError):
        return 0


def _row_facts(row: tuple[Any, ...], version: int) -> CookieFacts:
    name, host, path, expires_utc, secure, http_only, same_site, value, encrypted, has_expires, persistent = row
    name = str(name or "")
    if value:
        length, digest = len(str(value)), value_digest(str(value))
    else:
        # "v10"/"v11" + AES-CBC blocks; since database version 24 the plaintext starts with a
        # 32-byte hash of the host. At least one byte of padding.
        blob = len(encrypted or b"")
        length, digest = max(0, blob - 3 - (32 if version >= 24 else 0) - 1), ""
    session = has_expires == 0 or persistent == 0 or not expires_utc
    expires = -1.0 if session else float(expires_utc) / 1_000_000 - WINDOWS_EPOCH_OFFSET_S
    return CookieFacts(name=name, domain=str(host or ""), path=str(path or "/"), expires=expires,
                       size=len(name) + length, value_sha256=digest, secure=bool(secure), http_only=bool(http_only),
                       same_site=_SAME_SITE_COLUMN.get(int(same_site) if same_site is not None else -1, "Lax"))


async def read_profile(playwright: Playwright, launch: LaunchOptions, location: ProfileLocation,
                       timeout_s: float = 30.0) -> tuple[ExistingCookies, dict[str, Any]]:
    """Cookies of a profile, from a temporary copy: (facts for the report, storage state for the visit).

    The storage state holds the decrypted cookies so that the visit sends what this browser
    would send; it lives in memory only.
    """
    with tempfile.TemporaryDirectory(prefix="preflight-profile-copy-") as temp:
        copy = copy_profile(location, Path(temp) / "User Data")
        rows = stored_cookie_rows(copy / location.profile)
        read_at = time.time()
        context = await _launch_persistent(playwright, launch, copy, timeout_s,
                                           extra_args=(f"--profile-directory={location.profile}",))
        try:
            cookies = await asyncio.wait_for(context.cookies(), timeout=timeout_s)
        except TimeoutError:
            raise ProfileError(f"reading the cookies of {location.given} took longer than {timeout_s:g} s",
                               "close the browser that uses this profile, or copy the profile first") from None
        finally:
            await _close_quietly(context)
    state = {"cookies": [dict(c) for c in cookies], "origins": []}
    live = {(c["name"], c["domain"], c["path"]): jar.facts_from_playwright(c) for c in cookies}
    facts: list[CookieFacts] = list(live.values())
    undecryptable = 0
    for row in rows:
        if (row.name, row.domain, row.path) in live:
            continue
        facts.append(row)  # expired (Chromium dropped it on opening) or not decryptable here
        if row.expires < 0 or row.expires > read_at:
            undecryptable += 1
    existing = ExistingCookies(source="profile", location=location.given, browser=location.browser,
                               cookies=tuple(facts), undecryptable=undecryptable, read_at=read_at)
    return existing, state


async def _launch_persistent(playwright: Playwright, launch: LaunchOptions, user_data_dir: Path,
                             timeout_s: float, extra_args: tuple[str, ...] = (), what: str = "the profile copy",
                             **context_options: Any) -> BrowserContext:
    from playwright.async_api import Error as PlaywrightError

    from preflight.capture.browser import feature_flags

    try:
        return await playwright.chromium.launch_persistent_context(
            str(user_data_dir), executable_path=launch.choice.executable_path, channel=launch.choice.channel,
            headless=True, args=[*launch.args(), *extra_args], ignore_default_args=feature_flags()[0],
            timeout=timeout_s * 1000, handle_sigint=False,
            **context_options)
    except PlaywrightError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ProfileError(f"could not open {what} in {launch.choice.describe()}: {first}",
                           "a profile from a newer browser version may need that browser (--browser-channel)") from None


async def _close_quietly(context: BrowserContext, timeout_s: float = 5.0) -> None:
    try:
        await asyncio.wait_for(context.close(), timeout=timeout_s)
    except Exception:  # noqa: BLE001 - the browser may already be gone, or hung (killed with the run)
        pass


class ThrowawayProfiles:
    """Stands in for a ``Browser`` in ``capture``: each ``new_context`` is a fresh *regular* profile.

    Regular, not Incognito: third-party cookies follow ``cookie_controls_mode`` (0: allowed, as in
    a default Chrome or Edge profile). Each context is its own browser process, gone on close.
    """

    def __init__(self, playwright: Playwright, launch: LaunchOptions, folder: Path,
                 third_party_cookies: bool = True, timeout_s: float = 30.0,
                 preferences: Mapping[str, Any] | None = None) -> None:
        self.playwright = playwright
        self.launch = launch
        self.folder = folder
        self.third_party_cookies = third_party_cookies
        self.timeout_s = timeout_s
        self.preferences = preferences
        """Merged last (``check --browser-policies``: the cookie settings of the policies in force)."""
        self._count = 0

    async def new_context(self, **options: Any) -> BrowserContext:
        self._count += 1
        user_data_dir = self.folder / f"profile-{self._count}"
        quiet_preferences(user_data_dir / "Default" / "Preferences",
                          {"profile": {"cookie_controls_mode": 0 if self.third_party_cookies else 1}})
        if self.preferences:
            quiet_preferences(user_data_dir / "Default" / "Preferences", self.preferences)
        options.pop("storage_state", None)  # a fresh profile: no saved state
        return await _launch_persistent(self.playwright, self.launch, user_data_dir, self.timeout_s,
                                        what="a throwaway regular profile", **options)


@contextlib.asynccontextmanager
async def throwaway_profiles(playwright: Playwright, launch: LaunchOptions, timeout_s: float = 30.0,
                             preferences: Mapping[str, Any] | None = None) -> AsyncIterator[ThrowawayProfiles]:
    """``ThrowawayProfiles`` whose folders are removed on exit (contexts must be closed by then)."""
    folder = Path(tempfile.mkdtemp(prefix="preflight-regular-"))
    try:
        yield ThrowawayProfiles(playwright, launch, folder, timeout_s=timeout_s, preferences=preferences)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
