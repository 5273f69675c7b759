"""Browser readiness: headless launch, JavaScript, cookies, the third-party cookie setting, the
policies in force (judged by ``preflight.policy.judge``), and a ``--profile``'s stale cookies."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from preflight.capture.readiness import BrowserReadiness
from preflight.config.allowlist import Allowlist
from preflight.doctor.base import failed, not_run, passed, plural, warned
from preflight.doctor.system import System, join
from preflight.model.doctor import MachineCheck, Owner
from preflight.model.policy import BROWSER_TABLE
from preflight.model.report import Finding, Severity
from preflight.policy.judge import judge_policies
from preflight.rules.hosts import registrable_domain

LAUNCH_FIX = ("Check the browser starts on its own; reinstall it if not, or point preflight at another one with "
              "--browser-path PATH or --browser-channel chrome|msedge")


def headless_check(facts: BrowserReadiness) -> MachineCheck:
    if facts.error is not None and not facts.version:
        return failed("browsers.headless", Owner.PRACTICE_IT, f"the browser preflight uses did not start: {facts.error}",
                      LAUNCH_FIX)
    return passed("browsers.headless", f"{facts.browser}, version {facts.version}, started headless in "
                  f"{facts.launch_s:.1f} s", Owner.PRACTICE_IT)


def javascript_check(facts: BrowserReadiness) -> tuple[MachineCheck, MachineCheck]:
    if not facts.version:
        return (not_run("browsers.javascript", Owner.PRACTICE_IT, "the browser did not start"),
                not_run("browsers.cookies", Owner.PRACTICE_IT, "the browser did not start"))
    if facts.javascript is None:
        why = facts.error or "the test page did not load"
        return (not_run("browsers.javascript", Owner.PRACTICE_IT, why), not_run("browsers.cookies", Owner.PRACTICE_IT, why))
    if not facts.javascript:
        js = failed("browsers.javascript", Owner.PRACTICE_IT, "a test page's script did not run: JavaScript is off",
                    "Allow JavaScript (policy DefaultJavaScriptSetting, or chrome://settings/content/javascript); "
                    "every portal sign-in needs it")
    else:
        js = passed("browsers.javascript", "a test page's script ran", Owner.PRACTICE_IT)
    kept = [what for what, ok in (("from a response header", facts.header_cookie), ("from script", facts.script_cookie))
            if ok]
    lost = [what for what, ok in (("from a response header", facts.header_cookie), ("from script", facts.script_cookie))
            if ok is False]
    if lost:
        cookies = failed("browsers.cookies", Owner.PRACTICE_IT, f"cookies {' and '.join(lost)} were not kept",
                         "Allow cookies for the portal hosts (policy CookiesAllowedForUrls; `preflight policy "
                         "export` writes it), or chrome://settings/cookies; sign-in cannot keep a session without them")
    elif kept:
        cookies = passed("browsers.cookies", f"a test page's cookies {' and '.join(kept)} were kept", Owner.PRACTICE_IT)
    else:
        cookies = not_run("browsers.cookies", Owner.PRACTICE_IT, "the cookie test did not run (JavaScript is off)")
    return js, cookies


def _policy_findings(facts: BrowserReadiness, allowlist: Allowlist) -> tuple[Finding, ...]:
    return judge_policies(facts.policies or (), allowlist)


def policies_check(facts: BrowserReadiness, allowlist: Allowlist) -> MachineCheck:
    owner = Owner.PRACTICE_IT
    if facts.policies is None:
        return not_run("browsers.policies", owner, facts.policy_error or "the browser did not start",
                       fix="Run `preflight policy show` to read them again")
    rows = [e for e in facts.policies if e.table == BROWSER_TABLE]
    findings = [f for f in _policy_findings(facts, allowlist) if f.severity in (Severity.WARN, Severity.FAIL)]
    names = ", ".join(e.name for e in rows[:8]) + (" ..." if len(rows) > 8 else "")
    seen = f"{plural(len(rows), 'policy')} in force" + (f" ({names})" if rows else "")
    if not findings:
        return passed("browsers.policies", f"{seen}; none gets in the way of portal sign-in", owner)
    worst = max(findings, key=lambda f: f.severity.rank)
    evidence = f"{seen}; " + "; ".join(f"{f.code}: {f.message}" for f in findings[:3])
    fix = "Change the policy named above (see `preflight policy show`; `preflight policy export` writes " \
          "policies that let the portals work)"
    if worst.severity is Severity.FAIL:
        return failed("browsers.policies", owner, evidence, fix)
    return warned("browsers.policies", owner, evidence, fix)


def _cross_site_identity_hosts(allowlist: Allowlist) -> list[str]:
    found: list[str] = []
    for portal in allowlist.portals:
        sites = {registrable_domain(h) for h in portal.hosts}
        found.extend(h for h in portal.identity_hosts if registrable_domain(h) not in sites)
    return found


def _profile_setting(system: System, profile_dir: str) -> tuple[str, bool | None]:
    """(where, blocked) from a profile's ``Preferences``: ``profile.cookie_controls_mode`` 2 blocks
    third-party cookies everywhere, 1 only in Incognito, 0 nowhere (Chrome, Edge and Chromium)."""
    for path in (join(system, profile_dir, "Preferences"), join(system, profile_dir, "Default", "Preferences")):
        content = system.read_file(path)
        if content is None:
            continue
        try:
            prefs: Any = json.loads(content.decode("utf-8", "replace"))
        except ValueError:
            return path, None
        profile = prefs.get("profile", {}) if isinstance(prefs, dict) else {}
        mode = profile.get("cookie_controls_mode")
        if mode is None and "block_third_party_cookies" in profile:
            return path, bool(profile["block_third_party_cookies"])
        return path, None if mode is None else mode == 2
    return profile_dir, None


def third_party_check(system: System, facts: BrowserReadiness, allowlist: Allowlist,
                      profile_dir: str | None) -> MachineCheck:
    owner = Owner.USER
    identity = _cross_site_identity_hosts(allowlist)
    needs = (f"the allowlist has sign-in hosts on other sites ({', '.join(identity[:3])})" if identity
             else "no allowlisted portal signs in through another site")
    policy = next((e for e in facts.policies or () if e.name == "BlockThirdPartyCookies" and e.table == BROWSER_TABLE), None)
    if policy is not None and policy.value is True:
        if identity:
            return warned("browsers.third_party_cookies", Owner.PRACTICE_IT,
                          f"policy BlockThirdPartyCookies blocks third-party cookies and {needs}",
                          "List those sign-in hosts in CookiesAllowedForUrls (`preflight policy export` does)")
        return passed("browsers.third_party_cookies", f"policy BlockThirdPartyCookies blocks them; {needs}", owner)
    where, blocked = _profile_setting(system, profile_dir) if profile_dir else ("", None)
    if blocked and identity:
        return warned("browsers.third_party_cookies", owner, f"the profile ({where}) blocks third-party cookies and {needs}",
                      "Allow third-party cookies for those sites: chrome://settings/cookies > Sites allowed to use "
                      "third-party cookies (Edge: edge://settings/content/cookies)")
    if policies_unknown := facts.policies is None:
        policy_part = "the policies could not be read"
    else:
        policy_part = "no policy blocks them"
    user_part = (f"the profile ({where}) {'blocks' if blocked else 'allows'} them" if blocked is not None
                 else "the user's own setting was not read (give --profile to read it)")
    if policies_unknown and blocked is None:
        return not_run("browsers.third_party_cookies", owner, "neither the policies nor a profile could be read",
                       f"{policy_part}; {user_part}; {needs}")
    return passed("browsers.third_party_cookies", f"{policy_part}; {user_part}; {needs}", owner)


PROFILE_CODES = ("cookies.leftover_session", "cookies.conflicting", "cookies.expired_kept", "cookies.header_too_large",
                 "cookies.header_near_limit", "cookies.existing_undecryptable")


def profile_cookies_check(profile_dir: str | None, portal_findings: Sequence[Finding] | None,
                          why_not: str | None) -> MachineCheck:
    owner = Owner.USER
    if not profile_dir:
        return not_run("browsers.profile_cookies", owner, "no --profile given",
                       fix="To audit a user's saved cookies, run doctor with --profile PATH-TO-THEIR-BROWSER-PROFILE")
    if portal_findings is None:
        return not_run("browsers.profile_cookies", owner, why_not or "the portal check did not run",
                       fix="The profile is read during the portal check: run doctor without --no-portal, online")
    found = [f for f in portal_findings if f.code in PROFILE_CODES]
    clear = next((f for f in portal_findings if f.code == "cookies.clear_site_data"), None)
    bad = [f for f in found if f.severity in (Severity.WARN, Severity.FAIL)]
    if not bad:
        return passed("browsers.profile_cookies", "the profile holds no stale or conflicting portal cookies", owner)
    evidence = "; ".join(f"{f.code}: {f.message}" for f in bad[:3])
    fix = clear.message if clear is not None else "Clear the portal's cookies: chrome://settings/content/all " \
                                                  "(Edge: edge://settings/siteData), search the portal's site, delete"
    if any(f.severity is Severity.FAIL for f in bad):
        return failed("browsers.profile_cookies", owner, evidence, fix)
    return warned("browsers.profile_cookies", owner, evidence, fix)
