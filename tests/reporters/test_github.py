"""GitHub Actions annotations and the job summary."""

from __future__ import annotations

from preflight.model.report import RunReport, TargetError, TargetResult
from preflight.reporters import OutputFormat, render

from ..model.full_report import full_report


def test_annotations_one_per_target_that_did_not_pass_escaped():
    down = TargetResult("https://down.example/", None, (), TargetError("target.unreachable", "refused:\n100%"),
                        name="down,one")
    text = render(RunReport(results=(down,)), OutputFormat.GITHUB)
    assert text == ("::error title=preflight error%3A down%2Cone::The portal is unreachable (the connection failed): "
                    "an outage or a network problem, nothing the user's account can fix. "
                    "target.unreachable: refused:%0A100%25\n")


def test_passing_targets_get_no_annotation_and_the_summary_has_a_row_each():
    report = full_report()
    annotations = render(report, OutputFormat.GITHUB).splitlines()
    assert len(annotations) == sum(1 for r in report.results if r.verdict.value != "pass")
    assert all(line.startswith(("::error ", "::warning ")) for line in annotations)
    summary = render(report, OutputFormat.MARKDOWN)
    rows = [line for line in summary.splitlines() if line.startswith("| ") and not line.startswith("| target")]
    assert len(rows) == len(report.results)
    assert summary.startswith("## ")


def test_the_summary_answers_outage_or_account_first():
    down = TargetResult("https://down.example/", None, (), TargetError("target.unreachable", "refused"), name="down")
    summary = render(RunReport(results=(down,)), OutputFormat.MARKDOWN)
    assert "**Outage or account?** The portal is unreachable" in summary
    assert "| down | ⛔ error | outage |" in summary
