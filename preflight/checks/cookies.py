"""Cookie state: do cookies work, what did the portal set, what did the browser refuse, how big
is the ``Cookie`` header each portal host gets, does login need third-party cookies, and what
does an existing profile or saved state hold that could break the login.

Values never appear: cookies are named, sized and fingerprinted (``value_sha256``) only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import cast

from preflight.checks.base import CheckConfig, FindingList
from preflight.config.allowlist import LOGIN_ROLES
from preflight.model.report import CheckResult, Severity
from preflight.model.sections import (
    ClearAdvice,
    ConflictingCookies,
    CookieEntry,
    CookiesSection,
    ExistingSection,
    ExistingSource,
    LeftoverSession,
    RejectedCookieEntry,
    SignInEntry,
    SignInKind,
    StoredCookie,
    ThirdPartySection,
)
from preflight.model.serialize import to_jsonable
from preflight.model.snapshot import CookieFacts, ExistingCookies, PageSnapshot
from preflight.rules import jar
from preflight.rules.hosts import registrable_domain

NAME = "cookies"
PROBE_PREFIX = "__preflight_probe_"
"""Name of capture's own ``document.cookie`` probe (removed again; never the portal's)."""


def check(snapshot: PageSnapshot, config: CheckConfig) -> CheckResult:
    found = FindingList(NAME)
    paths = jar.portal_paths(snapshot)
    if snapshot.cookies_enabled is False:
        found.add("disabled", Severity.FAIL,
                  "Cookies do not work in this browser: the portal cannot keep anyone signed in.")
    set_cookies = _set_by_visit(snapshot)
    rejected = jar.compare_with_jar(snapshot)
    _report_rejected(found, rejected)
    header_bytes, header_counts = _header_sizes(found, snapshot.cookies, paths, snapshot.existing_cookies, "visit")
    _hygiene(found, snapshot, set_cookies, config)
    third_party = _third_party(found, snapshot, config)
    reported = {host for host, size in header_bytes.items() if size >= jar.HEADER_WARN_BYTES}
    existing = _existing(found, snapshot, config, paths, reported)
    if snapshot.cookies_enabled and not any(f.severity.rank >= Severity.WARN.rank for f in found.items):
        found.add("ok", Severity.PASS,
                  f"Cookies work: {_kept(len(set_cookies))}",
                  set=len(set_cookies))
    section = CookiesSection(
        enabled=snapshot.cookies_enabled,
        set=tuple(_cookie_entry(c, snapshot) for c in set_cookies),
        rejected=tuple(RejectedCookieEntry(name=r.name, reason=r.reason, detail=r.detail, host=r.host,
                                           value_length=r.value_length, cross_site=r.cross_site) for r in rejected),
        header_bytes=header_bytes,
        header_cookies=header_counts,
        header_limit_bytes=jar.HEADER_LIMIT_BYTES,
        third_party=third_party,
        existing=existing,
    )
    return CheckResult(NAME, tuple(found.items), section)


# --------------------------------------------------------------------------- fresh-browser audit


def _set_by_visit(snapshot: PageSnapshot) -> list[CookieFacts]:
    """Jar cookies after the visit, minus capture's probe and unchanged cookies from an existing state."""
    before = {(c.name, c.domain, c.path, c.value_sha256)
              for c in (snapshot.existing_cookies.cookies if snapshot.existing_cookies else ())}
    return [c for c in snapshot.cookies
            if not c.name.startswith(PROBE_PREFIX) and (c.name, c.domain, c.path, c.value_sha256) not in before]


def _cookie_entry(cookie: CookieFacts, snapshot: PageSnapshot) -> CookieEntry:
    sent = None
    for header in snapshot.set_cookie_headers:
        if header.name == cookie.name and header.value_sha256 == cookie.value_sha256:
            sent = jar.parse_set_cookie(header.header).same_site or "unset"
    return CookieEntry(name=cookie.name, domain=cookie.domain, path=cookie.path,
                       host_only=not cookie.domain.startswith("."),
                       expires=None if cookie.expires < 0 else cookie.expires, session=cookie.expires < 0,
                       size=cookie.size, value_sha256=cookie.value_sha256, secure=cookie.secure,
                       http_only=cookie.http_only, same_site=cookie.same_site, same_site_sent=sent)


def _report_rejected(found: FindingList, rejected: Sequence[jar.RejectedCookie]) -> None:
    for cookie in rejected:
        if cookie.reason in ("unknown", "third_party"):
            severity = Severity.INFO
        else:
            severity = Severity.FAIL if cookie.session_like else Severity.WARN
        found.add("rejected", severity,
                  f"The browser refused the cookie {cookie.name} from {cookie.host}: {cookie.detail}.",
                  name=cookie.name, reason=cookie.reason, host=cookie.host, url=cookie.url,
                  value_length=cookie.value_length, session_like=cookie.session_like)


def _header_sizes(found: FindingList, cookies: Sequence[CookieFacts], paths: dict[str, tuple[str, bool]],
                  existing: ExistingCookies | None, source: str,
                  skip: Iterable[str] = ()) -> tuple[dict[str, int], dict[str, int]]:
    """``Cookie`` header size per host; a finding when it nears or passes the common server limits."""
    sizes: dict[str, int] = {}
    counts: dict[str, int] = {}
    for host, (path, secure) in paths.items():
        size, count = jar.cookie_header_bytes(cookies, host, path, secure)
        sizes[host], counts[host] = size, count
        if host in skip or size < jar.HEADER_WARN_BYTES:
            continue
        sent = sorted((c for c in cookies if jar.domain_matches(host, c.domain) and jar.path_matches(path, c.path)),
                      key=lambda c: -c.size)
        largest = [{"name": c.name, "domain": c.domain, "size": c.size} for c in sent[:5]]
        sites = sorted({registrable_domain(c.domain.lstrip(".")) for c in sent})
        evidence = dict(host=host, bytes=size, cookies=count, limit=jar.HEADER_LIMIT_BYTES, largest=largest,
                        source=source, clear=[to_jsonable(clear_advice(s)) for s in sites])
        if existing is not None:
            evidence["from_existing_state"] = sum(1 for c in sent if c in existing.cookies)
        if size > jar.HEADER_LIMIT_BYTES:
            found.add("header_too_large", Severity.FAIL,
                      f"{host} would receive a {size}-byte Cookie header ({count} cookies), over the "
                      f"{jar.HEADER_LIMIT_BYTES}-byte limit of common servers (nginx, Apache): expect "
                      f"'400 Request Header Or Cookie Too Large'. Clear this site's data: {_clear_words(sites)}.",
                      **evidence)
        else:
            found.add("header_near_limit", Severity.WARN,
                      f"{host} would receive a {size}-byte Cookie header ({count} cookies), close to the "
                      f"{jar.HEADER_LIMIT_BYTES}-byte limit of common servers.", **evidence)
    return sizes, counts


def _hygiene(found: FindingList, snapshot: PageSnapshot, set_cookies: Sequence[CookieFacts],
             config: CheckConfig) -> None:
    """Go-live hygiene of the portal's own cookies (third parties answer for theirs)."""
    first_party = jar.top_level_sites(snapshot)
    own = [c for c in set_cookies if jar.site_of(c.domain.lstrip(".")) in first_party]
    for cookie in own:
        if not jar.is_session_like(cookie.name):
            continue
        where = dict(name=cookie.name, domain=cookie.domain, path=cookie.path)
        if not cookie.secure:
            found.add("session_not_secure", Severity.WARN,
                      f"The session cookie {cookie.name} lacks Secure: it would also travel over plain HTTP.", **where)
        if not cookie.http_only:
            found.add("session_not_httponly", Severity.WARN,
                      f"The session cookie {cookie.name} lacks HttpOnly: any script on the page can read it.", **where)
    _samesite_unset(found, snapshot, own, first_party)
    _shared_across_portals(found, own, config)


def _samesite_unset(found: FindingList, snapshot: PageSnapshot, own: Sequence[CookieFacts],
                    first_party: frozenset[str]) -> None:
    sites = set(first_party) | {s.site for s in jar.third_party_sign_ins(snapshot) if s.kind == "frame"}
    if len(sites) < 2:
        return  # the login stays on one site: Lax-by-default changes nothing
    unset = {h.name for h in snapshot.set_cookie_headers if jar.parse_set_cookie(h.header).same_site is None}
    for cookie in own:
        if cookie.name in unset:
            found.add("samesite_unset", Severity.WARN,
                      f"The cookie {cookie.name} has no SameSite attribute while the login spans several sites "
                      f"({', '.join(sorted(sites))}): browsers treat it as Lax and leave it out when another site "
                      "posts back to this one (SAML/OpenID form posts), so login can loop.",
                      name=cookie.name, domain=cookie.domain, sites=sorted(sites))


def _shared_across_portals(found: FindingList, own: Sequence[CookieFacts], config: CheckConfig) -> None:
    allowlist = config.allowlist
    seen: set[tuple[str, str]] = set()
    for cookie in own:
        if not cookie.domain.startswith(".") or (cookie.name, cookie.domain) in seen:
            continue
        seen.add((cookie.name, cookie.domain))
        roles: dict[str, list[str]] = defaultdict(list)
        for host in allowlist.hosts:
            entry = allowlist.lookup(host)
            if entry is not None and entry.role in LOGIN_ROLES and jar.domain_matches(host, cookie.domain):
                roles[entry.role].append(host)
        if len(roles) > 1:
            found.add("shared_across_portals", Severity.WARN,
                      f"The cookie {cookie.name} is scoped to {cookie.domain}, so the "
                      f"{' and '.join(sorted(roles))} portals share it: a sign-in on one can disturb the other.",
                      name=cookie.name, domain=cookie.domain, roles={r: sorted(h) for r, h in sorted(roles.items())})


# --------------------------------------------------------------------------- third-party cookies


def _third_party(found: FindingList, snapshot: PageSnapshot, config: CheckConfig) -> ThirdPartySection:
    identity = jar.identity_hosts(snapshot, config.allowlist)
    sign_ins = jar.third_party_sign_ins(snapshot, identity)
    frames = [s for s in sign_ins if s.kind == "frame"]
    probe = snapshot.third_party_probe
    data = ThirdPartySection(
        sign_ins=tuple(SignInEntry(host=s.host, site=s.site, kind=cast(SignInKind, s.kind),
                                   login_fields=s.login_fields, cookies=tuple(s.cookie_names)) for s in sign_ins),
        checked=probe is not None, allowed_login=None, blocked_login=None, required=None,
        error=probe.error if probe is not None else None,
    )
    hosts = [s.host for s in frames]
    if frames:
        found.add("third_party_frame", Severity.INFO,
                  f"The login page embeds a sign-in frame from another site that uses cookies ({', '.join(hosts)}).",
                  hosts=hosts)
    if probe is None or not frames:
        return data
    if probe.error is not None or probe.allowed is None or probe.blocked is None:
        found.add("third_party_unknown", Severity.INFO,
                  f"Could not tell whether login needs third-party cookies: {probe.error or 'a visit failed'}.",
                  hosts=hosts)
        return data
    allowed, blocked = jar.login_hosts(probe.allowed, hosts), jar.login_hosts(probe.blocked, hosts)
    lost = sorted(allowed - blocked)
    data = replace(data, allowed_login=bool(allowed), blocked_login=bool(blocked), required=bool(lost),
                   cookies_allowed=tuple(_third_party_cookie_names(probe.allowed, hosts)),
                   cookies_blocked=tuple(_third_party_cookie_names(probe.blocked, hosts)))
    evidence = dict(hosts=hosts, login_with_third_party_cookies=sorted(allowed),
                    login_without_third_party_cookies=sorted(blocked))
    if lost:
        top = sorted(jar.top_level_sites(snapshot))
        found.add("third_party_required", Severity.WARN,
                  f"Login needs third-party cookies: the sign-in box from {', '.join(lost)} disappears when they are "
                  "blocked (Incognito/InPrivate, Safari, Firefox, or 'Block third-party cookies' in Chrome/Edge). "
                  f"Allow third-party cookies for {', '.join(top)} "
                  "(chrome://settings/cookies, edge://settings/content/cookies).",
                  **evidence, allow_for=top)
    elif allowed:
        found.add("third_party_ok", Severity.PASS,
                  "Login still shows with third-party cookies blocked "
                  f"(sign-in frame from {', '.join(sorted(allowed))}).",
                  **evidence)
    else:
        found.add("third_party_unknown", Severity.INFO,
                  f"Neither visit showed login fields in the frame from {', '.join(hosts)}; "
                  "whether it needs third-party cookies could not be told.", **evidence)
    return data


def _third_party_cookie_names(snapshot: PageSnapshot, hosts: Sequence[str]) -> list[str]:
    return sorted({c.name for c in snapshot.cookies if any(jar.domain_matches(h, c.domain) for h in hosts)})


# --------------------------------------------------------------------------- existing state


def clear_advice(site: str) -> ClearAdvice:
    """Where to delete one site's cookies, in Chrome and in Edge."""
    return ClearAdvice(site=site, chrome=f"chrome://settings/content/all?searchSubpanel={site}",
                       edge="edge://settings/siteData",
                       steps=f"Chrome: open chrome://settings/content/all?searchSubpanel={site} and delete its data. "
                             f"Edge: open edge://settings/siteData, search for {site} and delete it.")


def _clear_words(sites: Sequence[str]) -> str:
    return "; ".join(f"{s} (chrome://settings/content/all?searchSubpanel={s}, or edge://settings/siteData)"
                     for s in sites)


def _portal_hosts(paths: dict[str, tuple[str, bool]], config: CheckConfig) -> dict[str, tuple[str, bool]]:
    """The visit's hosts plus every host of the portals they belong to (aliases, sign-in hosts)."""
    hosts = dict(paths)
    for host in list(paths):
        entry = config.allowlist.lookup(host)
        if entry is not None:
            for other in (*entry.portal.hosts, *entry.portal.identity_hosts):
                hosts.setdefault(other, ("/", True))
    return hosts


def _existing(found: FindingList, snapshot: PageSnapshot, config: CheckConfig,
              paths: dict[str, tuple[str, bool]], reported: set[str]) -> ExistingSection | None:
    existing = snapshot.existing_cookies
    if existing is None:
        return None
    hosts = _portal_hosts(paths, config)
    now = existing.read_at or snapshot.captured_at
    relevant = [c for c in existing.cookies if any(jar.domain_matches(h, c.domain) for h in hosts)]
    expired = [c for c in relevant if 0 <= c.expires <= now]
    live = [c for c in relevant if c not in expired]
    sites = sorted({registrable_domain(c.domain.lstrip(".")) for c in relevant})
    advice = tuple(clear_advice(s) for s in sites)
    where = f"the {existing.source} {existing.location}".rstrip()
    conflicting = _conflicts(found, live, where)
    leftovers = _leftovers(found, live, snapshot, where)
    if expired:
        stale_logins = [c.name for c in expired if jar.is_session_like(c.name)]
        found.add("expired_kept", Severity.WARN if stale_logins else Severity.INFO,
                  f"{where.capitalize()} still holds {len(expired)} expired cookie(s) for the portal"
                  + (f", including the sign-in {', '.join(sorted(set(stale_logins)))}: that saved login is over"
                     if stale_logins else "") + ".",
                  cookies=[to_jsonable(_brief(c)) for c in expired], clear=to_jsonable(advice))
    existing_sizes, _counts = _header_sizes(found, live, paths, existing, "existing", skip=reported)
    if existing.undecryptable:
        found.add("existing_undecryptable", Severity.INFO,
                  f"{existing.undecryptable} cookie(s) in {where} are encrypted for another machine or user; "
                  "they were audited from their stored attributes, sizes are estimates.",
                  count=existing.undecryptable)
    if conflicting or leftovers or expired:
        hint = "; ".join(a.steps for a in advice)
        found.add("clear_site_data", Severity.INFO, f"To start clean: {hint}", clear=to_jsonable(advice))
    return ExistingSection(source=cast(ExistingSource, existing.source), location=existing.location,
                           browser=existing.browser, cookies=len(existing.cookies), portal_cookies=len(relevant),
                           expired=tuple(_brief(c) for c in expired), conflicting=conflicting,
                           leftover_sessions=leftovers, header_bytes=existing_sizes,
                           undecryptable=existing.undecryptable, clear=advice)


def _brief(cookie: CookieFacts) -> StoredCookie:
    return StoredCookie(name=cookie.name, domain=cookie.domain, path=cookie.path,
                        expires=None if cookie.expires < 0 else cookie.expires, size=cookie.size,
                        value_sha256=cookie.value_sha256)


def _conflicts(found: FindingList, live: Sequence[CookieFacts], where: str) -> tuple[ConflictingCookies, ...]:
    by_name: dict[str, list[CookieFacts]] = defaultdict(list)
    for cookie in live:
        by_name[cookie.name].append(cookie)
    conflicts: list[ConflictingCookies] = []
    for name, group in sorted(by_name.items()):
        variants = sorted({(c.domain, c.path) for c in group})
        if len(variants) < 2:
            continue
        sites = sorted({registrable_domain(c.domain.lstrip(".")) for c in group})
        entry = ConflictingCookies(name=name, variants=tuple(_brief(c) for c in group),
                                   clear=tuple(clear_advice(s) for s in sites))
        conflicts.append(entry)
        shown = ", ".join(f"{d}{p}" for d, p in variants)
        found.add("conflicting", Severity.WARN,
                  f"{where.capitalize()} holds {len(variants)} cookies named {name} for the portal ({shown}): "
                  f"the browser sends them all and the server may read a stale one, so login can loop. "
                  f"Clear the data of {_clear_words(sites)}.", **to_jsonable(entry))
    return tuple(conflicts)


def _leftovers(found: FindingList, live: Sequence[CookieFacts], snapshot: PageSnapshot,
               where: str) -> tuple[LeftoverSession, ...]:
    after = {(c.name, c.domain, c.path): c.value_sha256 for c in snapshot.cookies}
    leftovers: list[LeftoverSession] = []
    for cookie in live:
        if not jar.is_session_like(cookie.name):
            continue
        now_value = after.get((cookie.name, cookie.domain, cookie.path))
        replaced = now_value is not None and now_value != cookie.value_sha256
        leftovers.append(LeftoverSession(**vars(_brief(cookie)), replaced_by_visit=replaced))
    if leftovers:
        names = sorted({c.name for c in leftovers})
        sites = sorted({registrable_domain(c.domain.lstrip(".")) for c in leftovers})
        found.add("leftover_session", Severity.WARN,
                  f"{where.capitalize()} already holds sign-in cookies from an earlier session ({', '.join(names)}): "
                  f"if login loops or opens someone else's account, clear the data of {_clear_words(sites)}.",
                  cookies=to_jsonable(leftovers), clear=[to_jsonable(clear_advice(s)) for s in sites])
    return tuple(leftovers)


__all__ = ["NAME", "check", "clear_advice"]


def _kept(count: int) -> str:
    if count == 0:
        return "the probe cookie was kept; the portal set none during the visit."
    return f"the browser kept the {'one cookie' if count == 1 else f'{count} cookies'} the portal set."
