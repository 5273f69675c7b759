"""JUnit XML for CI dashboards (Jenkins, GitLab, GitHub test reporters).

One ``<testsuite>`` per target; in it a ``visit`` test case (an ``error`` when the target could
not be checked, the evidence files attached) and one test case per check that ran (a
``failure`` naming its failing findings, an ``error`` when the check crashed). ``--confirm``'s
earlier checks are recorded the way Maven Surefire does: ``flakyFailure``/``flakyError`` when the
last check did not fail, ``rerunFailure``/``rerunError`` when it did. Evidence files are attached
as ``[[ATTACHMENT|path]]`` lines in ``system-out``, which Jenkins' JUnit attachments plug-in and
GitLab's test reports read.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from preflight.model.report import RunReport, Severity, TargetResult, Verdict
from preflight.rules.outage import diagnose


def render(report: RunReport) -> str:
    root = ET.Element("testsuites", name="preflight", time=f"{report.elapsed_s:.3f}")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    for result in report.results:
        suite = _suite(result)
        root.append(suite)
        for key in totals:
            totals[key] += int(suite.get(key, "0"))
    for key, value in totals.items():
        root.set(key, str(value))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _suite(result: TargetResult) -> ET.Element:
    label = result.label
    suite = ET.Element("testsuite", name=label, time=f"{result.elapsed_s:.3f}")
    properties = ET.SubElement(suite, "properties")
    diagnosis, says = diagnose(result)
    for name, value in (("url", result.target), ("verdict", result.verdict.value),
                        ("checks", str(1 + len(result.rechecks))),
                        ("unconfirmed_failures", str(result.unconfirmed_failures)),
                        ("tags", ",".join(result.tags)), ("diagnosis", diagnosis), ("diagnosis_says", says)):
        ET.SubElement(properties, "property", name=name, value=value)
    failures = errors = 0

    visit = ET.SubElement(suite, "testcase", classname=f"preflight.{label}", name="visit",
                          time=f"{result.elapsed_s:.3f}")
    if result.error is not None:
        kind = "error" if result.verdict is Verdict.ERROR else "failure"
        element = ET.SubElement(visit, kind, type=result.error.code, message=result.error.message)
        element.text = result.error.message
        errors += kind == "error"
        failures += kind == "failure"
    final_failed = result.verdict in (Verdict.FAIL, Verdict.ERROR)
    for number, earlier in enumerate(result.rechecks, start=1):
        could_not_run = earlier.verdict is Verdict.ERROR
        tag = ("rerun" if final_failed else "flaky") + ("Error" if could_not_run else "Failure")
        worst = _failing(earlier) or [f"{earlier.verdict.value}"]
        element = ET.SubElement(visit, tag, message=f"check {number}: {worst[0]}",
                                type=earlier.error.code if earlier.error else earlier.verdict.value)
        element.text = "\n".join(worst)
        if earlier.evidence:
            ET.SubElement(element, "system-out").text = _attachments(earlier.evidence)
    out = [f"[{f.severity.value}] {f.code}: {f.message}" for f in result.findings if f.check == "target"]
    if result.evidence:
        out.append(_attachments(result.evidence))
    if out:
        ET.SubElement(visit, "system-out").text = "\n".join(out)

    for check in result.checks:
        case = ET.SubElement(suite, "testcase", classname=f"preflight.{label}", name=check.check, time="0")
        failing = [f for f in check.findings if f.severity is Severity.FAIL]
        if check.error is not None:
            errors += 1
            element = ET.SubElement(case, "error", type=f"{check.check}.error",
                                    message=f"the {check.check} check crashed (a bug in preflight)")
            element.text = check.error
        elif failing:
            failures += 1
            element = ET.SubElement(case, "failure", type=failing[0].code, message=failing[0].message)
            element.text = "\n".join(f"{f.code}: {f.message}{_evidence(f.evidence)}" for f in failing)
        if check.findings:
            ET.SubElement(case, "system-out").text = "\n".join(
                f"[{f.severity.value}] {f.code}: {f.message}" for f in check.findings)
    suite.set("tests", str(1 + len(result.checks)))
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    suite.set("skipped", "0")
    return suite


def _failing(result: TargetResult) -> list[str]:
    return [f"{f.code}: {f.message}" for f in result.findings if f.severity is Severity.FAIL]


def _evidence(evidence: object) -> str:
    if not evidence:
        return ""
    items = evidence.items() if isinstance(evidence, dict) else []
    shown = "; ".join(f"{k}={v}" for k, v in list(items)[:8])
    return f" ({shown[:400]})" if shown else ""


def _attachments(paths: tuple[str, ...]) -> str:
    return "\n".join(f"[[ATTACHMENT|{path}]]" for path in paths)
