"""Cookie rules as a browser applies them (RFC 6265bis, Chromium's limits), as pure functions.

Everything here works on what capture keeps: the redacted ``Set-Cookie`` header (attributes
intact, the value only as length and hash) and the jar's ``CookieFacts``. No rule needs a value,
so no value ever reaches this module.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from preflight.model.snapshot import CookieFacts, PageSnapshot, SetCookieHeader
from preflight.rules import skew as clock
from preflight.rules.hosts import (
    InvalidURL,
    host_of,
    is_ip,
    is_loopback,
    normalize_host,
    registrable_domain,
    tenant_domain,
    url_path,
)
from preflight.rules.redact import is_token_like, value_digest

if TYPE_CHECKING:  # pragma: no cover
    from preflight.config.allowlist import Allowlist


MAX_NAME_VALUE_BYTES = 4096

"""Chromium and RFC 6265bis §5.6: a cookie whose name plus value is longer is ignored."""

HEADER_LIMIT_BYTES = 8190

"""Apache ``LimitRequestFieldSize`` (8190) and nginx ``large_client_header_buffers`` (8 KiB):
a longer ``Cookie:`` line gets ``400 Request Header Or Cookie Too Large``."""

HEADER_WARN_BYTES = 6144

"""Three quarters of the limit: one more tracking cookie away from a broken login."""

COOKIE_FIELD = "Cookie: "

DELETION_BEFORE = 946684800.0

"""2000-01-01: an ``Expires`` before this is a deliberate deletion (``Thu, 01 Jan 1970``), not a bug."""

REASONS: dict[str, str] = {
    "samesite_none_insecure": "SameSite=None without Secure",
    "too_large": f"name and value longer than {MAX_NAME_VALUE_BYTES} bytes",
    "host_prefix": "__Host- cookie must be Secure, without Domain, with Path=/",
    "secure_prefix": "__Secure- cookie without Secure",
    "domain_mismatch": "its Domain does not cover the host that set it",
    "public_suffix_domain": "its Domain is a public suffix (a whole top-level domain)",
    "secure_from_insecure_origin": "Secure cookie sent over plain HTTP",
    "partitioned_insecure": "Partitioned without Secure",
    "invalid_name": "the name holds characters a cookie name may not",
    "empty": "neither a name nor a value",
    "expired_on_arrival": "already expired when it arrived",
    "samesite_cross_site": "SameSite=Lax/Strict (or unset) but set from another site's frame or request",
    "third_party": "set from another site's frame while third-party cookies are blocked",
    "unknown": "not in the browser's jar after the visit "
               "(removed by a script, or refused for a reason not visible here)",
}

"""Stable reason codes for a cookie the browser did not keep, in plain words."""

@dataclass(frozen=True)
class SetCookieAttributes:
    """What a ``Set-Cookie`` line asks for (RFC 6265bis §5.6: the last of a repeated attribute wins)."""

    domain: str | None = None
    """Lower-case, leading dot removed; ``None`` when absent or empty (a host-only cookie)."""
    path: str | None = None
    """``None`` when absent or not starting with ``/`` (the default path applies)."""
    expires: float | None = None
    """Unix time of ``Expires``; ``None`` when absent or unparseable."""
    max_age: int | None = None
    secure: bool = False
    http_only: bool = False
    same_site: str | None = None
    """``Strict``, ``Lax`` or ``None`` as sent; ``None`` (the Python value) when absent or invalid."""
    partitioned: bool = False

SAME_SITE = {"strict": "Strict", "lax": "Lax", "none": "None"}

"""SameSite values by lower-case spelling, as browsers and Playwright write them."""

def facts_from_playwright(cookie: Mapping[str, Any]) -> CookieFacts:
    """A Playwright cookie (``context.cookies()`` or a storage state entry) as ``CookieFacts``:
    the value kept only as its length and a short hash."""
    name, value = str(cookie.get("name", "")), str(cookie.get("value", ""))
    expires = cookie.get("expires", -1)
    return CookieFacts(name=name, domain=str(cookie.get("domain", "")), path=str(cookie.get("path", "/")),
                       expires=float(expires) if isinstance(expires, (int, float)) else -1.0,
                       size=len(name) + len(value), value_sha256=value_digest(value),
                       secure=bool(cookie.get("secure")), http_only=bool(cookie.get("httpOnly")),
                       same_site=SAME_SITE.get(str(cookie.get("sameSite", "Lax")).lower(), "Lax"))

def parse_set_cookie(header: str) -> SetCookieAttributes:
    """Attributes of a (redacted) ``Set-Cookie`` line; the name=value pair before the first ``;`` is skipped."""
    _pair, _sep, rest = header.partition(";")
    found: dict[str, object] = {}
    for part in rest.split(";"):
        key, _eq, value = part.partition("=")
        key, value = key.strip().lower(), value.strip()
        if key == "domain":
            found["domain"] = value.lstrip(".").lower() or None
        elif key == "path":
            found["path"] = value if value.startswith("/") else None
        elif key == "expires":
            found["expires"] = parse_cookie_date(value)
        elif key == "max-age" and re.fullmatch(r"-?\d+", value):
            found["max_age"] = int(value)
        elif key in ("secure", "httponly", "partitioned"):
            found[{"httponly": "http_only"}.get(key, key)] = True
        elif key == "samesite":
            found["same_site"] = SAME_SITE.get(value.lower())
    return SetCookieAttributes(**found)  # type: ignore[arg-type]

_DATE_DELIMITER = re.compile(r"[\x09\x20-\x2F\x3B-\x40\x5B-\x60\x7B-\x7E]+")

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

def parse_cookie_date(text: str) -> float | None:
    """RFC 6265 §5.1.1, the lenient cookie-date algorithm browsers use; ``None`` if it fails."""
    clock = day = month = year = None
    for token in _DATE_DELIMITER.split(text):
        if not token:
            continue
        if clock is None and (m := re.match(r"(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\D|$)", token)):
            clock = tuple(int(g) for g in m.groups())
        elif day is None and (m := re.match(r"(\d{1,2})(?:\D|$)", token)):
            day = int(m.group(1))
        elif month is None and token[:3].lower() in _MONTHS:
            month = _MONTHS.index(token[:3].lower()) + 1
        elif year is None and (m := re.match(r"(\d{2,4})(?:\D|$)", token)):
            year = int(m.group(1))
    if clock is None or day is None or month is None or year is None:
        return None
    year += 1900 if 70 <= year <= 99 else 2000 if year <= 69 else 0
    hour, minute, second = clock
    if not (1 <= day <= 31 and year >= 1601 and hour <= 23 and minute <= 59 and second <= 59):
        return None
    if day > calendar.monthrange(year, month)[1]:
        return None
    return float(calendar.timegm((year, month, day, hour, minute, second)))

def site_of(host: str) -> str:
    """The "site" for SameSite and third-party purposes: the registrable domain (the host for IPs)."""
    return registrable_domain(host) if host else ""

def is_public_suffix(domain: str) -> bool:
    """``com``, ``co.uk``, ``github.io``: names under which anyone can register (private PSL included)."""
    if not domain or is_ip(domain):
        return False
    probe = f"x.{domain}"
    return tenant_domain(probe) == probe

def default_path(url_path: str) -> str:
    """RFC 6265bis §5.1.4: the request path up to, not including, its right-most ``/``."""
    if not url_path.startswith("/") or url_path.count("/") <= 1:
        return "/"
    return url_path[: url_path.rfind("/")]

def domain_matches(host: str, cookie_domain: str) -> bool:
    """Whether a cookie stored for ``cookie_domain`` (``.example.com`` or a host) is sent to ``host``."""
    if cookie_domain.startswith("."):
        bare = cookie_domain[1:]
        return host == bare or host.endswith(cookie_domain)
    return host == cookie_domain

def path_matches(request_path: str, cookie_path: str) -> bool:
    """RFC 6265bis §5.1.4 path-match."""
    if request_path == cookie_path:
        return True
    if request_path.startswith(cookie_path):
        return cookie_path.endswith("/") or request_path[len(cookie_path)] == "/"
    return False

def domain_problem(request_host: str, domain: str | None) -> str | None:
    """Why a host may not set this ``Domain`` (a reason code), or ``None`` when it may."""
    if domain is None:
        return None
    try:
        wanted = normalize_host(domain)
    except InvalidURL:
        return "domain_mismatch"
    if is_ip(request_host) or is_ip(wanted):
        return None if wanted == request_host else "domain_mismatch"
    if request_host != wanted and not request_host.endswith("." + wanted):
        return "domain_mismatch"
    if is_public_suffix(wanted) and wanted != request_host:
        return "public_suffix_domain"
    return None

def jar_domain(request_host: str, attributes: SetCookieAttributes) -> str:
    """The ``domain`` the jar stores: ``.example.com`` for a Domain cookie, else the host itself."""
    if attributes.domain is None or domain_problem(request_host, attributes.domain) is not None:
        return request_host
    if is_public_suffix(attributes.domain):  # Domain equal to a public-suffix host: host-only
        return request_host
    return "." + normalize_host(attributes.domain)

def is_session_like(name: str) -> bool:
    """A cookie whose name says it carries a session or credential (``JSESSIONID``, ``SMSESSION``, ``auth``).

    Anti-forgery tokens (``csrf``/``xsrf`` names) are left out: the page's script reads them by design.
    """
    squashed = re.sub(r"[^a-z]", "", name.lower())
    return is_token_like(name) and not ("csrf" in squashed or "xsrf" in squashed)

@dataclass(frozen=True)
class RejectedCookie:
    """A cookie the portal tried to set that the browser did not keep."""

    name: str
    reason: str
    """A key of ``REASONS``."""
    host: str
    url: str
    value_length: int = 0
    session_like: bool = False
    cross_site: bool = False
    """Set by a response from another site than the page's (a third-party frame or request)."""

    note: str = ""
    """The attribute at fault, where one is (``Domain=example.com``)."""

    @property
    def detail(self) -> str:
        words = REASONS.get(self.reason, self.reason)
        return f"{words} ({self.note})" if self.note else words

def top_level_sites(snapshot: PageSnapshot) -> frozenset[str]:
    """Sites the main frame showed during the visit (redirect hops, final page, later navigations)."""
    return frozenset(site_of(h) for h in (host_of(u) for u in (*snapshot.page_urls, snapshot.requested_url)) if h)

def expiry_on_arrival(attributes: SetCookieAttributes, value_length: int, received_at: float,
                      server_date: float | None) -> str | None:
    """``deletion`` (meant to remove a cookie), ``expired_on_arrival`` (a bug), or ``None`` (kept).

    Chromium measures ``Expires`` against the response's ``Date`` (it moves the expiry by the
    difference between the two clocks), so a wrong local clock never expires a cookie on arrival.
    """
    if attributes.max_age is not None:
        return "deletion" if attributes.max_age <= 0 else None
    if attributes.expires is None:
        return None
    now = server_date if server_date is not None else received_at
    if attributes.expires > now:
        return None
    if value_length == 0 or attributes.expires < DELETION_BEFORE:
        return "deletion"
    return "expired_on_arrival"

def rule_violation(header: SetCookieHeader, attributes: SetCookieAttributes) -> str | None:
    """The first RFC 6265bis / Chromium rule this ``Set-Cookie`` breaks (a reason code), or ``None``."""
    host = host_of(header.url)
    secure_origin = header.url.lower().startswith("https:") or is_loopback(host)
    name = header.name
    if not name and header.value_length == 0:
        return "empty"
    if re.search(r"[\x00-\x20\x7f;=\"]", name):
        return "invalid_name"
    if len(name.encode("utf-8")) + header.value_length > MAX_NAME_VALUE_BYTES:
        return "too_large"
    if attributes.secure and not secure_origin:
        return "secure_from_insecure_origin"
    if attributes.same_site == "None" and not attributes.secure:
        return "samesite_none_insecure"
    if attributes.partitioned and not attributes.secure:
        return "partitioned_insecure"
    lowered = name.lower()
    if lowered.startswith("__secure-") and not attributes.secure:
        return "secure_prefix"
    if lowered.startswith("__host-") and host_prefix_problem(attributes) is not None:
        return "host_prefix"
    return domain_problem(host, attributes.domain)

def host_prefix_problem(attributes: SetCookieAttributes) -> str | None:
    """Which ``__Host-`` rule a cookie breaks, in words; ``None`` when it keeps them all."""
    if not attributes.secure:
        return "no Secure"
    if attributes.domain is not None:
        return f"Domain={attributes.domain}"
    if attributes.path != "/":
        return f"Path={attributes.path}" if attributes.path else "no Path=/"
    return None

def compare_with_jar(snapshot: PageSnapshot) -> tuple[RejectedCookie, ...]:
    """Every ``Set-Cookie`` of the visit whose cookie is not in the jar, with the reason where derivable.

    A header whose cookie is in the jar (same name, domain, path and value hash) was accepted,
    whatever the rules below say. Deletions, and headers overwritten by a later one for the
    same cookie, are not rejections.
    """
    jar = {(c.name, c.domain, c.path): c.value_sha256 for c in snapshot.cookies}
    jar_hashes = {(c.name, c.value_sha256) for c in snapshot.cookies}
    first_party = top_level_sites(snapshot)
    headers = [(h, parse_set_cookie(h.header)) for h in snapshot.set_cookie_headers]
    keys = [_key(h, attrs) for h, attrs in headers]
    rejected: dict[tuple[str, str, str], RejectedCookie] = {}
    for index, (header, attributes) in enumerate(headers):
        key = keys[index]
        if jar.get(key) == header.value_sha256 or (header.name, header.value_sha256) in jar_hashes:
            continue
        host = host_of(header.url)
        cross_site = site_of(host) not in first_party
        reason = rule_violation(header, attributes)
        if reason is None:
            fate = expiry_on_arrival(attributes, header.value_length, snapshot.captured_at,
                                     clock.parse_http_date(header.date))
            if fate == "deletion" or key in keys[index + 1:] or key in jar:
                continue  # removed on purpose, replaced by a later header, or changed by a script
            reason = fate or _cross_site_reason(attributes, cross_site) or "unknown"
        rejected[key] = RejectedCookie(header.name, reason, host, header.url, header.value_length,
                                       is_session_like(header.name), cross_site, _note(reason, attributes))
    return tuple(rejected.values())

def _note(reason: str, attributes: SetCookieAttributes) -> str:
    if reason == "host_prefix":
        return host_prefix_problem(attributes) or ""
    if reason in ("domain_mismatch", "public_suffix_domain"):
        return f"Domain={attributes.domain}"
    return ""

def _key(header: SetCookieHeader, attributes: SetCookieAttributes) -> tuple[str, str, str]:
    host = host_of(header.url)
    return header.name, jar_domain(host, attributes), attributes.path or default_path(url_path(header.url))

def _cross_site_reason(attributes: SetCookieAttributes, cross_site: bool) -> str | None:
    if not cross_site:
        return None
    if attributes.same_site != "None":
        return "samesite_cross_site"
    return None if attributes.partitioned else "third_party"

def cookie_header_bytes(cookies: Iterable[CookieFacts], host: str, path: str = "/", secure: bool = True,
                        now: float | None = None) -> tuple[int, int]:
    """``(bytes, count)`` of the ``Cookie:`` line the browser would send to ``host`` for ``path``.

    ``bytes`` counts the whole field line (``Cookie: a=1; b=2``), as server limits do; ``0`` when
    no cookie applies. Expired cookies are left out when ``now`` is given.
    """
    sent = [c for c in cookies
            if domain_matches(host, c.domain) and path_matches(path, c.path) and (secure or not c.secure)
            and (now is None or c.expires < 0 or c.expires > now)]
    if not sent:
        return 0, 0
    value = sum(c.size + (1 if c.name else 0) for c in sent) + 2 * (len(sent) - 1)
    return len(COOKIE_FIELD) + value, len(sent)

def portal_paths(snapshot: PageSnapshot) -> dict[str, tuple[str, bool]]:
    """Each main-frame host of the visit -> (path last visited there, over HTTPS?)."""
    paths: dict[str, tuple[str, bool]] = {}
    for url in snapshot.page_urls:
        host = host_of(url)
        if host:
            paths[host] = (url_path(url), url.lower().startswith("https:"))
    return paths

@dataclass(frozen=True)
class ThirdPartySignIn:
    """A frame or service from another site than the page's that signs people in or uses cookies."""

    host: str
    site: str
    kind: str
    """``frame`` (an embedded document) or ``service`` (requests that set cookies, no frame)."""
    login_fields: bool = False
    cookie_names: tuple[str, ...] = ()
    """Cookies its responses set or tried to set."""

def third_party_sign_ins(snapshot: PageSnapshot, identity_hosts: Sequence[str] = ()) -> tuple[ThirdPartySignIn, ...]:
    """Hosts from other sites whose frames show a login, or whose responses set cookies.

    ``identity_hosts`` (sign-in services from the allowlist) count even without either sign.
    """
    first_party = top_level_sites(snapshot)
    setters: dict[str, list[str]] = {}
    for header in snapshot.set_cookie_headers:
        host = host_of(header.url)
        if host and site_of(host) not in first_party and header.name not in setters.setdefault(host, []):
            setters[host].append(header.name)
    found: dict[str, ThirdPartySignIn] = {}
    for frame in snapshot.frames[1:]:
        host = host_of(frame.url)
        if not host or site_of(host) in first_party:
            continue
        login = frame.has_login_fields or bool(found.get(host) and found[host].login_fields)
        if login or host in setters or host in identity_hosts:
            found[host] = ThirdPartySignIn(host, site_of(host), "frame", login, tuple(setters.get(host, ())))
    for host, names in setters.items():
        if host not in found:
            found[host] = ThirdPartySignIn(host, site_of(host), "service", False, tuple(names))
    return tuple(found.values())

def identity_hosts(snapshot: PageSnapshot, allowlist: Allowlist) -> tuple[str, ...]:
    """Sign-in services the allowlist names for the portals this visit went through."""
    hosts: list[str] = []
    for host in portal_paths(snapshot):
        entry = allowlist.lookup(host)
        if entry is not None:
            hosts.extend(entry.portal.identity_hosts)
    return tuple(hosts)

def needs_third_party_probe(snapshot: PageSnapshot, identity_hosts: Sequence[str] = ()) -> bool:
    """Whether comparing visits with third-party cookies allowed and blocked can tell anything:
    only a frame can show (or stop showing) a login; a service's requests are judged by the server."""
    return any(s.kind == "frame" for s in third_party_sign_ins(snapshot, identity_hosts))

def login_hosts(snapshot: PageSnapshot, hosts: Iterable[str]) -> frozenset[str]:
    """Which of ``hosts`` show login fields in some frame of the snapshot."""
    wanted = set(hosts)
    return frozenset(host_of(f.url) for f in snapshot.frames if host_of(f.url) in wanted and f.has_login_fields)
