"""Recorded machines and fake browser/network probes for doctor tests (no browser, no network)."""

from __future__ import annotations

import asyncio
import email.utils
import functools
import json
import math
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from preflight.capture.readiness import BrowserReadiness
from preflight.config.allowlist import load_allowlist
from preflight.doctor import DoctorOptions, Probes, RecordedSystem, run_doctor_async
from preflight.model.doctor import DoctorReport
from preflight.model.policy import PolicyEntry
from preflight.model.report import CheckResult, Finding, Severity, TargetError, TargetResult
from preflight.model.snapshot import ClockSample

RECORDED = Path(__file__).parent / "recorded"
PORTAL = "https://cignaforhcp.cigna.com/"
ALLOWLIST = load_allowlist(None)


def machine(platform: str, **changes: Any) -> RecordedSystem:
    """The recorded machine, with ``changes`` merged in (dict keys merged one level deep; a value of
    ``None`` removes the recorded answer)."""
    data = json.loads((RECORDED / f"{platform}.json").read_text(encoding="utf-8"))
    for key, value in changes.items():
        if isinstance(value, Mapping) and isinstance(data.get(key), Mapping):
            merged = {**data[key], **value}
            data[key] = {k: v for k, v in merged.items() if v is not None}
        else:
            data[key] = value
    return RecordedSystem.from_mapping(data)


READY = BrowserReadiness(browser="/usr/bin/google-chrome (from PATH)", executable="/usr/bin/google-chrome",
                         version="131.0.6778.85", launch_s=0.8, javascript=True, script_cookie=True,
                         header_cookie=True, policies=())


def samples_for(skew: float, host: str = "cignaforhcp.cigna.com", start: float = 1_790_000_000.37) -> tuple[ClockSample, ...]:
    """Twelve answers a server ``skew`` seconds behind this computer would give, straddling a tick."""
    found = []
    for k in range(12):
        sent = start + k * 0.1
        received = sent + 0.004
        date = email.utils.formatdate(math.floor(sent + 0.002 - skew), usegmt=True)
        found.append(ClockSample(host, sent, received, date, 200))
    return tuple(found)


def portal_result(*findings: Finding, error: TargetError | None = None) -> TargetResult:
    base = (Finding("domain", "domain.official", Severity.PASS, "cignaforhcp.cigna.com is the official CignaforHCP portal"),)
    return TargetResult(PORTAL, None, (CheckResult("domain", base + findings),), error, 1, 1.2)


@functools.cache
def public_chain() -> tuple[tuple[bytes, ...], tuple[x509.Certificate, ...]]:
    """A chain that ends at a root of the (fake) public root program: (chain DER, the program's roots)."""
    ca = trustme.CA(organization_name="Public Test Root Program")
    leaf = ca.issue_cert("cignaforhcp.cigna.com")
    der = x509.load_pem_x509_certificate(leaf.cert_chain_pems[0].bytes()).public_bytes(serialization.Encoding.DER)
    return (der,), (x509.load_pem_x509_certificate(ca.cert_pem.bytes()),)


def probes(readiness: BrowserReadiness | Exception = READY, chain: Any = None, skew: float | None = 0.2,
           portal: TargetResult | Exception | None = None, public: tuple[Any, ...] | None = None,
           reference: str | None = "131.0.6778.0", browser_delay_s: float = 0.0, portal_delay_s: float = 0.0) -> Probes:
    chain = public_chain()[0] if chain is None else chain
    public = public_chain()[1] if public is None else public

    async def browser(_options: DoctorOptions) -> BrowserReadiness:
        if browser_delay_s:
            await asyncio.sleep(browser_delay_s)
        if isinstance(readiness, Exception):
            raise readiness
        return readiness

    def fetch(host: str, connect_host: str, connect_port: int) -> tuple[bytes, ...]:
        if isinstance(chain, Exception):
            raise chain
        return tuple(chain)

    def clock(url: str, mappings: Any, trust: Any) -> tuple[ClockSample, ...]:
        return () if skew is None else samples_for(skew)

    async def visit(_options: DoctorOptions) -> TargetResult:
        if portal_delay_s:
            await asyncio.sleep(portal_delay_s)
        if isinstance(portal, Exception):
            raise portal
        return portal if portal is not None else portal_result()

    return Probes(browser=browser, chain=fetch, clock=clock, portal=visit, public_roots=lambda: tuple(public),
                  reference_version=lambda: reference)


def options(**changes: Any) -> DoctorOptions:
    return replace(DoctorOptions(allowlist=ALLOWLIST, portal_url=PORTAL, portal_name="CignaforHCP"), **changes)


def run(system: RecordedSystem, fake: Probes | None = None, **option_changes: Any) -> DoctorReport:
    return asyncio.run(run_doctor_async(options(**option_changes), system, fake or probes()))


def policy(name: str, value: str) -> PolicyEntry:
    return PolicyEntry(name=name, value_text=value, source="Platform", scope="Machine", level="Mandatory", status="OK")
