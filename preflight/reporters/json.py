"""The JSON contract (``preflight/run@1``): one serializer, validated against the committed schema."""

from __future__ import annotations

import json
from typing import Any

from preflight.model.report import SCHEMA_RUN, Finding, RunReport, TargetResult
from preflight.model.serialize import to_jsonable
from preflight.rules.redact import redact_url


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    return {"check": finding.check, "code": finding.code, "severity": finding.severity.value,
            "message": finding.message, "evidence": to_jsonable(finding.evidence)}


def result_to_dict(result: TargetResult) -> dict[str, Any]:
    snapshot = result.snapshot
    redirects = [hop.url for hop in snapshot.redirects] if snapshot else []
    return {
        "target": redact_url(result.target),
        "final_url": snapshot.final_url if snapshot else None,
        "redirects": redirects,
        "http_status": snapshot.http_status if snapshot else None,
        "verdict": result.verdict.value,
        "findings": [finding_to_dict(f) for f in result.findings],
        "portal": to_jsonable(result.section("portal")),
        "clock": to_jsonable(result.section("clock")),
        "cookies": to_jsonable(result.section("cookies")),
        "blocked_requests": [{"method": b.method, "url": b.url, "reason": b.reason, "layer": b.layer,
                              "carries_field_value": b.carries_field_value}
                             for b in (snapshot.blocked_requests if snapshot else ())],
        "tls": to_jsonable(snapshot.tls) if snapshot and snapshot.tls else None,
        "attempts": result.attempts,
        "error": {"code": result.error.code, "message": result.error.message} if result.error else None,
        "timings": dict(snapshot.timings) if snapshot and snapshot.timings else {"total_s": result.elapsed_s},
        "screenshot": snapshot.screenshot if snapshot else None,
    }


def report_to_dict(report: RunReport) -> dict[str, Any]:
    return {
        "schema": SCHEMA_RUN,
        "verdict": report.verdict.value,
        "allowlist": report.allowlist_path,
        "browser": report.browser,
        "elapsed_s": report.elapsed_s,
        "results": [result_to_dict(r) for r in report.results],
    }


def render(report: RunReport) -> str:
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"
