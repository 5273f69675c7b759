"""A fleet run end to end: 20 [[target]]s of a preflight.toml against the mock portal.

JUnit that an XML parser reads with a suite per target, metrics that promtool accepts, evidence only
for the targets that did not pass, and no secret in any of it (the trace unzipped, every file read).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from preflight.mock.server import MockPortal

pytestmark = pytest.mark.e2e
SITE = Path(__file__).parent / "fleet_site"
OFFICIAL, MEMBER, COPY = "cignaforhcp.cigna.com", "my.cigna.com", "cignaforhcp-secure.com"
# Planted in the copied page (fields, cookies, a header, query values) and in the targets' URLs.
SENTINELS = ["FIELD-SENTINEL-4a2b", "TYPED-SENTINEL-5e6a", "AREA-SENTINEL-8d3f", "COOKIE-SENTINEL-1b9c",
             "SETCOOKIE-SENTINEL-7c1e", "TOKEN-SENTINEL-3f7d", "AUTH-SENTINEL-2c8e", "URLTOKEN-SENTINEL-9a0c"]
PROMTOOL = shutil.which("promtool")


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(folder: Path, portal: MockPortal, official: int = 17) -> Path:
    lines = ["[run]", "retries = 0", ""]

    def target(name: str, host: str, path: str = "/", connect: str | None = None, tags: str = '"mock"') -> None:
        (mapping,) = portal.connect_to_args([host]) if connect is None else (connect,)
        lines.extend(["[[target]]", f'name = "{name}"', f'url = "{portal.url(host, path)}"',
                      f'connect_to = ["{mapping}"]', f'trust_cert = "{portal.cert_path}"', f"tags = [{tags}]", ""])

    for n in range(official):
        target(f"provider-{n:02}", OFFICIAL, f"/?n={n}", tags='"mock", "provider"')
    target("member", MEMBER)
    target("copied-login", COPY, "/?token=URLTOKEN-SENTINEL-9a0c&lang=en")
    target("down", "cignaforhcp.com", connect=f"cignaforhcp.com:443:127.0.0.1:{closed_port()}", tags='"flaky"')
    path = folder / "preflight.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def preflight(*args: str, env: dict[str, str] | None = None, timeout: float = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "preflight", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def every_text(folder: Path) -> dict[str, str]:
    """Each file under ``folder`` as text; each member of a zip too (a trace is deflated)."""
    texts = {}
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    texts[f"{path}!{name}"] = z.read(name).decode("latin-1")
        else:
            texts[str(path)] = path.read_bytes().decode("latin-1")
    return texts


@pytest.fixture(scope="module")
def fleet(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fleet")
    with MockPortal(roots=[SITE]) as portal:
        config = write_config(folder, portal)
        ran = preflight("check", "--config", str(config), "--no-clock", "--jobs", "4", "--confirm", "1",
                        "--junit-file", str(folder / "junit.xml"), "--metrics", str(folder / "preflight.prom"),
                        "--json-file", str(folder / "report.json"), "--evidence", str(folder / "evidence"),
                        "--html", str(folder / "report.html"))
        requests = list(portal.requests)
    return folder, ran, requests


def test_the_run_checks_every_target_and_fails_on_the_copy(fleet):
    folder, ran, requests = fleet
    assert ran.returncode == 1, ran.stderr
    report = json.loads((folder / "report.json").read_text())
    verdicts = {r["name"]: r["verdict"] for r in report["results"]}
    assert len(verdicts) == 20
    assert verdicts["copied-login"] == "fail" and verdicts["down"] == "error"
    assert {verdicts[f"provider-{n:02}"] for n in range(17)} | {verdicts["member"]} <= {"pass", "warn"}
    down = next(r for r in report["results"] if r["name"] == "down")
    assert len(down["rechecks"]) == 1 and down["rechecks"][0]["error"]["code"] == "target.unreachable"
    # The copied page really sent its cookie and header (else the scan below would prove nothing),
    # and nothing but GET and HEAD reached the server.
    ping = [r for r in requests if r["path"].startswith("/api/ping")]
    assert ping and "AUTH-SENTINEL-2c8e" in ping[0]["headers"].get("authorization", "")
    assert {r["method"] for r in requests} <= {"GET", "HEAD"}
    # CI logs: plain timestamped progress lines on stderr (not a terminal), stdout the report.
    assert re.search(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ fail  copied-login \(", ran.stderr, re.M), ran.stderr
    assert "FAIL" in ran.stdout and "copied-login" in ran.stdout
    # Outage or account? first, in one line; per target in the JSON.
    assert ran.stdout.startswith("Outage or account? ")
    kinds = {r["name"]: r["diagnosis"]["kind"] for r in report["results"]}
    assert kinds["copied-login"] == "untrusted" and kinds["down"] == "outage" and kinds["member"] == "healthy"


def test_junit_has_a_suite_per_target_and_attaches_the_evidence(fleet):
    folder, _, _ = fleet
    root = ET.parse(folder / "junit.xml").getroot()
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert len(suites) == 20
    copied = {c.get("name"): c for c in suites["copied-login"].findall("testcase")}
    assert {"visit", "domain", "portal", "submission", "transport", "cookies"} <= set(copied)
    assert copied["domain"].find("failure").get("type") == "domain.lookalike"
    visit = suites["down"].find("testcase")
    assert visit.find("error").get("type") == "target.unreachable" and visit.find("rerunError") is not None
    attached = re.findall(r"\[\[ATTACHMENT\|([^\]]+)\]\]", (folder / "junit.xml").read_text())
    assert attached and all(Path(p).is_file() for p in attached)
    assert any(p.endswith("page.png") for p in attached) and any(p.endswith("trace.zip") for p in attached)
    assert all(s.find("testcase").find("error") is None for name, s in suites.items() if name.startswith("provider"))


def test_the_html_report_has_every_target_and_a_picture_of_each_page(fleet):
    folder, _, _ = fleet
    page = (folder / "report.html").read_text()
    assert page.count('<section class="target"') == 20
    assert page.count("data:image/png;base64,") >= 19  # the unreachable target has no page to picture
    assert 'data-kind="untrusted"' in page and 'data-kind="outage"' in page


def test_evidence_is_kept_only_for_targets_that_did_not_pass(fleet):
    folder, _, _ = fleet
    kept = sorted(p.name for p in (folder / "evidence").iterdir())
    assert kept == ["copied-login", "down"]
    files = sorted(p.name for p in (folder / "evidence" / "copied-login" / "check-2").iterdir())
    assert files == ["page.png", "trace.zip", "visit.har"]
    with zipfile.ZipFile(folder / "evidence" / "copied-login" / "check-2" / "trace.zip") as z:
        events = [json.loads(line) for line in z.read("trace.trace").decode().splitlines()]
    assert any(e.get("type") == "frame-snapshot" for e in events)  # still a trace the viewer can show
    har = json.loads((folder / "evidence" / "copied-login" / "check-2" / "visit.har").read_text())
    assert any("/api/ping" in e["request"]["url"] for e in har["log"]["entries"])


def test_no_secret_in_any_artifact(fleet):
    folder, ran, _ = fleet
    texts = every_text(folder)
    texts = {k: v for k, v in texts.items() if not k.endswith("preflight.toml")}  # the input holds the URL token
    texts["stdout"], texts["stderr"] = ran.stdout, ran.stderr
    assert any("trace.zip!trace.trace" in name for name in texts)
    for name, text in texts.items():
        for sentinel in SENTINELS:
            assert sentinel not in text, f"{sentinel} in {name}"


@pytest.mark.skipif(PROMTOOL is None, reason="promtool not installed (Debian's prometheus package; "
                                               "make test installs it when root with apt)")
def test_promtool_accepts_the_metrics_file(fleet):
    folder, _, _ = fleet
    checked = subprocess.run([PROMTOOL, "check", "metrics"], input=(folder / "preflight.prom").read_text(),
                             capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    text = (folder / "preflight.prom").read_text()
    assert 'preflight_success{target="copied-login"} 0.0' in text
    assert 'preflight_success{target="provider-00"} 1.0' in text
    assert 'preflight_diagnosis{kind="outage",target="down"} 1.0' in text


def test_flags_beat_the_environment_which_beats_the_file(tmp_path):
    with MockPortal(roots=[SITE]) as portal:
        config = write_config(tmp_path, portal, official=0)
        config.write_text(config.read_text().replace("[run]\n", "[run]\nconfirm = 1\n"), encoding="utf-8")

        def rechecks(*extra: str, env: dict[str, str] | None = None) -> int:
            ran = preflight("check", "--config", str(config), "--target", "down", "--no-clock", "--json", *extra,
                            env=env)
            assert ran.returncode == 3, ran.stderr
            return len(json.loads(ran.stdout)["results"][0]["rechecks"])

        assert rechecks() == 1  # the file's [run] confirm = 1
        assert rechecks(env={"PREFLIGHT_CHECK_CONFIRM": "0"}) == 0  # the environment wins over the file
        assert rechecks("--confirm", "2", env={"PREFLIGHT_CHECK_CONFIRM": "0"}) == 2  # the flag wins over both


def test_target_and_tag_pick_targets_and_bad_names_are_one_line_errors(tmp_path):
    with MockPortal(roots=[SITE]) as portal:
        config = write_config(tmp_path, portal, official=2)
        ran = preflight("check", "--config", str(config), "--tag", "provider", "--target", "member", "--no-clock",
                        "--json")
        assert ran.returncode == 0, ran.stderr
        assert [r["name"] for r in json.loads(ran.stdout)["results"]] == ["provider-00", "provider-01", "member"]
        bad = preflight("check", "--config", str(config), "--target", "nope")
        assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "--target nope" in bad.stderr
        both = preflight("check", "--config", str(config), "--target", "member", "https://x.example/")
        assert both.returncode == 2 and "not both" in both.stderr
