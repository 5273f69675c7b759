"""policy export: which policies, which values, and each format read back by a parser of its own."""

from __future__ import annotations

import json
import plistlib
import re

import pytest

from preflight.config.allowlist import parse_allowlist
from preflight.policy.build import BROWSERS, build_export
from preflight.policy.formats import ExportFormat, render

from ..policy_fixtures import policy_allowlist

EXPECTED = {
    "PasswordProtectionLoginURLs": ["https://provider.preflight-policy.test/app/login",
                                    "https://login.preflight-idp.test/signin",
                                    "https://member.preflight-policy.test/"],
    "PasswordProtectionWarningTrigger": 1,
    "PasswordProtectionChangePasswordURL": "https://login.preflight-idp.test/password/change",
    "CookiesAllowedForUrls": ["https://provider.preflight-policy.test", "https://www.provider.preflight-policy.test",
                              "https://login.preflight-idp.test", "https://member.preflight-policy.test",
                              "[*.]member-cdn.preflight-policy.test"],
    "PopupsAllowedForUrls": ["https://provider.preflight-policy.test", "https://www.provider.preflight-policy.test",
                             "https://login.preflight-idp.test"],
}


def test_the_mapping_from_allowlist_to_policies():
    export = build_export(policy_allowlist(), "chrome")
    assert export.as_dict() == EXPECTED
    # resource hosts (CDNs) get nothing; every policy says what it does
    assert "static.preflight-policy.test" not in json.dumps(export.as_dict())
    assert all(len(p.purpose) > 30 for p in export.policies)
    assert export.notes == ()


def test_without_login_urls_the_roots_are_listed_and_the_limit_is_said():
    export = build_export(parse_allowlist('[[portal]]\npayer="P"\nname="N"\nrole="member"\nhosts=["m.example.com"]\n'))
    assert export.as_dict()["PasswordProtectionLoginURLs"] == ["https://m.example.com/"]
    assert "PasswordProtectionChangePasswordURL" not in export.as_dict()
    assert "PopupsAllowedForUrls" not in export.as_dict()  # no identity host: nothing opens a sign-in window
    assert any("exact path" in note for note in export.notes)


def test_only_one_change_password_url_is_kept_and_the_others_are_named():
    text = "".join(f'[[portal]]\npayer="P"\nname="N{i}"\nrole="provider"\nhosts=["p{i}.example.com"]\n'
                   f'change_password_url="https://p{i}.example.com/pw"\n' for i in (1, 2))
    export = build_export(parse_allowlist(text))
    assert export.as_dict()["PasswordProtectionChangePasswordURL"] == "https://p1.example.com/pw"
    assert any("https://p2.example.com/pw" in note for note in export.notes)


@pytest.mark.parametrize("browser", sorted(BROWSERS))
def test_json_is_the_policy_object(browser):
    assert json.loads(render(build_export(policy_allowlist(), browser), ExportFormat.JSON)) == EXPECTED


def parse_reg(text: str) -> dict[str, dict[str, object]]:
    """A small reader of regedit's format: [key] sections, "name"=dword:hex or "name"="string"."""
    assert text.startswith("Windows Registry Editor Version 5.00\r\n")
    assert "\n" not in text.replace("\r\n", "")  # CRLF throughout
    keys: dict[str, dict[str, object]] = {}
    current: dict[str, object] | None = None
    for line in text.split("\r\n")[1:]:
        if not line or line.startswith(";"):
            continue
        if line.startswith("["):
            assert line.endswith("]"), line
            current = keys.setdefault(line[1:-1], {})
            continue
        match = re.fullmatch(r'"((?:[^"\\]|\\.)*)"=(dword:([0-9a-f]{8})|"((?:[^"\\]|\\.)*)")', line)
        assert match and current is not None, line
        name = match.group(1)
        if match.group(3) is not None:
            current[name] = int(match.group(3), 16)
        else:
            current[name] = re.sub(r"\\(.)", r"\1", match.group(4))
    return keys


@pytest.mark.parametrize("browser, root", [
    ("chrome", r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Google\Chrome"),
    ("edge", r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Edge"),
    ("chromium", r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Chromium"),
])
def test_reg_puts_scalars_on_the_key_and_lists_in_numbered_subkeys(browser, root):
    keys = parse_reg(render(build_export(policy_allowlist(), browser), ExportFormat.REG))
    assert keys[root] == {"PasswordProtectionWarningTrigger": 1,
                          "PasswordProtectionChangePasswordURL": EXPECTED["PasswordProtectionChangePasswordURL"]}
    for name, values in EXPECTED.items():
        if isinstance(values, list):
            assert keys[f"{root}\\{name}"] == {str(n): v for n, v in enumerate(values, start=1)}
    assert len(keys) == 1 + sum(isinstance(v, list) for v in EXPECTED.values())


def test_reg_escapes_quotes_and_backslashes():
    from preflight.policy.formats import _reg_string

    assert parse_reg('Windows Registry Editor Version 5.00\r\n[K]\r\n"a"=' + _reg_string('x"\\y') + "\r\n") \
        == {"K": {"a": 'x"\\y'}}


@pytest.mark.parametrize("browser, domain", [("chrome", "com.google.Chrome"), ("edge", "com.microsoft.Edge"),
                                             ("chromium", "org.chromium.Chromium")])
def test_mobileconfig_is_a_configuration_profile_with_one_browser_payload(browser, domain):
    profile = plistlib.loads(render(build_export(policy_allowlist(), browser), ExportFormat.MOBILECONFIG).encode())
    assert profile["PayloadType"] == "Configuration" and profile["PayloadVersion"] == 1
    assert profile["PayloadScope"] == "System"
    [payload] = profile["PayloadContent"]
    assert payload["PayloadType"] == domain and payload["PayloadEnabled"] is True
    policies = {k: v for k, v in payload.items() if not k.startswith("Payload")}
    assert policies == EXPECTED
    assert re.fullmatch(r"[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}", payload["PayloadUUID"])
    assert payload["PayloadUUID"] != profile["PayloadUUID"]
    # stable identifiers: a re-export replaces the installed profile instead of adding a second one
    again = plistlib.loads(render(build_export(policy_allowlist(), browser), ExportFormat.MOBILECONFIG).encode())
    assert again["PayloadUUID"] == profile["PayloadUUID"] and again["PayloadIdentifier"] == profile["PayloadIdentifier"]


def test_admx_list_names_every_policy_with_its_values():
    text = render(build_export(policy_allowlist(), "edge"), ExportFormat.ADMX_LIST)
    assert r"HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Microsoft\Edge" in text
    for name, values in EXPECTED.items():
        assert re.search(rf"^{name}  \(", text, re.M), name
        for value in values if isinstance(values, list) else [values]:
            assert re.search(rf"^\s+(enabled, value: )?{re.escape(str(value))}( \(.*\))?$", text, re.M), value


def test_every_format_has_a_renderer():
    from preflight.cli.policy import FORMAT_CHOICES
    from preflight.policy.formats import RENDERERS

    assert set(RENDERERS) == set(ExportFormat)
    assert sorted(FORMAT_CHOICES) == sorted(f.value for f in ExportFormat)
