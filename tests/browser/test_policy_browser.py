"""Chromium's own policy loader, for real: an exported policy file installed in
/etc/chromium/policies/managed/ shows in chrome://policy with its value and status OK, and
`preflight policy show` flags a real file that blocks a portal host's cookies.

Needs root on Linux and Debian's /usr/bin/chromium (the folder is machine-wide and root-owned).
The files use test-only host names (tests/policy_fixtures.py) and are removed in ``finally``.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from preflight.capture.policy import read_policies_async
from preflight.policy.build import BROWSERS, build_export
from preflight.policy.formats import ExportFormat, render

from ..policy_fixtures import POLICY_ALLOWLIST, policy_allowlist

CHROMIUM = "/usr/bin/chromium"
POLICY_DIR = Path(BROWSERS["chromium"].linux_dir)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (sys.platform.startswith("linux") and os.geteuid() == 0 and os.access(CHROMIUM, os.X_OK)),
                       reason="installs a machine-wide policy file: needs root on Linux with /usr/bin/chromium"),
]


@contextmanager
def installed_policy(policies: dict[str, Any] | str) -> Iterator[Path]:
    POLICY_DIR.mkdir(parents=True, exist_ok=True)
    names = set(json.loads(policies) if isinstance(policies, str) else policies)
    # Another file setting the same policy would make Chromium pick one ("Warning, Conflict"):
    # name it rather than fail on a value that is not ours.
    others = {str(f): sorted(names & set(json.loads(f.read_text(encoding="utf-8"))))
              for f in POLICY_DIR.glob("*.json")}
    assert not any(others.values()), f"other policy files set the same policies: {others}"
    path = POLICY_DIR / f"preflight-test-{secrets.token_hex(6)}.json"
    try:
        path.write_text(policies if isinstance(policies, str) else json.dumps(policies), encoding="utf-8")
        path.chmod(0o644)
        yield path
    finally:
        path.unlink(missing_ok=True)
    assert not path.exists()


async def test_exported_json_is_applied_by_chromium_with_every_value(tmp_path: Path) -> None:
    export = build_export(policy_allowlist(), "chromium")
    screenshot = tmp_path / "chrome-policy.png"
    with installed_policy(render(export, ExportFormat.JSON)):
        browser, entries = await read_policies_async(CHROMIUM, timeout_s=30, screenshot=str(screenshot))
    shown = {e.name: e for e in entries if e.table == "chrome"}
    assert browser.startswith(CHROMIUM)
    assert set(export.as_dict()) <= set(shown), sorted(shown)
    for name, value in export.as_dict().items():
        entry = shown[name]
        assert entry.status == "OK" and entry.applied, (name, entry.status, entry.errors)
        assert entry.value == value, name
        assert (entry.source, entry.scope, entry.level) == ("Platform", "Machine", "Mandatory")
    assert screenshot.stat().st_size > 10_000


async def test_a_policy_chromium_rejects_is_read_with_its_error() -> None:
    # Harmless values only: the folder is machine-wide. (Measured: an out-of-range integer such as
    # DefaultCookiesSetting 99 still shows "OK"; a wrong type and an unknown name show "Error".)
    with installed_policy({"PasswordProtectionWarningTrigger": "often", "PreflightNoSuchPolicy": 1}):
        _browser, entries = await read_policies_async(CHROMIUM, timeout_s=30)
    shown = {e.name: e for e in entries if e.table == "chrome"}
    for name in ("PasswordProtectionWarningTrigger", "PreflightNoSuchPolicy"):
        assert shown[name].status == "Error" and not shown[name].applied and shown[name].errors, shown[name]


def test_policy_show_flags_a_real_file_blocking_a_portal_hosts_cookies(tmp_path: Path, capsys: Any) -> None:
    from preflight.cli import main

    allowlist = tmp_path / "allowlist.toml"
    allowlist.write_text(POLICY_ALLOWLIST, encoding="utf-8")
    with installed_policy({"CookiesBlockedForUrls": ["[*.]provider.preflight-policy.test"]}):
        status = main(["policy", "show", "--browser-path", CHROMIUM, "--allowlist", str(allowlist), "--json"])
    document = json.loads(capsys.readouterr().out)
    assert status == 1, document
    assert document["schema"] == "preflight/policy@1" and document["verdict"] == "fail"
    [row] = [p for p in document["policies"] if p["name"] == "CookiesBlockedForUrls"]
    assert row["status"] == "OK" and row["value"] == ["[*.]provider.preflight-policy.test"]
    blocked = [f for f in document["findings"] if f["code"] == "policy.portal_cookies_blocked"]
    assert {f["evidence"]["host"] for f in blocked} == {"provider.preflight-policy.test",
                                                        "www.provider.preflight-policy.test"}
    assert all(f["severity"] == "fail" for f in blocked)


HOST = "provider.preflight-policy.test"


async def guarded_visit(preferences: dict[str, Any] | None) -> Any:
    from preflight.config.network import parse_connect_to
    from preflight.mock.server import MockPortal
    from preflight.runner import NullObserver, RunSettings, run_async

    with MockPortal(hosts=[HOST]) as portal:
        settings = RunSettings(allowlist=policy_allowlist(), jobs=1, timeout_s=20, clock=False, retries=0,
                               browser_path=CHROMIUM, third_party_probe=False,
                               mappings=tuple(parse_connect_to(c) for c in portal.connect_to_args([HOST])),
                               trust_certs=(str(portal.cert_path),), profile_preferences=preferences)
        report = await run_async([portal.url(HOST)], settings, NullObserver())
    [result] = report.results
    return {f.code for f in result.findings if f.check == "cookies"}


async def test_browser_policies_apply_cookie_policies_to_the_visit_as_chromium_preferences() -> None:
    # No policy file here: the preferences alone must make Chromium refuse the portal's cookies.
    from preflight.model.policy import PolicyEntry
    from preflight.policy.prefs import cookie_preferences

    blocked = cookie_preferences((PolicyEntry("CookiesBlockedForUrls", json.dumps([f"[*.]{HOST}"]), status="OK"),))
    assert blocked.applied == (f"CookiesBlockedForUrls={[f'[*.]{HOST}']}",)
    assert await guarded_visit(blocked.preferences) >= {"cookies.disabled"}
    assert await guarded_visit(cookie_preferences(()).preferences) == {"cookies.ok"}


def test_check_with_browser_policies_reports_the_login_broken_under_a_real_policy_file(tmp_path: Path) -> None:
    import subprocess

    from preflight.mock.server import MockPortal

    allowlist = tmp_path / "allowlist.toml"
    allowlist.write_text(POLICY_ALLOWLIST, encoding="utf-8")
    with MockPortal(hosts=[HOST]) as portal, installed_policy({"CookiesBlockedForUrls": [f"[*.]{HOST}"]}):
        args = [sys.executable, "-m", "preflight", "check", portal.url(HOST), "--json", "--no-clock",
                "--browser-path", CHROMIUM, "--browser-policies", "--allowlist", str(allowlist),
                "--trust-cert", str(portal.cert_path)]
        args += [a for c in portal.connect_to_args([HOST]) for a in ("--connect-to", c)]
        result = subprocess.run(args, capture_output=True, text=True, timeout=120)
    assert f"CookiesBlockedForUrls=['[*.]{HOST}']" in result.stderr, result.stderr
    [target] = json.loads(result.stdout)["results"]
    assert result.returncode == 1
    assert "cookies.disabled" in {f["code"] for f in target["findings"]}
