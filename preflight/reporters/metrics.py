"""Prometheus text format for node_exporter's textfile collector (and ``preflight serve``).

Named in blackbox_exporter's style, every series labelled by the target's name (its redacted URL
when it has none). Written with ``prometheus-client``'s own registry and exposition, so escaping,
``HELP``/``TYPE`` lines and number formatting are the library's, which ``promtool check metrics``
accepts. Values are facts the checks already judged; no URL query value, cookie or field value is
ever a label (labels are names, roles, form kinds, severities and phases).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from prometheus_client import CollectorRegistry, Gauge, generate_latest

from preflight.model.report import RunReport, Severity, TargetResult, Verdict
from preflight.rules.outage import diagnose

PREFIX = "preflight"


def registry_for(results: Sequence[TargetResult], report: RunReport | None = None,
                 registry: CollectorRegistry | None = None) -> CollectorRegistry:
    """Every series of these results in a fresh (or the given) registry."""
    registry = registry or CollectorRegistry(auto_describe=True)

    def gauge(name: str, doc: str, labels: Iterable[str] = ("target",)) -> Gauge:
        return Gauge(f"{PREFIX}_{name}", doc, labelnames=tuple(labels), registry=registry)

    success = gauge("success", "1 when the target's verdict is pass or warn: the official login, reachable.")
    verdict = gauge("verdict", "1 for the target's verdict (pass, warn, fail, error), 0 for the others.",
                    ("target", "verdict"))
    duration = gauge("duration_seconds", "Seconds from the start of the visit to each phase (total: the whole "
                     "check, retries included).", ("target", "phase"))
    status = gauge("http_status_code", "HTTP status of the final page (0 without a response).")
    skew = gauge("clock_skew_seconds", "This machine's clock minus the portal's (positive: ahead).")
    skew_error = gauge("clock_skew_uncertainty_seconds", "Error bar of preflight_clock_skew_seconds (one side).")
    expiry = gauge("tls_cert_expiry_timestamp_seconds", "Unix time the portal's certificate expires.")
    findings = gauge("findings", "Findings of the target's last check, by severity.", ("target", "severity"))
    login = gauge("login_info", "The login the page is (role) and how its form is built; always 1.",
                  ("target", "role", "form"))
    attempts = gauge("checks", "Checks of the target in this run (1, or more with --confirm).")
    unconfirmed = gauge("unconfirmed_failures", "Checks that failed or errored while the confirming check "
                        "did not (flakes, not verdicts).")
    blocked = gauge("blocked_requests", "Requests the no-submission guard stopped.")
    diagnosis = gauge("diagnosis", "Outage or account? 1 for the target's kind (outage, maintenance, untrusted, "
                      "healthy, unknown), 0 for the others.", ("target", "kind"))

    for result in results:
        label = result.label
        success.labels(label).set(1 if result.verdict in (Verdict.PASS, Verdict.WARN) else 0)
        for member in Verdict:
            verdict.labels(label, member.value).set(1 if result.verdict is member else 0)
        snapshot = result.snapshot
        timings = dict(snapshot.timings) if snapshot is not None else {}
        timings["total_s"] = result.elapsed_s
        for phase, seconds in sorted(timings.items()):
            duration.labels(label, phase.removesuffix("_s")).set(seconds)
        status.labels(label).set(snapshot.http_status if snapshot is not None and snapshot.http_status else 0)
        clock = result.section("clock")
        if clock is not None and clock.skew_seconds is not None:
            skew.labels(label).set(clock.skew_seconds)
            if clock.uncertainty_seconds is not None:
                skew_error.labels(label).set(clock.uncertainty_seconds)
        if snapshot is not None and snapshot.tls is not None and snapshot.tls.valid_to is not None:
            expiry.labels(label).set(snapshot.tls.valid_to)
        counts = {severity: 0 for severity in Severity}
        for finding in result.findings:
            counts[finding.severity] += 1
        for severity, count in counts.items():
            findings.labels(label, severity.value).set(count)
        portal = result.section("portal")
        if portal is not None:
            login.labels(label, portal.role, portal.login_form).set(1)
        attempts.labels(label).set(1 + len(result.rechecks))
        unconfirmed.labels(label).set(result.unconfirmed_failures)
        blocked.labels(label).set(len(snapshot.blocked_requests) if snapshot is not None else 0)
        kind = diagnose(result)[0]
        for name in ("outage", "maintenance", "untrusted", "healthy", "unknown"):
            diagnosis.labels(label, name).set(1 if name == kind else 0)
    if report is not None:
        run_series(report, registry)
    return registry


def run_series(report: RunReport, registry: CollectorRegistry) -> None:
    """The run's own series (no target label): when it started and how long it took."""
    Gauge(f"{PREFIX}_run_timestamp_seconds", "Unix time this run started.", registry=registry).set(report.started_at)
    Gauge(f"{PREFIX}_run_duration_seconds", "Wall-clock seconds of the whole run.",
          registry=registry).set(report.elapsed_s)


def probe_registry(result: TargetResult, duration_s: float) -> CollectorRegistry:
    """What ``preflight serve`` answers to one ``/probe``: blackbox_exporter's two series, then the run's."""
    registry = CollectorRegistry(auto_describe=True)
    Gauge(f"{PREFIX}_probe_success", "1 when the probe's verdict is pass or warn.",
          registry=registry).set(1 if result.verdict in (Verdict.PASS, Verdict.WARN) else 0)
    Gauge(f"{PREFIX}_probe_duration_seconds", "Seconds the probe took, waiting for a free slot included.",
          registry=registry).set(duration_s)
    return registry_for([result], registry=registry)


def render(report: RunReport) -> str:
    return generate_latest(registry_for(report.results, report)).decode("utf-8")


def push(report: RunReport, gateway: str, job: str = "preflight", timeout_s: float = 10.0) -> None:
    """Push a batch run to a Pushgateway: one group per target (``job``, ``target``), whose metrics
    replace that group's previous ones, and the run's own series in the job's group."""
    from prometheus_client import push_to_gateway

    for result in report.results:
        push_to_gateway(gateway, job=job, registry=registry_for([result]), grouping_key={"target": result.label},
                        timeout=timeout_s)
    run = CollectorRegistry(auto_describe=True)
    run_series(report, run)
    Gauge(f"{PREFIX}_run_targets", "Targets in the run.", registry=run).set(len(report.results))
    push_to_gateway(gateway, job=job, registry=run, timeout=timeout_s)
