"""The JSON contract (``preflight/run@1``): typed documents (``model/document.py``), one serialiser,
and a schema generated from the same types (``python -m preflight.model.schema``)."""

from __future__ import annotations

import json
from typing import Any

from preflight.model.document import FindingDocument, ResultDocument, RunDocument
from preflight.model.report import Finding, RunReport, TargetResult
from preflight.model.serialize import to_jsonable


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    return to_jsonable(FindingDocument.of(finding))


def result_to_dict(result: TargetResult) -> dict[str, Any]:
    return to_jsonable(ResultDocument.of(result))


def report_to_dict(report: RunReport) -> dict[str, Any]:
    return to_jsonable(RunDocument.of(report))


def render(report: RunReport) -> str:
    return json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"
