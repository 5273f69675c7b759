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
