"""Cookie rules as pure functions: parsing, RFC 6265bis / Chromium rules, header sizes, third parties."""

from __future__ import annotations

import calendar

import pytest

from preflight.model.snapshot import (
    CookieFacts,
    FrameFacts,
    InputFacts,
    SetCookieHeader,
)
from preflight.rules import jar
from preflight.rules.redact import redact_set_cookie, value_digest
from preflight.rules.skew import parse_http_date
from tests.factories import snapshot

PORTAL = "https://provider.example.com/login"
SENT_AT = 1_800_000_000.0


def header(line: str, url: str = PORTAL, date: str | None = None) -> SetCookieHeader:
    """What capture keeps of a ``Set-Cookie`` line: attributes, and the value as length and hash."""
    shown, name, value = redact_set_cookie(line)
    return SetCookieHeader(url=url, header=shown, name=name, value_length=len(value),
                           value_sha256=value_digest(value), date=date)


def kept(name: str, value: str, domain: str = "provider.example.com", path: str = "/", **flags) -> CookieFacts:
    """A cookie as the jar holds it after the visit."""
    return CookieFacts(name=name, domain=domain, path=path, size=len(name) + len(value),
                       value_sha256=value_digest(value), **flags)


def visit(*lines: str, jar_cookies: tuple[CookieFacts, ...] = (), url: str = PORTAL, **fields):
    headers = tuple(header(line) if isinstance(line, str) else line for line in lines)
    return snapshot(url, set_cookie_headers=headers, cookies=jar_cookies, captured_at=SENT_AT, **fields)


# --------------------------------------------------------------------------- parsing


def test_attributes_are_read_case_insensitively_and_the_last_one_wins():
    attrs = jar.parse_set_cookie("a=<redacted>; path=/x; PATH=/y; domain=.Example.COM; secure; HTTPONLY; "
                                 "SameSite=none; Max-Age=60; Partitioned")
    assert attrs == jar.SetCookieAttributes(domain="example.com", path="/y", max_age=60, secure=True,
                                            http_only=True, same_site="None", partitioned=True)


def test_invalid_or_empty_attributes_fall_back_to_defaults():
    attrs = jar.parse_set_cookie("a=1; Path=relative; Domain=; SameSite=sometimes; Max-Age=soon")
    assert attrs == jar.SetCookieAttributes()


@pytest.mark.parametrize("text, expected", [
    ("Wed, 09 Jun 2021 10:18:14 GMT", (2021, 6, 9, 10, 18, 14)),
    ("Wednesday, 09-Jun-21 10:18:14 GMT", (2021, 6, 9, 10, 18, 14)),   # RFC 850, two-digit year
    ("Sun Nov  6 08:49:37 1994", (1994, 11, 6, 8, 49, 37)),            # asctime
    ("6 Nov 1994 08:49:37", (1994, 11, 6, 8, 49, 37)),
    ("Thu, 01 Jan 70 00:00:00 GMT", (1970, 1, 1, 0, 0, 0)),
])
def test_cookie_dates_parse_like_browsers(text, expected):
    assert jar.parse_cookie_date(text) == calendar.timegm(expected)


@pytest.mark.parametrize("text", ["", "tomorrow", "31 Feb 2021 00:00:00", "09 Jun 2021", "09 Jun 1500 10:00:00"])
def test_unparseable_dates_are_none(text):
    assert jar.parse_cookie_date(text) is None


# --------------------------------------------------------------------------- hosts and paths


@pytest.mark.parametrize("domain, public", [
    ("com", True), ("co.uk", True), ("github.io", True), ("example.com", False), ("a.example.com", False),
])
def test_public_suffixes_include_the_private_section(domain, public):
    assert jar.is_public_suffix(domain) is public


@pytest.mark.parametrize("host, domain, problem", [
    ("provider.example.com", None, None),
    ("provider.example.com", "example.com", None),
    ("provider.example.com", "provider.example.com", None),
    ("provider.example.com", "example.org", "domain_mismatch"),
    ("provider.example.com", "other.example.com", "domain_mismatch"),
    ("provider.example.com", "com", "public_suffix_domain"),
    ("127.0.0.1", "127.0.0.1", None),
    ("127.0.0.1", "0.0.1", "domain_mismatch"),
])
def test_a_host_may_only_set_domains_it_belongs_to(host, domain, problem):
    assert jar.domain_problem(host, domain) == problem


def test_paths_default_and_match_as_rfc_6265bis_says():
    assert [jar.default_path(p) for p in ("/", "/login", "/app/login", "x")] == ["/", "/", "/app", "/"]
    assert jar.path_matches("/app/login", "/app") and jar.path_matches("/app/", "/app/")
    assert not jar.path_matches("/application", "/app")


def test_cookie_header_counts_the_whole_line_for_the_cookies_the_host_gets():
    cookies = (kept("a", "1"), kept("bb", "22", domain=".example.com"), kept("c", "3", path="/app"),
               kept("d", "4", domain="member.example.com"), kept("e", "5", secure=True))
    # "Cookie: a=1; bb=22" -> the /app cookie, another host's cookie and ...
    assert jar.cookie_header_bytes(cookies, "provider.example.com", "/", secure=False) == (len("Cookie: a=1; bb=22"), 2)
    # ... over HTTPS the Secure one too
    assert jar.cookie_header_bytes(cookies, "provider.example.com", "/app/x")[1] == 4
    assert jar.cookie_header_bytes((), "provider.example.com") == (0, 0)
    expired = (kept("gone", "x", expires=1.0),)
    assert jar.cookie_header_bytes(expired, "provider.example.com", now=SENT_AT) == (0, 0)


# --------------------------------------------------------------------------- expiry on arrival


def attrs(line: str) -> jar.SetCookieAttributes:
    return jar.parse_set_cookie("a=<redacted>; " + line)


def test_max_age_zero_and_epoch_dates_are_deletions_not_bugs():
    assert jar.expiry_on_arrival(attrs("Max-Age=0"), 5, SENT_AT, None) == "deletion"
    assert jar.expiry_on_arrival(attrs("Expires=Thu, 01 Jan 1970 00:00:00 GMT"), 7, SENT_AT, None) == "deletion"
    assert jar.expiry_on_arrival(attrs("Expires=Wed, 01 Jan 2020 00:00:00 GMT"), 0, SENT_AT, None) == "deletion"


def test_a_valued_cookie_dated_in_the_past_expired_on_arrival():
    fate = jar.expiry_on_arrival(attrs("Expires=Wed, 01 Jan 2020 00:00:00 GMT"), 5, SENT_AT, None)
    assert fate == "expired_on_arrival"


def test_expires_is_measured_against_the_servers_date_as_chromium_does():
    # Given a server whose clock says 2019 and a cookie valid until 2020 by that clock
    server_date = parse_http_date("Tue, 01 Jan 2019 00:00:00 GMT")
    # Then a local clock in 2027 does not expire it (Chromium shifts expiry by the skew)
    assert jar.expiry_on_arrival(attrs("Expires=Wed, 01 Jan 2020 00:00:00 GMT"), 5, SENT_AT, server_date) is None
    assert jar.expiry_on_arrival(attrs("Max-Age=60"), 5, SENT_AT, None) is None


# --------------------------------------------------------------------------- Set-Cookie vs jar


def test_cookies_in_the_jar_were_accepted_whatever_the_rules_say():
    result = jar.compare_with_jar(visit("__Host-s=v; Path=/; Secure", jar_cookies=(kept("__Host-s", "v"),)))
    assert result == ()


@pytest.mark.parametrize("line, reason", [
    ("s=v; SameSite=None", "samesite_none_insecure"),
    ("big=" + "x" * 4094, "too_large"),
    ("__Host-s=v; Path=/; Secure; Domain=example.com", "host_prefix"),
    ("__Host-s=v; Secure", "host_prefix"),
    ("__host-s=v; Path=/", "host_prefix"),  # prefixes are case-insensitive
    ("__Secure-s=v; Path=/", "secure_prefix"),
    ("s=v; Domain=example.org", "domain_mismatch"),
    ("s=v; Domain=com", "public_suffix_domain"),
    ("s=v; Partitioned", "partitioned_insecure"),
    ("s=v; Expires=Wed, 01 Jan 2020 00:00:00 GMT", "expired_on_arrival"),
    ("s=v; Path=/", "unknown"),
])
def test_a_refused_cookie_gets_the_rule_it_broke(line, reason):
    (rejected,) = jar.compare_with_jar(visit(line))
    assert rejected.reason == reason and rejected.name == line.split("=", 1)[0]
    assert rejected.detail.startswith(jar.REASONS[reason])


def test_rules_are_checked_over_plain_http_too():
    (rejected,) = jar.compare_with_jar(visit(header("s=v; Secure", url="http://provider.example.com/"),
                                             url="http://provider.example.com/"))
    assert rejected.reason == "secure_from_insecure_origin"


def test_deletions_overwrites_and_script_changes_are_not_rejections():
    result = jar.compare_with_jar(visit(
        "gone=; Max-Age=0",                       # a deletion
        "twice=first; Path=/", "twice=second; Path=/",  # the second replaced the first
        "changed=server; Path=/",                 # a script changed its value afterwards
        jar_cookies=(kept("twice", "second"), kept("changed", "by-script"))))
    assert result == ()


def test_cookies_from_another_sites_frame_are_explained():
    frame_url = "https://signin.example.org/frame"
    result = jar.compare_with_jar(visit(header("idp=v; SameSite=None; Secure", url=frame_url),
                                        header("lax=v; SameSite=Lax; Secure", url=frame_url),
                                        header("chips=v; SameSite=None; Secure; Partitioned", url=frame_url)))
    assert {(r.name, r.reason, r.cross_site) for r in result} == {
        ("idp", "third_party", True), ("lax", "samesite_cross_site", True), ("chips", "unknown", True)}


def test_session_like_names_are_recognised_but_anti_forgery_tokens_are_not():
    assert all(jar.is_session_like(n) for n in ("JSESSIONID", "SMSESSION", "ASP.NET_SessionId", "auth_token", "sid"))
    assert not any(jar.is_session_like(n) for n in ("hcp_csrf", "XSRF-TOKEN", "lang", "theme"))


# --------------------------------------------------------------------------- third parties


def test_frames_from_other_sites_with_a_login_or_cookies_are_sign_ins():
    login = FrameFacts(url="https://signin.example.org/frame", inputs=(InputFacts(type="password"),))
    ad = FrameFacts(url="https://ads.example.net/slot")
    own = FrameFacts(url="https://static.example.com/widget", inputs=(InputFacts(type="password"),))
    shot = visit(header("tracker=v; SameSite=None; Secure", url="https://metrics.example.net/px"),
                 frames=(FrameFacts(url=PORTAL), login, ad, own))
    found = {s.host: s for s in jar.third_party_sign_ins(shot)}
    assert set(found) == {"signin.example.org", "metrics.example.net"}
    assert found["signin.example.org"].kind == "frame" and found["signin.example.org"].login_fields
    assert found["metrics.example.net"].kind == "service"
    assert jar.needs_third_party_probe(shot)
    service_only = visit(header("t=v; SameSite=None; Secure", url="https://metrics.example.net/"))
    assert not jar.needs_third_party_probe(service_only)
