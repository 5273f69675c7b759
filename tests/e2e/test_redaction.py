"""Secrets stay out of every artifact of a run: console, JSON, JUnit, HTML, files, screenshot names."""

from __future__ import annotations

import subprocess
import sys

import pytest

from preflight.mock.server import MockPortal

pytestmark = pytest.mark.e2e
HOST = "cignaforhcp.cigna.com"
# Values the mock portal sets as cookies on /cookies/bad and /cookies/good, and tokens in the URL.
SECRETS = ["0123456789abcdef0123456789abcdef", "sentinel-user", "6f1c2a9e0b7d4e35a1c8f0d2b3e4a5c6",
           "4b8d1e7f2a9c", "TOKENVALUE-93f1", "AUTHCODE-77ab", "SESSIONVAL-5c2e"]


def test_no_secret_appears_in_any_output(tmp_path):
    json_file = tmp_path / "report.json"
    shots = tmp_path / "shots"
    with MockPortal() as portal:
        urls = [portal.url(HOST, "/cookies/bad?token=TOKENVALUE-93f1&code=AUTHCODE-77ab&lang=en"),
                portal.url(HOST, "/cookies/good#session=SESSIONVAL-5c2e")]
        args = [sys.executable, "-m", "preflight", "check", *urls, "--no-clock", "--trust-cert", str(portal.cert_path)]
        for mapping in portal.connect_to_args([HOST]):
            args += ["--connect-to", mapping]
        console = subprocess.run(args + ["--json-file", str(json_file), "-v", "--screenshot", str(shots),
                                         "--junit-file", str(tmp_path / "junit.xml"),
                                         "--html", str(tmp_path / "report.html")],
                                 capture_output=True, text=True, timeout=120)
        json_run = subprocess.run(args + ["--json"], capture_output=True, text=True, timeout=120)
        typo = subprocess.run([sys.executable, "-m", "preflight", "chek", urls[0]], capture_output=True, text=True)
        baseline = tmp_path / "baseline.json"
        network = args[args.index("--trust-cert"):]
        save = [sys.executable, "-m", "preflight", "baseline", "save", *urls, "--to", str(baseline), *network]
        saved = subprocess.run(save, capture_output=True, text=True, timeout=120)
        assert saved.returncode == 0, saved.stderr
        # The cookies really were set (otherwise this test would prove nothing).
        assert any("Set-Cookie" in str(r) or r["path"].startswith("/cookies/") for r in portal.requests)
    artifacts = {
        "console stdout": console.stdout, "console stderr": console.stderr,
        "json stdout": json_run.stdout, "json stderr": json_run.stderr,
        "json file": json_file.read_text(), "usage error": typo.stderr,
        "junit file": (tmp_path / "junit.xml").read_text(),
        "html file": (tmp_path / "report.html").read_text(),
        "screenshot names": " ".join(p.name for p in shots.iterdir()),
        "baseline file": baseline.read_text(), "baseline save output": saved.stdout + saved.stderr,
    }
    assert "lang=en" in artifacts["json file"]  # harmless query values stay readable
    assert '"cookies"' in artifacts["json file"]
    assert "data:image/png;base64," in artifacts["html file"] and "lang=en" in artifacts["html file"]
    for name, text in artifacts.items():
        for secret in SECRETS:
            assert secret not in text, f"{secret} leaked into {name}"
