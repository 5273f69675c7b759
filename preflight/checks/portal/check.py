"""Which login is this: the login form's kind and anatomy, and whose login it is.

Finding codes (the README code table is the contract):

``portal.login_form``           info  A login form was found; its kind and what it asks for.
``portal.no_login_form``        warn  No login form on the page (sign-up, reset, landing or
                                      maintenance page, or a form preflight cannot see).
``portal.login_elsewhere``     info  A page without a login links to one (official or same organization);
                          warn / fail   the link points to an unrelated host / to a lookalike.
``portal.maintenance``          info  The page says the portal is down; its phone numbers and window.
``portal.username_not_email``   info  The form asks for a user ID (or member ID, NPI, Tax ID),
                                      not an email address. Info, not warn: many provider portals
                                      work this way on purpose; the message tells the user what to
                                      type, it does not report a risk.
``portal.login_in_frame``       info  The login form sits in a cross-origin frame whose host is
                                      on the allowlist or belongs to the page's organization.
``portal.login_frame_offsite``  warn  The login form sits in a cross-origin frame from an
                                      unrelated host that is not on the allowlist: the address
                                      bar does not show where the password goes.
``portal.role``                 pass  The page's role matches the allowlist entry or ``--expect``.
                                info  The role, when nothing says what it should be (or when it
                                      cannot be told: ``unknown``).
``portal.role_mismatch``        fail  The page reads as another role's login than the allowlist
                                      (or ``--expect``) says: e.g. a provider host serving a member
                                      login, or ``--expect provider`` on a member portal.
``portal.role_uncertain``       warn  Same as a mismatch, but the classifier is not confident
                                      enough (below ``decision.min_confident``) to fail.
"""

from __future__ import annotations

from typing import Any, cast

from preflight.checks.base import CheckConfig, FindingList
from preflight.checks.portal.loginform import LoginForm, find_login_form
from preflight.checks.portal.notices import LoginLink, MaintenanceFacts, login_links, maintenance
from preflight.checks.portal.roles import UNKNOWN, RoleVerdict, classify_role
from preflight.checks.portal.vocabulary import Vocabulary
from preflight.config.allowlist import LOGIN_ROLES
from preflight.model.report import CheckResult, Severity
from preflight.model.sections import (
    LoginFormKind,
    LoginLinkEntry,
    MaintenanceEntry,
    PortalSection,
    Role,
    UsernameKind,
)
from preflight.model.snapshot import PageSnapshot
from preflight.rules.hosts import host_of, registrable_domain
from preflight.rules.lookalike.judge import LOOKALIKE, OFFICIAL, SAME_ORGANIZATION
from preflight.rules.lookalike.names import find_name, presented_names

NAME = "portal"

"""Check setting: path of a vocabulary override file (lists extend, numbers replace)."""

_KIND_WORDS = {
    "password": "a user name and password form",
    "identifier-first": "a first-step form asking only for the user name (the password comes next)",
    "password-only": "a second-step form asking only for the password",
    "sso": "a sign-in page that hands off to a sign-in service",
}

_USERNAME_WORDS = {"username": "a user name or ID", "member-id": "a member ID", "npi": "an NPI", "tin": "a Tax ID"}

def check(snapshot: PageSnapshot, config: CheckConfig) -> CheckResult:
    vocab = config.vocabulary
    login = find_login_form(snapshot, vocab)
    verdict = classify_role(snapshot, login, vocab, _payer_names(snapshot, login, config))
    found = FindingList(NAME)
    _login_findings(found, snapshot, login, config, vocab)
    links: tuple[LoginLinkEntry, ...] = ()
    down: MaintenanceFacts | None = None
    if not login.found:
        links = tuple(_judged(link, config) for link in login_links(snapshot, vocab))
        down = maintenance(snapshot, vocab)
        _elsewhere_findings(found, links, down)
    _role_findings(found, snapshot, verdict, config, vocab)
    return CheckResult(NAME, tuple(found.items), portal_section(login, verdict, links, down))

def _payer_names(snapshot: PageSnapshot, login: LoginForm, config: CheckConfig) -> tuple[str, ...]:
    """Allowlisted payers' names the page shows where it says whose it is (title, headings, logo
    alt text): every payer on the allowlist is a health plan, so such a page is a health plan's,
    or presents itself as one, whatever other words it uses."""
    names = presented_names(config.allowlist)
    frames = dict.fromkeys([snapshot.main_frame, *snapshot.frames[login.frame_index:login.frame_index + 1]])
    shown = []
    for frame in frames:
        for text in (frame.title, *frame.headings[:4], *frame.image_alts[:6], *frame.site_names[:3]):
            hit = find_name(text, names) if text else None
            if hit is not None and hit.name.shown not in shown:
                shown.append(hit.name.shown)
    return tuple(shown)


def portal_section(login: LoginForm, verdict: RoleVerdict, links: tuple[LoginLinkEntry, ...] = (),
                   down: MaintenanceFacts | None = None) -> PortalSection:
    """``results[].portal`` in JSON."""
    return PortalSection(
        login_elsewhere=links,
        maintenance=MaintenanceEntry(down.says, down.phones, down.windows) if down else None,
        role=cast(Role, verdict.role),
        confidence=verdict.confidence,
        login_form=cast(LoginFormKind, login.kind),
        username_kind=cast(UsernameKind | None, login.username_kind),
        takes_email=login.takes_email,
        fields=tuple(f.to_entry() for f in login.fields),
        remember_me=login.remember_me,
        mfa=login.mfa,
        recovery_links=tuple(link.to_entry() for link in login.recovery_links),
        frame_url=login.frame_url if login.found and login.frame_index else None,
        evidence=tuple(verdict.evidence),
        counter_evidence=tuple(verdict.counter_evidence),
        scores=dict(verdict.scores),
        health_context=verdict.health_context,
        login_reasons=tuple(login.reasons),
        not_login_forms=tuple(login.rejected),
    )

def _login_findings(found: FindingList, snapshot: PageSnapshot, login: LoginForm, config: CheckConfig,
                    vocab: Vocabulary) -> None:
    if not login.found:
        main = snapshot.main_frame
        down = any(vocab.intent("maintenance", text) for text in (main.title, *main.headings[:3]))
        if down:
            message = "No login form: the page says the portal is down for maintenance."
        elif login.rejected:
            message = f"No login form on the page; the form seen is not a login ({login.rejected[0]})."
        else:
            message = "No login form on the page: no user name or password box, and no sign-in button."
        found.add("no_login_form", Severity.WARN, message, maintenance=down, not_login_forms=list(login.rejected))
        return
    asks = [f.kind for f in login.fields if f.kind not in ("password", "remember-me", "checkbox")]
    extras = []
    if login.remember_me:
        extras.append("a remember-me box")
    if login.mfa:
        extras.append("a one-time code box")
    if login.recovery_links:
        extras.append(f"{len(login.recovery_links)} recovery link(s)")
    where = " (in a frame)" if login.frame_index else ""
    found.add("login_form", Severity.INFO,
              f"The page shows {_KIND_WORDS[login.kind]}{where}" + (f", with {', '.join(extras)}" if extras else "") + ".",
              kind=login.kind, username_kind=login.username_kind, fields=asks, reasons=list(login.reasons),
              frame_url=login.frame_url, in_shadow=login.in_shadow)
    if login.username is not None and not login.takes_email and login.username_kind != "email":
        wanted = _USERNAME_WORDS.get(login.username_kind or "username", "a user name or ID")
        found.add("username_not_email", Severity.INFO,
                  f"The login asks for {wanted} ('{login.username.label or 'no label'}'), not an email address.",
                  username_kind=login.username_kind, label=login.username.label)
    if login.cross_origin and login.frame_index:
        _frame_finding(found, snapshot, login, config)

def _judged(link: LoginLink, config: CheckConfig) -> LoginLinkEntry:
    """The link, with what the domain check's host judge makes of its host."""
    judgement = config.host_judge.judge(link.host)
    portal = judgement.portal
    return LoginLinkEntry(link.text, link.href, judgement.host, judgement.verdict,
                          portal=f"{portal.payer} {portal.name}" if portal else None,
                          lookalike_of=judgement.lookalike_of)

_HOST_WORDS = {
    OFFICIAL: "an official host on the allowlist",
    SAME_ORGANIZATION: "a host of the same organization as an allowlisted portal, not itself listed",
    LOOKALIKE: "a LOOKALIKE host",
}

def _elsewhere_findings(found: FindingList, links: tuple[LoginLinkEntry, ...], down: MaintenanceFacts | None) -> None:
    if down is not None:
        told = []
        if down.windows:
            told.append("it says: '" + down.windows[0].rstrip(".") + "'")
        if down.phones:
            told.append("phone " + ", ".join(down.phones))
        found.add("maintenance", Severity.INFO,
                  f"The page says the portal is down for maintenance ('{down.says}')"
                  + (f"; {'; '.join(told)}." if told else "; it gives no time or phone number."),
                  says=down.says, phones=list(down.phones), windows=list(down.windows))
    if not links:
        return
    worst = max(links, key=lambda link: (link.verdict == LOOKALIKE, link.verdict not in (OFFICIAL, SAME_ORGANIZATION)))
    if worst.verdict == LOOKALIKE:
        severity = Severity.FAIL
    elif worst.verdict in (OFFICIAL, SAME_ORGANIZATION):
        severity = Severity.INFO
    else:
        severity = Severity.WARN
    link = worst if severity is not Severity.INFO else links[0]
    what = _HOST_WORDS.get(link.verdict, "a host that is NOT on the allowlist")
    if link.portal:
        what += f" ({link.portal})"
    if link.lookalike_of:
        what += f" imitating {link.lookalike_of}"
    found.add("login_elsewhere", severity,
              f"No login on this page; its login link '{link.text}' points to {link.host}, {what}.",
              host=link.host, verdict=link.verdict, href=link.href,
              links=[{"text": x.text, "href": x.href, "host": x.host, "verdict": x.verdict, "portal": x.portal,
                      "lookalike_of": x.lookalike_of} for x in links])

def _frame_finding(found: FindingList, snapshot: PageSnapshot, login: LoginForm, config: CheckConfig) -> None:
    frame_host = host_of(login.frame_url)
    page_host = host_of(snapshot.final_url)
    listed = config.allowlist.lookup(frame_host) if frame_host else None
    same_org = bool(frame_host and page_host and registrable_domain(frame_host) == registrable_domain(page_host))
    if listed is not None or same_org:
        found.add("login_in_frame", Severity.INFO,
                  f"The login form is in a frame from {frame_host}" + (" (on the allowlist)." if listed else
                                                                       " (same organization)."),
                  frame_host=frame_host, allowlisted=listed is not None)
    else:
        found.add("login_frame_offsite", Severity.WARN,
                  f"The login form is in a frame from {frame_host or login.frame_url}, which is neither on the "
                  "allowlist nor part of this site: the address bar does not show where the password goes.",
                  frame_host=frame_host, page_host=page_host)

def _role_findings(found: FindingList, snapshot: PageSnapshot, verdict: RoleVerdict, config: CheckConfig,
                   vocab: Vocabulary) -> None:
    host = host_of(snapshot.final_url) if snapshot.final_url else ""
    entry = config.allowlist.lookup(host) if host else None
    listed = entry.role if entry is not None and entry.role in LOGIN_ROLES else None
    expected = config.expect_role
    evidence: dict[str, Any] = {"role": verdict.role, "confidence": verdict.confidence,
                                "evidence": list(verdict.evidence)}
    if listed and expected and listed != expected and entry is not None:
        found.add("role_mismatch", Severity.FAIL,
                  f"You expected a {expected} login, but {host} is the official {entry.portal.payer} "
                  f"{entry.portal.name} portal for {listed}s.",
                  expected=expected, source="--expect", listed=listed, host=host, **evidence)
    target, source = (listed, "the allowlist") if listed else (expected, "--expect")
    # What the expectation says, in words: "the allowlist lists HOST as a provider portal".
    says = (f"the allowlist lists {host} as a {target} portal" if listed
            else f"you expected a {target} login (--expect {target})")
    described = _describe(verdict)
    if target is None:
        found.add("role", Severity.INFO, described, **evidence)
    elif verdict.role == target:
        found.add("role", Severity.PASS, f"{described} This matches {source}.", expected=target, **evidence)
    elif verdict.role == UNKNOWN:
        found.add("role", Severity.INFO, f"{described} ({says[0].upper() + says[1:]}.)", expected=target, **evidence)
    elif verdict.confidence >= vocab.decision["min_confident"]:
        found.add("role_mismatch", Severity.FAIL,
                  f"This page reads as a {verdict.role} login, but {says}: check that this is the login you "
                  "mean to use.", expected=target, source=source, host=host, **evidence)
    else:
        found.add("role_uncertain", Severity.WARN,
                  f"This page may be a {verdict.role} login (confidence {verdict.confidence:.2f}), but {says}.",
                  expected=target, source=source, host=host, **evidence)

def _describe(verdict: RoleVerdict) -> str:
    if verdict.role == UNKNOWN:
        return f"Could not tell whose login this is: {verdict.evidence[0] if verdict.evidence else 'no evidence'}."
    clues = "; ".join(verdict.evidence[:3])
    return f"This looks like a {verdict.role} login (confidence {verdict.confidence:.2f}): {clues}."
