"""Plays the baseline scenarios of ``fixtures/baseline/scenarios.toml`` in one browser session.

A temporary copy of ``fixtures/baseline`` is the mock portal's site root, so a scenario edits the
official login in place (the same URL now serves a changed page) and is undone afterwards; the
certificate scenarios swap what the server presents. One Chromium serves every visit.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from preflight.capture.session import BrowserSession, BrowserSpec
from preflight.capture.visit import CaptureOptions
from preflight.checks.base import CheckConfig
from preflight.config.allowlist import load_allowlist
from preflight.config.network import parse_connect_to
from preflight.mock.certs import CertPair, generate_cert
from preflight.mock.server import MockPortal
from preflight.model.snapshot import PageSnapshot

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "baseline"
ALLOWLIST = FIXTURES / "allowlist.toml"
OFFICIAL = "provider.brightcarehealth.com"
CLONES = ("secure-account-verify.com", "provider-access-center.net")
UNCHANGED_RUNS = 20
OPTIONS = CaptureOptions(timeout_s=20, settle_s=1.0, integrity=True)
CA_NAME = "BrightCare Test Issuing CA"


@dataclass(frozen=True)
class Scenario:
    name: str
    expect: str
    severity: str
    page: str = "/login/"
    edit: tuple[dict[str, str], ...] = ()
    cert: str | None = None


def scenarios() -> list[Scenario]:
    data = tomllib.loads((FIXTURES / "scenarios.toml").read_text(encoding="utf-8"))
    return [Scenario(**{**s, "edit": tuple(s.get("edit", ()))}) for s in data["scenario"]]


def config() -> CheckConfig:
    return CheckConfig.build(load_allowlist(ALLOWLIST))


@dataclass
class Played:
    """Every snapshot the session took, by what it was."""

    baseline: dict[str, PageSnapshot] = field(default_factory=dict)
    """Page path -> the untouched page (first visit)."""
    second: PageSnapshot | None = None
    """The untouched login, visited a second time right after."""
    scenarios: dict[str, PageSnapshot] = field(default_factory=dict)
    unchanged: list[PageSnapshot] = field(default_factory=list)
    clones: dict[str, PageSnapshot] = field(default_factory=dict)

    def url(self, path: str, host: str = OFFICIAL) -> str:
        return f"https://{host}{path}"


def _certs(directory: Path, hosts: list[str]) -> dict[str, CertPair]:
    now = dt.datetime.now(dt.UTC)
    base = generate_cert(directory, hosts, name="base", common_name=CA_NAME)
    return {
        "base": base,
        "new-issuer": generate_cert(directory, hosts, name="new-issuer", key_from=base,
                                    common_name="Other Trust Services CA"),
        "renewed": generate_cert(directory, hosts, name="renewed", key_from=base, common_name=CA_NAME,
                                 not_before=now - dt.timedelta(hours=2), not_after=now + dt.timedelta(days=90)),
        "new-key": generate_cert(directory, hosts, name="new-key", common_name=CA_NAME),
    }


def _apply(root: Path, edits: tuple[dict[str, str], ...]) -> None:
    for edit in edits:
        path = root / edit["file"]
        text = path.read_text(encoding="utf-8")
        assert edit["find"] in text, f"scenario edit does not apply: {edit}"
        path.write_text(text.replace(edit["find"], edit["replace"]), encoding="utf-8")


def _restore(root: Path, edits: tuple[dict[str, str], ...]) -> None:
    for edit in edits:
        shutil.copyfile(FIXTURES / edit["file"], root / edit["file"])


async def play(workdir: Path, unchanged_runs: int = UNCHANGED_RUNS) -> Played:
    root = workdir / "site"
    shutil.copytree(FIXTURES, root)
    hosts = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("_"))
    certs = _certs(workdir / "certs", hosts)
    played = Played()
    with MockPortal(roots=[root], cert=certs["base"]) as portal:
        spec = BrowserSpec(mappings=tuple(parse_connect_to(a) for a in portal.connect_to_args(hosts)),
                           trust_certs=(str(certs["base"].cert_path), str(certs["new-key"].cert_path)))
        async with BrowserSession(spec) as session:
            for path in ("/login/", "/framed/"):
                played.baseline[path] = await session.visit(played.url(path), OPTIONS)
            played.second = await session.visit(played.url("/login/"), OPTIONS)
            for scenario in scenarios():
                _apply(root, scenario.edit)
                if scenario.cert:
                    portal.serve_cert(certs[scenario.cert])
                try:
                    played.scenarios[scenario.name] = await session.visit(played.url(scenario.page), OPTIONS)
                finally:
                    _restore(root, scenario.edit)
                    portal.serve_cert(certs["base"])
            for _ in range(unchanged_runs):
                played.unchanged.append(await session.visit(played.url("/login/"), OPTIONS))
            for host in CLONES:
                played.clones[host] = await session.visit(played.url("/login/", host), OPTIONS)
    return played


def codes(findings: Any, prefix: str = "baseline.") -> list[tuple[str, str]]:
    return sorted((f.code, f.severity.value) for f in findings if f.code.startswith(prefix))
