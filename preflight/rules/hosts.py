"""Hosts as the browser sees them: WHATWG URL parsing, normalisation, registrable domains.

Parsing goes through ``ada_url`` (a WHATWG URL Standard implementation) because
``urllib.parse`` disagrees with browsers on backslashes, ``@``, tabs, percent-encoded dots and
numeric IPv4 forms: the host judged must be the host the browser would visit.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from dataclasses import dataclass
from typing import Any

import ada_url


# The bundled public suffix list only: never fetch at run time.
@functools.lru_cache(maxsize=1)
def _extractor() -> Any:
    """tldextract with its bundled public suffix list only (never fetched at run time).

    Built on first use: importing tldextract costs ~50 ms, which ``--version`` and checks of
    official hosts never need."""
    import tldextract

    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=False)

class InvalidURL(ValueError):
    """The input is not a URL a browser would open."""

@dataclass(frozen=True)
class ParsedURL:
    href: str
    scheme: str
    """Without the colon: ``https``."""
    host: str
    """Lower-case ASCII (punycode) host, no trailing dot; IPv6 without brackets."""
    port: int | None
    has_credentials: bool
    path: str = "/"
    """The path as the browser serialises it (no query, no fragment)."""

_URL_PARTS = ("href", "protocol", "hostname", "port", "pathname")

_SPECIAL_PROTOCOLS = frozenset({"http:", "https:", "ws:", "wss:", "ftp:", "file:"})

def parse_url(text: str) -> ParsedURL:
    """Parse ``text`` as a browser's address bar parser would (WHATWG URL Standard)."""
    try:
        url = ada_url.parse_url(text, _URL_PARTS)
    except (ValueError, TypeError) as exc:
        raise InvalidURL(f"not a valid URL: {text!r}") from exc
    href, protocol, hostname = url["href"], url["protocol"], url["hostname"]
    if not hostname:
        host = ""
    elif protocol in _SPECIAL_PROTOCOLS and not hostname.startswith("["):
        # Already a serialised WHATWG host: parsing it again (normalize_host) would give the
        # same answer at twice the cost, and vet parses every URL it is given.
        host = hostname.rstrip(".")
    else:
        host = normalize_host(hostname)
    port = int(url["port"]) if url["port"] else None
    return ParsedURL(
        href=href, scheme=protocol.rstrip(":"), host=host, port=port,
        has_credentials=_has_userinfo(href, len(protocol)), path=url["pathname"] or "/",
    )

def _has_userinfo(href: str, authority_at: int) -> bool:
    """Whether a serialised URL carries a user name or password.

    In a serialised URL an ``@`` inside the userinfo is percent-encoded, and hosts cannot hold
    one, so an ``@`` between the ``//`` after the scheme and the end of the authority means
    credentials.
    """
    if "@" not in href or not href.startswith("//", authority_at):
        return False
    start = authority_at + 2
    end = len(href)
    for stop in "/?#":
        found = href.find(stop, start)
        if 0 <= found < end:
            end = found
    return href.find("@", start, end) >= 0

ADDRESS_BAR_SCHEMES = frozenset({
    "http", "https", "ws", "wss", "ftp", "file", "about", "blob", "chrome", "data", "intent",
    "javascript", "mailto", "tel", "view-source",
})

"""Schemes an address bar takes as such; anything else before a colon (``cigna.com:443``,
``localhost:8080``, ``user:pw@host``) is part of a host typed without a scheme."""

_SCHEME_PREFIX = re.compile(r"[\x00-\x20]*([A-Za-z][A-Za-z0-9+.\-\t\n\r]*):")

def typed_scheme(text: str) -> tuple[str, int] | None:
    """``(scheme, end of "scheme:")`` if ``text`` starts with a scheme an address bar honours."""
    match = _SCHEME_PREFIX.match(text)
    if not match:
        return None
    scheme = match.group(1).replace("\t", "").replace("\n", "").replace("\r", "").lower()
    if scheme in ADDRESS_BAR_SCHEMES or text.startswith("//", match.end()):
        return scheme, match.end()
    return None

def as_browser_url(text: str) -> str:
    """What the address bar loads for ``text``: ``cigna.com/login`` -> ``https://cigna.com/login``."""
    stripped = text.strip()
    if typed_scheme(stripped) is not None:
        return stripped
    return ("https:" if stripped.startswith("//") else "https://") + stripped

@functools.lru_cache(maxsize=65536)
def normalize_host(host: str) -> str:
    """Lower-case, IDNA to ASCII, trailing dot dropped, IPv6 brackets dropped.

    Raises ``InvalidURL`` for something no browser would accept as a host.
    """
    host = host.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    if ":" in host:
        try:
            return str(ipaddress.IPv6Address(host))
        except ValueError as exc:
            raise InvalidURL(f"not a valid host: {host!r}") from exc
    if not host:
        raise InvalidURL("empty host")
    try:
        parsed = ada_url.URL(f"https://{host}/")
    except (ValueError, TypeError) as exc:
        raise InvalidURL(f"not a valid host: {host!r}") from exc
    if parsed.port or parsed.username or parsed.password or parsed.pathname != "/":
        raise InvalidURL(f"not a valid host: {host!r}")
    return parsed.hostname.rstrip(".")

def is_ip(host: str) -> bool:
    if ":" not in host and not host[-1:].isdigit():
        return False  # the fast answer for names: an IPv4 address ends in a digit
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True

def is_loopback(host: str) -> bool:
    if host in ("localhost",) or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False

@dataclass(frozen=True)
class HostParts:
    """A host split at its public suffix: ``a.b.cigna.co.uk`` -> ``("a", "b")``, ``cigna``, ``co.uk``."""

    subdomain: tuple[str, ...]
    """Labels left of the registrable label, outermost first."""
    domain: str
    """The label just left of the public suffix (``cigna``); ``""`` for IP addresses."""
    suffix: str
    """Public suffix from the bundled list, ``""`` when the host ends in no known suffix."""

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label that somebody registered or chose: subdomain labels and the domain label."""
        return (*self.subdomain, self.domain) if self.domain else self.subdomain

@functools.lru_cache(maxsize=65536)
def host_parts(host: str) -> HostParts:
    """Split a normalised host at its public suffix (ICANN section of the bundled list)."""
    if is_ip(host):
        return HostParts((), "", "")
    parts = _extractor()(host)
    subdomain = tuple(parts.subdomain.split(".")) if parts.subdomain else ()
    return HostParts(subdomain, parts.domain, parts.suffix)

@functools.lru_cache(maxsize=65536)
def registrable_domain(host: str) -> str:
    """``cignaforhcp.cigna.com`` -> ``cigna.com``; IPs and bare suffixes return the host."""
    parts = host_parts(host)
    if not parts.domain or not parts.suffix:
        return host
    return f"{parts.domain}.{parts.suffix}"

@functools.lru_cache(maxsize=4096)
def tenant_domain(host: str) -> str:
    """Registrable domain counting hosting platforms as suffixes (the PSL private section).

    ``portal.payer.github.io`` -> ``payer.github.io`` where ``registrable_domain`` says
    ``github.io``: two tenants of one platform are not one organization.
    """
    if is_ip(host):
        return host
    parts = _extractor()(host, include_psl_private_domains=True)
    if not parts.domain or not parts.suffix:
        return host
    return f"{parts.domain}.{parts.suffix}"

def label_to_unicode(label: str) -> str:
    """``xn--…`` label -> Unicode; anything else (or undecodable punycode) unchanged."""
    if not label.startswith("xn--"):
        return label
    try:
        decoded = label[4:].encode("ascii").decode("punycode")
    except (UnicodeError, ValueError):
        return label
    if not decoded.isprintable() or any("\ud800" <= c <= "\udfff" for c in decoded):
        return label  # nothing a browser would display
    return decoded

def host_to_unicode(host: str) -> str:
    """``xn--cgna-o4a.com`` -> ``cіgna.com``, for showing people what the address bar may show."""
    if "xn--" not in host:
        return host
    return ".".join(label_to_unicode(label) for label in host.split("."))

def url_path(url: str) -> str:
    """Path of a URL the browser produced; ``/`` when it has none or cannot be parsed."""
    try:
        return parse_url(url).path
    except InvalidURL:
        return "/"

def host_of(url: str) -> str:
    """Host of a URL the browser produced; ``""`` for URLs without one (``about:``, ``data:``)."""
    try:
        return parse_url(url).host
    except InvalidURL:
        return ""
