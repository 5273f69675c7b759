"""The stored corpus snapshots, for measuring the clone signal against pages that are no copies."""

from __future__ import annotations

import json
from pathlib import Path

from preflight.model.snapshot import PageSnapshot

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "snapshots"


def corpus_snapshots() -> list[PageSnapshot]:
    return [PageSnapshot.from_dict(json.loads(path.read_text(encoding="utf-8")))
            for path in sorted(CORPUS.glob("*.json"))]
