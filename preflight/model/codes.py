"""Stable finding codes, one table per check: code, severity, meaning. CI may match on codes.

``FindingList.add`` refuses a code or a severity that is not in its check's table, so a check
cannot emit an undocumented code; README's *Finding codes* table is tested against these rows
(``tests/model/test_codes.py``). ``severity`` is the wording README shows; the severities a code
may carry are read from it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from preflight.model.report import Severity


@dataclass(frozen=True)
class Code:
    code: str
    """``<check>.<name>``: stable."""
    severity: str
    """As README states it: ``fail``, ``warn / fail``, ``fail (verdict error)`` ..."""
    meaning: str
    """One sentence a help-desk person understands (README's wording, Markdown)."""

    @property
    def severities(self) -> frozenset[Severity]:
        return frozenset(Severity(word) for word in re.findall(r"\b(info|pass|warn|fail)\b", self.severity))

DOMAIN = (
    Code("domain.official", "pass",
         "every host of the flow is an allowlisted portal host; names payer, portal, role"),
    Code("domain.lookalike", "fail",
         "a redirect hop, the final page, a script navigation, a login frame or the form target is on a host imitating an allowlisted one; names what it imitates and how (evidence: `lookalike_of`, `reasons`, `signals`)"),
    Code("domain.not_allowlisted", "fail",
         "a redirect hop, the final page or a script navigation is on an unrelated host"),
    Code("domain.impersonates", "fail",
         "a login page on a host off the allowlist presents an allowlisted payer's or portal's name (`payer`, `name`, `aliases`) in its title, a heading, a logo's alt text or the login form; names where (evidence: `presented`, `official_host`)"),
    Code("domain.invalid_host", "fail",
         "a host no browser should accept"),
    Code("domain.same_organization", "warn",
         "host shares an allowlisted registrable domain but is not listed"),
    Code("domain.form_action_off_list", "fail (warn when the host is in the same organization)",
         "the login form would send the password to a host not on the allowlist"),
    Code("domain.insecure_form_action", "fail",
         "the login form would send the password over plain HTTP"),
    Code("domain.recovery_off_list", "fail",
         "a \"forgot user ID/password\", \"register\" or \"unlock\" link of the login points off the official hosts (warn when it stays in the same organization)"),
    Code("domain.login_frame_off_list", "fail (warn when same organization)",
         "login fields sit in a frame from a host not on the allowlist"),
    Code("domain.third_party_scripts", "warn",
         "scripts from unlisted hosts run in the login page (they can read what is typed); hosts listed"),
    Code("domain.mixed_content", "fail",
         "the HTTPS login page loads content over plain HTTP"),
    Code("domain.pattern_match", "warn",
         "host trusted only through a `*.` pattern"),
    Code("domain.not_https", "fail",
         "a page of the flow is plain HTTP"),
    Code("domain.insecure_loopback", "warn",
         "plain HTTP on a loopback host (tests only)"),
    Code("domain.clone_of", "fail",
         "`check --baseline`: a login page on a host off the allowlist copies a baselined official login (same favicon, a perceptual hash within `[baseline] clone_visual`, or the same login fields); names the official portal and page (evidence: `portal`, `official`, `favicon_match`, `visual_distance`, `form_similarity`)"),
)

TRANSPORT = (
    Code("transport.tls", "pass",
         "TLS version and certificate issuer"),
    Code("transport.cert_expiring", "warn",
         "certificate expires within 14 days"),
    Code("transport.cert_expired", "fail",
         "certificate already expired (seen when the certificate was trusted explicitly)"),
    Code("transport.incomplete", "warn",
         "the page never finished loading within `--timeout`; what it showed was checked"),
    Code("transport.old_tls", "fail",
         "TLS 1.0/1.1"),
    Code("transport.no_hsts", "info",
         "no `Strict-Transport-Security` header"),
    Code("transport.http_error", "fail",
         "the page answered HTTP 4xx/5xx"),
)

SUBMISSION = (
    Code("submission.none", "pass",
         "the page tried to send nothing: no form, no request with a body, no request with data in its address"),
    Code("submission.blocked", "warn",
         "the page tried to submit a form, or to send a value of its fields (in a URL, header, cookie or body), on its own; every attempt listed, all stopped"),
    Code("submission.unguarded_path", "fail",
         "something left or opened by a path the guard could not stop (a WebSocket or WebTransport session that opened anyway, a prefetch/prerender the browser started, a request the route never saw): detected over DevTools, listed; the no-submission guarantee does not hold for that page"),
    Code("submission.telemetry_blocked", "info",
         "the page sent requests of its own (beacons, POSTs, pings, sockets: analytics and the like) that carried none of its field values; listed, all stopped"),
    Code("submission.page_requests", "info",
         "the page made GET requests of its own with data in the address (analytics, tracking, or data it made up); allowed, as every browser allows them; none carried a field value in a form preflight recognises (a value the page re-encodes itself is out of reach: see *Nothing is ever submitted*)"),
    Code("submission.dialogs", "info",
         "the page opened `alert`/`confirm`/`prompt` dialogs (dismissed)"),
)

PORTAL = (
    Code("portal.role", "pass / info",
         "the login's role, with evidence: pass when it matches the allowlist or `--expect`, info otherwise (and for `unknown`)"),
    Code("portal.role_mismatch", "fail",
         "the page reads as another role than the allowlist (or `--expect`) says for this host, confidence >= 0.5"),
    Code("portal.role_uncertain", "warn",
         "as a mismatch, but with confidence below 0.5"),
    Code("portal.login_form", "info",
         "a login form was found: its kind and what it asks for"),
    Code("portal.no_login_form", "warn",
         "no login form on the page, and why (sign-up or reset form, maintenance page ...)"),
    Code("portal.login_elsewhere", "info / warn / fail",
         "a page without a login links to one: names the link, where it points and what the allowlist makes of that host (info when official or same organization, warn when unrelated or invalid, fail when a lookalike)"),
    Code("portal.maintenance", "info",
         "the page says the portal is down for maintenance; quotes the phone numbers and the time window it gives"),
    Code("portal.username_not_email", "info",
         "the form asks for a user ID, member ID, NPI or Tax ID, not an email: a common cause of failed logins"),
    Code("portal.login_in_frame", "info",
         "the login sits in a cross-origin frame from an allowlisted host or the same organization"),
    Code("portal.login_frame_offsite", "warn",
         "the login sits in a cross-origin frame from an unrelated host"),
)

CLOCK = (
    Code("clock.ok", "pass",
         "this computer's clock agrees with the portal's (skew under `clock.warn_s`, 30 s)"),
    Code("clock.skew", "warn / fail",
         "skew from 30 s (one-time codes and sign-in tokens start to fail) / from 300 s (most sign-ins fail); says ahead or behind, and a time-zone hint for whole hours"),
    Code("clock.cookie_expiry_risk", "fail",
         "an `Expires`-only cookie of the portal lives shorter than the skew: it would be expired on arrival; the cookie is named"),
    Code("clock.unmeasurable", "info",
         "no usable `Date` (missing, garbled, frozen by a proxy), a single sample, or no connection: no number is made up"),
    Code("clock.odd_reference", "info",
         "one portal host's clock disagrees with the others by more than 2 s; named and not trusted"),
)

COOKIES = (
    Code("cookies.ok", "pass",
         "cookies work and the portal's cookies raise no warning"),
    Code("cookies.disabled", "fail",
         "a probe cookie written through `document.cookie` could not be read back: cookies do not work"),
    Code("cookies.rejected", "fail (session-like) / warn / info",
         "a cookie the portal sent was not kept; reason: `samesite_none_insecure`, `too_large`, `host_prefix`, `secure_prefix`, `domain_mismatch`, `public_suffix_domain`, `secure_from_insecure_origin`, `partitioned_insecure`, `invalid_name`, `empty`, `expired_on_arrival`, `samesite_cross_site`, `third_party` (info), `unknown` (info)"),
    Code("cookies.header_too_large", "fail",
         "the `Cookie` header a portal host would receive is over 8190 bytes (Apache; nginx 8 KiB): \"400 request header too large\""),
    Code("cookies.header_near_limit", "warn",
         "that header is over 6144 bytes"),
    Code("cookies.session_not_secure", "warn",
         "a session-looking cookie lacks `Secure`: it can travel over plain HTTP (go-live hygiene)"),
    Code("cookies.session_not_httponly", "warn",
         "a session-looking cookie lacks `HttpOnly`: the page's scripts can read it (go-live hygiene)"),
    Code("cookies.samesite_unset", "warn",
         "a cookie without `SameSite` in a login that spans several sites"),
    Code("cookies.shared_across_portals", "warn",
         "a cookie scoped to the payer's parent domain covers portals of different roles (member and provider sessions collide on a shared PC)"),
    Code("cookies.third_party_frame", "info",
         "a sign-in frame from another site uses cookies"),
    Code("cookies.third_party_required", "warn",
         "the sign-in box disappears when third-party cookies are blocked (Safari, Firefox, Chrome Incognito, enterprise policy)"),
    Code("cookies.third_party_ok", "pass",
         "the login still shows with third-party cookies blocked"),
    Code("cookies.third_party_unknown", "info",
         "the comparison could not tell"),
    Code("cookies.conflicting", "warn",
         "`--storage-state`/`--profile`: the same cookie name on different domains or paths for the portal's hosts"),
    Code("cookies.leftover_session", "warn",
         "sign-in cookies left by an earlier session"),
    Code("cookies.expired_kept", "warn (sign-in cookie) / info",
         "expired cookies still stored"),
    Code("cookies.existing_undecryptable", "info",
         "profile cookies this browser cannot decrypt (another OS keyring); sizes are estimates"),
    Code("cookies.clear_site_data", "info",
         "which site's data to clear, with `chrome://settings/content/all?searchSubpanel=SITE` and `edge://settings/siteData`"),
)

TARGET = (
    Code("target.unreachable", "fail (verdict error)",
         "connection refused/reset, empty response"),
    Code("target.dns", "fail (verdict error)",
         "host name does not resolve"),
    Code("target.timeout", "fail (verdict error)",
         "the target did not load within `--timeout`"),
    Code("target.tls", "fail",
         "certificate rejected: expired, wrong host, untrusted — the visit ends"),
    Code("target.redirect_loop", "fail",
         "the page redirects in a loop"),
    Code("target.aborted", "fail (verdict error)",
         "navigation aborted (a blocked page)"),
    Code("target.blocked", "fail (verdict error)",
         "the guard stopped the navigation itself (a page that sends the browser somewhere the guard refuses); nothing was loaded"),
    Code("target.crashed", "fail (verdict error)",
         "the page's renderer crashed (out of memory, or killed) before the page could be read; nothing is claimed about it"),
    Code("target.unreadable", "fail (verdict error)",
         "the page could not be read: its main thread stayed busy, it kept navigating or opening dialogs, or it was too large to read in time; nothing is claimed about its login"),
    Code("target.download", "fail",
         "the URL starts a file download instead of showing a page"),
)

BROWSER = (
    Code("browser.crashed", "fail (verdict error)",
         "the browser died during the check (the batch carries on with a new one)"),
    Code("browser.endpoint_unreachable", "fail (verdict error)",
         "the remote browser (`--connect` run-server, `--cdp` browser) that served the check went away, or no endpoint was up; the endpoint is named, and skipped while it is down"),
)

POLICY = (
    Code("policy.ok", "pass",
         "`preflight policy show`: no policy in force gets in the way of signing in to the allowlisted portals"),
    Code("policy.third_party_cookies_blocked", "warn / info",
         "`BlockThirdPartyCookies` is on: a sign-in frame from an identity host on another site loses its cookies (warn when the allowlist has such a host not exempted by `CookiesAllowedForUrls`, info otherwise)"),
    Code("policy.cookies_session_only", "warn",
         "cookies of a portal host last only until the browser closes (`DefaultCookiesSetting` 4, or `CookiesSessionOnlyForUrls`): \"remember this device\" and MFA trust are lost every day"),
    Code("policy.portal_cookies_blocked", "fail",
         "cookies are blocked for a portal host (`CookiesBlockedForUrls` matches it, or `DefaultCookiesSetting` 2 without a `CookiesAllowedForUrls` exception): the sign-in cannot keep a session; pattern and host named"),
    Code("policy.portal_url_blocked", "fail",
         "`URLBlocklist` blocks a portal page (no `URLAllowlist` entry as specific lets it through): the browser shows its block page instead of the login"),
    Code("policy.clear_on_exit", "warn",
         "cookies are deleted when the browser closes (`ClearBrowsingDataOnExitList` with `cookies_and_other_site_data`, Edge `ClearBrowsingDataOnExit`): users sign in and pass MFA again every day"),
    Code("policy.password_protection_missing", "info",
         "`PasswordProtectionLoginURLs` with `PasswordProtectionWarningTrigger` do not cover the portal's login pages: no warning when the portal password is typed on a look-alike (`preflight policy export` writes them)"),
    Code("policy.not_applied", "warn",
         "a policy that matters for portal sign-in is set but the browser reports an error for it and does not apply it; the browser's message is quoted"),
)

BASELINE = (
    Code("baseline.unchanged", "pass",
         "`check --baseline`: the login page matches its baseline (changes matched by `[baseline] ignore` are counted, not reported)"),
    Code("baseline.form_action_changed", "fail",
         "the login form now posts to another host or path than the baseline's; names both"),
    Code("baseline.login_frame_origin_changed", "fail",
         "the login fields are now in a frame from another origin (or no longer in the baseline's frame)"),
    Code("baseline.new_script_origin", "fail / warn",
         "a script from an origin the baseline never saw runs in the login page (fail: it can read the password box) / in a frame without login fields (warn)"),
    Code("baseline.script_changed", "warn",
         "a script's content hash differs (matched by origin and path: query strings, version and build-hash tokens are ignored), a new script from a known origin, new inline scripts, or SRI dropped; names the script"),
    Code("baseline.script_removed", "info",
         "a script of the baseline no longer runs in the page"),
    Code("baseline.fields_changed", "warn / fail",
         "the login form's fields (name, type, autocomplete, label) or kind changed; fail when a new field asks for card, SSN or date-of-birth data"),
    Code("baseline.role_changed", "fail / warn",
         "the page now reads as another role's login than the baseline's, confidence >= 0.5 (warn below, or when it no longer reads as any role: `unknown`)"),
    Code("baseline.recovery_changed", "warn",
         "a recovery or registration link now points to a host the baseline's did not"),
    Code("baseline.host_chain_changed", "warn",
         "the redirect chain or final host differs from the baseline's"),
    Code("baseline.cert_new_issuer", "warn",
         "the certificate comes from another issuer: confirm with the payer"),
    Code("baseline.cert_new_key", "info",
         "the certificate has a new key from the same issuer"),
    Code("baseline.cert_renewed", "info",
         "the certificate was renewed: same key and issuer, new validity (or SAN list)"),
    Code("baseline.hsts_changed", "warn / info",
         "the `Strict-Transport-Security` header was dropped (warn) or changed (info)"),
    Code("baseline.favicon_changed", "info",
         "the page's icon changed"),
    Code("baseline.visual_change", "info / warn",
         "the page looks different: share of perceptual-hash bits changed from `[baseline] visual_info` (0.08, info) / `visual_warn` (0.25, warn); not reported when the fields changed (that explains it)"),
    Code("baseline.not_baselined", "warn / info",
         "the baseline has no entry for this target: nothing compared, not fatal (warn on an official host: add it with `baseline update`; info on any other host, which the domain check judges)"),
)

CHECK_ERROR = Code("<check>.error", "fail (verdict error)",
                   "a check crashed (a bug in preflight: exit 70); the other checks still ran")
"""The one code every check may emit, for itself crashing."""

TABLES: Mapping[str, tuple[Code, ...]] = {"domain": DOMAIN, "transport": TRANSPORT, "submission": SUBMISSION, "portal": PORTAL, "clock": CLOCK, "cookies": COOKIES, "baseline": BASELINE, "target": TARGET, "browser": BROWSER, "policy": POLICY}
"""Check (or ``target``/``browser`` for visits that could not finish, ``policy`` for ``preflight
policy show``) -> its codes, in README order."""

BY_CODE: Mapping[str, Code] = {entry.code: entry for table in TABLES.values() for entry in table}


def lookup(code: str) -> Code:
    """The table entry of ``code`` (``KeyError`` for an undocumented one)."""
    if code.endswith(".error") and code.split(".", 1)[0] in TABLES:
        return CHECK_ERROR
    return BY_CODE[code]


def markdown_rows() -> list[str]:
    """README's *Finding codes* table rows, generated from the tables (tested against README)."""
    rows = [f"| `{entry.code}` | {entry.severity} | {entry.meaning} |" for table in TABLES.values() for entry in table]
    rows.append(f"| `{CHECK_ERROR.code}` | {CHECK_ERROR.severity} | {CHECK_ERROR.meaning} |")
    return rows
