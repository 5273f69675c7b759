"""tests/tools.py: a program is found where it lives, and a missing one skips with its reason."""

from __future__ import annotations

import pytest

from tests import tools


def test_a_missing_program_skips_naming_it_and_its_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(tools.TOOLS, "nowhere", tools.Tool(("preflight-no-such-program",), "a package that is not there"))
    assert tools.find("nowhere") is None
    with pytest.raises(pytest.skip.Exception, match="preflight-no-such-program not found .* a package that is not there"):
        tools.require("nowhere")
    assert tools.needs("nowhere").args == (True,)


def test_a_program_on_path_is_found(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    program = tmp_path / "pushgateway"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(tools, "_EXTRA_DIRS", ())
    # Debian's name first, then upstream's: only upstream's exists here.
    assert tools.find("pushgateway") == str(program)
