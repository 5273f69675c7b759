"""Allowlists for the policy tests: test-only host names, so a policy file briefly installed on this
machine (it applies to every Chromium here) can change nothing a real portal or another test uses."""

from __future__ import annotations

from preflight.config.allowlist import Allowlist, parse_allowlist

POLICY_ALLOWLIST = '''
[[portal]]
payer = "Preflight Test Payer"
name = "Test provider portal"
role = "provider"
hosts = ["provider.preflight-policy.test", "www.provider.preflight-policy.test"]
identity_hosts = ["login.preflight-idp.test"]
login_urls = ["https://provider.preflight-policy.test/app/login", "https://login.preflight-idp.test/signin"]
change_password_url = "https://login.preflight-idp.test/password/change"

[[portal]]
payer = "Preflight Test Payer"
name = "Test member portal"
role = "member"
hosts = ["member.preflight-policy.test"]
host_patterns = ["*.member-cdn.preflight-policy.test"]

[[portal]]
payer = "Preflight Test Payer"
name = "Test static files"
role = "resource"
hosts = ["static.preflight-policy.test"]
'''


def policy_allowlist() -> Allowlist:
    return parse_allowlist(POLICY_ALLOWLIST, "policy-test.toml")
