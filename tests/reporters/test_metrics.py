"""Prometheus metrics: blackbox_exporter's names, one label set per target, accepted by promtool."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace

import pytest
from prometheus_client.parser import text_string_to_metric_families

from preflight.model.report import RunReport, TargetError, TargetResult
from preflight.reporters import OutputFormat, render

from ..model.full_report import full_report

PROMTOOL = shutil.which("promtool")


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


@pytest.fixture(scope="module")
def report() -> RunReport:
    return full_report()


def test_every_target_has_its_series(report):
    text = render(report, OutputFormat.METRICS)
    got = samples(text)
    for result in report.results:
        label = (("target", result.label),)
        assert got[("preflight_success", label)] in (0.0, 1.0)
        assert got[("preflight_duration_seconds", (("phase", "total"), *label))] == result.elapsed_s
        assert sum(got[("preflight_verdict", (("target", result.label), ("verdict", v)))]
                   for v in ("pass", "warn", "fail", "error")) == 1
        assert got[("preflight_checks", label)] == 1 + len(result.rechecks)
    down = (("target", "https://down.example/"),)
    assert got[("preflight_success", down)] == 0 and got[("preflight_http_status_code", down)] == 0
    assert got[("preflight_unconfirmed_failures", (("target", "cigna-provider"),))] == 1
    logins = [labels for name, labels in got if name == "preflight_login_info"]
    assert logins and all(dict(labels)["role"] and dict(labels)["form"] for labels in logins)
    assert any(name == "preflight_clock_skew_seconds" for name, _ in got)
    assert any(name == "preflight_tls_cert_expiry_timestamp_seconds" for name, _ in got)


def test_findings_count_by_severity():
    result = TargetResult("https://down.example/", None, (), TargetError("target.unreachable", "refused"))
    got = samples(render(RunReport(results=(result,)), OutputFormat.METRICS))
    target = ("target", "https://down.example/")
    assert got[("preflight_findings", (("severity", "fail"), target))] == 1
    assert got[("preflight_findings", (("severity", "pass"), target))] == 0


def test_label_values_are_escaped_not_broken():
    result = TargetResult("https://x.example/", None, (), TargetError("target.unreachable", "refused"),
                          name='odd"name\\with\nnewline')
    text = render(RunReport(results=(replace(result),)), OutputFormat.METRICS)
    assert samples(text)[("preflight_success", (("target", 'odd"name\\with\nnewline'),))] == 0


@pytest.mark.skipif(PROMTOOL is None, reason="promtool not installed (Debian's prometheus package; "
                                               "make test installs it when root with apt)")
def test_promtool_accepts_the_metrics(report):
    text = render(report, OutputFormat.METRICS)
    checked = subprocess.run([PROMTOOL, "check", "metrics"], input=text, capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # ...and it is not a rubber stamp: a broken exposition is refused.
    broken = subprocess.run([PROMTOOL, "check", "metrics"], input=text.replace("# TYPE preflight_success gauge",
                            "# TYPE preflight_success gauge\n# TYPE preflight_success counter"),
                            capture_output=True, text=True, timeout=30)
    assert broken.returncode != 0
