"""``preflight vet`` results: plain text for people, the ``preflight/vet@1`` JSON document for machines."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from preflight.model.document import VetDocument
from preflight.model.serialize import to_jsonable
from preflight.rules.lookalike.judge import VERDICTS
from preflight.vet import VetResult


def vet_document(results: Sequence[VetResult]) -> dict[str, Any]:
    """The ``preflight/vet@1`` document, as JSON-ready values."""
    return to_jsonable(VetDocument(schema="preflight/vet@1", results=tuple(results)))


def render_json(results: Sequence[VetResult]) -> str:
    return json.dumps(vet_document(results), indent=2, ensure_ascii=False) + "\n"


def render_text(results: Sequence[VetResult]) -> str:
    """One block per URL, then a count per verdict."""
    lines: list[str] = []
    counts: Counter[str] = Counter()
    for result in results:
        counts[result.verdict] += 1
        lines.append(f"{result.verdict.upper():<17} {result.input}")
        detail = []
        if result.host:
            detail.append(f"host {result.host}")
        if result.portal:
            detail.append(f"portal {result.portal}")
        if result.lookalike_of:
            detail.append(f"imitates {result.lookalike_of}")
        if detail:
            lines.append(" " * 18 + ", ".join(detail))
        lines.extend(" " * 18 + "- " + reason for reason in result.reasons)
    total = sum(counts.values())
    summary = ", ".join(f"{counts[v]} {v}" for v in VERDICTS if counts[v])
    lines.append(f"{total} URL{'s' if total != 1 else ''}: {summary or 'none'}")
    return "\n".join(lines) + "\n"
