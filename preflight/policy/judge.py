"""The policies a browser reports in force -> findings about signing in to the allowlisted portals.

Pure: the rows come from ``chrome://policy`` (``capture/policy.py``) as plain ``PolicyEntry`` data.
Only the browser's own table counts, only applied rows change behaviour (rows in error are
reported as ``policy.not_applied``), and every finding names the policy, its pattern and the host.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from preflight.checks.base import FindingList
from preflight.config.allowlist import LOGIN_ROLES, Allowlist, Portal
from preflight.model.policy import BROWSER_TABLE, PolicyEntry
from preflight.model.report import Finding, Severity
from preflight.policy.patterns import content_pattern_matches, url_blocked
from preflight.rules.hosts import registrable_domain

SIGN_IN_POLICIES = frozenset({
    "BlockThirdPartyCookies", "DefaultCookiesSetting", "CookiesAllowedForUrls", "CookiesBlockedForUrls",
    "CookiesSessionOnlyForUrls", "URLBlocklist", "URLAllowlist", "ClearBrowsingDataOnExitList",
    "ClearBrowsingDataOnExit", "PasswordProtectionLoginURLs", "PasswordProtectionWarningTrigger",
    "PasswordProtectionChangePasswordURL", "PopupsAllowedForUrls", "PopupsBlockedForUrls",
    "DefaultPopupsSetting",
})
"""Policies whose value changes whether, or how long, a portal sign-in works."""

COOKIES_BLOCKED = 2
COOKIES_SESSION_ONLY = 4
"""``DefaultCookiesSetting``: 1 allow, 2 block, 4 keep for the session only."""


def judge_policies(entries: tuple[PolicyEntry, ...], allowlist: Allowlist) -> tuple[Finding, ...]:
    found = FindingList("policy")
    rows = [e for e in entries if e.table == BROWSER_TABLE]
    for entry in rows:
        if entry.name in SIGN_IN_POLICIES and not entry.applied:
            found.add("not_applied", Severity.WARN,
                      f"{entry.name} is set ({entry.source or 'unknown source'}) but the browser does not "
                      f"apply it: {entry.errors or entry.status}", policy=entry.name, status=entry.status,
                      error=entry.errors)
    policy = {e.name: e.value for e in rows if e.applied}
    portals = [p for p in allowlist.portals if p.role != "resource"]

    _cookies(found, policy, portals)
    _third_party(found, policy, portals)
    _url_blocklist(found, policy, portals)
    _clear_on_exit(found, policy)
    _password_protection(found, policy, [p for p in portals if p.role in LOGIN_ROLES])
    if not any(f.severity in (Severity.WARN, Severity.FAIL) for f in found.items):
        found.add("ok", Severity.PASS, f"no policy in force gets in the way of signing in to the "
                  f"{len(portals)} allowlisted portal(s)", policies=sorted(policy))
    return tuple(found.items)


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _hosts(portal: Portal) -> tuple[str, ...]:
    return portal.hosts + portal.identity_hosts


def _matching(patterns: list[str], host: str) -> str | None:
    return next((p for p in patterns if content_pattern_matches(p, f"https://{host}/")), None)


def _cookies(found: FindingList, policy: Mapping[str, Any], portals: list[Portal]) -> None:
    allowed = _strings(policy.get("CookiesAllowedForUrls"))
    blocked = _strings(policy.get("CookiesBlockedForUrls"))
    session_only = _strings(policy.get("CookiesSessionOnlyForUrls"))
    default = policy.get("DefaultCookiesSetting")
    for portal in portals:
        for host in _hosts(portal):
            exempt = _matching(allowed, host)
            block = _matching(blocked, host)
            if block is not None:
                conflict = f"; CookiesAllowedForUrls also lists {exempt} (which wins is unspecified)" if exempt else ""
                found.add("portal_cookies_blocked", Severity.FAIL,
                          f"CookiesBlockedForUrls {block!r} blocks cookies for {host} ({portal.name}): "
                          f"the sign-in cannot keep a session{conflict}",
                          policy="CookiesBlockedForUrls", pattern=block, host=host, portal=portal.name,
                          also_allowed_by=exempt)
            elif default == COOKIES_BLOCKED and exempt is None:
                found.add("portal_cookies_blocked", Severity.FAIL,
                          f"DefaultCookiesSetting 2 blocks cookies everywhere and no CookiesAllowedForUrls "
                          f"entry exempts {host} ({portal.name})",
                          policy="DefaultCookiesSetting", pattern=None, host=host, portal=portal.name)
            elif (session := _matching(session_only, host)) is not None:
                found.add("cookies_session_only", Severity.WARN,
                          f"CookiesSessionOnlyForUrls {session!r} keeps {host}'s cookies only until the "
                          f"browser closes ({portal.name})",
                          policy="CookiesSessionOnlyForUrls", pattern=session, host=host, portal=portal.name)
            elif default == COOKIES_SESSION_ONLY and exempt is None:
                found.add("cookies_session_only", Severity.WARN,
                          f"DefaultCookiesSetting 4 keeps every cookie only until the browser closes, "
                          f"{host} ({portal.name}) included",
                          policy="DefaultCookiesSetting", pattern=None, host=host, portal=portal.name)


def _third_party(found: FindingList, policy: Mapping[str, Any], portals: list[Portal]) -> None:
    if policy.get("BlockThirdPartyCookies") is not True:
        return
    allowed = _strings(policy.get("CookiesAllowedForUrls"))
    cross_site = sorted({host for p in portals for host in p.identity_hosts
                         if {registrable_domain(host)} != {registrable_domain(h) for h in p.hosts}})
    exposed = [host for host in cross_site if _matching(allowed, host) is None]
    if exposed:
        found.add("third_party_cookies_blocked", Severity.WARN,
                  f"BlockThirdPartyCookies is on and {len(exposed)} identity host(s) on another site have no "
                  f"CookiesAllowedForUrls exception: a sign-in frame from them loses its cookies "
                  f"({', '.join(exposed)})", policy="BlockThirdPartyCookies", hosts=exposed)
    else:
        found.add("third_party_cookies_blocked", Severity.INFO,
                  "BlockThirdPartyCookies is on; no allowlisted sign-in crosses sites without a "
                  "CookiesAllowedForUrls exception", policy="BlockThirdPartyCookies", hosts=cross_site)


def _url_blocklist(found: FindingList, policy: Mapping[str, Any], portals: list[Portal]) -> None:
    blocklist = _strings(policy.get("URLBlocklist"))
    if not blocklist:
        return
    allowlist = _strings(policy.get("URLAllowlist"))
    for portal in portals:
        urls = portal.login_urls + tuple(f"https://{h}/" for h in _hosts(portal))
        for url in dict.fromkeys(urls):
            url_filter = url_blocked(url, blocklist, allowlist)
            if url_filter is not None:
                found.add("portal_url_blocked", Severity.FAIL,
                          f"URLBlocklist {url_filter!r} blocks {url} ({portal.name}): the browser shows its "
                          "block page instead of the login", policy="URLBlocklist", filter=url_filter,
                          url=url, portal=portal.name)


def _clear_on_exit(found: FindingList, policy: Mapping[str, Any]) -> None:
    cleared = _strings(policy.get("ClearBrowsingDataOnExitList"))
    if "cookies_and_other_site_data" in cleared:
        found.add("clear_on_exit", Severity.WARN,
                  "ClearBrowsingDataOnExitList deletes cookies and site data when the browser closes: every "
                  "portal sign-in (and its MFA \"remember this device\") starts over each day",
                  policy="ClearBrowsingDataOnExitList", data_types=cleared)
    elif policy.get("ClearBrowsingDataOnExit") is True:
        found.add("clear_on_exit", Severity.WARN,
                  "ClearBrowsingDataOnExit deletes browsing data, cookies included, when the browser closes: "
                  "every portal sign-in starts over each day", policy="ClearBrowsingDataOnExit")


def _password_protection(found: FindingList, policy: Mapping[str, Any], portals: list[Portal]) -> None:
    if not portals:
        return
    trigger = policy.get("PasswordProtectionWarningTrigger")
    login_urls = _strings(policy.get("PasswordProtectionLoginURLs"))
    covered = {u.split("/", 3)[2].lower() for u in login_urls if u.count("/") >= 2}
    uncovered = [p.name for p in portals if not covered & set(_hosts(p))]
    if trigger not in (1, 2):
        found.add("password_protection_missing", Severity.INFO,
                  "PasswordProtectionWarningTrigger is not set to warn on reuse: typing a portal password on "
                  "a look-alike raises no warning (preflight policy export writes it)",
                  policy="PasswordProtectionWarningTrigger", value=trigger, uncovered_portals=uncovered)
    elif uncovered:
        found.add("password_protection_missing", Severity.INFO,
                  f"PasswordProtectionLoginURLs lists no login page of {', '.join(uncovered)}: their passwords "
                  "are not protected against reuse on look-alikes",
                  policy="PasswordProtectionLoginURLs", uncovered_portals=uncovered)
