"""Name resolution and hosts files, proxies, and browsers found, on recorded machines."""

from __future__ import annotations

import plistlib

from preflight.doctor import browsers, names, proxy
from preflight.doctor.system import is_internal
from preflight.model.doctor import CheckStatus

from .helpers import ALLOWLIST, machine, policy

# --------------------------------------------------------------------------- names


def resolution(system):
    hosts_check, pinned = names.hosts_file_check(system, ALLOWLIST)
    return hosts_check, names.resolution_check(names.resolve_all(system, ALLOWLIST.hosts), pinned)


def test_a_hosts_file_entry_for_a_portal_host_is_flagged_on_each_platform():
    linux = machine("linux", files={"/etc/hosts": "127.0.0.1 localhost\n10.0.0.5  cignaforhcp.cigna.com  # new server test\n"},
                    dns={"cignaforhcp.cigna.com": ["10.0.0.5"]})
    hosts_check, dns_check = resolution(linux)
    assert hosts_check.status is CheckStatus.FAIL and "line 2: 10.0.0.5 cignaforhcp.cigna.com" in hosts_check.evidence
    assert dns_check.status is CheckStatus.FAIL
    assert "cignaforhcp.cigna.com -> 10.0.0.5 (private) (from the hosts file)" in dns_check.evidence
    mac = machine("darwin", files={"/etc/hosts": "##\n127.0.0.1\tlocalhost\n0.0.0.0 provider.evernorth.com\n"},
                  dns={"provider.evernorth.com": ["0.0.0.0"]})
    hosts_check, dns_check = resolution(mac)
    assert hosts_check.status is CheckStatus.FAIL and "line 3: 0.0.0.0 provider.evernorth.com" in hosts_check.evidence
    assert "(unspecified) (from the hosts file)" in dns_check.evidence
    windows = machine("windows", files={"C:\\Windows\\System32\\drivers\\etc\\hosts": "# test\r\n127.0.0.1 my.cigna.com\r\n"},
                      dns={"my.cigna.com": ["127.0.0.1"]})
    hosts_check, dns_check = resolution(windows)
    assert hosts_check.status is CheckStatus.FAIL and "drivers\\etc\\hosts" in hosts_check.evidence
    assert "my.cigna.com -> 127.0.0.1 (loopback)" in dns_check.evidence


def test_a_dns_answer_with_a_private_address_is_a_hijack_even_without_a_hosts_entry():
    _hosts, dns_check = resolution(machine("darwin", dns={"provider.evernorth.com": ["192.168.1.20"]}))
    assert dns_check.status is CheckStatus.FAIL and "192.168.1.20 (private)" in dns_check.evidence
    assert "(from the hosts file)" not in dns_check.evidence


def test_a_host_that_does_not_resolve_while_others_do_is_a_warning():
    _hosts, dns_check = resolution(machine("linux", dns={"cignaforhcp.com": None}))
    assert dns_check.status is CheckStatus.WARN and "cignaforhcp.com (Name or service not known)" in dns_check.evidence


def test_no_network_is_not_a_failure():
    system = machine("linux", dns={h: "no network" for h in ALLOWLIST.hosts})
    answers = names.resolve_all(system, ALLOWLIST.hosts)
    assert not names.network_available(answers)
    check = names.resolution_check(answers, ())
    assert check.status is CheckStatus.NOT_RUN and check.reason == "no network"
    assert names.network_available(answers, mapped=("cignaforhcp.cigna.com",))


def test_internal_addresses():
    assert is_internal("127.0.0.1") == "loopback" and is_internal("::1") == "loopback"
    assert is_internal("10.1.2.3") == "private" and is_internal("fe80::1%eth0") == "link-local"
    assert is_internal("100.64.0.1") == "shared (carrier-grade NAT)" and is_internal("0.0.0.0") == "unspecified"
    assert is_internal("23.45.67.89") is None


# --------------------------------------------------------------------------- proxies


def test_environment_proxy_credentials_are_redacted_and_bypass_is_honoured():
    system = machine("linux", environ={"HTTPS_PROXY": "http://jdoe:S3NT1NEL-PW@proxy.practice.local:3128",
                                       "NO_PROXY": ".cigna.com,localhost"})
    found = proxy.find_proxies(system)
    assert found[0].value == "http://REDACTED@proxy.practice.local:3128"
    check = proxy.proxy_check(found, "cignaforhcp.cigna.com")
    assert check.status is CheckStatus.PASS and "bypasses" in check.evidence
    assert "S3NT1NEL" not in check.evidence
    assert proxy.proxy_check(found, "provider.evernorth.com").status is CheckStatus.WARN


def test_windows_registry_pac_and_winhttp_proxies():
    system = machine("windows", registry={
        "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\ProxyEnable": 1,
        "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\ProxyServer": "proxy.practice.local:8080",
        "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\ProxyOverride": "*.practice.local;<local>",
        "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\\AutoConfigURL": "http://wpad.practice.local/proxy.pac",
    }, commands={"netsh winhttp show proxy": {"returncode": 0, "stdout": (
        "\nCurrent WinHTTP proxy settings:\n\n    Proxy Server(s) :  10.0.0.1:8080\n    Bypass List     :  <local>\n")}})
    found = {s.where: s for s in proxy.find_proxies(system)}
    assert found["Windows Internet Settings (ProxyServer)"].value == "proxy.practice.local:8080"
    assert found["Windows Internet Settings (PAC AutoConfigURL)"].value == "http://wpad.practice.local/proxy.pac"
    assert found["WinHTTP (netsh winhttp)"].value == "10.0.0.1:8080"
    check = proxy.proxy_check(tuple(found.values()), "cignaforhcp.cigna.com")
    assert check.status is CheckStatus.WARN and "PAC file decides per host" in check.evidence


def test_macos_scutil_proxy_and_pac():
    scutil = ("<dictionary> {\n  ExceptionsList : <array> {\n    0 : *.local\n    1 : *.cigna.com\n  }\n"
              "  HTTPSEnable : 1\n  HTTPSPort : 8443\n  HTTPSProxy : gateway.zscloud.net\n"
              "  ProxyAutoConfigEnable : 1\n  ProxyAutoConfigURLString : https://pac.zscloud.net/practice.pac\n}\n")
    found = proxy.find_proxies(machine("darwin", commands={"scutil --proxy": {"returncode": 0, "stdout": scutil}}))
    assert [(s.where, s.value) for s in found] == [
        ("macOS network settings (HTTPS proxy)", "gateway.zscloud.net:8443"),
        ("macOS network settings (PAC)", "https://pac.zscloud.net/practice.pac")]
    assert found[0].bypass == "*.local, *.cigna.com"


def test_gnome_and_browser_policy_proxies():
    system = machine("linux", commands={
        "gsettings get org.gnome.system.proxy mode": {"returncode": 0, "stdout": "'auto'\n"},
        "gsettings get org.gnome.system.proxy autoconfig-url": {"returncode": 0, "stdout": "'http://wpad/wpad.dat'\n"}})
    assert [s.value for s in proxy.find_proxies(system)] == ["http://wpad/wpad.dat"]
    shown = proxy.policy_proxies([policy("ProxyMode", "fixed_servers"), policy("ProxyServer", "proxy:3128"),
                                  policy("CookiesAllowedForUrls", "[]")])
    assert [s.where for s in shown] == ["browser policy ProxyMode", "browser policy ProxyServer"]


def test_no_proxy_anywhere_is_a_direct_connection():
    for platform in ("linux", "darwin", "windows"):
        check = proxy.proxy_check(proxy.find_proxies(machine(platform)), "cignaforhcp.cigna.com")
        assert check.status is CheckStatus.PASS and "direct connection" in check.evidence, platform


# --------------------------------------------------------------------------- browsers


def test_browsers_out_of_date_by_major_version():
    system = machine("linux", commands={"/usr/bin/chromium --version": {"returncode": 0, "stdout": "Chromium 126.0.6478.126\n"}})
    found = browsers.find_installed(system)
    check = browsers.up_to_date_check(system, found, reference_major=131)
    assert check.status is CheckStatus.WARN and "Chromium 126 is 5 major versions behind" in check.evidence
    assert "apt-get install --only-upgrade chromium" in check.fix
    assert browsers.up_to_date_check(system, browsers.find_installed(machine("linux")), 131).status is CheckStatus.PASS


def test_no_browser_at_all_fails_for_practice_it():
    for platform, changes in (("linux", {"dirs": {"/usr/bin": ["python3"]}}),
                              ("darwin", {"dirs": {"/Applications": ["Safari.app"], "/Applications/Google Chrome.app": None,
                                          "/Applications/Microsoft Edge.app": None}}),
                              ("windows", {"files": {"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe": None,
                                                     "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe": None},
                                          "dirs": {"C:\\Program Files (x86)\\Microsoft\\Edge\\Application": None}})):
        system = machine(platform, **changes)
        check = browsers.installed_check(system, browsers.find_installed(system))
        assert check.status is CheckStatus.FAIL and check.owner.value == "practice_it", platform


def test_versions_come_from_the_platform_s_own_records():
    mac = machine("darwin", files={"/Applications/Google Chrome.app/Contents/Info.plist":
                                   plistlib.dumps({"CFBundleShortVersionString": "119.0.6045.199"}).decode()})
    assert browsers.find_installed(mac)[0].version == "119.0.6045.199"
    # Windows without BLBeacon: the newest versioned folder beside the executable.
    windows = machine("windows", registry={"HKCU\\Software\\Google\\Chrome\\BLBeacon\\version": None},
                      dirs={"C:\\Program Files\\Google\\Chrome\\Application": ["129.0.6668.90", "131.0.6778.86", "chrome.exe"]})
    assert browsers.find_installed(windows)[0].version == "131.0.6778.86"
