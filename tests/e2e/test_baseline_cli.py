"""``preflight baseline save|update`` and ``check --baseline`` end to end: real processes, a real
Chromium, the baseline scenarios' mock portal (a temporary copy, edited between runs)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from preflight.mock.server import MockPortal

pytestmark = pytest.mark.e2e

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "baseline"
ALLOWLIST = FIXTURES / "allowlist.toml"
LOGIN = "https://provider.brightcarehealth.com/login/"
SCHEMAS = resources.files("preflight").joinpath("schema")
RUN_SCHEMA = json.loads(SCHEMAS.joinpath("run.schema.json").read_text())
BASELINE_SCHEMA = json.loads(SCHEMAS.joinpath("baseline.schema.json").read_text())


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("baseline-cli") / "site"
    shutil.copytree(FIXTURES, root)
    return root


@pytest.fixture(scope="module")
def portal(site: Path):
    with MockPortal(roots=[site]) as mock:
        yield mock


def preflight(portal: MockPortal, *args: str) -> subprocess.CompletedProcess[str]:
    network = ["--trust-cert", str(portal.cert_path), "--timeout", "20", "--allowlist", str(ALLOWLIST)]
    for mapping in portal.connect_to_args():
        network += ["--connect-to", mapping]
    return subprocess.run([sys.executable, "-m", "preflight", *args, *network],
                          capture_output=True, text=True, timeout=180)


def codes(report: dict, index: int = 0) -> list[str]:
    return sorted(f["code"] for f in report["results"][index]["findings"] if f["code"].startswith("baseline."))


def test_save_at_go_live_compare_on_schedule_update_after_review(portal: MockPortal, site: Path, tmp_path: Path):
    saved = tmp_path / "baseline.json"
    # Go-live: the login as typed with a token in its query, and a login whose box comes pre-filled.
    result = preflight(portal, "baseline", "save", f"{LOGIN}?token=SENTINEL-QUERY-31c8&ref=mail",
                       "https://provider.brightcarehealth.com/prefilled/", "--to", str(saved))
    assert result.returncode == 0, result.stderr
    assert "saved https://provider.brightcarehealth.com/login/: password login (3 fields)" in result.stdout
    text = saved.read_text(encoding="utf-8")
    document = json.loads(text)
    jsonschema.validate(document, BASELINE_SCHEMA)
    assert [t["target"] for t in document["targets"]] == [LOGIN, "https://provider.brightcarehealth.com/prefilled/"]
    # Nothing secret: not the query's token, not the pre-filled value, not the session cookie.
    assert "SENTINEL" not in text and "?" not in text

    # On schedule: an unchanged page passes.
    clean = preflight(portal, "check", LOGIN, "--baseline", str(saved), "--json", "--no-clock")
    assert clean.returncode == 0, clean.stderr
    report = json.loads(clean.stdout)
    jsonschema.validate(report, RUN_SCHEMA)
    assert codes(report) == ["baseline.unchanged"]
    assert report["results"][0]["baseline"]["status"] == "compared"

    # The payer moves the form's target (same host, a new path): the next scheduled run fails, in
    # JSON and JUnit alike, though the allowlist has nothing against it.
    page = site / "provider.brightcarehealth.com" / "login" / "index.html"
    page.write_text(page.read_text().replace('action="/session"', 'action="/auth/v2/session"'))
    junit = tmp_path / "junit.xml"
    drifted = preflight(portal, "check", LOGIN, "--baseline", str(saved), "--json", "--no-clock",
                        "--junit-file", str(junit))
    assert drifted.returncode == 1, drifted.stderr
    report = json.loads(drifted.stdout)
    assert codes(report) == ["baseline.form_action_changed"]
    assert [f["code"] for f in report["results"][0]["findings"] if f["severity"] == "fail"] == [
        "baseline.form_action_changed"]
    assert report["results"][0]["baseline"]["counts"] == {"form_action_changed": 1}
    assert "baseline.form_action_changed" in junit.read_text()

    # After review (say it was planned): accept it; the old file is kept as history.
    original = text
    accepted = preflight(portal, "baseline", "update", "--baseline", str(saved))
    assert accepted.returncode == 0, accepted.stderr
    assert f"accepted {LOGIN}: baseline.form_action_changed" in accepted.stdout
    (history,) = (tmp_path / "baseline.json.history").iterdir()
    assert history.read_text(encoding="utf-8") == original
    updated = json.loads(saved.read_text(encoding="utf-8"))
    assert updated["previous"] == str(history) and len(updated["targets"]) == 2
    again = preflight(portal, "check", LOGIN, "--baseline", str(saved), "--json", "--no-clock")
    assert again.returncode == 0 and codes(json.loads(again.stdout)) == ["baseline.unchanged"]

    # A target the baseline does not know is reported, not fatal.
    other = preflight(portal, "check", "https://provider.brightcarehealth.com/framed/", "--baseline", str(saved),
                      "--json", "--no-clock")
    assert other.returncode == 0, other.stderr
    assert codes(json.loads(other.stdout)) == ["baseline.not_baselined"]


def test_save_refuses_to_overwrite_and_check_refuses_a_broken_baseline(portal: MockPortal, tmp_path: Path):
    existing = tmp_path / "baseline.json"
    existing.write_text("{}")
    refused = preflight(portal, "baseline", "save", LOGIN, "--to", str(existing))
    assert refused.returncode == 2 and "baseline update" in refused.stderr
    broken = preflight(portal, "check", LOGIN, "--baseline", str(existing))
    assert broken.returncode == 2
    assert "preflight: error: baseline" in broken.stderr and "preflight/baseline@1" in broken.stderr
