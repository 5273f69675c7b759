"""hosts: the host a browser would visit, registrable domains, IDN display."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from preflight.rules.hosts import (
    InvalidURL,
    host_parts,
    host_to_unicode,
    is_ip,
    label_to_unicode,
    normalize_host,
    parse_url,
    registrable_domain,
    tenant_domain,
)

URL_TABLE = json.loads((Path(__file__).parent / "data/url_table.json").read_text(encoding="utf-8"))


def _as_normalized(chromium_hostname: str) -> str:
    """``new URL(x).hostname`` keeps IPv6 brackets and a trailing dot; ``ParsedURL.host`` does not."""
    return chromium_hostname.strip("[]").rstrip(".")


@pytest.mark.parametrize("row", URL_TABLE, ids=[row["note"] for row in URL_TABLE])
def test_parse_url_finds_the_host_the_browser_visits(row: dict[str, str | None]) -> None:
    # Given an adversarial URL and the hostname a browser reports for it (None: new URL throws)
    expected = row["host"]
    # When it is parsed
    if expected is None:
        with pytest.raises(InvalidURL):
            parse_url(row["input"])
        return
    parsed = parse_url(row["input"])
    # Then the host is the one the browser would connect to
    assert parsed.host == _as_normalized(expected)


def test_url_table_is_large_and_adversarial() -> None:
    assert len(URL_TABLE) >= 50
    assert sum(1 for row in URL_TABLE if row["host"] is None) >= 5
    assert all(set(row) >= {"input", "host"} for row in URL_TABLE)


@pytest.mark.parametrize(("url", "credentials"), [
    ("https://user:pass@cigna.com/", True),
    ("https://user@cigna.com/", True),
    ("https://:pass@cigna.com/", True),
    ("https://cigna.com/a@b", False),
    ("https://cigna.com/?next=a@b", False),
    ("https://cigna.com/#a@b", False),
    ("mailto:someone@cigna.com", False),
    ("https://evil.example\\@cigna.com/", False),
])
def test_parse_url_sees_credentials_only_in_the_authority(url: str, credentials: bool) -> None:
    assert parse_url(url).has_credentials is credentials


def test_parse_url_reports_scheme_and_port() -> None:
    parsed = parse_url("HTTP://Cigna.com:8080/x")
    assert (parsed.scheme, parsed.host, parsed.port) == ("http", "cigna.com", 8080)
    assert parse_url("https://cigna.com:443/").port is None


def test_parse_url_keeps_normalising_non_special_hosts() -> None:
    assert parse_url("foo://Bar/x").host == "bar"


@pytest.mark.parametrize(("host", "expected"), [
    ("CIGNA.COM.", "cigna.com"),
    ("[::1]", "::1"),
    ("c\u0456gna.com", "xn--cgna-l9d.com"),
    ("cigna\u3002com", "cigna.com"),
])
def test_normalize_host(host: str, expected: str) -> None:
    assert normalize_host(host) == expected


@pytest.mark.parametrize("host", ["", "cigna .com", "cigna.com/login", "user@cigna.com", "cigna.com:443"])
def test_normalize_host_rejects_what_is_not_a_host(host: str) -> None:
    with pytest.raises(InvalidURL):
        normalize_host(host)


@pytest.mark.parametrize(("host", "subdomain", "domain", "suffix"), [
    ("cignaforhcp.cigna.com", ("cignaforhcp",), "cigna", "com"),
    ("a.b.cigna.co.uk", ("a", "b"), "cigna", "co.uk"),
    ("cigna.corp", ("cigna",), "corp", ""),
    ("127.0.0.1", (), "", ""),
])
def test_host_parts(host: str, subdomain: tuple[str, ...], domain: str, suffix: str) -> None:
    parts = host_parts(host)
    assert (parts.subdomain, parts.domain, parts.suffix) == (subdomain, domain, suffix)


@pytest.mark.parametrize(("host", "expected"), [
    ("cignaforhcp.cigna.com", "cigna.com"),
    ("cigna.co.uk", "cigna.co.uk"),
    ("localhost", "localhost"),
    ("10.0.0.1", "10.0.0.1"),
    ("::1", "::1"),
    ("payer.github.io", "github.io"),
])
def test_registrable_domain(host: str, expected: str) -> None:
    assert registrable_domain(host) == expected


def test_tenant_domain_splits_hosting_platforms() -> None:
    assert tenant_domain("portal.payer.github.io") == "payer.github.io"
    assert tenant_domain("my.cigna.com") == "cigna.com"


def test_is_ip() -> None:
    assert is_ip("127.0.0.1") and is_ip("::1")
    assert not is_ip("cigna.com") and not is_ip("1.2.3.4.example") and not is_ip("")


def test_idn_display() -> None:
    assert label_to_unicode("xn--cgna-l9d") == "c\u0456gna"
    assert label_to_unicode("xn--!!") == "xn--!!"
    assert host_to_unicode("www.xn--cgna-l9d.com") == "www.c\u0456gna.com"
    assert host_to_unicode("cigna.com") == "cigna.com"
