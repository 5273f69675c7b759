"""Finding codes: one table per check, README generated from it, checks held to it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from preflight.checks.base import FindingList
from preflight.model.codes import BY_CODE, TABLES, lookup, markdown_rows
from preflight.model.report import Severity

README = Path(__file__).resolve().parents[1] / "README.md"
PACKAGE = Path(__file__).resolve().parents[1] / "preflight"


def readme_rows() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Finding codes"):text.index("## Design")]
    return [line for line in section.splitlines() if line.startswith("| `")]


def test_readme_table_is_the_code_table() -> None:
    assert readme_rows() == markdown_rows(), "regenerate README's table from preflight/model/codes.py"


def test_every_code_a_check_emits_is_in_its_table() -> None:
    # Codes passed to FindingList.add(...) as literals, and target/browser codes anywhere.
    emitted: set[str] = set()
    for path in (PACKAGE / "checks").rglob("*.py"):
        check = "portal" if "portal" in path.parts else path.stem
        for code in re.findall(r'found\.add\(\s*"([a-z_]+)"', path.read_text(encoding="utf-8")):
            emitted.add(f"{check}.{code}")
    for path in PACKAGE.rglob("*.py"):
        emitted.update(re.findall(r'"((?:target|browser)\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    assert emitted, "the scan found nothing: it is broken"
    assert sorted(emitted - set(BY_CODE)) == []


def test_codes_are_namespaced_by_their_table() -> None:
    for check, table in TABLES.items():
        assert table and all(entry.code.startswith(check + ".") for entry in table)
        assert all(entry.severities for entry in table), check


def test_a_check_cannot_emit_an_undocumented_code_or_severity() -> None:
    found = FindingList("clock")
    found.add("skew", Severity.WARN, "ok")
    with pytest.raises(ValueError, match="clock.invented"):
        found.add("invented", Severity.WARN, "no")
    with pytest.raises(ValueError, match="clock.ok"):
        found.add("ok", Severity.FAIL, "pass only")


def test_check_error_is_generic() -> None:
    assert lookup("portal.error").code == "<check>.error"
    with pytest.raises(KeyError):
        lookup("nothing.here")
