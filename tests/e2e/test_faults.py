"""Faults: each a clear finding and a bounded run, with no Chromium left behind."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from preflight.mock.certs import expired_cert, generate_cert, untrusted_cert
from preflight.mock.server import MockPortal

# serial: the bounded-run assertions are wall-clock bounds (--timeout + 5 s, + 15 s).
pytestmark = [pytest.mark.e2e, pytest.mark.serial]
FAULTS = Path(__file__).resolve().parent.parent.parent / "fixtures" / "faults"
HOST = "cignaforhcp.cigna.com"
SCHEMA = json.loads(resources.files("preflight").joinpath("schema/run.schema.json").read_text())
TIMEOUT = 10.0


def check(portal: MockPortal, paths: list[str], run_dir: Path, *extra: str, host: str = HOST,
          trust: Path | None = None):
    urls = [portal.url(host, p) for p in paths]
    args = [sys.executable, "-m", "preflight", "check", *urls, "--json", "--no-clock", "--timeout", str(TIMEOUT),
            "--trust-cert", str(trust or portal.cert_path), *extra]
    for mapping in portal.connect_to_args():
        args += ["--connect-to", mapping]
    started = time.monotonic()
    result = subprocess.run(args, capture_output=True, text=True, timeout=120,
                            env=dict(os.environ, TMPDIR=str(run_dir)))
    elapsed = time.monotonic() - started
    leftover = subprocess.run(["pgrep", "-f", f"user-data-dir={run_dir}"], capture_output=True, text=True).stdout
    assert leftover.strip() == "", "a Chromium outlived the run"
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout), result.returncode, elapsed


@pytest.fixture(scope="module")
def portal():
    with MockPortal(roots=[FAULTS]) as mock:
        yield mock


@pytest.fixture
def run_dir():
    """The run's own TMPDIR, short: Chromium's socket paths there must stay under 108 bytes, and a
    pytest-xdist worker's tmp_path is longer (by its popen-gwN) than Chromium then starts with."""
    with tempfile.TemporaryDirectory(prefix="pff-") as temp_dir:
        yield Path(temp_dir)


def codes(result) -> set[str]:
    return {f["code"] for f in result["findings"]}


def test_batch_of_faults_carries_on_and_each_is_named(portal, run_dir):
    paths = ["/error-500", "/error-404", "/loop", "/drop", "/reset", "/", "/big20", "/dialogs.html", "/download"]
    report, code, elapsed = check(portal, paths, run_dir, "--jobs", "4", "--retries", "1")
    jsonschema.validate(report, SCHEMA)
    by_path = {r["target"].split(HOST, 1)[1]: r for r in report["results"]}
    assert list(by_path) == paths  # input order kept, every target has a result
    assert "transport.http_error" in codes(by_path["/error-500"])
    assert "transport.http_error" in codes(by_path["/error-404"])
    assert "target.redirect_loop" in codes(by_path["/loop"])
    assert by_path["/drop"]["verdict"] == "error" and by_path["/drop"]["attempts"] == 2  # retried once
    assert by_path["/reset"]["verdict"] == "error"
    assert by_path["/"]["verdict"] == "pass"
    assert by_path["/big20"]["verdict"] in ("warn", "error")  # 20 MB: bounded, partial or timed out
    assert "submission.dialogs" in codes(by_path["/dialogs.html"])
    assert by_path["/download"]["verdict"] in ("error", "fail")
    assert code == 1


@pytest.mark.parametrize("path", ["/hang", "/endless-loop.html"])
def test_pages_that_never_finish_are_bounded(portal, run_dir, path):
    report, _code, elapsed = check(portal, [path], run_dir, "--retries", "0")
    # The run itself (browser start to stop) stays within --timeout + 5 s; the wall-clock bound
    # adds the interpreter's start and room for a loaded CI machine.
    assert report["elapsed_s"] <= TIMEOUT + 5
    assert elapsed < TIMEOUT + 15
    assert report["results"][0]["verdict"] in ("pass", "warn", "fail", "error")


def test_unresolvable_and_refused_hosts_are_errors_exit_3(portal, tmp_path):
    args = [sys.executable, "-m", "preflight", "check", "https://no-such-host.invalid/", "--json", "--no-clock",
            "--timeout", str(TIMEOUT), "--resolve", "refused.example.com:443:127.0.0.1",
            "https://refused.example.com:1/", "--retries", "0"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=60)
    report = json.loads(result.stdout)
    assert result.returncode == 3
    assert [r["error"]["code"] for r in report["results"]] == ["target.dns", "target.unreachable"]


def test_untrusted_certificate_ends_the_visit_with_a_tls_fail(tmp_path, run_dir):
    # Given a server whose certificate nobody trusts (we trust a different one)
    served = untrusted_cert(tmp_path / "served", [HOST])
    other = generate_cert(tmp_path / "other", [HOST])
    with MockPortal(cert=served) as portal:
        report, code, _ = check(portal, ["/"], run_dir, trust=other.cert_path)
    # Then the visit ends with a clear TLS fail naming the reason
    result = report["results"][0]
    assert result["error"]["code"] == "target.tls"
    assert "not issued by a trusted authority" in result["error"]["message"]
    assert result["verdict"] == "fail" and code == 1


def test_expired_certificate_with_a_trusted_key_is_a_fail(tmp_path, run_dir):
    trusted = generate_cert(tmp_path / "trusted", [HOST])
    expired = expired_cert(tmp_path / "expired", [HOST], key_from=trusted)
    with MockPortal(cert=expired) as portal:
        report, code, _ = check(portal, ["/"], run_dir, trust=trusted.cert_path)
    assert "transport.cert_expired" in codes(report["results"][0])
    assert code == 1


def test_browser_killed_mid_check_is_reported_and_the_batch_carries_on(portal, run_dir):
    urls = [portal.url(HOST, "/slow"), portal.url(HOST, "/")]
    args = [sys.executable, "-m", "preflight", "check", *urls, "--json", "--no-clock", "--jobs", "1",
            "--retries", "0", "--timeout", "15", "--trust-cert", str(portal.cert_path)]
    for mapping in portal.connect_to_args([HOST]):
        args += ["--connect-to", mapping]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env=dict(os.environ, TMPDIR=str(run_dir)))
    # When the first visit is under way (the server saw /slow), kill every Chromium of this run.
    assert portal.requests.wait_for(lambda r: r["path"] == "/slow", timeout=20)
    subprocess.run(["pkill", "-KILL", "-f", f"user-data-dir={run_dir}"])
    stdout, stderr = process.communicate(timeout=60)
    assert "Traceback" not in stderr
    first, second = json.loads(stdout)["results"]
    assert first["error"]["code"] == "browser.crashed"
    assert second["verdict"] == "pass"  # a new browser took over
    assert process.returncode == 3
    leftover = subprocess.run(["pgrep", "-f", f"user-data-dir={run_dir}"], capture_output=True, text=True).stdout
    assert leftover.strip() == ""
