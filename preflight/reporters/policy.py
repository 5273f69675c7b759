"""``preflight policy show``: the policies in force and what they mean for portal sign-in."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any, cast

from preflight.model.document import FindingDocument, PolicyDocument, PolicyRowDocument
from preflight.model.policy import BROWSER_TABLE, SCHEMA_POLICY, PolicyEntry, PolicyReport
from preflight.model.report import Severity
from preflight.model.serialize import to_jsonable
from preflight.rules.redact import redact_policy_value


def _shown(entry: PolicyEntry) -> PolicyEntry:
    # Every policy in force is listed, not only the portal ones: enrolment tokens and proxy
    # credentials must not reach a ticket.
    return replace(entry, value_text=redact_policy_value(entry.name, entry.value_text))


def policy_document(report: PolicyReport) -> dict[str, Any]:
    """The ``preflight/policy@1`` document, as JSON-ready values."""
    rows = tuple(PolicyRowDocument(name=e.name, value=e.value, source=e.source, scope=e.scope, level=e.level,
                                   status=e.status, error=e.errors or None, table=e.table)
                 for e in map(_shown, report.entries))
    document = PolicyDocument(schema=SCHEMA_POLICY, browser=report.browser, allowlist=report.allowlist,
                              verdict=report.worst, policies=rows,
                              findings=tuple(FindingDocument.of(f) for f in report.findings))
    return cast(dict[str, Any], to_jsonable(document))


def render_json(report: PolicyReport) -> str:
    return json.dumps(policy_document(report), indent=2, ensure_ascii=False) + "\n"


def render_text(report: PolicyReport, verbose: bool = False) -> str:
    lines = [f"# policies in force in {report.browser} (its chrome://policy page)",
             f"# judged against {report.allowlist}", ""]
    own = [_shown(e) for e in report.entries if e.table == BROWSER_TABLE]
    if not own:
        lines.append("no policy is set")
    for entry in own:
        value = " ".join(entry.value_text.split())
        status = entry.status if entry.applied else f"{entry.status}: {entry.errors}"
        lines.append(f"  {entry.name} = {value[:160]}   [{entry.source}, {entry.level}, {status}]")
    lines.append("")
    for finding in report.findings:
        if finding.severity is Severity.INFO and not verbose and finding.code != "policy.password_protection_missing":
            continue
        lines.append(f"{finding.severity.value.upper():5} {finding.code}: {finding.message}")
    return "\n".join(lines) + "\n"
