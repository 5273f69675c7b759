"""One doctor run: every probe at once, each under its own time cap, assembled in checklist order.

The machine is asked through a ``System`` (``system.py``); the browser and the network through
``Probes`` (real ones by default, fakes in tests). A probe that passes its cap becomes
``not_run`` ("did not finish within N s"); one that crashes becomes ``not_run`` too, and the run's
verdict ``error`` (a bug: exit 70). Without network, the network checks are ``not_run: no network``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import time
import traceback
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from cryptography import x509

from preflight.capture.readiness import BrowserReadiness
from preflight.config.allowlist import Allowlist
from preflight.config.network import HostMapping
from preflight.config.settings import Settings
from preflight.doctor import browsers, names, proxy, readiness, timecheck, tls
from preflight.doctor.base import NO_NETWORK, not_run
from preflight.doctor.portal import portal_check
from preflight.doctor.steps import next_steps
from preflight.doctor.system import System
from preflight.model.doctor import DoctorReport, MachineCheck, Owner
from preflight.model.report import Finding, TargetResult
from preflight.model.snapshot import ClockSample
from preflight.rules.hosts import host_of
from preflight.rules.redact import redact_url
from preflight.rules.skew import SkewEstimate, estimate

_T = TypeVar("_T")

CAPS = {
    "browsers": 8.0, "browser": 12.0, "sync": 8.0, "zone": 6.0, "hosts": 3.0, "dns": 5.0, "proxy": 8.0,
    "roots": 7.0, "tls": 6.0, "clock": 5.0, "portal": 13.0,
}
"""Seconds each probe may take. Commands inside have their own 3 s timeouts, the browser launch
its own, so a cap is a backstop that turns a stuck probe into ``not_run``."""
RUN_BUDGET_S = 12.0
"""No probe runs past this many seconds from the start of the run, whatever its own cap: the
probes that start after name resolution (TLS, clock, the visit) get what is left. With the
interpreter's start and exit, the whole command stays under 15 s even on a loaded machine."""
PORTAL_TIMEOUT_S = 10.0
"""The guarded visit's ``--timeout`` (retries and the launch included)."""


@dataclass(frozen=True)
class DoctorOptions:
    allowlist: Allowlist
    portal_url: str
    portal_name: str = ""
    settings: Settings = Settings()
    role: str | None = None
    no_portal: bool = False
    profile_dir: str | None = None
    browser_path: str | None = None
    browser_channel: str | None = None
    mappings: tuple[HostMapping, ...] = ()
    trust_certs: tuple[str, ...] = ()


async def _real_browser(options: DoctorOptions) -> BrowserReadiness:
    from preflight.capture.readiness import probe_browser

    return await probe_browser(options.browser_path, options.browser_channel, timeout_s=CAPS["browser"] - 1)


def _real_chain(host: str, connect_host: str, connect_port: int) -> tuple[bytes, ...]:
    return tls.fetch_chain(host, connect_host, connect_port)


def _real_clock(url: str, mappings: Sequence[HostMapping], trust_certs: Sequence[str]) -> tuple[ClockSample, ...]:
    from preflight.capture.clockprobe import measure_url

    return measure_url(url, mappings, trust_certs)


async def _real_portal(options: DoctorOptions) -> TargetResult:
    from preflight.runner import NullObserver, RunSettings, run_async

    settings = RunSettings(allowlist=options.allowlist, browser_path=options.browser_path,
                           browser_channel=options.browser_channel, mappings=options.mappings,
                           trust_certs=options.trust_certs, jobs=1, timeout_s=PORTAL_TIMEOUT_S,
                           clock=False, profile_dir=options.profile_dir, settings=options.settings)
    report = await run_async([options.portal_url], settings, NullObserver())
    return report.results[0]


def _reference_version() -> str | None:
    from preflight.capture.readiness import playwright_chromium_version

    return playwright_chromium_version()


@dataclass(frozen=True)
class Probes:
    """The browser and network halves of doctor; tests give fakes."""

    browser: Callable[[DoctorOptions], Awaitable[BrowserReadiness]] = _real_browser
    chain: Callable[[str, str, int], tuple[bytes, ...]] = _real_chain
    clock: Callable[[str, Sequence[HostMapping], Sequence[str]], tuple[ClockSample, ...]] = _real_clock
    portal: Callable[[DoctorOptions], Awaitable[TargetResult]] = _real_portal
    public_roots: Callable[[], tuple[x509.Certificate, ...]] = tls.public_roots
    reference_version: Callable[[], str | None] = _reference_version


@dataclass
class _Outcome:
    crashed: list[str] = field(default_factory=list)
    could_not_run: list[str] = field(default_factory=list)


class _Capped:
    """Runs probes in threads or as coroutines, each under its cap; remembers which crashed."""

    def __init__(self, outcome: _Outcome, deadline: float) -> None:
        self.outcome = outcome
        self.deadline = deadline
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=12, thread_name_prefix="preflight-doctor")

    def thread(self, name: str, fn: Callable[..., _T], *args: Any) -> asyncio.Future[Any]:
        loop = asyncio.get_running_loop()
        return asyncio.ensure_future(self._capped(name, asyncio.wrap_future(self.pool.submit(fn, *args), loop=loop)))

    def task(self, name: str, coro: Awaitable[_T]) -> asyncio.Future[Any]:
        return asyncio.ensure_future(self._capped(name, coro))

    async def _capped(self, name: str, awaitable: Awaitable[_T]) -> Any:
        """The probe's value, or a ``str`` saying why there is none."""
        cap = round(max(0.1, min(CAPS[name], self.deadline - time.monotonic())), 1)
        try:
            return await asyncio.wait_for(awaitable, cap)
        except TimeoutError:
            return f"did not finish within {cap:g} s"
        except Exception as exc:  # noqa: BLE001 - a crashed probe is a bug, not a finding
            where = traceback.extract_tb(exc.__traceback__)[-1]
            self.outcome.crashed.append(name)
            return f"crashed (a bug in preflight): {type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})"

    def close(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)


def _or_not_run(value: Any, *ids: tuple[str, Owner]) -> list[MachineCheck] | None:
    if isinstance(value, str):
        return [not_run(check_id, owner, value) for check_id, owner in ids]
    return None


async def run_doctor_async(options: DoctorOptions, system: System, probes: Probes = Probes()) -> DoctorReport:
    started = time.monotonic()
    outcome = _Outcome()
    capped = _Capped(outcome, started + RUN_BUDGET_S)
    allowlist = options.allowlist
    portal_host = host_of(options.portal_url) or ""
    mapped = tuple(dict.fromkeys(m.host for m in options.mappings if m.host))
    try:
        browser_facts = capped.task("browser", probes.browser(options))
        installed = capped.thread("browsers", browsers.find_installed, system)
        reference = capped.thread("browsers", probes.reference_version)
        sync = capped.thread("sync", timecheck.sync_check, system)
        zone = capped.thread("zone", _zone, system)
        hosts_file = capped.thread("hosts", names.hosts_file_check, system, allowlist)
        dns = capped.thread("dns", names.resolve_all, system, allowlist.hosts)
        proxies = capped.thread("proxy", proxy.find_proxies, system)
        roots = capped.thread("roots", _roots, system, probes.public_roots)

        answers = await dns
        network = not isinstance(answers, str) and names.network_available(answers, mapped)
        offline = NO_NETWORK if not network else None
        connect = _connect_target(options)
        chain = capped.thread("tls", _handshake, probes.chain, portal_host, *connect) if network else None
        clock = capped.thread("clock", probes.clock, options.portal_url, options.mappings, options.trust_certs) \
            if network else None
        portal = capped.task("portal", probes.portal(options)) if network and not options.no_portal else None

        checks: list[MachineCheck] = []
        facts = await browser_facts
        found = await installed
        checks.extend(_or_not_run(found, ("browsers.installed", Owner.PRACTICE_IT), ("browsers.up_to_date", Owner.PRACTICE_IT))
                      or [browsers.installed_check(system, found),
                          browsers.up_to_date_check(system, found, _major(await reference))])
        readiness_ids = ("browsers.headless", "browsers.javascript", "browsers.cookies", "browsers.third_party_cookies",
                         "browsers.policies")
        if isinstance(facts, str):
            checks.extend(not_run(i, Owner.PRACTICE_IT, facts) for i in readiness_ids)
            facts = BrowserReadiness(error=facts)
        else:
            headless = readiness.headless_check(facts)
            if headless.status.value == "fail":
                outcome.could_not_run.append(headless.id)
            checks.append(headless)
            checks.extend(readiness.javascript_check(facts))
            checks.append(readiness.third_party_check(system, facts, allowlist, options.profile_dir))
            checks.append(readiness.policies_check(facts, allowlist))

        portal_result = await portal if portal is not None else None
        portal_findings: tuple[Finding, ...] | None = None
        why_no_portal = offline or ("--no-portal" if options.no_portal else None)
        if isinstance(portal_result, str):
            why_no_portal, portal_result = portal_result, None
        elif portal_result is not None:
            if portal_result.crashed_checks:
                outcome.crashed.append("portal")  # a check of the visit crashed: a bug, as in `check`
            if portal_result.error is None:
                portal_findings = portal_result.findings
            else:
                why_no_portal = f"the portal check could not visit: {portal_result.error.message}"
        checks.append(readiness.profile_cookies_check(options.profile_dir, portal_findings, why_no_portal))

        checks.append(_value(await sync, "time.sync", Owner.PRACTICE_IT))
        checks.append(_value(await zone, "time.zone", Owner.USER))
        skew_estimate, why_no_skew = await _skew(clock, portal_host, offline)
        checks.extend(timecheck.skew_checks(system, skew_estimate, why_no_skew, options.settings.clock.warn_s,
                                            options.settings.clock.fail_s))

        hosts_answer = await hosts_file
        pinned: tuple[names.HostsEntry, ...] = ()
        if isinstance(hosts_answer, str):
            checks.append(not_run("dns.hosts_file", Owner.PRACTICE_IT, hosts_answer))
        else:
            hosts_check, pinned = hosts_answer
            checks.append(hosts_check)
        checks.append(not_run("dns.portal_hosts", Owner.PRACTICE_IT, answers) if isinstance(answers, str)
                      else names.resolution_check(answers, pinned, mapped))

        found_proxies = await proxies
        if isinstance(found_proxies, str):
            checks.append(not_run("network.proxy", Owner.PRACTICE_IT, found_proxies))
            found_proxies = ()
        else:
            found_proxies = (*found_proxies, *proxy.policy_proxies(facts.policies or ()))
            checks.append(proxy.proxy_check(found_proxies, portal_host))
        checks.append(await _tls(chain, roots, portal_host, allowlist, offline, bool(found_proxies), options.trust_certs))

        if portal_result is not None:
            summary, could_not = portal_check(redact_url(options.portal_url), portal_result)
            if could_not:
                outcome.could_not_run.append(summary.id)
            checks.append(summary)
        else:
            checks.append(not_run("portal.check", Owner.PRACTICE_IT, why_no_portal or "not run",
                                  fix="Run doctor again when online" if offline else ""))
    finally:
        capped.close()
    return DoctorReport(
        checks=tuple(checks), role=options.role, elapsed_s=round(time.monotonic() - started, 2),
        next_steps=next_steps(checks, options.role, allowlist, redact_url(options.portal_url), options.portal_name),
        machine=system.release, portal_url=redact_url(options.portal_url),
        crashed=tuple(_crashed_ids(outcome.crashed)), could_not_run=tuple(outcome.could_not_run))


_PROBE_IDS = {
    "browsers": ("browsers.installed", "browsers.up_to_date"), "browser": ("browsers.headless",),
    "sync": ("time.sync",), "zone": ("time.zone",), "hosts": ("dns.hosts_file",), "dns": ("dns.portal_hosts",),
    "proxy": ("network.proxy",), "roots": ("network.tls_inspection",), "tls": ("network.tls_inspection",),
    "clock": ("time.skew",), "portal": ("portal.check",),
}


def _crashed_ids(probes: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(i for p in probes for i in _PROBE_IDS[p]))


def _value(value: Any, check_id: str, owner: Owner) -> MachineCheck:
    if isinstance(value, str):
        return not_run(check_id, owner, value)
    assert isinstance(value, MachineCheck)
    return value


def _handshake(chain: Callable[[str, str, int], tuple[bytes, ...]], host: str, connect_host: str,
               connect_port: int) -> tuple[bytes, ...] | HandshakeFailed:
    try:
        return chain(host, connect_host, connect_port)
    except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
        return HandshakeFailed(str(exc) or type(exc).__name__)


@dataclass(frozen=True)
class HandshakeFailed:
    """No TLS handshake with the portal host: refused, reset, timed out, not TLS."""

    error: str


def _major(version: Any) -> int | None:
    return int(version.split(".", 1)[0]) if isinstance(version, str) and version[:1].isdigit() else None


def _zone(system: System) -> MachineCheck:
    facts = timecheck.zone_facts(system)
    return timecheck.zone_check(system, facts, _valid_zone(facts.zone, system))


def _valid_zone(zone: str | None, system: System) -> bool | None:
    if zone is None or system.platform == "windows":
        return None
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False if zoneinfo.available_timezones() else None
    return True


def _roots(system: System, public: Callable[[], tuple[x509.Certificate, ...]]) -> tuple[tuple[x509.Certificate, ...], tuple[x509.Certificate, ...]]:
    return public(), tls.local_roots(system)


def _connect_target(options: DoctorOptions) -> tuple[str, int]:
    from preflight.config.network import map_hosts

    host = host_of(options.portal_url) or ""
    return map_hosts(options.mappings, host, 443)


async def _skew(clock: asyncio.Future[Any] | None, host: str, offline: str | None) -> tuple[SkewEstimate | None, str | None]:
    if clock is None:
        return None, offline or "not measured"
    samples = await clock
    if isinstance(samples, str):
        return None, samples
    return estimate(samples, host), None


async def _tls(chain: asyncio.Future[Any] | None, roots: asyncio.Future[Any], host: str, allowlist: Allowlist,
               offline: str | None, proxied: bool, trust_certs: Sequence[str] = ()) -> MachineCheck:
    stores = await roots
    if chain is None:
        return not_run("network.tls_inspection", Owner.PRACTICE_IT, offline or "not run")
    presented = await chain
    entry = allowlist.lookup(host)
    hosts = (*entry.portal.hosts, *entry.portal.identity_hosts) if entry is not None else (host,)
    if isinstance(stores, str):
        return not_run("network.tls_inspection", Owner.PRACTICE_IT, f"the trust stores could not be read: {stores}")
    if isinstance(presented, str):
        return not_run("network.tls_inspection", Owner.PRACTICE_IT, presented)
    if isinstance(presented, HandshakeFailed) or not presented:
        return tls.tls_check(host, hosts, None, presented.error if presented else "no certificate", proxied)
    if trust_certs and tls.pinned(presented, trust_certs):
        return not_run("network.tls_inspection", Owner.PRACTICE_IT, "--trust-cert pins this chain",
                       f"{host} presented the certificate given with --trust-cert: trusted by pin for this run, so "
                       "whether a public root program trusts it was not judged")
    return tls.tls_check(host, hosts, tls.judge_chain(presented, *stores), None, proxied)
