"""Sending a run's results to a system that collects them (today: a Prometheus Pushgateway).

Reporters turn a run into text; this module hands the same series to a collector over the
network, for cron and CI runs that no Prometheus scrapes.
"""

from __future__ import annotations

from preflight.model.report import RunReport


def push_to_gateway(report: RunReport, gateway: str, job: str = "preflight", timeout_s: float = 10.0) -> None:
    """One group per target (``job``, ``target``), replacing that group's previous series, and the
    run's own series in the job's group. Raises what ``prometheus-client`` raises on failure."""
    from preflight.reporters import metrics

    metrics.push(report, gateway, job, timeout_s)
