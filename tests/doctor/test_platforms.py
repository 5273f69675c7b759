"""Whole doctor runs on recorded Linux, macOS and Windows machines: every probe is asked through the
one OS boundary, every check ends in a status, and each platform's own answers are read."""

from __future__ import annotations

import pytest

from preflight.model.doctor import CheckStatus, DoctorVerdict, Owner

from .helpers import machine, probes, run

ALL_IDS = ["browsers.installed", "browsers.up_to_date", "browsers.headless", "browsers.javascript", "browsers.cookies",
           "browsers.third_party_cookies", "browsers.policies", "browsers.profile_cookies", "time.sync", "time.zone",
           "time.skew", "time.one_time_codes", "dns.hosts_file", "dns.portal_hosts", "network.proxy",
           "network.tls_inspection", "portal.check"]

READ_ONLY_COMMANDS = ("timedatectl show", "chronyc -n tracking", "systemsetup -get", "sntp ", "w32tm /query",
                      "tzutil /g", "readlink ", "defaults read", "gsettings get", "scutil --proxy",
                      "netsh winhttp show", "security find-certificate", "powershell -NoProfile -NonInteractive -Command Get-ChildItem")


@pytest.mark.parametrize("platform", ["linux", "darwin", "windows"])
def test_a_ready_machine_of_each_platform(platform):
    system = machine(platform)
    report = run(system, probes(chain=ValueError("not TLS")))
    assert [c.id for c in report.checks] == ALL_IDS
    statuses = {c.id: c.status for c in report.checks}
    assert statuses["browsers.installed"] is CheckStatus.PASS
    assert statuses["time.sync"] is CheckStatus.PASS
    assert statuses["time.zone"] is CheckStatus.PASS
    assert statuses["dns.portal_hosts"] is CheckStatus.PASS and statuses["dns.hosts_file"] is CheckStatus.PASS
    assert statuses["network.proxy"] is CheckStatus.PASS
    assert statuses["time.skew"] is CheckStatus.PASS and statuses["time.one_time_codes"] is CheckStatus.PASS
    assert statuses["portal.check"] is CheckStatus.PASS
    assert statuses["browsers.profile_cookies"] is CheckStatus.NOT_RUN  # no --profile
    # Nothing but read-only queries was asked of the machine.
    assert system.asked and all(any(line.startswith(p) for p in READ_ONLY_COMMANDS) or line.endswith("--version")
                                for line in system.asked), system.asked
    for check in report.checks:
        assert check.evidence
        if check.status is CheckStatus.NOT_RUN:
            assert check.reason
        assert isinstance(check.owner, Owner)


def test_each_platform_reads_its_own_places():
    linux = run(machine("linux"))
    assert "Chrome 131.0.6778.85 (/usr/bin/google-chrome)" in linux.check("browsers.installed").evidence
    assert "Chromium 130.0.6723.116" in linux.check("browsers.installed").evidence
    assert "timedatectl" in linux.check("time.sync").evidence
    assert "America/Chicago (from /etc/timezone)" in linux.check("time.zone").evidence
    mac = run(machine("darwin"))
    assert "Chrome 131.0.6778.86 (/Applications/Google Chrome.app/Contents/MacOS/Google Chrome)" in \
        mac.check("browsers.installed").evidence
    assert "Edge 131.0.2903.70" in mac.check("browsers.installed").evidence
    assert "systemsetup: network time on (time.apple.com)" == mac.check("time.sync").evidence
    assert "America/New_York (from /etc/localtime)" in mac.check("time.zone").evidence
    windows = run(machine("windows"))
    installed = windows.check("browsers.installed").evidence
    assert "Chrome 131.0.6778.86 (C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe)" in installed
    assert "Edge 131.0.2903.70 (C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe)" in installed
    assert "w32tm: synchronised with dc01.practice.local" in windows.check("time.sync").evidence
    assert "Central Standard Time (from tzutil /g)" in windows.check("time.zone").evidence
    assert "C:\\Windows\\System32\\drivers\\etc\\hosts" in windows.check("dns.hosts_file").evidence


def test_offline_the_network_checks_say_no_network_and_the_rest_still_runs():
    offline = {h: "no network" for h in machine("linux").dns}
    report = run(machine("linux", dns=offline), probes())
    for check_id in ("dns.portal_hosts", "network.tls_inspection", "time.skew", "time.one_time_codes", "portal.check"):
        check = report.check(check_id)
        assert check.status is CheckStatus.NOT_RUN and check.reason == "no network", check
    assert report.check("time.sync").status is CheckStatus.PASS
    assert report.check("browsers.headless").status is CheckStatus.PASS
    assert report.verdict is DoctorVerdict.PASS and report.exit_code() == 0


def test_no_portal_skips_the_visit_only():
    report = run(machine("linux"), probes(), no_portal=True)
    assert report.check("portal.check").status is CheckStatus.NOT_RUN
    assert report.check("portal.check").reason == "--no-portal"
    assert report.check("time.skew").status is CheckStatus.PASS  # HEAD requests still measure the clock


def test_readme_lists_every_check():
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = text.index("## `preflight doctor`")
    section = text[start:text.index("\n## ", start)]
    listed = [code for line in section.splitlines() if line.startswith("| `")
              for code in re.findall(r"`([a-z_]+\.[a-z_]+)`", line.split("|")[1])]
    assert listed == ALL_IDS
