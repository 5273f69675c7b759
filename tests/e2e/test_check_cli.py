"""``preflight check`` end to end: a real process, a real Chromium, the mock portal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from preflight.mock.server import MockPortal

pytestmark = pytest.mark.e2e
SCHEMA = json.loads(resources.files("preflight").joinpath("schema/run.schema.json").read_text())


@pytest.fixture(scope="module")
def portal():
    with MockPortal() as mock:
        yield mock


def browsers_started_under(tmpdir) -> set[int]:
    """Chromium processes whose profile lives in ``tmpdir`` (the run's own TMPDIR)."""
    out = subprocess.run(["pgrep", "-f", f"user-data-dir={tmpdir}"], capture_output=True, text=True).stdout
    return {int(p) for p in out.split()}


def run_check(portal: MockPortal, urls: Sequence[str], *extra: str, tmpdir=None) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "preflight", "check", *urls, "--trust-cert", str(portal.cert_path), "--timeout", "20"]
    for mapping in portal.connect_to_args():
        args += ["--connect-to", mapping]
    env = dict(os.environ, TMPDIR=str(tmpdir)) if tmpdir else None
    return subprocess.run(args + list(extra), capture_output=True, text=True, timeout=120, env=env)


def test_official_provider_portal_passes_with_schema_valid_json(portal):
    # A short TMPDIR of its own: Chromium's socket paths there must stay under 108 bytes (a
    # pytest-xdist worker's tmp_path is longer, by its popen-gwN, than Chromium starts with).
    with tempfile.TemporaryDirectory(prefix="pfk-") as temp_dir:
        run_dir = Path(temp_dir)
        result = run_check(portal, [portal.url("cignaforhcp.cigna.com"), portal.url("cignaforhcp.com")], "--json",
                           tmpdir=run_dir)
        # No Chromium outlives the run, and its temporary profile is gone.
        still_running = browsers_started_under(run_dir)
        left_behind = [p.name for p in run_dir.iterdir() if p.name.startswith("playwright")]
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    first, second = report["results"]
    assert first["verdict"] == "pass" and first["http_status"] == 200
    assert second["redirects"] == ["https://cignaforhcp.com/", "https://cignaforhcp.cigna.com/"]
    assert any(f["code"] == "domain.official" for f in first["findings"])
    assert still_running == set()
    assert left_behind == []


def test_off_list_host_fails_with_exit_1(portal, tmp_path):
    out = tmp_path / "report.json"
    result = run_check(portal, [portal.url("cignaforhcp-cigna.com")], "--json-file", str(out))
    assert result.returncode == 1, result.stderr
    assert "domain.lookalike" in result.stdout  # console report on stdout
    report = json.loads(out.read_text())
    jsonschema.validate(report, SCHEMA)
    assert report["verdict"] == "fail"


def test_redirect_to_a_lookalike_fails(portal):
    result = run_check(portal, [portal.url("cignaforhcp.cigna.com", "/redirect-out")], "--json")
    assert result.returncode == 1
    finding = next(f for f in json.loads(result.stdout)["results"][0]["findings"] if f["code"] == "domain.lookalike")
    assert finding["evidence"]["host"] == "cignaforhcp-cigna.com"
    assert finding["evidence"]["where"] == "final page"


def test_unreachable_target_is_exit_3_and_results_keep_input_order(portal):
    urls = ["https://unmapped.invalid/", portal.url("my.cigna.com")]
    result = run_check(portal, urls, "--json", "--retries", "0")
    assert result.returncode == 1 or result.returncode == 3
    report = json.loads(result.stdout)
    assert [r["target"] for r in report["results"]] == urls
    assert report["results"][0]["verdict"] == "error"
    assert report["results"][1]["verdict"] == "pass"


def test_demo_runs_and_exits_0():
    result = subprocess.run([sys.executable, "-m", "preflight", "demo"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "cignaforhcp.cigna.com" in result.stdout and "my.cigna.com" in result.stdout
    assert "received 0 submission(s)" in result.stderr


def test_preflight_toml_thresholds_reach_the_checks(portal, tmp_path):
    # Given a preflight.toml that wants a warning 400 days before a certificate expires
    config = tmp_path / "preflight.toml"
    config.write_text("[transport]\ncert_warn_days = 400\n")
    result = run_check(portal, [portal.url("cignaforhcp.cigna.com")], "--json", "--no-clock", "--config", str(config))
    codes = {f["code"] for f in json.loads(result.stdout)["results"][0]["findings"]}
    # Then the mock's 30-day certificate is reported as expiring
    assert "transport.cert_expiring" in codes
    assert result.returncode == 0
