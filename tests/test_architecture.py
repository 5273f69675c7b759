"""The layers are folders, and these tests keep them honest (scrapy-playwright's one handler).

- Only ``preflight/capture/`` imports ``playwright``.
- The pure layers (``model``, ``rules``, ``checks``, ``reporters``, ``config``) import neither
  ``capture`` nor Click nor Rich; reporters may use Rich for the console, nothing else may.
- The runner orchestrates without Playwright objects of its own.
- Only ``preflight/__main__.py`` and the CLI's entry point decide the process's exit.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "preflight"


def imports_of(path: Path) -> set[str]:
    """Absolute names of every module a file imports, at any depth (function-level imports too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                raise AssertionError(f"{path}: relative import; the project uses absolute imports")
            base = node.module or ""
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def package_files(*parts: str) -> list[Path]:
    return sorted((PACKAGE.joinpath(*parts)).rglob("*.py")) if parts else sorted(PACKAGE.rglob("*.py"))


def layer_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def touches(imported: set[str], top: str) -> bool:
    return any(name == top or name.startswith(top + ".") for name in imported)


def violations(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return [f"{path.relative_to(PACKAGE)} imports {top}" for path in files for top in forbidden
            if touches(imports_of(path), top)]


def test_only_capture_imports_playwright() -> None:
    outside = [p for p in package_files() if layer_of(p) != "capture"]
    assert violations(outside, ("playwright",)) == []
    # and capture really is where it lives (the test would pass vacuously otherwise)
    assert [p.name for p in package_files("capture") if touches(imports_of(p), "playwright")]


@pytest.mark.parametrize("layer", ["model", "rules", "checks", "reporters", "config"])
def test_pure_layers_import_neither_capture_nor_click(layer: str) -> None:
    files = package_files(layer)
    assert files, layer
    forbidden = ("preflight.capture", "preflight.cli", "preflight.runner", "click", "playwright")
    if layer != "reporters":
        forbidden += ("rich",)
    assert violations(files, forbidden) == []


def test_the_console_reporter_is_the_only_reporter_that_uses_rich() -> None:
    users = [p.name for p in package_files("reporters") if touches(imports_of(p), "rich")]
    assert users == ["console.py"]


def test_the_runner_holds_no_playwright_objects() -> None:
    source = (PACKAGE / "runner.py").read_text(encoding="utf-8")
    assert "playwright" not in imports_of(PACKAGE / "runner.py")
    assert "Browser" + "Context" not in source and "Page" + "(" not in source


def test_only_the_entry_points_exit() -> None:
    # sys.exit(...), os._exit(...) or raise SystemExit(...): the program's entry point
    # (cli.entry, which ``python -m preflight`` and the console script call), and the developer
    # tool that regenerates the JSON Schemas (python -m preflight.model.schema --check fails CI).
    exits = []
    for path in package_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            calls_exit = isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and isinstance(node.func.value, ast.Name) \
                and (node.func.value.id, node.func.attr) in (("sys", "exit"), ("os", "_exit"))
            raises_exit = isinstance(node, ast.Raise) and node.exc is not None and "SystemExit" in ast.unparse(node.exc)
            if calls_exit or raises_exit:
                exits.append(str(path.relative_to(PACKAGE)))
    assert sorted(exits) == ["cli/__init__.py", "model/schema.py"]


def test_the_boundary_checker_sees_a_violation(tmp_path: Path) -> None:
    # The checker itself must fail on a forbidden import, at any depth.
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from playwright.async_api import Page\n    import rich.console\n")
    assert touches(imports_of(bad), "playwright") and touches(imports_of(bad), "rich")
    assert not touches(imports_of(bad), "play")
