"""Proxy settings: the environment, the OS (Windows Internet Settings and WinHTTP, macOS
``scutil --proxy``, GNOME's ``gsettings``), PAC files, and browser policy (``ProxyMode`` ...).

A proxy is normal in a practice; what matters is whether the portal goes through it (and gets
inspected there) or bypasses it. Credentials in proxy URLs never leave: they are redacted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from preflight.doctor.base import passed, warned
from preflight.doctor.system import System
from preflight.model.doctor import MachineCheck, Owner
from preflight.model.policy import PolicyEntry
from preflight.rules.redact import redact_text

COMMAND_TIMEOUT_S = 3.0
ENV_NAMES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy")
BYPASS_NAMES = ("NO_PROXY", "no_proxy")
INTERNET_SETTINGS = "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings"
POLICY_NAMES = ("ProxyMode", "ProxyServer", "ProxyPacUrl", "ProxyBypassList", "ProxySettings")


@dataclass(frozen=True)
class ProxySetting:
    where: str
    """``environment HTTPS_PROXY``, ``Windows Internet Settings``, ``macOS scutil`` ..."""
    value: str
    """The proxy or PAC URL, credentials redacted."""
    bypass: str = ""


def _shown(value: str) -> str:
    # user:password@proxy -> the password never reaches a report or ticket
    return redact_text(re.sub(r"(?<=://)[^/@\s]+@", "***@", value.strip()))


def find_proxies(system: System) -> tuple[ProxySetting, ...]:
    """The environment's and the OS's proxy settings (browser policy: ``policy_proxies``)."""
    env = system.environ
    bypass = next((env[n] for n in BYPASS_NAMES if env.get(n)), "")
    found = [ProxySetting(f"environment {name}", _shown(env[name]), bypass) for name in ENV_NAMES if env.get(name)]
    if system.platform == "windows":
        found.extend(_windows(system))
    elif system.platform == "darwin":
        found.extend(_mac(system))
    else:
        found.extend(_gnome(system))
    return tuple(found)


def policy_proxies(policies: Sequence[PolicyEntry]) -> tuple[ProxySetting, ...]:
    """Proxy policies in force in the browser (``ProxyMode``, ``ProxyServer``, ``ProxyPacUrl`` ...)."""
    return tuple(ProxySetting(f"browser policy {e.name}", _shown(e.value_text)) for e in policies
                 if e.name in POLICY_NAMES and e.value_text.strip() and e.value_text.strip() not in ('"direct"', "direct"))


def _windows(system: System) -> list[ProxySetting]:
    found = []
    enabled = system.read_registry(INTERNET_SETTINGS, "ProxyEnable")
    server = system.read_registry(INTERNET_SETTINGS, "ProxyServer")
    override = system.read_registry(INTERNET_SETTINGS, "ProxyOverride")
    if enabled == 1 and isinstance(server, str) and server:
        found.append(ProxySetting("Windows Internet Settings (ProxyServer)", _shown(server),
                                  override if isinstance(override, str) else ""))
    pac = system.read_registry(INTERNET_SETTINGS, "AutoConfigURL")
    if isinstance(pac, str) and pac:
        found.append(ProxySetting("Windows Internet Settings (PAC AutoConfigURL)", _shown(pac)))
    winhttp = system.run(["netsh", "winhttp", "show", "proxy"], COMMAND_TIMEOUT_S)
    if winhttp.ok and "Direct access" not in winhttp.stdout:
        match = re.search(r"Proxy Server\(s\)\s*:\s*(\S+)", winhttp.stdout)
        bypass = re.search(r"Bypass List\s*:\s*(.+)", winhttp.stdout)
        if match:
            found.append(ProxySetting("WinHTTP (netsh winhttp)", _shown(match.group(1)),
                                      bypass.group(1).strip() if bypass else ""))
    return found


def _mac(system: System) -> list[ProxySetting]:
    answer = system.run(["scutil", "--proxy"], COMMAND_TIMEOUT_S)
    if not answer.ok:
        return []
    values = {}
    exceptions = []
    for line in answer.stdout.splitlines():
        key, sep, value = line.strip().partition(" : ")
        if not sep:
            continue
        if key.isdigit():
            exceptions.append(value.strip())
        else:
            values[key] = value.strip()
    found = []
    for kind in ("HTTPS", "HTTP"):
        if values.get(f"{kind}Enable") == "1" and values.get(f"{kind}Proxy"):
            found.append(ProxySetting(f"macOS network settings ({kind} proxy)",
                                      _shown(f"{values[f'{kind}Proxy']}:{values.get(f'{kind}Port', '')}".rstrip(":")),
                                      ", ".join(exceptions)))
    if values.get("ProxyAutoConfigEnable") == "1" and values.get("ProxyAutoConfigURLString"):
        found.append(ProxySetting("macOS network settings (PAC)", _shown(values["ProxyAutoConfigURLString"])))
    if values.get("ProxyAutoDiscoveryEnable") == "1":
        found.append(ProxySetting("macOS network settings (WPAD auto-discovery)", "on"))
    return found


def _gnome(system: System) -> list[ProxySetting]:
    mode = system.run(["gsettings", "get", "org.gnome.system.proxy", "mode"], COMMAND_TIMEOUT_S)
    if not mode.ok:
        return []
    value = mode.stdout.strip().strip("'")
    if value == "manual":
        host = system.run(["gsettings", "get", "org.gnome.system.proxy.https", "host"], COMMAND_TIMEOUT_S)
        port = system.run(["gsettings", "get", "org.gnome.system.proxy.https", "port"], COMMAND_TIMEOUT_S)
        return [ProxySetting("GNOME proxy settings (manual)",
                             _shown(f"{host.stdout.strip().strip(chr(39))}:{port.stdout.strip()}"))]
    if value == "auto":
        pac = system.run(["gsettings", "get", "org.gnome.system.proxy", "autoconfig-url"], COMMAND_TIMEOUT_S)
        return [ProxySetting("GNOME proxy settings (PAC)", _shown(pac.stdout.strip().strip("'")) or "auto-discovery")]
    return []


def _bypassed(bypass: str, host: str) -> bool:
    for item in re.split(r"[,;\s]+", bypass.lower()):
        item = item.strip()
        if not item:
            continue
        bare = item.lstrip("*").lstrip(".")
        if item == "*" or host == bare or host.endswith("." + bare):
            return True
    return False


def proxy_check(settings: Sequence[ProxySetting], portal_host: str) -> MachineCheck:
    owner = Owner.PRACTICE_IT
    if not settings:
        return passed("network.proxy", "no proxy in the environment, the OS settings or browser policy: direct "
                      "connection", owner)
    shown = "; ".join(f"{s.where}: {s.value}" + (f" (bypass: {s.bypass[:80]})" if s.bypass else "") for s in settings)
    through = [s for s in settings if not _bypassed(s.bypass, portal_host)]
    if not through:
        return passed("network.proxy", f"{shown}; {portal_host} bypasses every one of them", owner)
    return warned("network.proxy", owner, f"{shown}; {portal_host} goes through a proxy"
                  + (" (a PAC file decides per host: not evaluated here)" if any("PAC" in s.where for s in through) else ""),
                  f"If sign-in fails only on this network, ask IT to let {portal_host} and the payer's sign-in hosts "
                  "bypass the proxy (NO_PROXY / ProxyOverride / the PAC file), or at least not inspect them")
