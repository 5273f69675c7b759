"""The two URL pattern languages of Chrome's policies, matched against portal URLs.

- Content settings (``Cookies*ForUrls``, ``PopupsAllowedForUrls``): ``[scheme://][[*.]]host[:port]``
  or ``*``; no scheme means any scheme, no port any port; ``[*.]`` adds every subdomain.
- URL filters (``URLBlocklist``/``URLAllowlist``): ``[scheme://][.]host[:port][/path]`` or ``*``; a
  host covers its subdomains unless it starts with ``.``; a path is a prefix; the most specific
  filter wins and an allow beats a block of the same specificity.
"""

from __future__ import annotations

from dataclasses import dataclass

from preflight.rules.hosts import InvalidURL, normalize_host, parse_url

_DEFAULT_PORTS = {"https": 443, "http": 80}


@dataclass(frozen=True)
class _Parts:
    scheme: str | None
    host: str
    port: str | None
    path: str


def _split(pattern: str) -> _Parts:
    text = pattern.strip()
    scheme = None
    if "://" in text:
        scheme, text = text.split("://", 1)
        scheme = scheme.lower()
    path = ""
    if "/" in text:
        text, path = text.split("/", 1)
        path = "/" + path
    text = text.split("@", 1)[0]  # URL filters may end in @query
    port = None
    if ":" in text and not text.endswith("]"):
        text, port = text.rsplit(":", 1)
    return _Parts(scheme, text, port, path)


def _host(text: str) -> str | None:
    try:
        return normalize_host(text)
    except (InvalidURL, ValueError):
        return None


def _port_matches(port: str | None, scheme_in_pattern: str | None, url_scheme: str, url_port: int) -> bool:
    if port in (None, "*"):
        # "https://host" means the scheme's default port; "host" means any port.
        return scheme_in_pattern in (None, "*") or _DEFAULT_PORTS.get(url_scheme) == url_port
    return port.isdigit() and int(port) == url_port


def content_pattern_matches(pattern: str, url: str) -> bool:
    """Whether a content-settings pattern covers ``url`` (cookie and pop-up policies)."""
    if pattern.strip() == "*":
        return True
    target = parse_url(url)
    parts = _split(pattern)
    if parts.scheme not in (None, "*", target.scheme):
        return False
    port = target.port or _DEFAULT_PORTS.get(target.scheme, 0)
    if not _port_matches(parts.port, parts.scheme, target.scheme, port):
        return False
    host_text = parts.host
    subdomains = host_text.startswith("[*.]")
    if subdomains:
        host_text = host_text[4:]
    if host_text == "*":
        return True
    host = _host(host_text)
    if host is None:
        return False
    return target.host == host or (subdomains and target.host.endswith("." + host))


def url_filter_specificity(url_filter: str, url: str) -> tuple[int, int] | None:
    """``None`` when the URL filter does not match ``url``; else how specific the match is
    (host length, path length): Chrome applies the most specific of the matching filters."""
    text = url_filter.strip()
    if text == "*":
        return (0, 0)
    target = parse_url(url)
    parts = _split(text)
    if parts.scheme not in (None, "*", target.scheme):
        return None
    port = target.port or _DEFAULT_PORTS.get(target.scheme, 0)
    if parts.port not in (None, "*") and not (parts.port.isdigit() and int(parts.port) == port):
        return None
    exact_only = parts.host.startswith(".")
    host_text = parts.host[1:] if exact_only else parts.host
    if host_text in ("*", ""):
        host_len = 0
    else:
        host = _host(host_text)
        if host is None:
            return None
        if not (target.host == host or (not exact_only and target.host.endswith("." + host))):
            return None
        host_len = len(host)
    if parts.path and not target.path.startswith(parts.path.rstrip("*")):
        return None
    return (host_len, len(parts.path))


def url_blocked(url: str, blocklist: list[str], allowlist: list[str]) -> str | None:
    """The ``URLBlocklist`` filter that blocks ``url``, unless an ``URLAllowlist`` filter at least as
    specific lets it through; ``None`` when the page loads."""
    blocks = [(spec, f) for f in blocklist if (spec := url_filter_specificity(f, url)) is not None]
    if not blocks:
        return None
    best_block = max(blocks)
    allows = [spec for f in allowlist if (spec := url_filter_specificity(f, url)) is not None]
    if allows and max(allows) >= best_block[0]:
        return None
    return best_block[1]
