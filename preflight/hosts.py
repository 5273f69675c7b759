"""Hosts as the browser sees them: WHATWG URL parsing, normalisation, registrable domains.

Parsing goes through ``ada_url`` (a WHATWG URL Standard implementation) because
``urllib.parse`` disagrees with browsers on backslashes, ``@``, tabs, percent-encoded dots and
numeric IPv4 forms: the host judged must be the host the browser would visit.
"""

from __future__ import annotations

import functools
import ipaddress
from dataclasses import dataclass

import ada_url
import tldextract

# The bundled public suffix list only: never fetch at run time.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=False)


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


def parse_url(text: str) -> ParsedURL:
    """Parse ``text`` as a browser's address bar parser would (WHATWG URL Standard)."""
    try:
        url = ada_url.URL(text)
    except (ValueError, TypeError) as exc:
        raise InvalidURL(f"not a valid URL: {text!r}") from exc
    scheme = url.protocol.rstrip(":")
    host = normalize_host(url.hostname) if url.hostname else ""
    port = int(url.port) if url.port else None
    return ParsedURL(
        href=url.href, scheme=scheme, host=host, port=port,
        has_credentials=bool(url.username or url.password),
    )


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


@functools.lru_cache(maxsize=65536)
def registrable_domain(host: str) -> str:
    """``cignaforhcp.cigna.com`` -> ``cigna.com``; IPs and bare suffixes return the host."""
    if is_ip(host):
        return host
    parts = _EXTRACT(host)
    if not parts.domain or not parts.suffix:
        return host
    return f"{parts.domain}.{parts.suffix}"


def host_of(url: str) -> str:
    """Host of a URL the browser produced; ``""`` for URLs without one (``about:``, ``data:``)."""
    try:
        return parse_url(url).host
    except InvalidURL:
        return ""
