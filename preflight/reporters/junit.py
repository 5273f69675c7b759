"""JUnit XML for CI dashboards: one test case per target, one failure per failing finding."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from preflight.model.report import RunReport, Severity, Verdict


def render(report: RunReport) -> str:
    suite = ET.Element("testsuite", name="preflight", tests=str(len(report.results)),
                       time=f"{report.elapsed_s:.3f}")
    failures = errors = 0
    for result in report.results:
        case = ET.SubElement(suite, "testcase", classname="preflight.check", name=result.target,
                             time=f"{result.elapsed_s:.3f}")
        findings = result.findings
        if result.verdict is Verdict.ERROR:
            errors += 1
            error = result.error
            ET.SubElement(case, "error", type=error.code if error else "error",
                          message=error.message if error else "could not run")
        elif result.verdict is Verdict.FAIL:
            failures += 1
            failing = [f for f in findings if f.severity is Severity.FAIL]
            element = ET.SubElement(case, "failure", type=failing[0].code, message=failing[0].message)
            element.text = "\n".join(f"{f.code}: {f.message}" for f in failing)
        out = ET.SubElement(case, "system-out")
        out.text = "\n".join(f"[{f.severity.value}] {f.code}: {f.message}" for f in findings)
    suite.set("failures", str(failures))
    suite.set("errors", str(errors))
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
