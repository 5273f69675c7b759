"""check --browser-policies: cookie policies in force -> Chromium profile preferences (no browser)."""

from __future__ import annotations

from preflight.policy.prefs import cookie_preferences

from .test_judge import row


def test_cookie_policies_become_content_settings():
    cookie = cookie_preferences((
        row("DefaultCookiesSetting", 4),
        row("CookiesAllowedForUrls", ["https://a.example.com", "[*.]both.example.com"]),
        row("CookiesBlockedForUrls", ["[*.]both.example.com"]),
        row("CookiesSessionOnlyForUrls", ["s.example.com"]),
        row("BlockThirdPartyCookies", False),
        row("HomepageLocation", "https://example.com/"),
    ))
    profile = cookie.preferences["profile"]
    assert profile["default_content_setting_values"] == {"cookies": 4}
    assert profile["content_settings"]["exceptions"]["cookies"] == {
        "https://a.example.com,*": {"setting": 1},
        "[*.]both.example.com,*": {"setting": 2},  # listed as allowed and blocked: the worse case
        "s.example.com,*": {"setting": 4},
    }
    assert profile["cookie_controls_mode"] == 0
    assert [a.split("=")[0] for a in cookie.applied] == ["DefaultCookiesSetting", "CookiesAllowedForUrls",
                                                         "CookiesSessionOnlyForUrls", "CookiesBlockedForUrls",
                                                         "BlockThirdPartyCookies"]


def test_nothing_in_force_keeps_a_fresh_contexts_third_party_block_and_applies_nothing():
    assert cookie_preferences(()).preferences == {"profile": {"cookie_controls_mode": 1}}
    assert cookie_preferences(()).applied == ()


def test_rows_not_applied_are_not_carried_over():
    cookie = cookie_preferences((row("CookiesBlockedForUrls", ["x.example.com"], status="Error", errors="bad"),
                                 row("DefaultCookiesSetting", 2, table="precedence")))
    assert cookie.applied == ()
