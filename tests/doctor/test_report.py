"""The run as a whole: caps and crashes, exit codes, next steps per role, the ticket's redaction,
the JSON document against its generated schema, and the console checklist."""

from __future__ import annotations

import json
from dataclasses import replace

import jsonschema
import pytest

from preflight.capture.readiness import BrowserReadiness
from preflight.doctor import run as doctor_run
from preflight.model import schema as generator
from preflight.model.doctor import CheckStatus, DoctorTicket, DoctorVerdict
from preflight.model.report import Finding, Severity, TargetError
from preflight.reporters.doctor import render_console, render_json, render_ticket
from preflight.status import ExitStatus

from .helpers import READY, machine, policy, portal_result, probes, run
from .test_platforms import ALL_IDS


def test_a_probe_past_its_cap_is_not_run(monkeypatch):
    monkeypatch.setitem(doctor_run.CAPS, "browser", 0.2)
    report = run(machine("linux"), probes(browser_delay_s=2.0))
    for check_id in ("browsers.headless", "browsers.javascript", "browsers.cookies", "browsers.policies"):
        check = report.check(check_id)
        assert check.status is CheckStatus.NOT_RUN and check.reason == "did not finish within 0.2 s"
    assert report.verdict is not DoctorVerdict.ERROR and report.elapsed_s < 2.0


def test_no_probe_runs_past_the_run_s_budget(monkeypatch):
    monkeypatch.setattr(doctor_run, "RUN_BUDGET_S", 0.6)
    report = run(machine("linux"), probes(portal_delay_s=5.0))
    check = report.check("portal.check")
    assert check.status is CheckStatus.NOT_RUN and check.reason.startswith("did not finish within 0.")
    assert report.elapsed_s < 2.0
    assert report.check("time.sync").status is CheckStatus.PASS


def test_a_crashed_probe_is_a_bug_not_a_pass():
    report = run(machine("linux"), probes(readiness=RuntimeError("boom")))
    headless = report.check("browsers.headless")
    assert headless.status is CheckStatus.NOT_RUN and headless.reason.startswith("crashed (a bug in preflight)")
    assert report.verdict is DoctorVerdict.ERROR and report.exit_code() == ExitStatus.BUG
    assert report.check("time.sync").status is CheckStatus.PASS  # the others still ran


def test_exit_codes_as_for_check():
    assert run(machine("linux")).exit_code() == ExitStatus.OK
    failing = run(machine("linux", commands={"timedatectl show -p NTP -p NTPSynchronized":
                                             {"returncode": 0, "stdout": "NTP=no\nNTPSynchronized=no\n"}}))
    assert failing.verdict is DoctorVerdict.FAIL and failing.exit_code() == ExitStatus.FAIL
    no_browser = run(machine("linux"), probes(readiness=BrowserReadiness(error="no Chromium found — install one")))
    assert no_browser.check("browsers.headless").status is CheckStatus.FAIL
    assert no_browser.check("browsers.javascript").status is CheckStatus.NOT_RUN
    assert no_browser.exit_code() == ExitStatus.COULD_NOT_RUN
    unreachable = portal_result(error=TargetError("target.unreachable", "connection refused"))
    assert run(machine("linux"), probes(portal=unreachable)).exit_code() == ExitStatus.COULD_NOT_RUN
    warned = run(machine("linux"), probes(skew=45.0))
    assert warned.check("time.skew").status is CheckStatus.WARN and warned.exit_code() == ExitStatus.FAIL  # codes fail at 45 s


def test_the_portal_check_is_summarised_with_owners():
    maintenance = Finding("portal", "portal.maintenance", Severity.WARN, "the page says the portal is down for maintenance")
    report = run(machine("linux"), probes(portal=portal_result(maintenance)))
    check = report.check("portal.check")
    assert check.status is CheckStatus.WARN and check.owner.value == "payer"
    assert "portal.maintenance" in check.evidence and "preflight check https://cignaforhcp.cigna.com/" in check.fix
    passed = run(machine("linux")).check("portal.check")
    assert passed.status is CheckStatus.PASS and "official CignaforHCP portal" in passed.evidence


def test_profile_cookies_come_from_the_portal_check(tmp_path):
    leftover = Finding("cookies", "cookies.leftover_session", Severity.WARN, "sign-in cookies left by an earlier session")
    clear = Finding("cookies", "cookies.clear_site_data", Severity.INFO, "clear cignaforhcp.cigna.com in chrome://settings/content/all")
    report = run(machine("linux"), probes(portal=portal_result(leftover, clear)), profile_dir=str(tmp_path))
    check = report.check("browsers.profile_cookies")
    assert check.status is CheckStatus.WARN and "cookies.leftover_session" in check.evidence
    assert check.fix == clear.message
    offline = run(machine("linux"), probes(), profile_dir=str(tmp_path), no_portal=True)
    assert offline.check("browsers.profile_cookies").status is CheckStatus.NOT_RUN


def test_policies_and_third_party_cookies():
    blocked = replace(READY, policies=(policy("CookiesBlockedForUrls", '["https://cignaforhcp.cigna.com"]'),
                                       policy("BlockThirdPartyCookies", "true")))
    report = run(machine("linux"), probes(readiness=blocked))
    assert report.check("browsers.policies").status is CheckStatus.FAIL
    assert "policy.portal_cookies_blocked" in report.check("browsers.policies").evidence
    third = report.check("browsers.third_party_cookies")
    assert third.status is CheckStatus.PASS and "BlockThirdPartyCookies blocks them" in third.evidence
    no_js = replace(READY, javascript=False, script_cookie=None)
    js_report = run(machine("linux"), probes(readiness=no_js))
    assert js_report.check("browsers.javascript").status is CheckStatus.FAIL
    assert js_report.check("browsers.cookies").status is CheckStatus.PASS  # the header cookie was kept


def test_the_profile_s_third_party_cookie_setting_is_read(tmp_path):
    profile = "/home/jdoe-sentinel/.config/google-chrome"
    system = machine("linux", files={f"{profile}/Default/Preferences": json.dumps({"profile": {"cookie_controls_mode": 2}})})
    report = run(system, profile_dir=profile)
    check = report.check("browsers.third_party_cookies")
    assert check.status is CheckStatus.PASS and "Default/Preferences) blocks them" in check.evidence


def test_role_changes_the_next_steps():
    billing = run(machine("linux"), role="billing").next_steps
    admin = run(machine("linux"), role="admin").next_steps
    nobody = run(machine("linux")).next_steps
    assert billing != admin
    assert any("Claims and Remittance" in s for s in billing) and not any("Claims and Remittance" in s for s in admin)
    assert any("role assignments" in s for s in admin)
    assert any("--role" in s for s in nobody) and not any("--role" in s for s in billing)
    for steps in (billing, admin, nobody):
        assert any("not the member site (my.cigna.com)" in s for s in steps)
        assert any("\"Forgot\" link" in s for s in steps) and any("lockout" in s for s in steps)


def test_failing_items_come_first_in_the_next_steps():
    failing = run(machine("windows", commands={"w32tm /query /status": {
        "returncode": 0, "stdout": "Leap Indicator: 3(not synchronized)\nSource: Local CMOS Clock\n"}}), role="front-desk")
    assert failing.next_steps[0].startswith("Practice IT: Settings > Time & language") and "(time.sync)" in failing.next_steps[0]


def test_the_json_document_validates_against_the_generated_schema():
    schema = json.loads((generator.SCHEMA_DIR / "doctor.schema.json").read_text(encoding="utf-8"))
    for report in (run(machine("linux"), role="billing"), run(machine("darwin", dns={h: "no network" for h in machine("darwin").dns}))):
        document = json.loads(render_json(report))
        jsonschema.validate(document, schema)
        assert document["schema"] == "preflight/doctor@1"
        assert [c["id"] for c in document["checks"]] == ALL_IDS
        assert set(document["checks"][0]) >= {"id", "status", "owner", "evidence", "fix"}
        assert all(("reason" in c) == (c["status"] == "not_run") for c in document["checks"])


SENTINELS = ("jdoe-sentinel", "S3NT1NEL-PW", "T0KEN-SENTINEL", "C00KIE-SENTINEL")


@pytest.mark.parametrize("platform", ["linux", "darwin", "windows"])
def test_the_ticket_holds_no_user_name_cookie_or_token(platform):
    system = machine(platform, environ={"HTTPS_PROXY": "http://jdoe-sentinel:S3NT1NEL-PW@proxy.local:3128",
                                        "HOSTNAME": "jdoe-sentinel-laptop"})
    leftover = Finding("cookies", "cookies.leftover_session", Severity.WARN,
                       "sign-in cookie SESSION=C00KIE-SENTINEL left in /home/jdoe-sentinel/.config/chrome")
    report = run(system, probes(portal=portal_result(leftover)), role="billing",
                 portal_url="https://cignaforhcp.cigna.com/app/login?token=T0KEN-SENTINEL",
                 profile_dir="/home/jdoe-sentinel/.config/chrome")
    ticket = render_ticket(DoctorTicket.of(report, system.environ))
    for sentinel in SENTINELS[:3]:
        assert sentinel.lower() not in ticket.lower(), (sentinel, ticket)
    assert "C00KIE-SENTINEL" not in ticket  # (a finding never carries a value; a ticket never carries findings' text)
    assert ticket.startswith("preflight doctor: workstation summary (redacted)")
    assert "machine:" in ticket and "portal:" in ticket and "needs action:" in ticket
    assert len(ticket.splitlines()) <= 25
    assert "not run: not run" not in ticket


def test_the_console_checklist_shows_every_status_distinctly():
    report = run(machine("linux", dns={"cignaforhcp.com": None}), probes(skew=12.0, chain=ValueError("not TLS")))
    text = render_console(report)
    for mark in ("✓ pass", "⚠ warn", "✗ FAIL", "○ not run"):
        assert mark in text, mark
    assert "Next steps:" in text and "fix (practice IT):" in text
    assert "verdict: fail" in text


def test_a_visit_that_failed_says_nothing_about_the_profile(tmp_path):
    unreachable = portal_result(error=TargetError("target.unreachable", "connection refused"))
    report = run(machine("linux"), probes(portal=unreachable), profile_dir=str(tmp_path))
    check = report.check("browsers.profile_cookies")
    assert check.status is CheckStatus.NOT_RUN and "connection refused" in check.reason


def test_a_check_that_crashed_in_the_visit_is_a_bug():
    from preflight.model.report import CheckResult

    crashed = replace(portal_result(), checks=(CheckResult("cookies", error="KeyError: 'x' (cookies.py:1)"),))
    report = run(machine("linux"), probes(portal=crashed))
    assert report.exit_code() == ExitStatus.BUG and report.verdict is DoctorVerdict.ERROR


def test_the_html_page_is_self_contained_and_escaped():
    from preflight.reporters import OutputFormat, render

    hostile = machine("linux", commands={"timedatectl show -p NTP -p NTPSynchronized": {
        "returncode": 1, "stderr": "<script>alert(1)</script>"}, "chronyc -n tracking": {"error": "not installed"}})
    page = render(run(hostile, role="admin"), OutputFormat.HTML)
    assert page.startswith("<!doctype html>") and "Content-Security-Policy" in page
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "src=" not in page and "href=" not in page  # nothing to fetch
    for check_id in ALL_IDS:
        assert f'id="{check_id}"' in page
    assert "Next steps for admin" in page and "○ not run" in page and "✓ pass" in page
