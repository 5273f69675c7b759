import re

import pytest

from preflight.config.allowlist import find_allowlist, load_allowlist, parse_allowlist
from preflight.errors import ConfigError

from .factories import default_allowlist

PORTAL = '[[portal]]\npayer = "P"\nname = "N"\nrole = "{role}"\nhosts = [{hosts}]\n'


def portal(hosts: str = '"portal.example.com"', role: str = "provider") -> str:
    return PORTAL.format(role=role, hosts=hosts)


def test_default_allowlist_has_the_cigna_portals_by_role():
    allowlist = default_allowlist()
    assert allowlist.lookup("cignaforhcp.cigna.com").role == "provider"
    assert allowlist.lookup("provider.evernorth.com").role == "provider"
    assert allowlist.lookup("my.cigna.com").role == "member"
    assert allowlist.lookup("cignaforemployers.cigna.com").role == "employer"
    assert allowlist.lookup("cigna.com") is None


def test_hosts_are_normalised_to_lowercase_ascii():
    allowlist = parse_allowlist(portal('"Portal.Example.COM.", "bücher.example"'))
    assert allowlist.lookup("portal.example.com") is not None
    assert allowlist.lookup("xn--bcher-kva.example") is not None


def test_patterns_match_subdomains_only():
    allowlist = parse_allowlist(portal() + 'host_patterns = ["*.portal.example.org"]\n')
    assert allowlist.lookup("a.portal.example.org").via_pattern == "*.portal.example.org"
    assert allowlist.lookup("portal.example.org") is None
    assert allowlist.lookup("evilportal.example.org") is None


@pytest.mark.parametrize("text, message", [
    ("", "no [[portal]]"),
    ("x = ", "invalid TOML"),
    ("colour = 1\n" + portal(), "unknown key 'colour'"),
    (portal() + 'colour = "red"\n', "unknown key 'colour'"),
    (portal(role="doctor"), "unknown role 'doctor'"),
    (portal('"https://portal.example.com/"'), "is not a host name"),
    (portal('"portal.example.com:443"'), "is not a host name"),
    (portal('"a b.example.com"'), "is not a host name"),
    (portal('"*.example.com"'), "is a pattern"),
    (portal('"localhost"'), "is not a host name"),
    (portal("42"), "must be a list of strings"),
    (portal(""), "is empty"),
    (portal('"a.example.com", "A.example.com"'), "duplicate host"),
    (portal() + portal(), "duplicate host"),
    (portal() + portal(role="member"), "listed as provider"),
    ('[[portal]]\npayer = "P"\nrole = "provider"\nhosts = ["a.example.com"]\n', "missing required key 'name'"),
    ('portal = 3', "array of tables"),
    (portal() + 'aliases = "Acme"\n', "'aliases' must be a list of strings"),
    (portal() + 'aliases = ["A"]\n', "alias 'A' is too short"),
    (portal() + 'aliases = ["Acme Blue", "acme  blue"]\n', "duplicate alias 'acme  blue'"),
])
def test_invalid_allowlists_name_the_problem(text, message):
    with pytest.raises(ConfigError) as info:
        parse_allowlist(text, "allow.toml")
    assert message in str(info.value)
    assert str(info.value).startswith("allow.toml")


def test_login_and_change_password_urls_are_https_on_the_portals_own_hosts():
    text = (portal('"portal.example.com"') + 'identity_hosts = ["id.example.net"]\n'
            'login_urls = ["https://portal.example.com/login", "https://ID.example.net/signin?x=1"]\n'
            'change_password_url = "https://id.example.net/password/change"\n')
    entry = parse_allowlist(text).portals[0]
    assert entry.login_urls == ("https://portal.example.com/login", "https://id.example.net/signin?x=1")
    assert entry.change_password_url == "https://id.example.net/password/change"
    # both optional: a portal without them is unchanged
    assert parse_allowlist(portal()).portals[0].login_urls == ()
    assert parse_allowlist(portal()).portals[0].change_password_url is None


@pytest.mark.parametrize("extra, message", [
    ('change_password_url = "http://portal.example.com/pw"\n', "is not https://"),
    ('change_password_url = "https://evil.example.org/pw"\n', "is not one of this portal's hosts"),
    ('change_password_url = "https://u:p@portal.example.com/pw"\n', "carries credentials"),
    ('change_password_url = "https://"\n', "is not a URL"),
    ("change_password_url = 3\n", "'change_password_url' must be a string"),
    ('change_password_url = ["https://portal.example.com/pw"]\n', "'change_password_url' must be a string"),
    ('login_urls = "https://portal.example.com/"\n', "'login_urls' must be a list of strings"),
    ('login_urls = ["https://portal.example.com.evil.example/"]\n', "is not one of this portal's hosts"),
    ('change_pasword_url = "https://portal.example.com/pw"\n', "unknown key 'change_pasword_url'"),
])
def test_bad_portal_urls_name_the_problem(extra, message):
    with pytest.raises(ConfigError) as info:
        parse_allowlist(portal() + extra, "allow.toml")
    assert message in str(info.value) and str(info.value).startswith("allow.toml")


def test_error_names_the_line():
    text = portal() + portal('"b.example.com"', role="teacher")
    with pytest.raises(ConfigError, match=r"allow.toml:9: portal #2: unknown role"):
        parse_allowlist(text, "allow.toml")


def test_unreadable_binary_and_directory_files_are_config_errors(tmp_path):
    binary = tmp_path / "bin.toml"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(ConfigError, match="not a UTF-8 text file"):
        load_allowlist(binary)
    with pytest.raises(ConfigError, match="cannot read"):
        load_allowlist(tmp_path / "missing.toml")
    with pytest.raises(ConfigError, match="is a directory"):
        load_allowlist(tmp_path)


def test_discovery_order(tmp_path, monkeypatch):
    monkeypatch.delenv("PREFLIGHT_ALLOWLIST", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    work = tmp_path / "work"
    work.mkdir()
    assert find_allowlist(None, cwd=work) is None  # packaged default
    user = tmp_path / "config" / "preflight" / "allowlist.toml"
    user.parent.mkdir(parents=True)
    user.write_text(portal())
    assert find_allowlist(None, cwd=work) == user
    (work / "allowlist.toml").write_text(portal())
    assert find_allowlist(None, cwd=work) == work / "allowlist.toml"
    monkeypatch.setenv("PREFLIGHT_ALLOWLIST", "/env/allow.toml")
    assert str(find_allowlist(None, cwd=work)) == "/env/allow.toml"
    assert str(find_allowlist("/cli/allow.toml", cwd=work)) == "/cli/allow.toml"


def test_repository_allowlist_matches_the_packaged_default():
    from pathlib import Path

    from preflight.config.allowlist import packaged_default_text

    assert (Path(__file__).parent.parent / "allowlist.toml").read_text() == packaged_default_text()


# ---- preflight.toml

from preflight.config.settings import (  # noqa: E402
    ClockSettings,
    Settings,
    find_settings,
    load_settings,
    parse_settings,
)


def test_settings_become_check_settings(tmp_path):
    text = '[clock]\nwarn_s = 10\nfail_s = 120\n[transport]\ncert_warn_days = 30\n[portal]\nvocabulary = "words.toml"\n'
    settings = parse_settings(text, "p.toml", base=tmp_path)
    assert settings.clock == ClockSettings(warn_s=10.0, fail_s=120.0)
    assert settings.transport.cert_warn_days == 30.0
    assert settings.portal.vocabulary == str(tmp_path / "words.toml")
    assert settings.source == "p.toml"


def test_defaults_are_written_once_in_the_types():
    assert parse_settings("", "empty.toml") == Settings(source="empty.toml")
    assert Settings().clock.warn_s == 30.0 and Settings().clock.fail_s == 300.0


@pytest.mark.parametrize("text, message", [
    ("[clok]\nwarn_s = 1\n", "unknown table [clok]"),
    ("[clock]\nwarn = 1\n", "unknown key clock.warn"),
    ('[clock]\nwarn_s = "soon"\n', "must be a finite number"),
    ("[clock]\nwarn_s = -1\n", "must be a finite number >= 0"),
    ("[clock]\nwarn_s = inf\n", "must be a finite number >= 0"),
    ("[clock]\nwarn_s = nan\n", "must be a finite number >= 0"),
    ("[clock]\nwarn_s = true\n", "must be a finite number"),
    ("[clock]\nwarn_s = 400\n", "must be below clock.fail_s"),
    ("clock = 3\n", "must be a table"),
    ('[portal]\nvocabulary = ""\n', "non-empty string"),
    ("[clock\n", "invalid TOML"),
])
def test_bad_settings_name_file_and_key(text, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        parse_settings(text, "p.toml")


def test_settings_discovery(tmp_path, monkeypatch):
    monkeypatch.delenv("PREFLIGHT_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    assert find_settings(None, cwd=tmp_path) is None
    monkeypatch.chdir(tmp_path)
    assert load_settings(None) == Settings()
    (tmp_path / "preflight.toml").write_text("[clock]\nwarn_s = 5\n")
    assert find_settings(None, cwd=tmp_path) == tmp_path / "preflight.toml"
    monkeypatch.setenv("PREFLIGHT_CONFIG", str(tmp_path / "env.toml"))
    assert find_settings(None, cwd=tmp_path) == tmp_path / "env.toml"
    with pytest.raises(ConfigError, match="cannot read settings"):
        load_settings(tmp_path / "missing.toml")


def test_a_valid_allowlist_is_parsed_without_searching_the_text(monkeypatch):
    # Finding a line scans the whole file: doing it per host made 8,000 portals take minutes.
    # Validation stays linear because the scan happens only for the error actually raised.
    import preflight.config.allowlist as allowlist_module

    calls = []
    monkeypatch.setattr(allowlist_module, "where", lambda *args, **kwargs: calls.append(args) or "x")
    text = "".join(f'[[portal]]\npayer = "P{i}"\nname = "N{i}"\nrole = "provider"\n'
                   f'hosts = ["portal{i}.payer{i}.com", "www.portal{i}.payer{i}.com"]\n' for i in range(300))
    assert len(allowlist_module.parse_allowlist(text, "big.toml").portals) == 300
    assert calls == []


def test_aliases_are_kept_trimmed_and_are_names_a_page_can_present():
    from preflight.rules.lookalike.names import find_name, presented_names

    allowlist = parse_allowlist(portal() + 'aliases = ["  Acme   Blue ", "AB"]\n', "allow.toml")
    assert allowlist.portals[0].aliases == ("Acme Blue", "AB")
    names = presented_names(allowlist)
    hit = find_name("Sign in to Acme Blue", names)
    assert hit is not None and hit.name.shown == "Acme Blue" and hit.rest == ("sign", "in", "to")
    assert find_name("AB member login", names) is not None
    assert find_name("Abacus login", names) is None  # whole words only
