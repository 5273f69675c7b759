"""Cookie policies in force -> the same cookie settings as profile preferences, so a guarded visit
in a throwaway regular profile meets the cookies the managed browser would (``check --browser-policies``).

Preferences, not emulation: Chromium itself enforces ``profile.default_content_setting_values`` and
``profile.content_settings.exceptions`` (measured on Chromium 156: an exception ``[*.]host,*`` with
setting 2, or the default 2, leaves ``document.cookie`` empty on that host).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from preflight.model.policy import BROWSER_TABLE, PolicyEntry

ALLOW, BLOCK, SESSION_ONLY = 1, 2, 4
"""Content-setting values, as ``DefaultCookiesSetting`` numbers them."""

# Applied in this order, so that a pattern listed as allowed and blocked ends blocked: which one
# Chrome honours is unspecified, and the audit should show the worse case.
_LIST_POLICIES = (("CookiesAllowedForUrls", ALLOW), ("CookiesSessionOnlyForUrls", SESSION_ONLY),
                  ("CookiesBlockedForUrls", BLOCK))


@dataclass(frozen=True)
class CookiePolicy:
    preferences: dict[str, Any] = field(default_factory=dict)
    """Overlay for the profile's ``Preferences``."""
    applied: tuple[str, ...] = ()
    """The policies (name and value) carried over, for the user to see."""


def cookie_preferences(entries: tuple[PolicyEntry, ...]) -> CookiePolicy:
    policy = {e.name: e.value for e in entries if e.table == BROWSER_TABLE and e.applied}
    applied: list[str] = []
    profile: dict[str, Any] = {}
    default = policy.get("DefaultCookiesSetting")
    if default in (ALLOW, BLOCK, SESSION_ONLY):
        profile["default_content_setting_values"] = {"cookies": default}
        applied.append(f"DefaultCookiesSetting={default}")
    exceptions: dict[str, dict[str, int]] = {}
    for name, setting in _LIST_POLICIES:
        patterns = [p for p in policy.get(name, []) if isinstance(p, str) and "," not in p] \
            if isinstance(policy.get(name), list) else []
        for pattern in patterns:
            exceptions[f"{pattern.strip()},*"] = {"setting": setting}
        if patterns:
            applied.append(f"{name}={patterns}")
    if exceptions:
        profile["content_settings"] = {"exceptions": {"cookies": exceptions}}
    # A fresh Playwright context blocks third-party cookies (Incognito-like): keep that unless the
    # policy says otherwise, so the flag changes only what the policies change.
    third_party = policy.get("BlockThirdPartyCookies")
    profile["cookie_controls_mode"] = 0 if third_party is False else 1
    if isinstance(third_party, bool):
        applied.append(f"BlockThirdPartyCookies={str(third_party).lower()}")
    return CookiePolicy({"profile": profile}, tuple(applied))
