"""Time: does the OS keep the clock synchronised (and by what), is the time zone sane for the
locale, how far is this computer from the portal's clock, and what that means for one-time codes.

Only read-only commands are asked: ``timedatectl show``, ``chronyc -n tracking``,
``systemsetup -getusingnetworktime``, ``sntp <server>`` (queries, never sets), ``w32tm /query
/status``, ``tzutil /g``, ``readlink /etc/localtime``, ``defaults read -g AppleLocale``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from preflight.doctor.base import failed, not_run, passed, warned
from preflight.doctor.system import System
from preflight.model.doctor import MachineCheck, Owner
from preflight.rules.skew import SkewEstimate, describe_offset

COMMAND_TIMEOUT_S = 3.0

OTP_STEP_S = 30
"""Authenticator codes (RFC 6238 TOTP) change every 30 s; servers usually accept one step either side."""
OTP_WARN_S = 10.0
"""From this skew (plus its error bar) a code typed near the end of its step lands in the next one
at a server that allows no slack."""

SYNC_FIX = {
    "linux": "Turn on automatic time: `sudo timedatectl set-ntp true` (or, with chrony, "
             "`sudo systemctl enable --now chronyd`); on a desktop: Settings > Date & Time > Automatic Date & Time",
    "darwin": "System Settings > General > Date & Time > turn on \"Set time and date automatically\" "
              "(admin, in Terminal: `sudo systemsetup -setusingnetworktime on`)",
    "windows": "Settings > Time & language > Date & time > turn on \"Set time automatically\", then \"Sync now\" "
               "(IT, as administrator: `net start w32time` then `w32tm /resync`)",
}
ZONE_FIX = {
    "linux": "Set the time zone: `sudo timedatectl set-timezone Region/City` (e.g. America/Chicago)",
    "darwin": "System Settings > General > Date & Time > turn on \"Set time zone automatically\" or pick the city",
    "windows": "Settings > Time & language > Date & time > Time zone (or `tzutil /s \"Central Standard Time\"` as IT)",
}


def _fix(table: Mapping[str, str], system: System) -> str:
    return table.get(system.platform, table["linux"])


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


# --------------------------------------------------------------------------- time sync


def sync_check(system: System) -> MachineCheck:
    if system.platform == "windows":
        return _windows_sync(system)
    if system.platform == "darwin":
        return _mac_sync(system)
    return _linux_sync(system)


def _key_values(text: str, separator: str = "=") -> dict[str, str]:
    pairs = {}
    for line in text.splitlines():
        key, sep, value = line.partition(separator)
        if sep:
            pairs[key.strip()] = value.strip()
    return pairs


def _linux_sync(system: System) -> MachineCheck:
    owner = Owner.PRACTICE_IT
    tried: list[str] = []
    answer = system.run(["timedatectl", "show", "-p", "NTP", "-p", "NTPSynchronized"], COMMAND_TIMEOUT_S)
    if answer.ok:
        values = _key_values(answer.stdout)
        automatic, synced = values.get("NTP") == "yes", values.get("NTPSynchronized") == "yes"
        if synced:
            return passed("time.sync", f"timedatectl: clock synchronised (automatic time {'on' if automatic else 'off'})", owner)
        if not automatic:
            return failed("time.sync", owner, "timedatectl: automatic time (NTP) is off and the clock is not synchronised",
                          _fix(SYNC_FIX, system))
        tried.append("timedatectl: automatic time is on but the clock is not synchronised yet")
    else:
        tried.append(f"timedatectl: {answer.error or _first_line(answer.stderr) or f'exit {answer.returncode}'}")
    tracking = system.run(["chronyc", "-n", "tracking"], COMMAND_TIMEOUT_S)
    if tracking.ok:
        values = _key_values(tracking.stdout, ":")
        leap = values.get("Leap status", "")
        reference = values.get("Reference ID", "")
        offset = values.get("System time", "")
        if leap and leap != "Not synchronised" and not reference.startswith("00000000"):
            return passed("time.sync", f"chronyc tracking: synchronised to {reference} ({offset})", owner)
        return failed("time.sync", owner, f"chronyc tracking: {leap or 'not synchronised'} ({'; '.join(tried)})",
                      "Check that chronyd can reach its time servers (`chronyc sources`), then "
                      + _fix(SYNC_FIX, system))
    tried.append(f"chronyc: {tracking.error or _first_line(tracking.stdout + tracking.stderr) or f'exit {tracking.returncode}'}")
    if tried[0].startswith("timedatectl: automatic time is on"):
        return warned("time.sync", owner, "; ".join(tried), "Wait a minute and run doctor again; if it stays "
                      "unsynchronised, check that the machine can reach its time server (UDP port 123)")
    return not_run("time.sync", owner, "the OS could not tell", "; ".join(tried),
                   "Find out what sets this computer's clock (a container or VM takes its host's) and check that it is synchronised")


def _mac_sync(system: System) -> MachineCheck:
    owner = Owner.USER
    answer = system.run(["systemsetup", "-getusingnetworktime"], COMMAND_TIMEOUT_S)
    text = (answer.stdout + answer.stderr).strip()
    if answer.ok and "Network Time:" in text:
        asked = system.run(["systemsetup", "-getnetworktimeserver"], COMMAND_TIMEOUT_S)
        by = _first_line(asked.stdout).replace("Network Time Server:", "").strip() if asked.ok else ""
        if "On" in text.split("Network Time:", 1)[1]:
            return passed("time.sync", f"systemsetup: network time on{f' ({by})' if by else ''}", owner)
        return failed("time.sync", owner, "systemsetup: network time is off", _fix(SYNC_FIX, system))
    # systemsetup needs admin rights: ask a time server instead (sntp without -S only queries).
    server = _mac_time_server(system)
    probe = system.run(["sntp", server], COMMAND_TIMEOUT_S)
    match = re.search(r"([+-]\d+\.\d+) \+/- (\d+\.\d+)", probe.stdout) if probe.ok else None
    why = _first_line(text) or answer.error or "no answer"
    if match is None:
        return not_run("time.sync", owner, "the OS could not tell",
                       f"systemsetup: {why}; sntp {server}: {probe.error or _first_line(probe.stdout + probe.stderr) or 'no answer'}",
                       _fix(SYNC_FIX, system))
    offset = float(match.group(1))
    evidence = (f"sntp {server}: this clock is {offset:+.3f} s ± {match.group(2)} s off "
                f"(systemsetup could not say whether automatic time is on: {why[:80]})")
    if abs(offset) >= 2:
        return failed("time.sync", owner, evidence, _fix(SYNC_FIX, system))
    return passed("time.sync", evidence, owner)


def _mac_time_server(system: System) -> str:
    conf = (system.read_file("/etc/ntp.conf") or b"").decode("utf-8", "replace")
    for line in conf.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] == "server":
            return parts[1].rstrip(".")
    return "time.apple.com"


def _windows_sync(system: System) -> MachineCheck:
    owner = Owner.PRACTICE_IT
    answer = system.run(["w32tm", "/query", "/status"], COMMAND_TIMEOUT_S)
    if not answer.ok:
        said = _first_line(answer.stdout + answer.stderr) if answer.returncode is not None else answer.error or ""
        if "0x80070426" in answer.stdout + answer.stderr or "not been started" in answer.stdout + answer.stderr:
            return failed("time.sync", owner, f"w32tm: the Windows Time service is not running ({said})",
                          _fix(SYNC_FIX, system))
        return not_run("time.sync", owner, "the OS could not tell", f"w32tm /query /status: {said or 'no answer'}",
                       _fix(SYNC_FIX, system))
    values = _key_values(answer.stdout, ":")
    source = values.get("Source", "").strip()
    leap = values.get("Leap Indicator", "")
    last = values.get("Last Successful Sync Time", "")
    local = not source or "Local CMOS Clock" in source or "Free-running" in source
    if local or leap.startswith("3"):
        return failed("time.sync", owner, f"w32tm: not synchronised (source {source or 'none'}; leap indicator {leap})",
                      _fix(SYNC_FIX, system))
    return passed("time.sync", f"w32tm: synchronised with {source.split(',')[0]} (last sync {last or 'unknown'})", owner)


# --------------------------------------------------------------------------- time zone


@dataclass(frozen=True)
class ZoneFacts:
    zone: str | None
    """IANA name (``America/Chicago``) or a Windows zone name; ``None`` when unknown."""
    source: str
    country: str | None
    """Two-letter country of the locale (``US`` from ``en_US.UTF-8``); ``None`` when it names none."""
    locale: str


def zone_facts(system: System) -> ZoneFacts:
    env = system.environ
    zone, source = None, ""
    if env.get("TZ"):
        zone, source = env["TZ"].lstrip(":"), "TZ"
    elif system.platform == "windows":
        answer = system.run(["tzutil", "/g"], COMMAND_TIMEOUT_S)
        zone, source = (answer.stdout.strip() or None, "tzutil /g") if answer.ok else (None, "")
    else:
        text = (system.read_file("/etc/timezone") or b"").decode("utf-8", "replace").strip()
        if text:
            zone, source = text, "/etc/timezone"
        else:
            answer = system.run(["readlink", "/etc/localtime"], COMMAND_TIMEOUT_S)
            if answer.ok and "zoneinfo/" in answer.stdout:
                zone, source = answer.stdout.strip().split("zoneinfo/", 1)[1], "/etc/localtime"
    locale = env.get("LC_ALL") or env.get("LC_TIME") or env.get("LANG") or ""
    if system.platform == "darwin" and not locale:
        answer = system.run(["defaults", "read", "-g", "AppleLocale"], COMMAND_TIMEOUT_S)
        locale = answer.stdout.strip() if answer.ok else ""
    if system.platform == "windows" and not locale:
        value = system.read_registry("HKCU\\Control Panel\\International", "LocaleName")
        locale = value if isinstance(value, str) else ""
    match = re.match(r"[a-z]{2,3}[_-]([A-Z]{2})\b", locale)
    return ZoneFacts(zone, source, match.group(1) if match else None, locale)


def zone_countries(system: System) -> dict[str, set[str]]:
    """IANA zone -> countries, from the system's ``zone1970.tab`` (``zone.tab``); empty when absent."""
    for name in ("/usr/share/zoneinfo/zone1970.tab", "/usr/share/zoneinfo/zone.tab"):
        text = system.read_file(name)
        if not text:
            continue
        table: dict[str, set[str]] = {}
        for line in text.decode("utf-8", "replace").splitlines():
            if line.startswith("#") or not line.strip():
                continue
            parts = line.split("\t")
            if len(parts) >= 3:
                table.setdefault(parts[2], set()).update(parts[0].split(","))
        return table
    return {}


_UTC = {"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Universal", "Zulu", "Etc/Universal", "Etc/Zulu", "UCT", "Etc/UCT"}


def zone_check(system: System, facts: ZoneFacts, valid_zone: bool | None) -> MachineCheck:
    """``valid_zone``: whether the IANA database knows the name (``None``: not checkable here)."""
    owner = Owner.USER
    if facts.zone is None:
        return not_run("time.zone", owner, "the OS did not say", "no TZ, /etc/timezone, /etc/localtime or tzutil answer")
    where = f"time zone {facts.zone} (from {facts.source})"
    if valid_zone is False:
        return failed("time.zone", owner, f"{where} is not a known zone name: the system silently uses UTC",
                      _fix(ZONE_FIX, system))
    if facts.country is None:
        return passed("time.zone", f"{where}; the locale ({facts.locale or 'unset'}) names no country, so only "
                      "the zone name was checked", owner)
    countries = zone_countries(system)
    if not countries or system.platform == "windows":
        return passed("time.zone", f"{where}; locale {facts.locale} (no zone table here to compare them)", owner)
    if facts.zone in _UTC:
        if any(facts.country in c for z, c in countries.items() if z in ("Europe/London", "Atlantic/Reykjavik",
                                                                         "Africa/Abidjan")):
            return passed("time.zone", f"{where}; locale {facts.locale}", owner)
        return warned("time.zone", owner, f"{where}, but the locale {facts.locale} is for {facts.country}: times "
                      "the portal shows (lockout ends, appointments) will look hours off",
                      _fix(ZONE_FIX, system))
    zone_of = countries.get(facts.zone)
    if zone_of is not None and facts.country not in zone_of:
        return warned("time.zone", owner, f"{where} is in {', '.join(sorted(zone_of))}, but the locale "
                      f"{facts.locale} is for {facts.country}", _fix(ZONE_FIX, system))
    return passed("time.zone", f"{where}; locale {facts.locale}", owner)


# --------------------------------------------------------------------------- skew and one-time codes


def skew_checks(system: System, estimate: SkewEstimate | None, reason: str | None,
                warn_s: float, fail_s: float) -> tuple[MachineCheck, MachineCheck]:
    """``time.skew`` and ``time.one_time_codes`` from the portal's clock (``None``: not measured, why)."""
    owner = Owner.USER
    if estimate is None or estimate.bounds is None or estimate.skew_seconds is None:
        why = reason or (estimate.reason if estimate is not None else None) or "not measured"
        return (not_run("time.skew", owner, why),
                not_run("time.one_time_codes", owner, why, "needs the measured skew"))
    skew, bar = estimate.skew_seconds, estimate.uncertainty_seconds or 0.0
    side = "ahead of" if skew > 0 else "behind"
    evidence = (f"this computer is {describe_offset(abs(skew), bar).lstrip('+')} {side} {estimate.host} "
                f"({estimate.samples} timed requests)")
    hours = round(abs(skew) / 3600)
    if hours >= 1 and abs(abs(skew) - hours * 3600) < 120:
        evidence += f"; almost exactly {hours} h: the time zone is probably wrong while the clock was set by hand"
    fix = _fix(SYNC_FIX, system)
    if abs(skew) >= fail_s:
        skew_check = failed("time.skew", owner, evidence + f" (fails from {fail_s:g} s)", fix)
    elif abs(skew) >= warn_s:
        skew_check = warned("time.skew", owner, evidence + f" (warns from {warn_s:g} s)", fix)
    else:
        skew_check = passed("time.skew", evidence, owner)
    worst = abs(skew) + bar
    otp = f"worst case {worst:.1f} s against a {OTP_STEP_S} s code step"
    why = ("codes made on this computer (a desktop authenticator, a browser extension) and sign-in links the "
           "page times")
    if worst >= OTP_STEP_S:
        codes = failed("time.one_time_codes", owner, f"{otp}: {why} will be refused", fix)
    elif worst >= OTP_WARN_S:
        codes = warned("time.one_time_codes", owner, f"{otp}: {why} may be refused near the end of each step", fix)
    else:
        codes = passed("time.one_time_codes", f"{otp}: no risk", owner)
    return skew_check, codes
