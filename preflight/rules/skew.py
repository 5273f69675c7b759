"""Clock skew from HTTP ``Date`` headers: the arithmetic, with no network and no browser.

Sign convention everywhere: ``skew = this computer's clock - the server's clock`` (positive:
this computer is ahead).

One timed request proves a little: sent at local time ``s``, answered at ``r`` with
``Date: D`` (whole seconds, floored), the server read its clock at some local instant ``t`` in
``[s, r]`` and ``D <= t - skew < D + 1``. Hence::

    s - D - 1  <  skew  <=  r - D

Requests combine by intersection. Timed so that they straddle the server's second boundary
(``clockprobe`` does that), a dozen of them narrow the one-second step of ``Date`` to a few
milliseconds, and the interval is a proof, never a guess: the reported uncertainty is its
half-width. Constraints that do not intersect mean the ``Date`` values cannot all be true (a
cache or proxy replaying or rewriting them): that is "unmeasurable", never a number.
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from preflight.model.snapshot import ClockSample

MIN_SAMPLES = 2

"""One ``Date`` alone cannot tell a live clock from a cached or rewritten header; nor can any
number of them that all show the same second (the estimate also requires a tick)."""

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}

_TIME = r"(\d{2}):(\d{2}):(\d{2})"

# RFC 9110 section 5.6.7: IMF-fixdate, and the two obsolete forms recipients must accept.
_IMF_FIXDATE = re.compile(r"[A-Za-z]{3}, (\d{2}) ([A-Za-z]{3}) (\d{4}) " + _TIME + r" (?:GMT|UTC|\+0000)")

_RFC850 = re.compile(r"[A-Za-z]{6,9}, (\d{2})-([A-Za-z]{3})-(\d{2}) " + _TIME + r" GMT")

_ASCTIME = re.compile(r"[A-Za-z]{3} ([A-Za-z]{3}) ([ \d]\d) " + _TIME + r" (\d{4})")

def parse_http_date(value: str | None) -> int | None:
    """An HTTP ``Date`` value -> Unix seconds; ``None`` if absent or not an HTTP date.

    Strict on purpose: a value without seconds or in a local time zone would silently move the
    one-second step the whole estimate rests on.
    """
    if value is None:
        return None
    text = value.strip()
    if match := _IMF_FIXDATE.fullmatch(text):
        day, month, year, hh, mm, ss = match.groups()
    elif match := _RFC850.fullmatch(text):
        day, month, yy, hh, mm, ss = match.groups()
        year = str(2000 + int(yy) if int(yy) < 70 else 1900 + int(yy))
    elif match := _ASCTIME.fullmatch(text):
        month, day, hh, mm, ss, year = match.groups()
    else:
        return None
    month_number = _MONTHS.get(month.lower())
    if month_number is None:
        return None
    try:
        fields = (int(year), month_number, int(day), int(hh), int(mm), int(ss))
        if not (1 <= fields[2] <= 31 and fields[3] <= 23 and fields[4] <= 59 and fields[5] <= 60):
            return None
        return calendar.timegm(fields + (0, 0, 0))
    except (ValueError, OverflowError):
        return None

@dataclass(frozen=True)
class SkewBounds:
    """What the samples prove: ``low < skew <= high`` (seconds, this computer minus the server)."""

    low: float
    """Exclusive lower bound."""
    high: float
    """Inclusive upper bound."""

    @property
    def width(self) -> float:
        return self.high - self.low

    @property
    def midpoint(self) -> float:
        return (self.low + self.high) / 2

    def intersect(self, other: SkewBounds) -> SkewBounds | None:
        """Both at once, or ``None`` when they contradict each other."""
        low, high = max(self.low, other.low), min(self.high, other.high)
        return SkewBounds(low, high) if low < high else None

    def rounded(self) -> tuple[float, float]:
        """``(skew_seconds, uncertainty_seconds)`` to the millisecond, the interval never narrowed."""
        skew = round(self.midpoint, 3)
        reach = max(skew - self.low, self.high - skew)
        return skew, math.ceil(reach * 1000 - 1e-6) / 1000

def sample_bounds(sample: ClockSample) -> SkewBounds | None:
    """The constraint one answered request puts on the skew; ``None`` without a usable ``Date``."""
    if sample.status <= 0:
        return None
    date = parse_http_date(sample.date_header)
    if date is None:
        return None
    return SkewBounds(sample.sent - date - 1, sample.received - date)

def intersect_all(samples: Iterable[ClockSample]) -> SkewBounds | None:
    """The intersection of every usable sample's bounds (``None`` if none, or if they contradict)."""
    result: SkewBounds | None = None
    for sample in samples:
        bounds = sample_bounds(sample)
        if bounds is None:
            continue
        if result is None:
            result = bounds
        else:
            joined = result.intersect(bounds)
            if joined is None:
                return None
            result = joined
    return result

@dataclass(frozen=True)
class SkewEstimate:
    """The skew against one server (one host), or why it could not be measured."""

    host: str
    bounds: SkewBounds | None
    """What the samples prove; ``None`` when unmeasurable."""
    samples: int
    """Answered requests with a valid ``Date``."""
    attempts: int
    """Timed requests made, answered or not."""
    reason: str | None = None
    """Plain words for why there is no estimate (``None`` when there is one)."""

    @property
    def skew_seconds(self) -> float | None:
        return None if self.bounds is None else self.bounds.rounded()[0]

    @property
    def uncertainty_seconds(self) -> float | None:
        return None if self.bounds is None else self.bounds.rounded()[1]

def estimate(samples: Sequence[ClockSample], host: str = "") -> SkewEstimate:
    """Everything the samples of one host prove, or the reason they prove nothing."""
    host = host or (samples[0].host if samples else "the portal")
    answered = [s for s in samples if s.status > 0]
    dated = [s for s in answered if parse_http_date(s.date_header) is not None]

    def unmeasurable(reason: str) -> SkewEstimate:
        return SkewEstimate(host, None, len(dated), len(samples), reason)

    if not samples:
        return unmeasurable(f"no timed requests were made to {host}")
    if not answered:
        return unmeasurable(f"preflight could not connect to {host} to read its clock")
    if not dated:
        garbled = next((s.date_header for s in answered if s.date_header), None)
        if garbled is None:
            return unmeasurable(f"{host} sends no Date header")
        return unmeasurable(f"{host} sends a Date header that is not a valid date ({garbled[:60]!r})")
    if len(dated) < MIN_SAMPLES:
        return unmeasurable(f"only one response from {host} carried a Date; one cannot rule out a cached "
                            "or rewritten Date")
    if len({parse_http_date(s.date_header) for s in dated}) == 1:
        # Never seen ticking: a live clock cannot be told from a replayed header.
        span = max(s.sent for s in dated) - min(s.received for s in dated)
        why = "a proxy or cache is replaying it" if span > 1 else "its clock was never seen ticking"
        return unmeasurable(f"{host} sent the same Date in {len(dated)} answers over {max(span, 0):.1f} s ({why})")
    bounds = intersect_all(dated)
    if bounds is None:
        return unmeasurable(f"the Date headers from {host} contradict each other (a proxy or cache "
                            "may be rewriting them)")
    return SkewEstimate(host, bounds, len(dated), len(samples))

def by_host(samples: Iterable[ClockSample]) -> dict[str, list[ClockSample]]:
    """Samples grouped per host, hosts in the order they were first measured."""
    grouped: dict[str, list[ClockSample]] = {}
    for sample in samples:
        grouped.setdefault(sample.host, []).append(sample)
    return grouped

def naive_skew(sample: ClockSample) -> float | None:
    """The one-``Date`` estimate most tools make (midpoint of the request minus mid-second):
    off by up to half a second. Kept as the baseline the benchmark compares against."""
    date = parse_http_date(sample.date_header) if sample.status > 0 else None
    if date is None:
        return None
    return (sample.sent + sample.received) / 2 - (date + 0.5)


def describe_offset(skew: float, uncertainty: float) -> str:
    """``+0.012 s ± 0.004 s`` for people: milliseconds, never ``-0.000``, never ``± 0.000``."""
    shown = round(skew, 3)
    sign = "" if shown == 0 else "+" if shown > 0 else "-"
    bar = f"± {uncertainty:.3f} s" if round(uncertainty, 3) > 0 else "± <0.001 s"
    return f"{sign}{abs(shown):.3f} s {bar}"
