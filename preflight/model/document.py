"""The JSON documents preflight writes, typed: ``preflight/run@1``, ``preflight/vet@1`` and
``preflight/policy@1``.

Built from a ``RunReport`` (``RunDocument.of``) or from ``VetResult`` s, serialised by
``preflight.model.serialize.to_jsonable``; ``preflight.model.schema`` generates the committed
JSON Schemas from these types. Field order is key order in JSON.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from preflight.model.report import Finding, RunReport, Severity, TargetResult, Verdict
from preflight.model.sections import BaselineSection, ClockSection, CookiesSection, PortalSection
from preflight.model.serialize import omit_none, schema_keywords
from preflight.model.snapshot import BlockedRequest, TlsFacts
from preflight.rules.outage import diagnose
from preflight.rules.redact import redact_url
from preflight.vet import VetResult

BlockLayer = Literal["page", "network", "detected"]
"""``page``: the in-page guard stopped it (a frame or a worker); ``network``: the route aborted it; ``detected``:
DevTools saw it get past every layer (``submission.unguarded_path``)."""


@dataclass(frozen=True)
class FindingDocument:
    """One judgement a help-desk person can act on."""

    check: str = field(metadata=schema_keywords(pattern="^[a-z_]+$"))
    """The check that made it (``domain``, ``transport``, ``portal`` ...)."""
    code: str = field(metadata=schema_keywords(pattern="^[a-z_]+\\.[a-z_]+$"))
    """Stable, namespaced code (``domain.lookalike``, ``clock.skew``): the README's code table."""
    severity: Severity
    """How much it matters."""
    message: str = field(metadata=schema_keywords(minLength=1))
    """One sentence for people."""
    evidence: Mapping[str, Any]
    """Structured facts behind the message; keys depend on the code."""

    @classmethod
    def of(cls, finding: Finding) -> FindingDocument:
        return cls(check=finding.check, code=finding.code, severity=finding.severity, message=finding.message,
                   evidence=finding.evidence)


@dataclass(frozen=True)
class BlockedRequestDocument:
    """An attempt to send something that the no-submission guard stopped."""

    method: str
    """HTTP method (``POST``, ``GET`` ...)."""
    url: str
    """Where it was going, token-like values and userinfo redacted."""
    reason: str
    """``non-get-method``, ``form-submit``, ``beacon``, ``websocket``, ``secret-in-url``, ..."""
    layer: BlockLayer
    """``network`` (the route aborted it) or ``page`` (the in-page guard stopped it)."""
    carries_field_value: bool
    """Whether it would have carried a value of the page's fields."""

    @classmethod
    def of(cls, blocked: BlockedRequest) -> BlockedRequestDocument:
        return cls(method=blocked.method, url=blocked.url, reason=blocked.reason,
                   layer=cast(BlockLayer, blocked.layer), carries_field_value=blocked.carries_field_value)


@dataclass(frozen=True)
class TlsDocument:
    """What the browser reported about the main document's TLS connection."""

    protocol: str | None
    """``TLS 1.3``, ``TLS 1.2`` ..."""
    issuer: str | None
    """The certificate's issuer."""
    subject: str | None
    """The certificate's subject name."""
    valid_from: float | None
    """Unix time."""
    valid_to: float | None
    """Unix time."""

    @classmethod
    def of(cls, tls: TlsFacts) -> TlsDocument:
        return cls(protocol=tls.protocol, issuer=tls.issuer, subject=tls.subject, valid_from=tls.valid_from,
                   valid_to=tls.valid_to)


@dataclass(frozen=True)
class ErrorDocument:
    """Why a target could not be checked."""

    code: str
    """``target.unreachable``, ``target.timeout``, ``target.tls``, ``browser.crashed`` ..."""
    message: str
    """In plain words."""


@dataclass(frozen=True)
class DiagnosisDocument:
    """Outage or account? The help desk's first question, answered for this target."""

    kind: Literal["outage", "maintenance", "healthy", "untrusted", "unknown"]
    """``outage``: unreachable, DNS, timeout or 5xx (nobody's account can fix it); ``maintenance``:
    the page says so; ``untrusted``: not the official portal; ``healthy``: a login page that works,
    so a failing sign-in is the account's; ``unknown``: cannot tell."""
    says: str
    """The answer in one sentence."""


@dataclass(frozen=True)
class RecheckDocument:
    """An earlier check of the target that failed or errored (``--confirm``)."""

    verdict: Verdict
    """``fail`` or ``error``."""
    error: ErrorDocument | None
    """Why it could not be checked, if it could not."""
    findings: tuple[FindingDocument, ...]
    """Its warning and failing findings."""
    elapsed_s: float = field(metadata=schema_keywords(minimum=0))
    """Seconds it took."""
    evidence: tuple[str, ...]
    """Evidence files kept for it (``--evidence``)."""

    @classmethod
    def of(cls, result: TargetResult) -> RecheckDocument:
        return cls(verdict=result.verdict,
                   error=ErrorDocument(code=result.error.code, message=result.error.message) if result.error else None,
                   findings=tuple(FindingDocument.of(f) for f in result.findings if f.severity.rank >= 2),
                   elapsed_s=result.elapsed_s, evidence=result.evidence)


@dataclass(frozen=True)
class ResultDocument:
    """What preflight found for one target URL."""

    target: str
    """The URL as given, token-like values and userinfo redacted."""
    name: str | None
    """The ``[[target]]`` name in preflight.toml; null for a URL given on the command line."""
    tags: tuple[str, ...]
    """The target's tags."""
    final_url: str | None
    """Where the visit landed; null without a visit."""
    redirects: tuple[str, ...]
    """Every URL of the visit's redirect chain, the final one last."""
    http_status: int | None
    """HTTP status of the final page; null without a visit."""
    verdict: Verdict
    """The worst finding (``error``: preflight could not check the target)."""
    findings: tuple[FindingDocument, ...]
    """Every finding, check by check."""
    portal: PortalSection | None
    """Which login this is; null when the portal check did not run."""
    clock: ClockSection | None
    """Clock skew; null when it was not measured (``--no-clock``, or the visit ended first)."""
    cookies: CookiesSection | None
    """Cookie state; null when the cookies check did not run."""
    blocked_requests: tuple[BlockedRequestDocument, ...]
    """What the no-submission guard stopped."""
    tls: TlsDocument | None
    """The main document's TLS connection; null for plain HTTP or without a visit."""
    attempts: int = field(metadata=schema_keywords(minimum=1))
    """Visits made (retries included)."""
    error: ErrorDocument | None
    """Why the target could not be checked; null when it could."""
    timings: Mapping[str, float] = field(metadata=schema_keywords(required=["total_s"]))
    """Seconds per phase of the visit; ``total_s`` always."""
    screenshot: str | None
    """Path of the screenshot taken, if any."""
    evidence: tuple[str, ...]
    """``--evidence``: screenshot, HAR and trace kept for this check (only when it did not pass)."""
    rechecks: tuple[RecheckDocument, ...]
    """``--confirm``: earlier checks that failed or errored, oldest first; this result is the last."""
    unconfirmed_failures: int = field(metadata=schema_keywords(minimum=0))
    """Earlier checks that failed while the last did not: flakes, not the verdict."""
    browser_endpoint: str | None
    """The remote browser that made the visit (``--connect``/``--cdp`` endpoint, redacted); null for a local one."""
    diagnosis: DiagnosisDocument
    """Outage or account?"""
    baseline: BaselineSection | None = omit_none()
    """``check --baseline``: how the page compares with its baseline; left out otherwise."""

    @classmethod
    def of(cls, result: TargetResult) -> ResultDocument:
        snapshot = result.snapshot
        return cls(
            target=redact_url(result.target),
            name=result.name or None,
            tags=result.tags,
            evidence=result.evidence,
            rechecks=tuple(RecheckDocument.of(r) for r in result.rechecks),
            unconfirmed_failures=result.unconfirmed_failures,
            diagnosis=DiagnosisDocument(*diagnose(result)),
            final_url=snapshot.final_url if snapshot else None,
            redirects=tuple(hop.url for hop in snapshot.redirects) if snapshot else (),
            http_status=snapshot.http_status if snapshot else None,
            verdict=result.verdict,
            findings=tuple(FindingDocument.of(f) for f in result.findings),
            portal=result.section("portal"),
            clock=result.section("clock"),
            cookies=result.section("cookies"),
            blocked_requests=tuple(BlockedRequestDocument.of(b) for b in (snapshot.blocked_requests if snapshot else ())),
            tls=TlsDocument.of(snapshot.tls) if snapshot and snapshot.tls else None,
            attempts=result.attempts,
            error=ErrorDocument(code=result.error.code, message=result.error.message) if result.error else None,
            timings=dict(snapshot.timings) if snapshot and snapshot.timings else {"total_s": result.elapsed_s},
            screenshot=snapshot.screenshot if snapshot else None,
            browser_endpoint=snapshot.browser_endpoint if snapshot else None,
            baseline=_baseline_section(result),
        )


def _baseline_section(result: TargetResult) -> BaselineSection | None:
    section = result.section("baseline")
    return section if isinstance(section, BaselineSection) else None


@dataclass(frozen=True)
class RunDocument:
    """A preflight check report (``preflight/run@1``)."""

    schema: Literal["preflight/run@1"]
    """The document's kind and version."""
    verdict: Verdict
    """The worst target verdict."""
    allowlist: str
    """Allowlist file used, or <packaged default>."""
    browser: str
    """Browser binary or channel, and how it was found; with ``--connect``/``--cdp`` the endpoints and
    how many visits each made."""
    elapsed_s: float = field(metadata=schema_keywords(minimum=0))
    """Wall-clock seconds of the whole run."""
    results: tuple[ResultDocument, ...]
    """One per target, in the order given."""

    @classmethod
    def of(cls, report: RunReport) -> RunDocument:
        return cls(schema="preflight/run@1", verdict=report.verdict, allowlist=report.allowlist_path,
                   browser=report.browser, elapsed_s=report.elapsed_s,
                   results=tuple(ResultDocument.of(r) for r in report.results))


@dataclass(frozen=True)
class VetDocument:
    """A ``preflight vet`` report (``preflight/vet@1``): URLs judged offline, without a browser."""

    schema: Literal["preflight/vet@1"]
    """The document's kind and version."""
    results: tuple[VetResult, ...]
    """One per URL, in the order given."""


@dataclass(frozen=True)
class PolicyRowDocument:
    """One policy with a value, as the browser's ``chrome://policy`` page reports it."""

    name: str = field(metadata=schema_keywords(minLength=1))
    """The policy's name (``CookiesBlockedForUrls`` ...)."""
    value: Any
    """Its value: a list, number, boolean or dictionary as JSON, a string as shown; secret-looking
    policies (enrolment tokens) replaced by a length and hash, URLs redacted."""
    source: str
    """``Platform`` (registry, configuration profile, /etc JSON), ``Cloud``, ``Merged`` ..."""
    scope: str
    """``Machine`` or ``Current user``."""
    level: str
    """``Mandatory`` or ``Recommended``."""
    status: str
    """The browser's status: ``OK``, ``Warning, Conflict`` (applied, another source lost), ``Error``."""
    error: str | None
    """The browser's error text when it does not apply the policy."""
    table: str
    """``chrome`` for the browser's own policies; extension ids and ``precedence`` otherwise."""


@dataclass(frozen=True)
class PolicyDocument:
    """A ``preflight policy show`` report (``preflight/policy@1``)."""

    schema: Literal["preflight/policy@1"]
    """The document's kind and version."""
    browser: str
    """The browser whose ``chrome://policy`` was read, and how it was found."""
    allowlist: str
    """The allowlist the policies were judged against."""
    verdict: Severity
    """The worst finding's severity: ``fail`` when a policy breaks a portal sign-in (exit 1)."""
    policies: tuple[PolicyRowDocument, ...]
    """Every policy with a value, in the page's order."""
    findings: tuple[FindingDocument, ...]
    """``policy.*`` findings (README's code table)."""


__all__ = ["BlockedRequestDocument", "DiagnosisDocument", "ErrorDocument", "FindingDocument", "RecheckDocument", "ResultDocument",
           "RunDocument",
           "PolicyDocument", "PolicyRowDocument", "TlsDocument", "VetDocument"]
