"""Clock skew: is this computer's clock close enough to the portal's for sign-in to work?

One-time codes, sign-in links and tokens carry times; a computer whose clock is half a minute
off starts to see them fail. The probe (``clockprobe``) timed requests to each official host of
the visit; ``clock.estimate`` turns each host's samples into a proven interval. Here the hosts are
combined (median; a host more than ``clock.odd_s`` away from the others is named and set aside),
judged against thresholds, and compared with the lifetimes of the portal's own cookies.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from preflight.checks.base import CheckConfig, FindingList
from preflight.config.settings import ClockSettings
from preflight.model.report import CheckResult, Severity
from preflight.model.sections import ClockReference, ClockSection, ClockVerdict
from preflight.model.snapshot import PageSnapshot, SetCookieHeader
from preflight.rules.hosts import host_of
from preflight.rules.jar import parse_set_cookie
from preflight.rules.skew import (
    SkewBounds,
    SkewEstimate,
    by_host,
    estimate,
    parse_http_date,
)

NAME = "clock"
FIX = "Set this computer's date and time automatically (Windows: Settings > Time & language > " \
      "Date & time > Set time automatically; macOS: System Settings > General > Date & Time)."


@dataclass(frozen=True)
class Consensus:
    """The portal's time, agreed between the hosts that were measured."""

    bounds: SkewBounds | None
    """Interval for the median skew of the trusted hosts; ``None`` if none could be trusted."""
    trusted: tuple[SkewEstimate, ...]
    odd: tuple[SkewEstimate, ...]
    """Measured hosts whose clock disagrees with the others by more than ``odd_s``."""
    unmeasured: tuple[SkewEstimate, ...]

    @property
    def spread_seconds(self) -> float:
        skews = [e.bounds.midpoint for e in self.trusted if e.bounds is not None]
        return round(max(skews) - min(skews), 3) if skews else 0.0


def agree(estimates: Sequence[SkewEstimate], preferred_host: str, odd_s: float = ClockSettings.odd_s) -> Consensus:
    """Median of the hosts that agree; with two that disagree, the final page's host wins.

    The median is monotone in each input, so the medians of the lower and of the upper bounds
    bound the median skew: the combined interval is as honest as each host's.
    """
    measured = [e for e in estimates if e.bounds is not None]
    unmeasured = tuple(e for e in estimates if e.bounds is None)
    mids = {e.host: e.bounds.midpoint for e in measured if e.bounds is not None}
    if len(measured) >= 3:
        centre = statistics.median(mids.values())
        odd = [e for e in measured if abs(mids[e.host] - centre) > odd_s]
    elif len(measured) == 2 and abs(mids[measured[0].host] - mids[measured[1].host]) > odd_s:
        odd = list(measured)
    else:
        odd = []
    trusted = [e for e in measured if e not in odd]
    if not trusted:
        trusted = [e for e in measured if e.host == preferred_host]
        odd = [e for e in odd if e not in trusted]
    if not trusted:
        return Consensus(None, (), tuple(odd), unmeasured)
    lows = [e.bounds.low for e in trusted if e.bounds is not None]
    highs = [e.bounds.high for e in trusted if e.bounds is not None]
    bounds = SkewBounds(statistics.median(lows), statistics.median(highs))
    return Consensus(bounds, tuple(trusted), tuple(odd), unmeasured)


@dataclass(frozen=True)
class CookieLifetime:
    """How long a portal cookie lives by the portal's clock (``Expires`` minus the response's Date)."""

    name: str
    host: str
    lifetime_s: float


def expires_lifetimes(headers: Sequence[SetCookieHeader], official: set[str]) -> list[CookieLifetime]:
    """Lifetimes of the official hosts' cookies that a wrong clock can cut short.

    Only ``Expires`` cookies: ``Max-Age`` counts from arrival on this computer's own clock
    (RFC 6265 5.2.2), so skew cannot shorten it. Cookies already expired by the server's clock
    are deletions, not sign-in state.
    """
    lifetimes = []
    for header in headers:
        host = host_of(header.url)
        if host not in official:
            continue
        attributes = parse_set_cookie(header.header)  # the browser's own parsing rules
        if attributes.max_age is not None or attributes.expires is None:
            continue
        expires = attributes.expires
        date = parse_http_date(header.date)
        if expires is None or date is None or expires <= date:
            continue
        lifetimes.append(CookieLifetime(header.name or header.header.split("=", 1)[0].strip(), host, expires - date))
    return lifetimes


def check(snapshot: PageSnapshot, config: CheckConfig) -> CheckResult:
    if not snapshot.clock_samples:
        return CheckResult(NAME)  # not measured (--no-clock, or the visit ended first)
    found = FindingList(NAME)
    thresholds = config.settings.clock
    warn_s, fail_s, odd_s = thresholds.warn_s, thresholds.fail_s, thresholds.odd_s
    final_host = host_of(snapshot.final_url)
    estimates = [estimate(samples, host) for host, samples in by_host(snapshot.clock_samples).items()]
    consensus = agree(estimates, final_host, odd_s)
    references = tuple(_reference(e, consensus) for e in estimates)
    samples = sum(e.samples for e in estimates)
    for odd in consensus.odd:
        assert odd.skew_seconds is not None  # a host is called odd only for a measured skew
        found.add("odd_reference", Severity.INFO,
                  f"The portal server {odd.host} disagrees with the others about the time by "
                  f"{_duration(abs(odd.skew_seconds - _median_others(odd, estimates)))}; it was not used.",
                  host=odd.host, skew_seconds=odd.skew_seconds, uncertainty_seconds=odd.uncertainty_seconds)
    if consensus.bounds is None:
        reasons = [e.reason for e in consensus.unmeasured if e.reason]
        if consensus.odd:
            reasons.append("the portal's servers disagree about the time")
        reason = "; ".join(reasons) or "no usable Date header"
        found.add("unmeasurable", Severity.INFO,
                  f"This computer's clock could not be compared with the portal's: {reason}.", reason=reason)
        section = ClockSection(skew_seconds=None, uncertainty_seconds=None, samples=samples,
                               spread_seconds=consensus.spread_seconds, references=references,
                               verdict="unmeasurable", reason=reason)
        return CheckResult(NAME, tuple(found.items), section)

    skew, uncertainty = consensus.bounds.rounded()
    evidence = {"skew_seconds": skew, "uncertainty_seconds": uncertainty,
                "hosts": [e.host for e in consensus.trusted]}
    size = abs(skew)
    if size >= warn_s:
        severity = Severity.FAIL if size >= fail_s else Severity.WARN
        effect = ("Signing in will most likely fail." if severity is Severity.FAIL
                  else "One-time codes and sign-in links may be rejected.")
        found.add("skew", severity,
                  f"This computer's clock is {_duration(size)} {_direction(skew)} the portal's"
                  f"{_timezone_hint(skew)}. {effect} {FIX}", **evidence)
    official = {e.host for e in estimates} | {h for h in _page_hosts(snapshot) if config.allowlist.lookup(h)}
    for cookie in expires_lifetimes(snapshot.set_cookie_headers, official):
        if skew >= cookie.lifetime_s:
            found.add("cookie_expiry_risk", Severity.FAIL,
                      f"The portal's cookie {cookie.name} lasts {_duration(cookie.lifetime_s)}, but this computer's "
                      f"clock is {_duration(skew)} ahead: the cookie can expire as soon as it arrives, and "
                      f"signing in may fail or loop. {FIX}",
                      cookie=cookie.name, host=cookie.host, lifetime_seconds=round(cookie.lifetime_s, 3), **evidence)
    if not any(f.severity in (Severity.WARN, Severity.FAIL) for f in found.items):
        found.add("ok", Severity.PASS,
                  f"This computer's clock agrees with the portal's ({_signed(skew)} ± {uncertainty:.3f} s).",
                  **evidence)
    worst = max((f.severity.rank for f in found.items), default=Severity.PASS.rank)
    verdict: ClockVerdict = "fail" if worst >= Severity.FAIL.rank else "warn" if worst >= Severity.WARN.rank else "pass"
    section = ClockSection(skew_seconds=skew, uncertainty_seconds=uncertainty, samples=samples,
                           spread_seconds=consensus.spread_seconds, references=references, verdict=verdict)
    return CheckResult(NAME, tuple(found.items), section)


def _reference(e: SkewEstimate, consensus: Consensus) -> ClockReference:
    return ClockReference(host=e.host, skew_seconds=e.skew_seconds, uncertainty_seconds=e.uncertainty_seconds,
                          samples=e.samples, trusted=e in consensus.trusted, reason=e.reason or None)


def _median_others(odd: SkewEstimate, estimates: Sequence[SkewEstimate]) -> float:
    others = [e.bounds.midpoint for e in estimates if e is not odd and e.bounds is not None]
    return statistics.median(others) if others else 0.0


def _page_hosts(snapshot: PageSnapshot) -> set[str]:
    return {host for host in (host_of(url) for url in snapshot.page_urls) if host}


def _direction(skew: float) -> str:
    return "ahead of" if skew > 0 else "behind"


def _signed(skew: float) -> str:
    if abs(skew) < 0.0005:
        return "0.000 s apart"
    return f"{abs(skew):.3f} s {'ahead' if skew > 0 else 'behind'}"


def _timezone_hint(skew: float) -> str:
    hours = abs(skew) / 3600
    if 0.9 <= hours <= 14.1 and abs(hours - round(hours)) * 3600 <= 120:  # time zones span 14 h
        return " (a whole number of hours: the time zone may be set wrong)"
    return ""


def _duration(seconds: float) -> str:
    seconds = abs(seconds)
    if seconds < 10:
        return f"{seconds:.2f} s"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} minutes"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.1f} hours"
    return f"{seconds / 86400:.0f} days"
