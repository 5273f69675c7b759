"""Rewrite README's *Finding codes* table from ``preflight/model/codes.py`` (tests compare the two).

    .venv/bin/python scripts/codes_table.py
"""

from __future__ import annotations

from pathlib import Path

from preflight.model.codes import markdown_rows

README = Path(__file__).resolve().parents[1] / "README.md"


def main() -> None:
    text = README.read_text(encoding="utf-8")
    start, end = text.index("## Finding codes"), text.index("## Design")
    lines = text[start:end].splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("| `"))
    last = max(i for i, line in enumerate(lines) if line.startswith("| `"))
    section = "\n".join([*lines[:first], *markdown_rows(), *lines[last + 1:]]).rstrip("\n") + "\n\n"
    README.write_text(text[:start] + section + text[end:], encoding="utf-8")


if __name__ == "__main__":
    main()
