"""Time sync as each OS reports it, the time zone against the locale, skew and one-time codes."""

from __future__ import annotations

import pytest

from preflight.doctor import timecheck
from preflight.doctor.run import _zone
from preflight.model.doctor import CheckStatus
from preflight.rules.skew import estimate

from .helpers import machine, samples_for

NOT_INSTALLED = {"error": "not installed"}
NO_SYSTEMD = {"returncode": 1, "stderr": "System has not been booted with systemd as init system (PID 1). Can't operate.\n"}
CHRONY_SYNCED = {"returncode": 0, "stdout": (
    "Reference ID    : C0A80001 (192.168.0.1)\nStratum         : 3\nRef time (UTC)  : Tue Dec 01 12:00:00 2026\n"
    "System time     : 0.000012345 seconds fast of NTP time\nLast offset     : +0.000003 seconds\n"
    "Leap status     : Normal\n")}
CHRONY_UNSYNCED = {"returncode": 0, "stdout": (
    "Reference ID    : 00000000 ()\nStratum         : 0\nSystem time     : 0.000000000 seconds fast of NTP time\n"
    "Leap status     : Not synchronised\n")}
W32TM_CMOS = {"returncode": 0, "stdout": "Leap Indicator: 3(not synchronized)\nStratum: 0 (unspecified)\n"
              "Last Successful Sync Time: unspecified\nSource: Local CMOS Clock\nPoll Interval: 6 (64s)\n"}
W32TM_STOPPED = {"returncode": 2147943462, "stdout": "The following error occurred: The service has not been started. (0x80070426)\n"}


def sync(platform, **commands):
    return timecheck.sync_check(machine(platform, commands=commands))


@pytest.mark.parametrize(("commands", "status", "words"), [
    ({}, CheckStatus.PASS, "timedatectl: clock synchronised (automatic time on)"),
    ({"timedatectl show -p NTP -p NTPSynchronized": {"returncode": 0, "stdout": "NTP=no\nNTPSynchronized=no\n"}},
     CheckStatus.FAIL, "automatic time (NTP) is off"),
    ({"timedatectl show -p NTP -p NTPSynchronized": {"returncode": 0, "stdout": "NTP=yes\nNTPSynchronized=no\n"}},
     CheckStatus.WARN, "not synchronised yet"),
    ({"timedatectl show -p NTP -p NTPSynchronized": NO_SYSTEMD, "chronyc -n tracking": CHRONY_SYNCED},
     CheckStatus.PASS, "chronyc tracking: synchronised to C0A80001 (192.168.0.1)"),
    ({"timedatectl show -p NTP -p NTPSynchronized": NO_SYSTEMD, "chronyc -n tracking": CHRONY_UNSYNCED},
     CheckStatus.FAIL, "Not synchronised"),
    ({"timedatectl show -p NTP -p NTPSynchronized": NO_SYSTEMD, "chronyc -n tracking": NOT_INSTALLED},
     CheckStatus.NOT_RUN, "chronyc: not installed"),
])
def test_linux_time_sync(commands, status, words):
    check = sync("linux", **commands)
    assert check.status is status and words in check.evidence, check
    if status is CheckStatus.FAIL:
        assert "sudo timedatectl set-ntp true" in check.fix


def test_linux_sync_that_timed_out_is_not_run():
    check = sync("linux", **{"timedatectl show -p NTP -p NTPSynchronized": {"error": "timed out after 3 s"},
                             "chronyc -n tracking": NOT_INSTALLED})
    assert check.status is CheckStatus.NOT_RUN and "timed out after 3 s" in check.evidence


def test_macos_time_sync():
    off = sync("darwin", **{"systemsetup -getusingnetworktime": {"returncode": 0, "stdout": "Network Time: Off\n"}})
    assert off.status is CheckStatus.FAIL and "sudo systemsetup -setusingnetworktime on" in off.fix
    # Unprivileged: systemsetup refuses; sntp (query only, no -S) measures instead.
    admin = {"returncode": 0, "stdout": "You need administrator access to run this tool... exiting!\n"}
    measured = sync("darwin", **{"systemsetup -getusingnetworktime": admin,
                                 "sntp time.apple.com": {"returncode": 0, "stdout": "+0.012345 +/- 0.023456 time.apple.com 17.253.34.253\n"}})
    assert measured.status is CheckStatus.PASS and "sntp time.apple.com: this clock is +0.012 s" in measured.evidence
    assert "could not say whether automatic time is on" in measured.evidence
    far = sync("darwin", **{"systemsetup -getusingnetworktime": admin,
                            "sntp time.apple.com": {"returncode": 0, "stdout": "-95.123456 +/- 0.023456 time.apple.com 17.253.34.253\n"}})
    assert far.status is CheckStatus.FAIL
    unknown = sync("darwin", **{"systemsetup -getusingnetworktime": admin, "sntp time.apple.com": NOT_INSTALLED})
    assert unknown.status is CheckStatus.NOT_RUN


def test_windows_time_sync():
    assert sync("windows").status is CheckStatus.PASS
    cmos = sync("windows", **{"w32tm /query /status": W32TM_CMOS})
    assert cmos.status is CheckStatus.FAIL and "Local CMOS Clock" in cmos.evidence and "w32tm /resync" in cmos.fix
    stopped = sync("windows", **{"w32tm /query /status": W32TM_STOPPED})
    assert stopped.status is CheckStatus.FAIL and "Windows Time service is not running" in stopped.evidence
    assert "net start w32time" in stopped.fix


def test_time_zone_against_the_locale():
    assert _zone(machine("linux")).status is CheckStatus.PASS
    london = _zone(machine("linux", files={"/etc/timezone": "Europe/London\n"}))
    assert london.status is CheckStatus.WARN and "locale en_US.UTF-8 is for US" in london.evidence
    utc = _zone(machine("linux", files={"/etc/timezone": "Etc/UTC\n"}))
    assert utc.status is CheckStatus.WARN and "hours off" in utc.evidence
    bogus = _zone(machine("linux", environ={"TZ": "America/Chicagoo"}))
    assert bogus.status is CheckStatus.FAIL and "silently uses UTC" in bogus.evidence
    no_country = _zone(machine("linux", environ={"LANG": "C.UTF-8"}))
    assert no_country.status is CheckStatus.PASS and "names no country" in no_country.evidence
    gb_utc = _zone(machine("linux", files={"/etc/timezone": "Etc/UTC\n"}, environ={"LANG": "en_GB.UTF-8"}))
    assert gb_utc.status is CheckStatus.PASS


@pytest.mark.parametrize(("skew", "skew_status", "codes_status"), [
    (0.2, CheckStatus.PASS, CheckStatus.PASS),
    (-12.0, CheckStatus.PASS, CheckStatus.WARN),
    (45.0, CheckStatus.WARN, CheckStatus.FAIL),
    (3600.4, CheckStatus.FAIL, CheckStatus.FAIL),
])
def test_skew_and_one_time_codes(skew, skew_status, codes_status):
    measured = estimate(samples_for(skew), "cignaforhcp.cigna.com")
    assert measured.bounds is not None and abs(measured.skew_seconds - skew) < 0.1
    skew_check, codes = timecheck.skew_checks(machine("windows"), measured, None, 30, 300)
    assert skew_check.status is skew_status and codes.status is codes_status
    assert "±" in skew_check.evidence and ("ahead of" if skew > 0 else "behind") in skew_check.evidence
    if skew_status is not CheckStatus.PASS:
        assert "Set time automatically" in skew_check.fix
    if skew > 3000:
        assert "almost exactly 1 h" in skew_check.evidence


def test_unmeasurable_skew_is_not_run_with_the_reason():
    skew_check, codes = timecheck.skew_checks(machine("linux"), estimate((), "cignaforhcp.cigna.com"), None, 30, 300)
    assert skew_check.status is CheckStatus.NOT_RUN and "no timed requests" in skew_check.reason
    assert codes.status is CheckStatus.NOT_RUN
