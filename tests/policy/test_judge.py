"""policy show's judgement, on rows as chrome://policy reports them (no browser)."""

from __future__ import annotations

import json

import pytest

from preflight.model.policy import PolicyEntry
from preflight.model.report import Severity
from preflight.policy.judge import judge_policies
from preflight.policy.patterns import content_pattern_matches, url_blocked

from ..policy_fixtures import policy_allowlist


def row(name: str, value: object, status: str = "OK", errors: str = "", table: str = "chrome") -> PolicyEntry:
    # chrome://policy shows strings bare and everything else as indented JSON
    text = value if isinstance(value, str) else json.dumps(value, indent=2)
    return PolicyEntry(name, text, "Platform", "Machine", "Mandatory", status, errors, table=table)


def codes(*entries: PolicyEntry) -> dict[str, list[Severity]]:
    result: dict[str, list[Severity]] = {}
    for finding in judge_policies(entries, policy_allowlist()):
        result.setdefault(finding.code, []).append(finding.severity)
    return result


@pytest.mark.parametrize("pattern, url, matches", [
    ("[*.]preflight-policy.test", "https://provider.preflight-policy.test/", True),
    ("[*.]preflight-policy.test", "https://preflight-policy.test/", True),
    ("preflight-policy.test", "https://provider.preflight-policy.test/", False),
    ("provider.preflight-policy.test", "https://provider.preflight-policy.test/", True),
    ("https://provider.preflight-policy.test", "https://provider.preflight-policy.test/", True),
    ("http://provider.preflight-policy.test", "https://provider.preflight-policy.test/", False),
    ("https://provider.preflight-policy.test:8443", "https://provider.preflight-policy.test/", False),
    ("https://provider.preflight-policy.test:443", "https://provider.preflight-policy.test/", True),
    ("*", "https://anything.example/", True),
    ("https://[*.]PREFLIGHT-policy.test", "https://member.preflight-policy.test/", True),
    ("evilpreflight-policy.test", "https://provider.preflight-policy.test/", False),
])
def test_content_setting_patterns(pattern, url, matches):
    assert content_pattern_matches(pattern, url) is matches


@pytest.mark.parametrize("blocklist, allowlist, blocked", [
    (["preflight-policy.test"], [], "preflight-policy.test"),         # a host covers its subdomains
    ([".preflight-policy.test"], [], None),                          # a leading dot: that host only
    (["*"], [], "*"),
    (["*"], ["provider.preflight-policy.test"], None),               # more specific allow wins
    (["provider.preflight-policy.test"], ["provider.preflight-policy.test"], None),  # a tie: allow wins
    (["provider.preflight-policy.test"], ["preflight-policy.test"], "provider.preflight-policy.test"),
    (["provider.preflight-policy.test/app"], [], "provider.preflight-policy.test/app"),  # path prefix
    (["provider.preflight-policy.test/other"], [], None),
    (["http://provider.preflight-policy.test"], [], None),
    (["javascript://*", "file://*"], [], None),
])
def test_url_filters(blocklist, allowlist, blocked):
    assert url_blocked("https://provider.preflight-policy.test/app/login", blocklist, allowlist) == blocked


def test_nothing_in_force_passes_and_recommends_password_protection():
    assert codes() == {"policy.ok": [Severity.PASS], "policy.password_protection_missing": [Severity.INFO]}


def test_the_exported_policy_judges_clean():
    from preflight.policy.build import build_export

    exported = build_export(policy_allowlist()).as_dict()
    assert codes(*(row(name, value) for name, value in exported.items())) == {"policy.ok": [Severity.PASS]}


def test_cookies_blocked_for_a_portal_host_fails_and_names_it():
    findings = judge_policies((row("CookiesBlockedForUrls", ["[*.]provider.preflight-policy.test"]),),
                              policy_allowlist())
    blocked = [f for f in findings if f.code == "policy.portal_cookies_blocked"]
    assert [f.evidence["host"] for f in blocked] == ["provider.preflight-policy.test",
                                                     "www.provider.preflight-policy.test"]
    assert all(f.severity is Severity.FAIL and f.evidence["portal"] == "Test provider portal" for f in blocked)
    assert "policy.ok" not in {f.code for f in findings}


def test_default_block_fails_unless_the_host_is_exempted():
    assert codes(row("DefaultCookiesSetting", 2))["policy.portal_cookies_blocked"] == [Severity.FAIL] * 4
    exempt = row("CookiesAllowedForUrls", ["[*.]preflight-policy.test", "https://login.preflight-idp.test"])
    assert "policy.portal_cookies_blocked" not in codes(row("DefaultCookiesSetting", 2), exempt)


def test_session_only_and_clear_on_exit_warn():
    assert codes(row("DefaultCookiesSetting", 4))["policy.cookies_session_only"] == [Severity.WARN] * 4
    assert codes(row("CookiesSessionOnlyForUrls", ["member.preflight-policy.test"]))[
        "policy.cookies_session_only"] == [Severity.WARN]
    assert codes(row("ClearBrowsingDataOnExitList", ["cookies_and_other_site_data"]))[
        "policy.clear_on_exit"] == [Severity.WARN]
    assert "policy.clear_on_exit" not in codes(row("ClearBrowsingDataOnExitList", ["browsing_history"]))
    assert codes(row("ClearBrowsingDataOnExit", True))["policy.clear_on_exit"] == [Severity.WARN]


def test_third_party_blocking_warns_for_a_cross_site_identity_host_without_exception():
    assert codes(row("BlockThirdPartyCookies", True))["policy.third_party_cookies_blocked"] == [Severity.WARN]
    exempt = row("CookiesAllowedForUrls", ["https://login.preflight-idp.test"])
    assert codes(row("BlockThirdPartyCookies", True), exempt)["policy.third_party_cookies_blocked"] == [Severity.INFO]
    assert "policy.third_party_cookies_blocked" not in codes(row("BlockThirdPartyCookies", False))


def test_url_blocklist_fails_for_a_portal_page():
    found = codes(row("URLBlocklist", ["member.preflight-policy.test"]))
    assert found["policy.portal_url_blocked"] == [Severity.FAIL]
    assert "policy.portal_url_blocked" not in codes(row("URLBlocklist", ["member.preflight-policy.test"]),
                                                   row("URLAllowlist", ["member.preflight-policy.test"]))


def test_password_protection_partly_covering_names_the_uncovered_portals():
    findings = judge_policies((row("PasswordProtectionWarningTrigger", 1),
                               row("PasswordProtectionLoginURLs", ["https://provider.preflight-policy.test/app/login"])),
                              policy_allowlist())
    [missing] = [f for f in findings if f.code == "policy.password_protection_missing"]
    assert missing.evidence["uncovered_portals"] == ["Test member portal"]


def test_a_policy_in_error_is_not_applied_and_is_reported():
    found = codes(row("DefaultCookiesSetting", 2, status="Error", errors="Value is out of range."))
    assert found["policy.not_applied"] == [Severity.WARN]
    assert "policy.portal_cookies_blocked" not in found  # the browser does not apply it
    # other tables (extensions, precedence) are not the browser's own policies
    assert "policy.portal_cookies_blocked" not in codes(row("DefaultCookiesSetting", 2, table="precedence"))
    # a policy unrelated to sign-in in error is none of this command's business
    assert "policy.not_applied" not in codes(row("HomepageLocation", "x", status="Error", errors="bad"))


def test_a_conflicting_value_that_won_is_applied():
    # chrome://policy when two files set the same policy: the winner reads "Warning, Conflict"
    winner = PolicyEntry("CookiesBlockedForUrls", '[\n  "[*.]member.preflight-policy.test"\n]', "Platform",
                         "Machine", "Mandatory", "Warning, Conflict", "",
                         "This policy is working as intended but a conflicting value is set elsewhere ...")
    assert winner.applied
    assert codes(winner)["policy.portal_cookies_blocked"] == [Severity.FAIL]
    assert not PolicyEntry("X", "1", status="Error", errors="Unknown policy.").applied
    assert not PolicyEntry("X", "1", status="").applied


def test_policy_show_never_prints_enrolment_tokens_or_proxy_passwords():
    from preflight.model.policy import PolicyReport
    from preflight.reporters import OutputFormat, RenderOptions, render

    entries = (row("CloudManagementEnrollmentToken", "SENTINEL-ENROL-1234"),
               row("ProxyServer", "http://alice:SENTINEL-PROXY-PW@proxy.example.com:8080"),
               row("PasswordProtectionLoginURLs", ["https://provider.preflight-policy.test/app/login"]))
    report = PolicyReport("chromium", "policy-test.toml", entries, judge_policies(entries, policy_allowlist()))
    for output in (OutputFormat.JSON, OutputFormat.CONSOLE):
        text = render(report, output, RenderOptions(verbose=True))
        assert "SENTINEL" not in text and "alice" not in text, output
        assert "https://provider.preflight-policy.test/app/login" in text  # what is not secret stays readable


def test_policy_show_json_validates_against_the_committed_schema():
    import jsonschema

    from preflight.model import schema as generator
    from preflight.model.policy import PolicyReport
    from preflight.reporters import OutputFormat, render

    entries = (row("CookiesBlockedForUrls", ["[*.]provider.preflight-policy.test"]),
               row("PasswordProtectionWarningTrigger", "often", status="Error", errors="Schema validation error"))
    report = PolicyReport("chromium", "policy-test.toml", entries, judge_policies(entries, policy_allowlist()))
    document = json.loads(render(report, OutputFormat.JSON))
    schema = json.loads((generator.SCHEMA_DIR / "policy.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    assert document["verdict"] == "fail" and document["policies"][1]["error"] == "Schema validation error"
    assert {f["check"] for f in document["findings"]} == {"policy"}
