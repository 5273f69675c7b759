"""Installed, not only checked out: the wheel carries everything the tool reads at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent.parent


def test_wheel_carries_pages_allowlist_schemas_and_vocabularies(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True, timeout=300)
    (wheel,) = tmp_path.glob("portal_preflight-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    packaged = {str(p.relative_to(ROOT)) for p in (ROOT / "preflight").rglob("*")
                if p.is_file() and "__pycache__" not in p.parts}
    assert packaged - names == set()
    assert "preflight/data/allowlist.toml" in names
    assert any(n.startswith("preflight/mock/site/cignaforhcp.cigna.com/") for n in names)
