"""GitHub Actions: workflow-command annotations and a Markdown job summary.

``::error``/``::warning`` lines (one per target that did not pass, naming its worst finding) show
on the run's page; the summary is appended to ``$GITHUB_STEP_SUMMARY``. Messages and titles are
escaped the way the runner's command parser expects (``%``, CR, LF; and ``:``/``,`` in properties).
"""

from __future__ import annotations

from preflight.model.report import RunReport, Severity, TargetResult, Verdict
from preflight.rules.outage import diagnose, run_summary

_ICON = {Verdict.PASS: "✅", Verdict.WARN: "⚠️", Verdict.FAIL: "❌", Verdict.ERROR: "⛔"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _worst(result: TargetResult) -> list[str]:
    ranked = sorted(result.findings, key=lambda f: -f.severity.rank)
    top = [f for f in ranked if f.severity.rank >= Severity.WARN.rank]
    return [f"{f.code}: {f.message}" for f in top[:3]]


def workflow_commands(report: RunReport) -> str:
    lines = []
    for result in report.results:
        if result.verdict is Verdict.PASS:
            continue
        command = "warning" if result.verdict is Verdict.WARN else "error"
        title = f"preflight {result.verdict.value}: {result.label}"
        body = diagnose(result)[1] + " " + ("; ".join(_worst(result)) or result.verdict.value)
        if result.unconfirmed_failures:
            body += f" (after {result.unconfirmed_failures} unconfirmed failure(s))"
        lines.append(f"::{command} title={_property(title)}::{_data(body)}")
    return "".join(line + "\n" for line in lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def summary(report: RunReport) -> str:
    """The job summary: the run's verdict, then a row per target."""
    out = [f"## {_ICON[report.verdict]} preflight: {report.verdict.value}", "",
           f"**Outage or account?** {_cell(run_summary(report.results))}", "",
           f"{len(report.results)} target(s) in {report.elapsed_s:.1f} s · browser {_cell(report.browser)}", "",
           "| target | verdict | outage or account | login | checks | top findings |", "|---|---|---|---|---|---|"]
    for result in report.results:
        portal = result.section("portal")
        login = f"{portal.role} ({portal.login_form})" if portal is not None else "—"
        found = "<br>".join(_cell(line) for line in _worst(result)) or "—"
        out.append(f"| {_cell(result.label)} | {_ICON[result.verdict]} {result.verdict.value} | "
                   f"{diagnose(result)[0]} | {_cell(login)} | "
                   f"{1 + len(result.rechecks)} | {found} |")
    return "\n".join(out) + "\n\n"
