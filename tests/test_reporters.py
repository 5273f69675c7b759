import json
from importlib import resources
from pathlib import Path

import jsonschema

import preflight.cli
from preflight.checks import CheckConfig
from preflight.model.report import (
    CheckResult,
    Finding,
    RunReport,
    Severity,
    TargetError,
    TargetResult,
    Verdict,
)
from preflight.model.snapshot import PageSnapshot
from preflight.reporters import RUN_REPORTERS, OutputFormat, render
from preflight.reporters import console as console_reporter
from preflight.reporters import json as json_reporter
from preflight.runner import run_checks

from .factories import default_allowlist, snapshot

SCHEMA = json.loads(resources.files("preflight").joinpath("schema/run.schema.json").read_text())


def report_of(*results):
    return RunReport(results=results, allowlist_path="<packaged default>", browser="test")


def judged(snap):
    return TargetResult(snap.requested_url, snap, run_checks(snap, CheckConfig(default_allowlist())))


def test_every_output_format_has_a_run_reporter():
    assert set(RUN_REPORTERS) == set(OutputFormat)
    report = report_of(judged(snapshot()))
    for output in OutputFormat:
        assert render(report, output).strip()


def test_the_cli_renders_only_through_the_format_enum():
    # pip-audit's rule: commands pick an OutputFormat and call render(); none imports a reporter
    # module or serialises JSON itself.
    import ast

    cli = Path(preflight.cli.__file__).parent
    bypasses = []
    for path in sorted(cli.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("preflight.reporters."):
                bypasses.append(f"{path.name}: from {node.module}")
            if isinstance(node, ast.ImportFrom) and node.module == "preflight.reporters":
                bypasses += [f"{path.name}: {a.name}" for a in node.names
                             if a.name not in ("OutputFormat", "RenderOptions", "render")]
            if isinstance(node, (ast.Import, ast.ImportFrom)) and "json" in [a.name for a in node.names]:
                bypasses.append(f"{path.name}: imports json")
    assert bypasses == []


def with_findings(*severities):
    findings = tuple(Finding("domain", f"domain.x{i}", s, "m") for i, s in enumerate(severities))
    return TargetResult("https://x.example/", snapshot(), (CheckResult("domain", findings),))


def test_json_report_matches_the_committed_schema():
    # Every registered check on a real-looking snapshot, an off-list page, and an unreachable one.
    report = report_of(judged(snapshot()), judged(snapshot("https://evil.example/")),
                       TargetResult("https://down.example/", None, (), TargetError("target.unreachable", "refused")))
    document = json.loads(json_reporter.render(report))
    jsonschema.validate(document, SCHEMA)
    assert document["schema"] == "preflight/run@1"
    assert [r["verdict"] for r in document["results"]][1:] == ["fail", "error"]
    assert document["verdict"] == "fail"


def test_verdict_is_the_worst_finding():
    assert with_findings(Severity.PASS, Severity.INFO).verdict is Verdict.PASS
    assert with_findings(Severity.PASS, Severity.WARN).verdict is Verdict.WARN
    assert with_findings(Severity.WARN, Severity.FAIL).verdict is Verdict.FAIL


def test_exit_codes():
    passing, failing, warning = with_findings(Severity.PASS), with_findings(Severity.FAIL), with_findings(Severity.WARN)
    unreachable = TargetResult("x", None, (), TargetError("target.unreachable", "refused"))
    assert report_of(passing).exit_code() == 0
    assert report_of(passing, warning).exit_code() == 0
    assert report_of(passing, warning).exit_code(fail_on_warn=True) == 1
    assert report_of(passing, failing).exit_code() == 1
    assert report_of(passing, unreachable).exit_code() == 3
    assert report_of(failing, unreachable).exit_code() == 1


def test_a_crashing_check_becomes_an_error_result_and_others_still_run(monkeypatch):
    from preflight.checks import CHECKS

    def broken(_snapshot, _config):
        raise KeyError("boom")

    monkeypatch.setitem(CHECKS, "domain", broken)
    results = run_checks(snapshot(), CheckConfig(default_allowlist()))
    by_name = {r.check: r for r in results}
    assert "KeyError" in by_name["domain"].error
    assert by_name["transport"].findings
    target = TargetResult("x", snapshot(), results)
    assert any(f.code == "domain.error" for f in target.findings)
    assert target.verdict is Verdict.ERROR
    assert report_of(target).exit_code() == 70  # a bug, never "passed" or "could not run"


def test_console_report_shows_verdict_and_codes():
    text = console_reporter.render(report_of(judged(snapshot("https://evil.example/"))))
    assert "FAIL" in text and "domain.not_allowlisted" in text


def test_snapshot_round_trips_through_json():
    original = snapshot(hops=("https://cignaforhcp.com/",))
    again = PageSnapshot.from_dict(json.loads(json.dumps(original.to_dict())))
    assert again == original


def test_junit_has_a_suite_per_target_with_a_case_per_check():
    import xml.etree.ElementTree as ET

    from preflight.reporters import junit

    report = report_of(with_findings(Severity.PASS), with_findings(Severity.FAIL),
                       TargetResult("https://down.example/", None, (), TargetError("target.unreachable", "refused")))
    root = ET.fromstring(junit.render(report).split("?>", 1)[1])
    assert root.tag == "testsuites" and root.get("failures") == "1" and root.get("errors") == "1"
    suites = root.findall("testsuite")
    assert len(suites) == 3
    passing, failing, down = suites
    assert [c.get("name") for c in passing.findall("testcase")] == ["visit", "domain"]
    assert all(c.find("failure") is None and c.find("error") is None for c in passing.findall("testcase"))
    domain = failing.findall("testcase")[1]
    assert domain.find("failure").get("type") == "domain.x0"
    assert down.find("testcase").find("error").get("type") == "target.unreachable"
    assert root.get("tests") == str(sum(int(s.get("tests")) for s in suites)) == "5"


def test_junit_records_confirm_rechecks_and_attaches_evidence():
    import xml.etree.ElementTree as ET
    from dataclasses import replace

    from preflight.reporters import junit

    flaky = TargetResult("https://down.example/", None, (), TargetError("target.unreachable", "refused"),
                         evidence=("/ev/down/check-1/page.png",))
    last = replace(with_findings(Severity.PASS), rechecks=(flaky,))
    still = replace(with_findings(Severity.FAIL), rechecks=(with_findings(Severity.FAIL),),
                    evidence=("/ev/x/check-2/trace.zip",))
    root = ET.fromstring(junit.render(report_of(last, still)).split("?>", 1)[1])
    first, second = root.findall("testsuite")
    visit = first.find("testcase")
    assert visit.find("flakyError") is not None and visit.find("error") is None
    assert "[[ATTACHMENT|/ev/down/check-1/page.png]]" in visit.find("flakyError").find("system-out").text
    assert {p.get("name"): p.get("value") for p in first.find("properties")}["unconfirmed_failures"] == "1"
    visit = second.find("testcase")
    assert visit.find("rerunFailure") is not None
    assert "[[ATTACHMENT|/ev/x/check-2/trace.zip]]" in visit.find("system-out").text
