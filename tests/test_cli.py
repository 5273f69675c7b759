"""Bad input: one line, ``preflight: error: …``, exit 2, never a traceback. No browser needed."""

from __future__ import annotations

import subprocess
import sys

import pytest

from preflight.cli.params import validate_target
from preflight.errors import UsageError


def preflight(*args: str, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "preflight", *args], capture_output=True, text=True,
                          timeout=60, env=env)


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int = 2) -> str:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("preflight: error: ")
    assert " — " in lines[0], "the error should say what to do"
    assert result.stdout == ""
    return lines[0]


@pytest.mark.parametrize("args, needle", [
    (["check"], "no URL given"),
    (["check", "file:///etc/passwd"], "unsupported scheme 'file:'"),
    (["check", "javascript:alert(1)"], "unsupported scheme"),
    (["check", "data:text/html,hi"], "unsupported scheme"),
    (["check", "ftp://cigna.com/"], "unsupported scheme"),
    (["check", "https://exa mple.com/"], "not a valid URL"),
    (["check", "https://"], "not a valid URL"),
    (["check", "https://[::1"], "not a valid URL"),
    (["check", "--nope", "https://x.com"], "No such option"),
    (["check", "--timeout", "0", "https://x.com"], "--timeout"),
    (["check", "--jobs", "many", "https://x.com"], "--jobs"),
    (["check", "--resolve", "nonsense", "https://x.com"], "--resolve"),
    (["check", "--connect-to", "a:b", "https://x.com"], "--connect-to"),
    (["check", "--trust-cert", "/nonexistent.pem", "https://x.com"], "--trust-cert"),
    (["check", "--json", "--json-file", "-", "https://x.com"], "all write to stdout"),
    (["check", "--junit-file", "-", "--json", "https://x.com"], "all write to stdout"),
    (["check", "--junit-file", "/nonexistent-dir/j.xml", "https://x.com"], "does not exist"),
    (["check", "--json-file", "/nonexistent-dir/out.json", "https://x.com"], "does not exist"),
    (["check", "--allowlist", "/nonexistent.toml", "https://x.com"], "cannot read allowlist"),
    (["nonsense"], "No such command"),
    (["check", "--config", "/nonexistent.toml", "https://x.com"], "cannot read settings"),
    (["allowlist", "validate", "--allowlist", "/nonexistent.toml"], "cannot read"),
])
def test_bad_input_is_one_line_and_exit_2(args, needle):
    line = assert_one_line_error(preflight(*args))
    assert needle in line


def test_credentials_in_a_url_are_refused_and_redacted():
    line = assert_one_line_error(preflight("check", "https://alice:hunter2secret@cignaforhcp.cigna.com/"))
    assert "hunter2secret" not in line and "alice" not in line
    assert "credentials" in line


def test_trust_cert_that_is_not_a_certificate(tmp_path):
    bogus = tmp_path / "cert.pem"
    bogus.write_text("not a certificate")
    assert "not a PEM or DER certificate" in assert_one_line_error(preflight("check", "--trust-cert", str(bogus), "https://x.com"))


def test_too_many_urls():
    line = assert_one_line_error(preflight("check", *[f"https://h{i}.example.com/" for i in range(1001)]))
    assert "at most 1000" in line


def test_broken_allowlist_names_file_and_line(tmp_path):
    broken = tmp_path / "allowlist.toml"
    broken.write_text('[[portal]]\npayer = "P"\nname = "N"\nrole = "dentist"\nhosts = ["a.example.com"]\n')
    line = assert_one_line_error(preflight("check", "--allowlist", str(broken), "https://a.example.com/"))
    assert f"{broken}:4" in line and "unknown role" in line


def test_no_browser_is_exit_3(tmp_path):
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path), "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path)}
    line = assert_one_line_error(preflight("check", "https://cignaforhcp.cigna.com/", env=env), code=3)
    assert "no Chromium found" in line


def test_version_and_help():
    assert preflight("--version").stdout.startswith("preflight, version")
    result = preflight("check", "--help")
    assert result.returncode == 0 and "--connect-to" in result.stdout


def test_schemeless_targets_mean_https():
    assert validate_target("cignaforhcp.cigna.com/login") == "https://cignaforhcp.cigna.com/login"
    with pytest.raises(UsageError):
        validate_target("   ")


def test_vet_exit_codes_and_json(tmp_path):
    official = preflight("vet", "https://cignaforhcp.cigna.com/login")
    assert official.returncode == 0 and "OFFICIAL" in official.stdout
    urls = tmp_path / "urls.txt"
    urls.write_text("# from an email\nhttps://cignaforhcp.cigna.com.example.net/login\n\nmy.cigna.com\n")
    result = preflight("vet", f"@{urls}", "--json")
    assert result.returncode == 1
    document = __import__("json").loads(result.stdout)
    assert document["schema"] == "preflight/vet@1"
    assert [r["verdict"] for r in document["results"]] == ["lookalike", "official"]
    assert document["results"][0]["lookalike_of"] == "cignaforhcp.cigna.com"


def test_vet_usage_errors():
    assert "no URL given" in assert_one_line_error(preflight("vet"))
    assert "cannot read" in assert_one_line_error(preflight("vet", "@/nonexistent/urls.txt"))


def test_schemeless_targets_are_read_as_the_address_bar_reads_them():
    assert validate_target("cigna.com:443/login") == "https://cigna.com/login"
    assert validate_target("//my.cigna.com/") == "https://my.cigna.com/"
    with pytest.raises(UsageError, match="credentials"):
        validate_target("user:pw@cigna.com/login")
    with pytest.raises(UsageError, match="unsupported scheme"):
        validate_target("javascript:alert(1)")
