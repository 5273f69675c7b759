"""``preflight vet``: judge URLs offline, without a browser.

Every URL goes through ``hosts.parse_url`` (the WHATWG parser browsers use), so backslashes,
``user@`` prefixes, tabs, percent-encoded or full-width dots and numeric IPv4 forms are judged
by the host a browser would really visit. Text without a scheme is read the way an address bar
reads it (``cigna.com/login`` -> ``https://cigna.com/login``). The input echoed back is
redacted (``redact.redact_url``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

from preflight.config.allowlist import Allowlist
from preflight.model.serialize import schema_keywords
from preflight.rules.hosts import InvalidURL, as_browser_url, host_to_unicode, parse_url
from preflight.rules.lookalike.judge import (
    INVALID,
    LOOKALIKE,
    OFFICIAL,
    HostJudge,
)
from preflight.rules.redact import redact_url

SCHEMA_VET = "preflight/vet@1"

VetVerdict = Literal["official", "same-organization", "lookalike", "unrelated", "invalid"]
"""``lookalike.VERDICTS`` as a type (a test keeps the two equal)."""

_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443, "ftp": 21}


@dataclass(frozen=True, slots=True)
class VetResult:
    """The verdict on one URL."""

    input: str
    """The line as given, with userinfo and token-like values redacted."""
    host: str
    """The host a browser would visit, ASCII (punycode); ``""`` when there is none."""
    registrable_domain: str
    """The host's registrable domain (public suffix plus one label); ``""`` when there is none."""
    verdict: VetVerdict
    """One of ``lookalike.VERDICTS``."""
    portal: str | None
    """Name of the allowlisted portal (``official`` only)."""
    lookalike_of: str | None
    """The allowlisted host or domain imitated (``lookalike`` only)."""
    reasons: tuple[str, ...] = field(metadata=schema_keywords(minItems=1))
    """Why, in plain words; the advice comes last."""


def vet_url(text: str, judge: HostJudge) -> VetResult:
    """Judge one URL (or address-bar text)."""
    shown = _printable(redact_url(text.strip()))
    try:
        parsed = parse_url(as_browser_url(text))
    except InvalidURL:
        return VetResult(shown, "", "", INVALID, None, None,
                         ("This is not a web address a browser would open.",))
    if not parsed.host:
        return VetResult(shown, "", "", INVALID, None, None,
                         (f"This {parsed.scheme}: address has no host name to check.",))
    judgement = judge.judge_normalized(parsed.host)
    reasons = judgement.reasons
    extra = []
    if parsed.has_credentials:
        extra.append(f"The text before '@' is a user name, not the site: the browser goes to {parsed.host}.")
    if parsed.scheme == "http":
        extra.append("It uses http://, not https://: the connection is not encrypted.")
    elif parsed.scheme not in ("https", "http"):
        extra.append(f"It uses {parsed.scheme}:, not https://.")
    if parsed.port is not None and parsed.port != _DEFAULT_PORTS.get(parsed.scheme):
        extra.append(f"It uses the unusual port {parsed.port}.")
    unicode_host = host_to_unicode(parsed.host)
    if unicode_host != parsed.host:
        extra.append(f"The address bar may show the host as {unicode_host}.")
    if extra and judgement.verdict == LOOKALIKE:
        reasons = reasons[:-1] + tuple(extra) + reasons[-1:]  # the advice stays last
    elif extra:
        reasons = reasons + tuple(extra)
    portal = judgement.portal.name if judgement.portal is not None else None
    return VetResult(shown, judgement.host, judgement.registrable_domain, judgement.verdict, portal,
                     judgement.lookalike_of, reasons)


def _printable(text: str) -> str:
    """``text`` with lone surrogates escaped, so that any report can be written as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def vet_urls(lines: Iterable[str], judge: HostJudge | Allowlist) -> Iterator[VetResult]:
    """One ``VetResult`` per URL; blank lines and ``#`` comments are skipped."""
    if isinstance(judge, Allowlist):
        judge = HostJudge.for_allowlist(judge)
    for line in lines:
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        yield vet_url(text, judge)


def vet_exit_code(results: Sequence[VetResult]) -> int:
    """0 when every URL is official, 1 otherwise (usage errors, exit 2, are the CLI's)."""
    return 0 if results and all(r.verdict == OFFICIAL for r in results) else 1
