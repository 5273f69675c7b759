"""A run report that exercises every section shape the JSON contract knows.

Built from the stored corpus snapshots (every portal shape), the builders of the clock and
cookies tests (every clock verdict, stored state, third-party probes) and an unreachable target.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from preflight.capture import existing_state as profile
from preflight.checks import CheckConfig
from preflight.model.report import RunReport, TargetError, TargetResult
from preflight.model.snapshot import (
    BlockedRequest,
    ClockSample,
    CookieFacts,
    ExistingCookies,
    PageSnapshot,
    ThirdPartyProbe,
)
from preflight.runner import run_checks
from tests.checks.test_clock import HOST, NOW, straddling
from tests.checks.test_cookies import EXAMPLE, STATE_FILE, sign_in_page
from tests.checks.test_portal import provider_landing
from tests.factories import default_allowlist, snapshot
from tests.test_cookiejar import SENT_AT, kept, visit

CORPUS = Path(__file__).resolve().parents[2] / "fixtures" / "corpus" / "snapshots"


def corpus_snapshots() -> list[PageSnapshot]:
    return [PageSnapshot.from_dict(json.loads(path.read_text(encoding="utf-8")))
            for path in sorted(CORPUS.glob("*.json"))]


def _state_visit() -> PageSnapshot:
    state = profile.read_storage_state(STATE_FILE)
    existing = profile.storage_state_cookies(state, str(STATE_FILE), read_at=SENT_AT)
    loaded = tuple(c for c in existing.cookies if c.expires < 0 or c.expires > SENT_AT)
    fresh = kept("__Host-prov_session", "new-session", secure=True, http_only=True)
    jar_now = tuple(c for c in loaded if c.name != "__Host-prov_session") + (fresh,)
    return visit(jar_cookies=jar_now, existing_cookies=existing, cookies_enabled=True)


def cookie_snapshots() -> list[PageSnapshot]:
    required = ThirdPartyProbe(allowed=sign_in_page(login=True), blocked=sign_in_page(login=False))
    kept_login = ThirdPartyProbe(allowed=sign_in_page(login=True), blocked=sign_in_page(login=True))
    failed = ThirdPartyProbe(error="the comparison visits did not finish in time")
    undecryptable = ExistingCookies("profile", "~/.config/google-chrome", "chrome",
                                    (CookieFacts("sid", "provider.example.com"),), undecryptable=1)
    return [
        _state_visit(),
        replace(sign_in_page(login=False), third_party_probe=required),
        replace(sign_in_page(login=True), third_party_probe=kept_login),
        replace(sign_in_page(login=True), third_party_probe=failed),
        visit(existing_cookies=undecryptable, cookies_enabled=False),
        visit("JSESSIONID=v; SameSite=None", "theme=v; SameSite=None", cookies_enabled=True),
    ]


def clock_snapshots() -> list[PageSnapshot]:
    no_date = (ClockSample("cignaforhcp.com", NOW, NOW + 0.01, None, 200),) * 2
    odd = straddling(-0.25, "www.cignaforhcp.com") + straddling(-3600.0, "cignaforhcp.com") + straddling(0.0, HOST)
    return [
        snapshot(clock_samples=straddling(1.25)),
        snapshot(clock_samples=straddling(400.0)),
        snapshot(clock_samples=no_date + straddling(40.0, HOST)),
        snapshot(clock_samples=odd),
        snapshot(clock_samples=no_date),
        snapshot(clock_samples=straddling(0.5), blocked_requests=(
            BlockedRequest("POST", "https://cignaforhcp.cigna.com/login", "form-submit", "page", True),
            BlockedRequest("GET", "https://tracker.example/p?t=<redacted>", "secret-in-url"))),
    ]


def landing_snapshots() -> list[PageSnapshot]:
    """Pages without a login whose login links point to an official host and to a lookalike."""
    return [provider_landing("https://cignaforhcp.cigna.com/app/login"),
            provider_landing("https://cignaforhcp-login.com/app")]


def baseline_results() -> list[TargetResult]:
    """`check --baseline`: a page compared with changes (one of them ignored), one not in the baseline."""

    from tests.baseline.builders import entry, login_page, with_baseline

    config = with_baseline(entry(), ignore=("baseline.favicon_changed",))
    changed = login_page(action="https://collect.example.net/login", favicon="e" * 64)
    missing = login_page("https://cignaforhcp.com/")
    return [TargetResult(s.requested_url, s, run_checks(s, config)) for s in (changed, missing)]


def full_report() -> RunReport:
    cigna = CheckConfig(default_allowlist(), now=float(NOW))
    results = [TargetResult(s.requested_url, s, run_checks(s, cigna))
               for s in [*corpus_snapshots(), *clock_snapshots(), *landing_snapshots()]]
    results += [TargetResult(s.requested_url, s, run_checks(s, EXAMPLE)) for s in cookie_snapshots()]
    results += baseline_results()
    down = TargetResult("https://down.example/", None, (), TargetError("target.unreachable", "refused"),
                        attempts=2, elapsed_s=1.5, evidence=("ev/down/check-1/page.png",))
    results.append(down)
    # A target of preflight.toml whose first check failed and whose confirming check did not.
    passing = next(r for r in results if r.verdict.value in ("pass", "warn"))
    results.append(replace(passing, name="cigna-provider", tags=("prod", "cigna"), rechecks=(down,),
                           evidence=("ev/cigna-provider/check-2/visit.har",)))
    return RunReport(results=tuple(results), allowlist_path="<packaged default>", browser="test",
                     started_at=1_800_000_000.0, elapsed_s=12.5)
