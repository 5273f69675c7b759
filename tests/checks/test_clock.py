"""The clock arithmetic (``preflight.clock``) and the clock check, on synthetic samples."""

from __future__ import annotations

import email.utils
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from preflight.checks import CheckConfig
from preflight.checks.clock import check
from preflight.config.settings import ClockSettings, Settings
from preflight.model.report import Severity
from preflight.model.sections import ClockReference, ClockSection
from preflight.model.serialize import to_jsonable
from preflight.model.snapshot import ClockSample, SetCookieHeader
from preflight.rules.skew import (
    SkewBounds,
    estimate,
    intersect_all,
    naive_skew,
    parse_http_date,
    sample_bounds,
)

from ..factories import CIGNA_HCP, default_allowlist, snapshot

HOST = "cignaforhcp.cigna.com"
NOW = 1_800_000_000
CONFIG = CheckConfig(allowlist=default_allowlist(), now=float(NOW))


def http_date(unix: float) -> str:
    return email.utils.formatdate(math.floor(unix), usegmt=True)


def answered(skew: float, sent: float, received: float, stamp: float | None = None, host: str = HOST) -> ClockSample:
    """A request the server (clock = local - skew) stamped at local time ``stamp`` (default: mid-flight)."""
    stamp = (sent + received) / 2 if stamp is None else stamp
    return ClockSample(host, sent, received, http_date(stamp - skew), 200)


def straddling(skew: float, host: str = HOST, at: int = NOW) -> tuple[ClockSample, ...]:
    """Two requests either side of the server's second boundary: skew known to +-11 ms."""
    boundary = at + skew  # local time at which the server's second ``at`` starts
    return (answered(skew, boundary - 0.011, boundary - 0.001, host=host),
            answered(skew, boundary + 0.001, boundary + 0.011, host=host))


def codes(result):
    return {f.code: f.severity for f in result.findings}


# --------------------------------------------------------------------------- Date parsing


@pytest.mark.parametrize("text", ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
                                  "Sun Nov  6 08:49:37 1994", " Sun, 06 Nov 1994 08:49:37 UTC "])
def test_the_three_http_date_formats_parse(text):
    assert parse_http_date(text) == 784111777


@pytest.mark.parametrize("text", [None, "", "Tomorrow, around lunch", "Sun, 06 Nov 1994 08:49 GMT",
                                  "Sun, 06 Nov 1994 08:49:37 +0200", "Sun, 06 Nov 1994 08:49:37",
                                  "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 36 Nov 1994 08:49:37 GMT", "1800000000"])
def test_anything_else_is_not_a_date(text):
    # A Date without seconds or in local time would silently move the one-second step.
    assert parse_http_date(text) is None


# --------------------------------------------------------------------------- the estimator


def test_one_sample_bounds_the_skew_by_its_timing_and_the_second():
    # Given a request sent at NOW+0.2 and answered at NOW+0.3 with Date NOW
    sample = ClockSample(HOST, NOW + 0.2, NOW + 0.3, http_date(NOW), 200)
    # Then the skew is in (s - D - 1, r - D]
    assert sample_bounds(sample) == SkewBounds(pytest.approx(-0.8), pytest.approx(0.3))


def test_samples_straddling_a_boundary_pin_the_skew_down():
    result = estimate(straddling(0.4321))
    assert result.bounds is not None and result.bounds.low < 0.4321 <= result.bounds.high
    assert result.skew_seconds == pytest.approx(0.4321, abs=0.001)
    assert 0.011 <= result.uncertainty_seconds <= 0.012  # the proof's half-width, rounded outwards


def test_reported_uncertainty_is_never_narrower_than_the_proof():
    bounds = SkewBounds(0.12344, 0.12391)
    skew, uncertainty = bounds.rounded()
    assert skew - uncertainty <= bounds.low and bounds.high <= skew + uncertainty


@settings(max_examples=300, deadline=None)
@given(
    skew=st.floats(-100_000, 100_000),
    requests=st.lists(st.tuples(st.floats(0, 5), st.floats(0.00005, 1.5), st.floats(0, 1)), min_size=1, max_size=15),
)
def test_property_the_interval_always_contains_the_true_skew(skew, requests):
    # Given requests at random times with random round trips, each stamped anywhere in flight
    samples, clock = [], NOW + 0.0
    for gap, rtt, where in requests:
        clock += gap
        samples.append(answered(skew, clock, clock + rtt, stamp=clock + where * rtt))
        clock += rtt
    # Then their intersection exists and holds the truth (to float precision at 1.8e9 s)
    bounds = intersect_all(samples)
    assert bounds is not None
    assert bounds.low - 1e-6 < skew <= bounds.high + 1e-6
    reported, uncertainty = bounds.rounded()
    assert abs(reported - skew) <= uncertainty + 1e-6


def test_naive_single_date_estimate_is_off_by_up_to_half_a_second():
    sample = answered(0.0, NOW + 0.9, NOW + 0.901)
    assert naive_skew(sample) == pytest.approx(0.4, abs=0.01)


# --------------------------------------------------------------------------- unmeasurable


def unmeasurable_reason(samples) -> str:
    result = check(snapshot(clock_samples=tuple(samples)), CONFIG)
    assert codes(result) == {"clock.unmeasurable": Severity.INFO}
    assert result.data.verdict == "unmeasurable" and result.data.skew_seconds is None
    return result.data.reason


def test_no_date_header_is_unmeasurable():
    assert "no Date header" in unmeasurable_reason([ClockSample(HOST, NOW, NOW + 0.01, None, 200)] * 2)


def test_garbled_date_is_unmeasurable_and_quoted():
    reason = unmeasurable_reason([ClockSample(HOST, NOW, NOW + 0.01, "Tomorrow, around lunch", 200)] * 2)
    assert "not a valid date" in reason and "Tomorrow" in reason


def test_a_single_sample_is_not_enough():
    assert "only one" in unmeasurable_reason([answered(0.0, NOW, NOW + 0.01)])


def test_could_not_connect_is_unmeasurable():
    assert "could not connect" in unmeasurable_reason([ClockSample(HOST, NOW, NOW + 2.4, None, 0)])


def test_a_date_frozen_for_seconds_is_a_replaying_proxy():
    frozen = http_date(NOW)
    samples = [ClockSample(HOST, NOW + t, NOW + t + 0.01, frozen, 200) for t in (0.0, 0.8, 1.6, 2.4)]
    assert "same Date" in unmeasurable_reason(samples) and "replaying" in unmeasurable_reason(samples)


def test_a_date_that_never_ticks_is_not_trusted():
    # Consistent, but the server's clock was never seen moving: it could be a replayed header
    samples = [answered(0.0, NOW + t, NOW + t + 0.01) for t in (0.1, 0.4, 0.7)]
    assert "never seen ticking" in unmeasurable_reason(samples)


def test_contradicting_dates_are_unmeasurable():
    samples = [answered(0.0, NOW + 0.1, NOW + 0.11), answered(-7.0, NOW + 0.2, NOW + 0.21)]
    assert "contradict" in unmeasurable_reason(samples)


def test_no_samples_means_not_measured():
    # --no-clock: no finding at all, no clock section
    result = check(snapshot(), CONFIG)
    assert result.findings == () and result.data is None


# --------------------------------------------------------------------------- judgement


@pytest.mark.parametrize("skew, expected", [
    (0.0, {"clock.ok": Severity.PASS}),
    (29.9, {"clock.ok": Severity.PASS}),
    (-29.9, {"clock.ok": Severity.PASS}),
    (30.0, {"clock.skew": Severity.WARN}),
    (-45.0, {"clock.skew": Severity.WARN}),
    (299.0, {"clock.skew": Severity.WARN}),
    (300.0, {"clock.skew": Severity.FAIL}),
    (-86_400.0, {"clock.skew": Severity.FAIL}),
])
def test_thresholds(skew, expected):
    result = check(snapshot(clock_samples=straddling(skew)), CONFIG)
    assert codes(result) == expected
    assert result.data.skew_seconds == pytest.approx(skew, abs=0.001)


def test_thresholds_are_configurable():
    config = CheckConfig(allowlist=default_allowlist(), settings=Settings(clock=ClockSettings(warn_s=5, fail_s=10)))
    assert codes(check(snapshot(clock_samples=straddling(6.0)), config)) == {"clock.skew": Severity.WARN}
    assert codes(check(snapshot(clock_samples=straddling(-12.0)), config)) == {"clock.skew": Severity.FAIL}


def test_skew_message_is_plain_and_says_what_to_do():
    result = check(snapshot(clock_samples=straddling(-45.0)), CONFIG)
    message = result.findings[0].message
    assert "45 s behind the portal's" in message and "Set this computer's date and time automatically" in message


def test_a_whole_hour_hints_at_the_time_zone():
    result = check(snapshot(clock_samples=straddling(3600.2)), CONFIG)
    assert "time zone" in result.findings[0].message


def test_data_section_shape():
    result = check(snapshot(clock_samples=straddling(1.25)), CONFIG)
    data = result.data
    assert isinstance(data, ClockSection)
    assert data.verdict == "pass" and data.samples == 2 and data.reason is None
    assert data.references == (ClockReference(host=HOST, skew_seconds=data.skew_seconds,
                                              uncertainty_seconds=data.uncertainty_seconds, samples=2, trusted=True),)
    # In JSON: the keys of today's reports, ``reason`` left out when measurable
    shown = to_jsonable(data)
    assert list(shown) == ["skew_seconds", "uncertainty_seconds", "samples", "spread_seconds", "references", "verdict"]
    assert shown["references"] == [{"host": HOST, "skew_seconds": data.skew_seconds,
                                    "uncertainty_seconds": data.uncertainty_seconds, "samples": 2, "trusted": True}]


# --------------------------------------------------------------------------- cookies


def cookie(header: str, date_unix: float, url: str = CIGNA_HCP) -> SetCookieHeader:
    return SetCookieHeader(url=url, header=header, name=header.split("=", 1)[0], date=http_date(date_unix))


def test_a_cookie_shorter_lived_than_the_skew_is_named_and_fails_early():
    # Given a 60 s sign-in cookie (Expires - Date) and a clock 90 s ahead (below the 300 s fail line)
    short = cookie(f"hcp_login=<redacted len=8 sha=abc>; Path=/; Expires={http_date(NOW + 60)}; Secure", NOW)
    result = check(snapshot(clock_samples=straddling(90.0), set_cookie_headers=(short,)), CONFIG)
    # Then the cookie is named in a failing finding
    assert codes(result) == {"clock.skew": Severity.WARN, "clock.cookie_expiry_risk": Severity.FAIL}
    finding = next(f for f in result.findings if f.code == "clock.cookie_expiry_risk")
    assert finding.evidence["cookie"] == "hcp_login" and "hcp_login" in finding.message
    assert finding.evidence["lifetime_seconds"] == 60
    assert result.data.verdict == "fail"


def test_cookie_risk_also_below_the_warn_line():
    short = cookie(f"otp=<redacted>; Expires={http_date(NOW + 20)}", NOW)
    result = check(snapshot(clock_samples=straddling(25.0), set_cookie_headers=(short,)), CONFIG)
    assert codes(result) == {"clock.cookie_expiry_risk": Severity.FAIL}


@pytest.mark.parametrize("header, url, skew", [
    # lives longer than the skew
    (f"s=<r>; Expires={http_date(NOW + 600)}", CIGNA_HCP, 90.0),
    # behind, not ahead: cookies live longer, not shorter
    (f"s=<r>; Expires={http_date(NOW + 60)}", CIGNA_HCP, -90.0),
    # Max-Age counts from arrival on this computer's clock: skew cannot shorten it
    (f"s=<r>; Max-Age=60; Expires={http_date(NOW + 60)}", CIGNA_HCP, 90.0),
    # a deletion (already expired by the server's clock) is not sign-in state
    ("s=<r>; Expires=Thu, 01 Jan 1970 00:00:00 GMT", CIGNA_HCP, 90.0),
    # not the portal's own cookie
    (f"s=<r>; Expires={http_date(NOW + 60)}", "https://tracker.example.net/p", 90.0),
])
def test_no_cookie_risk(header, url, skew):
    result = check(snapshot(clock_samples=straddling(skew), set_cookie_headers=(cookie(header, NOW, url),)), CONFIG)
    assert "clock.cookie_expiry_risk" not in codes(result)


# --------------------------------------------------------------------------- several references


def test_several_hosts_give_the_median_and_spread():
    samples = straddling(0.2, "www.cignaforhcp.com") + straddling(0.5, "cignaforhcp.com") + straddling(0.3, HOST)
    result = check(snapshot(clock_samples=samples), CONFIG)
    assert codes(result) == {"clock.ok": Severity.PASS}
    assert result.data.skew_seconds == pytest.approx(0.3, abs=0.002)
    assert result.data.spread_seconds == pytest.approx(0.3, abs=0.002)
    assert [r.host for r in result.data.references] == ["www.cignaforhcp.com", "cignaforhcp.com", HOST]


def test_the_odd_one_out_is_named_and_not_trusted():
    samples = straddling(-0.25, "www.cignaforhcp.com") + straddling(-3600.0, "cignaforhcp.com") + straddling(0.0, HOST)
    result = check(snapshot(clock_samples=samples), CONFIG)
    assert codes(result) == {"clock.odd_reference": Severity.INFO, "clock.ok": Severity.PASS}
    odd = next(f for f in result.findings if f.code == "clock.odd_reference")
    assert odd.evidence["host"] == "cignaforhcp.com" and "cignaforhcp.com" in odd.message
    assert result.data.skew_seconds == pytest.approx(-0.125, abs=0.002)
    assert {r.host: r.trusted for r in result.data.references} == {
        "www.cignaforhcp.com": True, "cignaforhcp.com": False, HOST: True}


def test_two_hosts_that_disagree_trust_the_sign_in_page():
    samples = straddling(600.0, "cignaforhcp.com") + straddling(1.0, HOST)
    result = check(snapshot(clock_samples=samples), CONFIG)
    assert codes(result) == {"clock.odd_reference": Severity.INFO, "clock.ok": Severity.PASS}
    assert result.data.skew_seconds == pytest.approx(1.0, abs=0.002)


def test_an_unmeasurable_host_does_not_hide_a_measurable_one():
    samples = (ClockSample("cignaforhcp.com", NOW, NOW + 0.01, None, 200),) * 2 + straddling(40.0, HOST)
    result = check(snapshot(clock_samples=samples), CONFIG)
    assert codes(result) == {"clock.skew": Severity.WARN}
    assert result.data.references[0].reason == "cignaforhcp.com sends no Date header"
