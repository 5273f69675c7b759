"""The cookies check on stored snapshots and stored state: each finding, the JSON section, no values."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from preflight import cli
from preflight.capture import existing_state as profile
from preflight.checks import cookies
from preflight.checks.base import CheckConfig
from preflight.config.allowlist import load_allowlist
from preflight.model.report import Severity
from preflight.model.serialize import to_jsonable
from preflight.model.snapshot import (
    CookieFacts,
    ExistingCookies,
    FrameFacts,
    InputFacts,
    PageSnapshot,
    ThirdPartyProbe,
)
from tests.factories import default_allowlist, snapshot
from tests.test_cookiejar import PORTAL, SENT_AT, header, kept, visit

FIXTURES = Path(__file__).resolve().parent.parent.parent / "fixtures" / "cookies"
STATE_FILE = FIXTURES / "_state" / "storage-state.json"
EXAMPLE = CheckConfig(load_allowlist(FIXTURES / "allowlist.toml"))
CIGNA = CheckConfig(default_allowlist())


def judge(shot: PageSnapshot, config: CheckConfig = EXAMPLE):
    result = cookies.check(shot, config)
    assert result.error is None
    return result, {f.code: f for f in result.findings}


def test_well_behaved_cookies_pass_with_their_facts():
    shot = visit("__Host-s=secret-1; Path=/; Secure; HttpOnly; SameSite=Lax",
                 jar_cookies=(kept("__Host-s", "secret-1", secure=True, http_only=True),), cookies_enabled=True)
    result, found = judge(shot)
    assert set(found) == {"cookies.ok"} and found["cookies.ok"].severity is Severity.PASS
    (entry,) = result.data.set
    assert to_jsonable(entry) == {
        "name": "__Host-s", "domain": "provider.example.com", "path": "/", "host_only": True, "expires": None,
        "session": True, "size": 16, "value_sha256": kept("x", "secret-1").value_sha256, "secure": True,
        "http_only": True, "same_site": "Lax", "same_site_sent": "Lax"}
    assert result.data.header_bytes == {"provider.example.com": len("Cookie: __Host-s=secret-1")}
    assert result.data.enabled is True and result.data.rejected == () and result.data.existing is None


def test_cookies_that_do_not_work_at_all_fail():
    _result, found = judge(visit(cookies_enabled=False))
    assert found["cookies.disabled"].severity is Severity.FAIL and "cookies.ok" not in found


def test_a_refused_session_cookie_fails_and_other_refusals_warn():
    result, _found = judge(visit("JSESSIONID=v; SameSite=None", "theme=v; SameSite=None", cookies_enabled=True))
    severities = {f.evidence["name"]: f.severity for f in result.findings if f.code == "cookies.rejected"}
    assert severities == {"JSESSIONID": Severity.FAIL, "theme": Severity.WARN}
    assert [r.reason for r in result.data.rejected] == ["samesite_none_insecure"] * 2


def test_a_cookie_header_over_8_kib_fails_and_near_it_warns():
    big = tuple(kept(f"blob{n}", "x" * 2800) for n in range(3))
    _result, found = judge(visit(jar_cookies=big, cookies_enabled=True))
    assert found["cookies.header_too_large"].severity is Severity.FAIL
    assert found["cookies.header_too_large"].evidence["bytes"] > 8190
    _result, found = judge(visit(jar_cookies=big[:2] + (kept("c", "x" * 1000),), cookies_enabled=True))
    assert "cookies.header_too_large" not in found and found["cookies.header_near_limit"].severity is Severity.WARN


def test_session_cookies_without_secure_or_httponly_warn():
    _result, found = judge(visit(jar_cookies=(kept("SMSESSION", "v"), kept("lang", "en")), cookies_enabled=True))
    assert found["cookies.session_not_secure"].evidence["name"] == "SMSESSION"
    assert found["cookies.session_not_httponly"].severity is Severity.WARN
    assert sum(f.code.startswith("cookies.session_") for f in _result.findings) == 2


def test_a_parent_domain_cookie_shared_by_provider_and_member_portals_warns():
    # Given the packaged allowlist: cignaforhcp.cigna.com (provider), my.cigna.com (member) ...
    shot = snapshot(cookies=(kept("remember_user", "v", domain=".cigna.com", secure=True, http_only=True),),
                    cookies_enabled=True)
    _result, found = judge(shot, CIGNA)
    roles = found["cookies.shared_across_portals"].evidence["roles"]
    assert {"provider", "member", "employer"} <= set(roles) and "my.cigna.com" in roles["member"]
    # A host-only cookie is not shared
    host_only = snapshot(cookies=(kept("x", "v", domain="cignaforhcp.cigna.com"),), cookies_enabled=True)
    _result, found = judge(host_only, CIGNA)
    assert "cookies.shared_across_portals" not in found


def test_samesite_unset_warns_only_when_the_login_spans_sites():
    one_site = visit("flow=v; Secure; HttpOnly", jar_cookies=(kept("flow", "v", secure=True, http_only=True),),
                     cookies_enabled=True)
    assert "cookies.samesite_unset" not in judge(one_site)[1]
    two_sites = replace(one_site, redirects=(replace(one_site.redirects[0], url="https://example-login.net/sso"),
                                             *one_site.redirects))
    finding = judge(two_sites)[1]["cookies.samesite_unset"]
    assert finding.evidence["sites"] == ["example-login.net", "example.com"]


def sign_in_page(*, login: bool) -> PageSnapshot:
    frame = FrameFacts(url="https://signin.example.org/frame",
                       inputs=(InputFacts(type="email"), InputFacts(type="password")) if login else ())
    return visit(header("idp=v; SameSite=None; Secure", url="https://signin.example.org/frame"),
                 frames=(FrameFacts(url=PORTAL), frame), cookies_enabled=True)


def test_login_that_disappears_without_third_party_cookies_warns():
    probe = ThirdPartyProbe(allowed=sign_in_page(login=True), blocked=sign_in_page(login=False))
    shot = replace(sign_in_page(login=False), third_party_probe=probe)
    result, found = judge(shot)
    assert found["cookies.third_party_required"].severity is Severity.WARN
    assert found["cookies.third_party_frame"].severity is Severity.INFO
    assert found["cookies.rejected"].severity is Severity.INFO  # explained by the finding above
    assert result.data.third_party.required is True
    assert "chrome://settings/cookies" in found["cookies.third_party_required"].message


def test_login_that_stays_without_third_party_cookies_passes_and_failures_are_inconclusive():
    probe = ThirdPartyProbe(allowed=sign_in_page(login=True), blocked=sign_in_page(login=True))
    shot = replace(sign_in_page(login=True), third_party_probe=probe)
    assert judge(shot)[1]["cookies.third_party_ok"].severity is Severity.PASS
    failed = replace(shot, third_party_probe=ThirdPartyProbe(error="the comparison visits did not finish in time"))
    assert "did not finish" in judge(failed)[1]["cookies.third_party_unknown"].message


# --------------------------------------------------------------------------- existing state


def state_visit() -> PageSnapshot:
    """The portal's login page visited with the stored storage state loaded."""
    state = profile.read_storage_state(STATE_FILE)
    existing = profile.storage_state_cookies(state, str(STATE_FILE), read_at=SENT_AT)
    loaded = tuple(c for c in existing.cookies if c.expires < 0 or c.expires > SENT_AT)
    fresh = kept("__Host-prov_session", "new-session", secure=True, http_only=True)
    jar_now = tuple(c for c in loaded if c.name != "__Host-prov_session") + (fresh,)
    return visit(jar_cookies=jar_now, existing_cookies=existing, cookies_enabled=True)


def test_a_stored_state_is_audited_for_stale_conflicting_and_oversized_cookies():
    result, found = judge(state_visit())
    existing = result.data.existing
    assert {c.name for c in existing.conflicting} == {"portal_auth", "pref_lang"}
    assert found["cookies.conflicting"].severity is Severity.WARN
    assert [c.name for c in existing.expired] == ["old_auth_token"]
    assert found["cookies.expired_kept"].severity is Severity.WARN  # a sign-in cookie expired
    leftovers = {c.name: c.replaced_by_visit for c in existing.leftover_sessions}
    assert leftovers["__Host-prov_session"] is True and "portal_auth" in leftovers
    # Three 2.8 kB cookies on .example.com: all but the fresh session cookie came from the state
    assert found["cookies.header_too_large"].evidence["from_existing_state"] == 6
    assert (existing.cookies, existing.portal_cookies) == (10, 9)  # news.example.net is not the portal's
    # Exact advice: which site, and where in Chrome and Edge
    assert existing.clear == (cookies.clear_advice("example.com"),)
    assert found["cookies.conflicting"].evidence["clear"] == [to_jsonable(cookies.clear_advice("example.com"))]
    assert "chrome://settings/content/all?searchSubpanel=example.com" in found["cookies.conflicting"].message
    assert "edge://settings/siteData" in found["cookies.leftover_session"].message
    # The new session value is not mistaken for a cookie the portal set twice
    assert [c.name for c in result.data.set] == ["__Host-prov_session"]


def test_no_stored_value_appears_in_the_result():
    result = cookies.check(state_visit(), EXAMPLE)
    text = json.dumps({"data": to_jsonable(result.data), "findings": [(f.message, f.evidence) for f in result.findings]})
    values = [c["value"] for c in json.loads(STATE_FILE.read_text())["cookies"]]
    assert values and not [v for v in values if v in text]


def test_undecryptable_profile_cookies_are_said_to_be_estimates():
    shot = visit(existing_cookies=ExistingCookies("profile", "~/.config/google-chrome", "chrome",
                                                  (CookieFacts("sid", "provider.example.com"),), undecryptable=1))
    assert judge(shot)[1]["cookies.existing_undecryptable"].severity is Severity.INFO


def test_loadable_state_leaves_out_what_a_browser_would_refuse():
    state = {"cookies": [{"name": "a", "value": "1", "domain": "x.com"},
                         {"name": "old", "value": "1", "domain": "x.com", "expires": 1.0},
                         {"name": "bad", "value": "1", "domain": "x.com", "sameSite": "None", "secure": False}]}
    (cookie,) = profile.loadable_state(state, now=SENT_AT)["cookies"]
    assert cookie == {"name": "a", "value": "1", "domain": "x.com", "path": "/", "expires": -1, "httpOnly": False,
                      "secure": False, "sameSite": "Lax"}


# --------------------------------------------------------------------------- command line


def run_cli(capsys, *args: str) -> tuple[int, str]:
    status = cli.main(["check", "https://provider.example.com/", *args])
    return status, capsys.readouterr().err


@pytest.mark.parametrize("args, needle", [
    (["--storage-state", "/nonexistent.json"], "no such file"),
    (["--storage-state", str(FIXTURES)], "is a folder"),
    (["--storage-state", str(FIXTURES / "allowlist.toml")], "not JSON"),
    (["--profile", "/nonexistent-profile"], "no such folder"),
    (["--profile", str(FIXTURES / "provider.example.com")], "not a browser profile folder"),
    (["--profile", str(FIXTURES / "_profile"), "--storage-state", str(STATE_FILE)], "use one of them"),
])
def test_bad_state_options_are_one_line_usage_errors(capsys, args, needle):
    code, err = run_cli(capsys, *args)
    assert code == 2 and err.count("\n") == 1 and err.startswith("preflight: error: ") and needle in err


def test_json_that_is_not_a_storage_state_is_refused(capsys, tmp_path):
    wrong = tmp_path / "state.json"
    wrong.write_text('{"cookies": [{"name": "a", "value": "SECRET-VALUE-1"}]}')
    code, err = run_cli(capsys, "--storage-state", str(wrong))
    assert code == 2 and "not a Playwright storage state" in err and "SECRET-VALUE-1" not in err


def test_profiles_are_found_from_the_user_data_folder_or_inside_it():
    top = profile.locate_profile(FIXTURES / "_profile")
    inner = profile.locate_profile(FIXTURES / "_profile" / "Default")
    expected = (FIXTURES / "_profile", "Default")
    assert (top.user_data_dir, top.profile) == (inner.user_data_dir, inner.profile) == expected
