"""The portal itself: one guarded ``check`` of the configured provider portal (``runner``),
summarised as one checklist item, with who can fix what it found."""

from __future__ import annotations

from preflight.doctor.base import failed, passed, warned
from preflight.model.doctor import MachineCheck, Owner
from preflight.model.report import ERROR_CODES_COULD_NOT_RUN, Finding, Severity, TargetResult, Verdict

PAYER_CODES = ("portal.maintenance", "transport.http_error", "transport.cert_expiring", "transport.cert_expired",
               "transport.old_tls", "cookies.rejected", "cookies.session_not_secure", "cookies.samesite_unset",
               "portal.no_login_form", "domain.third_party_scripts", "domain.mixed_content")
USER_CODES = ("cookies.header_too_large", "cookies.header_near_limit", "cookies.leftover_session",
              "cookies.conflicting", "cookies.expired_kept")


def owner_of(finding: Finding) -> Owner:
    if finding.code in PAYER_CODES:
        return Owner.PAYER
    if finding.code in USER_CODES:
        return Owner.USER
    return Owner.PRACTICE_IT


def portal_check(url: str, result: TargetResult) -> tuple[MachineCheck, bool]:
    """(the summary, whether a failure means "could not run": unreachable, timed out ...)."""
    shown = [f for f in result.findings if f.severity in (Severity.WARN, Severity.FAIL)]
    official = next((f for f in result.findings if f.code == "domain.official"), None)
    role = next((f for f in result.findings if f.code == "portal.role"), None)
    took = f"{result.elapsed_s:.1f} s"
    verdict = result.verdict
    if verdict is Verdict.PASS:
        said = "; ".join(f.message for f in (official, role) if f is not None)
        return passed("portal.check", f"guarded check of {url}: pass in {took}" + (f" — {said}" if said else ""),
                      Owner.PAYER), False
    worst = max(shown, key=lambda f: f.severity.rank) if shown else None
    evidence = f"guarded check of {url}: {verdict.value} in {took} — " + "; ".join(
        f"{f.code}: {f.message}" for f in sorted(shown, key=lambda f: -f.severity.rank)[:4])
    owner = owner_of(worst) if worst is not None else Owner.PRACTICE_IT
    fix = f"Run `preflight check {url}` for the full report"
    if worst is not None:
        fix = f"{worst.message.rstrip('.')}. {fix}"
    if verdict is Verdict.WARN:
        return warned("portal.check", owner, evidence, fix), False
    could_not_run = result.error is not None and result.error.code in ERROR_CODES_COULD_NOT_RUN
    return failed("portal.check", owner, evidence, fix), could_not_run or verdict is Verdict.ERROR
