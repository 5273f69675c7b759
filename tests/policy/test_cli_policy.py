"""`preflight policy export` in process: formats, files, errors (no browser)."""

from __future__ import annotations

import json
import plistlib

import pytest

from preflight.cli import main

from ..policy_fixtures import POLICY_ALLOWLIST


@pytest.fixture
def allowlist_file(tmp_path):
    path = tmp_path / "allowlist.toml"
    path.write_text(POLICY_ALLOWLIST, encoding="utf-8")
    return str(path)


def test_export_json_to_stdout_says_where_to_install_it(allowlist_file, capsys):
    assert main(["policy", "export", "--browser", "edge", "--allowlist", allowlist_file]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["PasswordProtectionWarningTrigger"] == 1
    assert "/etc/opt/edge/policies/managed/preflight-portals.json" in err


def test_export_each_format_to_a_file(allowlist_file, tmp_path, capsys):
    reg, profile, listing = (tmp_path / name for name in ("p.reg", "p.mobileconfig", "p.txt"))
    assert main(["policy", "export", "--format", "reg", "--allowlist", allowlist_file, "-o", str(reg)]) == 0
    assert main(["policy", "export", "--format", "mobileconfig", "--allowlist", allowlist_file, "-o", str(profile)]) == 0
    assert main(["policy", "export", "--format", "admx-list", "--allowlist", allowlist_file, "-o", str(listing)]) == 0
    assert capsys.readouterr().out == ""
    assert reg.read_bytes().startswith(b"Windows Registry Editor Version 5.00\r\n")
    assert plistlib.loads(profile.read_bytes())["PayloadContent"][0]["PayloadType"] == "com.google.Chrome"
    assert "PasswordProtectionLoginURLs" in listing.read_text()


@pytest.mark.parametrize("args, message", [
    (["--format", "csv"], "Invalid value for '--format'"),
    (["--browser", "firefox"], "Invalid value for '--browser'"),
    (["--allowlist", "/nonexistent/allow.toml"], "allow.toml"),
    (["-o", "/nonexistent/dir/p.json"], "does not exist"),
])
def test_export_refuses_bad_input_with_exit_2(args, message, capsys):
    assert main(["policy", "export", *args]) == 2
    assert message in capsys.readouterr().err


def test_browser_policies_refuse_a_starting_state(tmp_path, capsys):
    state = tmp_path / "state.json"
    state.write_text('{"cookies": [], "origins": []}', encoding="utf-8")
    assert main(["check", "https://provider.preflight-policy.test/", "--browser-policies",
                 "--storage-state", str(state)]) == 2
    assert "--browser-policies visits in a fresh profile" in capsys.readouterr().err
