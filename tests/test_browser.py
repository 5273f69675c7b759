import stat

import pytest

from preflight.capture.browser import (
    LAUNCH_FLAGS,
    BrowserChoice,
    LaunchOptions,
    find_browser,
    playwright_disabled_features,
)
from preflight.config.network import map_hosts, parse_connect_to, parse_resolve
from preflight.errors import BrowserNotFound, UsageError


def test_resolve_keeps_the_port_like_curl():
    mapping = parse_resolve("cignaforhcp.cigna.com:443:127.0.0.1")
    assert mapping.rule() == "MAP cignaforhcp.cigna.com:443 127.0.0.1:443"


def test_resolve_ipv6_address():
    assert parse_resolve("portal.example.com:443:[::1]").rule() == "MAP portal.example.com:443 [::1]:443"


def test_connect_to_maps_host_and_port():
    mapping = parse_connect_to("cignaforhcp.cigna.com:443:127.0.0.1:8443")
    assert mapping.rule() == "MAP cignaforhcp.cigna.com:443 127.0.0.1:8443"
    assert map_hosts([mapping], "cignaforhcp.cigna.com", 443) == ("127.0.0.1", 8443)
    assert map_hosts([mapping], "my.cigna.com", 443) == ("my.cigna.com", 443)


def test_connect_to_empty_parts_mean_any_or_same():
    assert parse_connect_to("portal.example.com::127.0.0.1:").rule() == "MAP portal.example.com 127.0.0.1"
    assert parse_connect_to("Portal.Example.com:443::8443").rule() == "MAP portal.example.com:443 portal.example.com:8443"


@pytest.mark.parametrize("text", ["", "host", "host:443", "host:99999:1.2.3.4", "host:443:not an ip", "a b:443:1.2.3.4"])
def test_bad_resolve_is_a_usage_error(text):
    with pytest.raises(UsageError):
        parse_resolve(text)


@pytest.mark.parametrize("text", ["a:1:b", "a:1:b:2:c", "::1.2.3.4:0", "a:x:b:1", ":::"])
def test_bad_connect_to_is_a_usage_error(text):
    with pytest.raises(UsageError):
        parse_connect_to(text)


def test_launch_flags_keep_chromium_offline_and_quiet():
    args = LaunchOptions(BrowserChoice("/usr/bin/chromium", source="test"),
                         (parse_connect_to("a.example.com:443:127.0.0.1:8443"),), ("abc=",)).args()
    for flag in ("--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-default-apps"):
        assert flag in args
    rules = [a for a in args if a.startswith("--host-resolver-rules=")]
    assert len(rules) == 1 and rules[0].endswith(", MAP a.example.com:443 127.0.0.1:8443")
    # Chromium's own service hosts never resolve, and come first (the first matching rule wins) ...
    assert rules[0].split("=", 1)[1].startswith("MAP update.googleapis.com ~NOTFOUND")
    assert "MAP accounts.google.com ~NOTFOUND" in rules[0]
    # ... unless the allowlist names one (a portal that signs in with Google).
    kept = LaunchOptions(BrowserChoice("/usr/bin/chromium", source="test"), reachable_hosts=("accounts.google.com",))
    assert "accounts.google.com" not in next(a for a in kept.args() if a.startswith("--host-resolver-rules="))
    assert "--ignore-certificate-errors-spki-list=abc=" in args
    assert set(LAUNCH_FLAGS) <= set(args)
    # Chromium keeps only the last --disable-features: ours must carry Playwright's whole list too.
    disabled = [a for a in args if a.startswith("--disable-features=")]
    assert len(disabled) == 1
    names = disabled[0].split("=", 1)[1].split(",")
    assert set(playwright_disabled_features()) <= set(names)
    assert {"Reporting", "NetworkErrorLogging", "FetchLaterAPI", "FedCm", "WebPayments"} <= set(names)
    # No spare renderer: one browser serves many fresh contexts, and a spare cannot cross them.
    assert "SpareRendererForSitePerProcess" in names


def test_playwright_feature_list_is_read_from_the_installed_driver():
    # The pinned copy is only a fallback: the driver's own list is what Playwright passes.
    from preflight.capture.browser import _PLAYWRIGHT_DISABLED_FEATURES
    assert "AvoidCorsURLLoaderRestartOnRedirect" in playwright_disabled_features()
    assert set(_PLAYWRIGHT_DISABLED_FEATURES) <= set(playwright_disabled_features())


def _fake_browser(directory, name):
    path = directory / name
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_discovery_order(tmp_path, monkeypatch):
    monkeypatch.delenv("PREFLIGHT_BROWSER", raising=False)
    bindir = tmp_path / "bin"
    bindir.mkdir()
    monkeypatch.setenv("PATH", str(bindir))
    with pytest.raises(BrowserNotFound, match="apt-get install -y chromium"):
        find_browser()
    on_path = _fake_browser(bindir, "google-chrome")
    assert find_browser() == BrowserChoice(str(on_path), source="PATH")
    managed = _fake_browser(tmp_path, "chrome")
    assert find_browser(playwright_managed=str(managed)).source == "playwright"
    assert find_browser(playwright_managed=str(tmp_path / "missing")).source == "PATH"
    assert find_browser(channel="msedge", playwright_managed=str(managed)) == BrowserChoice(channel="msedge", source="--browser-channel")
    env = _fake_browser(tmp_path, "env-chrome")
    monkeypatch.setenv("PREFLIGHT_BROWSER", str(env))
    assert find_browser(channel="msedge").source == "PREFLIGHT_BROWSER"
    explicit = _fake_browser(tmp_path, "explicit-chrome")
    assert find_browser(str(explicit)) == BrowserChoice(str(explicit), source="--browser-path")


def test_a_browser_path_that_is_not_executable_is_refused(tmp_path):
    plain = tmp_path / "chrome"
    plain.write_text("")
    with pytest.raises(BrowserNotFound, match="not an executable"):
        find_browser(str(plain))
    with pytest.raises(BrowserNotFound):
        find_browser(str(tmp_path / "nope"))
