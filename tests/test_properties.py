"""Property tests: no input raises anything but the project's own errors."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from preflight.cli.params import validate_target
from preflight.config.allowlist import parse_allowlist
from preflight.config.network import parse_connect_to, parse_resolve
from preflight.errors import ConfigError, UsageError
from preflight.rules.redact import redact_url

URLISH = st.text(alphabet=string.printable + "\u3002\uff0e\uff1a\u0430\u0435\u043e\u00e9\u200b\x00\t\n", max_size=80)
URL_PIECES = st.lists(st.sampled_from(["https://", "http://", "user:pw@", "@", "\\", "//", "[", "]", "::1", "%2e", ".",
                                       "cigna.com", "0x7f.1", "xn--", ":443", ":99999", "?", "#", "/", "a", "\t", " "]),
                      max_size=10).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(URLISH, URL_PIECES))
def test_validate_target_raises_only_usage_errors(text):
    try:
        url = validate_target(text)
    except UsageError as exc:
        assert "\n" not in str(exc)
        return
    assert url.startswith(("http://", "https://"))


@settings(max_examples=300, deadline=None)
@given(st.one_of(URLISH, URL_PIECES))
def test_host_mappings_raise_only_usage_errors(text):
    for parse in (parse_resolve, parse_connect_to):
        try:
            mapping = parse(text)
        except UsageError as exc:
            assert str(exc) and "\n" not in str(exc)
        else:
            # what was accepted is a mapping a browser flag can carry: a host and a port in range
            assert mapping.to_host and " " not in mapping.rule()[4:].replace(" ", "", 1)
            assert all(port is None or 0 < port < 65536 for port in (mapping.port, mapping.to_port))


TOML_PIECES = st.lists(st.sampled_from([
    "[[portal]]\n", 'payer = "P"\n', 'name = "N"\n', 'role = "provider"\n', 'role = "member"\n', 'role = 3\n',
    'hosts = ["a.example.com"]\n', 'hosts = ["a.example.com", "A.EXAMPLE.com."]\n', "hosts = []\n", 'hosts = "x"\n',
    'host_patterns = ["*.example.org"]\n', 'host_patterns = ["**"]\n', 'identity_hosts = ["id.example.net"]\n',
    'change_password_url = "https://a.example.com/pw"\n', 'login_urls = ["https://a.example.com/x"]\n',
    'change_password_url = "http://a.example.com/"\n', "version = 1\n", "[portal]\n", "x = \n", "\x00", "extra = true\n", 'hosts = ["bad host"]\n', '"\n',
]), max_size=14).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(TOML_PIECES, st.text(max_size=200)))
def test_allowlist_parsing_raises_only_config_errors(text):
    try:
        allowlist = parse_allowlist(text, "prop.toml")
    except ConfigError as exc:
        assert str(exc).startswith("prop.toml")
        return
    assert allowlist.portals


@settings(max_examples=400, deadline=None)
@given(st.one_of(URLISH, URL_PIECES), st.text(alphabet=string.ascii_letters + string.digits, min_size=6, max_size=12))
def test_redact_url_never_raises_and_removes_userinfo_and_tokens(text, secret):
    redacted = redact_url(text)
    assert isinstance(redacted, str)
    secret = "Zq" + secret  # never part of the URL's fixed text ("portal" would be, in the host)
    url = f"https://alice:{secret}@portal.example.com/cb?code={secret}&access_token={secret}&page=2"
    cleaned = redact_url(url)
    assert secret not in cleaned and "alice" not in cleaned and "page=2" in cleaned


def test_redact_text_removes_urls_tokens_and_known_values():
    from preflight.rules.redact import redact_text

    text = "login failed for hunter2secret at https://u:pw@portal.example.com/cb?code=AUTH123&x=1 (retry)"
    shown = redact_text(text, secrets=["hunter2secret"])
    assert "hunter2secret" not in shown and "AUTH123" not in shown and "u:pw" not in shown
    assert "x=1 (retry)" in shown and "login failed for" in shown
