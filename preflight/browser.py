"""Find and launch a Chromium; turn ``--resolve``/``--connect-to``/``--trust-cert`` into flags.

Playwright is imported only by the browser-driving layer (this module, ``guard``, ``capture``,
and the orchestration in ``runner``, ``profile`` and ``doctor``), always lazily, so that
``preflight --version`` and ``preflight vet`` never load it. Checks and reporters never do.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from .errors import BrowserNotFound, UsageError
from .hosts import InvalidURL, normalize_host

if TYPE_CHECKING:  # pragma: no cover
    from playwright.async_api import Browser, Playwright

ENV_BROWSER = "PREFLIGHT_BROWSER"
CHANNELS = ("chrome", "msedge", "chrome-beta", "msedge-beta", "msedge-dev")
PATH_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "microsoft-edge")

# Quiet, offline, reproducible: nothing phones home, nothing is saved or filled.
LAUNCH_FLAGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--metrics-recording-only",
    "--password-store=basic",
    "--disable-quic",
    "--dns-prefetch-disable",  # a <link rel=dns-prefetch> to SECRET.example would leak through DNS
    # No --disable-features here: Chromium keeps only the last one, and Playwright's own list
    # carries interception fixes (and already turns off OptimizationHints, MediaRouter ...).
)


@dataclass(frozen=True)
class BrowserChoice:
    """Which Chromium to drive and why it was picked (shown in reports and ``doctor``)."""

    executable_path: str | None = None
    channel: str | None = None
    source: str = ""
    """``--browser-path``, ``PREFLIGHT_BROWSER``, ``--browser-channel``, ``playwright``, ``PATH``."""

    def describe(self) -> str:
        what = self.executable_path or f"channel {self.channel}"
        return f"{what} (from {self.source})"


@dataclass(frozen=True)
class HostMapping:
    """``--resolve`` / ``--connect-to`` with curl's meaning, as one Chromium host rule."""

    host: str
    port: int | None
    to_host: str
    to_port: int | None
    option: str
    """The original option text, for messages."""

    def rule(self) -> str:
        source = self.host if self.port is None else f"{self.host}:{self.port}"
        target = self.to_host if self.to_port is None else f"{self.to_host}:{self.to_port}"
        return f"MAP {source} {target}"


@dataclass(frozen=True)
class LaunchOptions:
    choice: BrowserChoice
    mappings: tuple[HostMapping, ...] = ()
    trusted_spki: tuple[str, ...] = ()
    extra_args: tuple[str, ...] = field(default_factory=tuple)

    def args(self) -> list[str]:
        args = list(LAUNCH_FLAGS)
        if self.mappings:
            # Anything not mapped still resolves normally; QUIC off so the mapping covers all traffic.
            args.append("--host-resolver-rules=" + ", ".join(m.rule() for m in self.mappings))
        if self.trusted_spki:
            args.append("--ignore-certificate-errors-spki-list=" + ",".join(self.trusted_spki))
        args.extend(self.extra_args)
        return args


# --------------------------------------------------------------------------- discovery


def find_browser(path: str | None = None, channel: str | None = None,
                 playwright_managed: str | None = None) -> BrowserChoice:
    """Pick a Chromium: explicit path, env, channel, Playwright-managed, then PATH.

    ``playwright_managed`` is Playwright's own idea of its Chromium's path (may not exist).
    """
    if path:
        return _existing(path, "--browser-path")
    env = os.environ.get(ENV_BROWSER)
    if env:
        return _existing(env, ENV_BROWSER)
    if channel:
        if channel not in CHANNELS:
            raise UsageError(f"unknown browser channel {channel!r}", f"use one of {', '.join(CHANNELS)}")
        return BrowserChoice(channel=channel, source="--browser-channel")
    if playwright_managed and os.path.isfile(playwright_managed):
        return BrowserChoice(executable_path=playwright_managed, source="playwright")
    for name in PATH_NAMES:
        found = shutil.which(name)
        if found:
            return BrowserChoice(executable_path=found, source="PATH")
    raise BrowserNotFound(
        "no Chromium found",
        "install one (Debian: apt-get install -y chromium; elsewhere: python -m playwright install "
        "chromium), or pass --browser-path PATH, set PREFLIGHT_BROWSER, or use --browser-channel chrome",
    )


def _existing(path: str, source: str) -> BrowserChoice:
    resolved = shutil.which(path) or path
    if not os.path.isfile(resolved) or not os.access(resolved, os.X_OK):
        raise BrowserNotFound(f"browser {path!r} (from {source}) is not an executable file",
                              "point it at a Chromium, Chrome or Edge binary")
    return BrowserChoice(executable_path=resolved, source=source)


def playwright_managed_path(playwright: "Playwright") -> str | None:
    try:
        return playwright.chromium.executable_path
    except Exception:  # noqa: BLE001 - Playwright raises plain Error when not installed
        return None


async def launch(playwright: "Playwright", options: LaunchOptions, timeout_s: float = 30.0) -> "Browser":
    from playwright.async_api import Error as PlaywrightError

    from .errors import BrowserLaunchError

    try:
        return await playwright.chromium.launch(
            executable_path=options.choice.executable_path,
            channel=options.choice.channel,
            headless=True,
            args=options.args(),
            timeout=timeout_s * 1000,
            handle_sigint=False,
        )
    except PlaywrightError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise BrowserLaunchError(f"could not start {options.choice.describe()}: {first}",
                                 "run `preflight doctor` to check the browser set-up") from None


# --------------------------------------------------------------------------- options


_PORT = r"(\d{1,5})"


def parse_resolve(text: str) -> HostMapping:
    """curl ``--resolve HOST:PORT:ADDR``: connections to HOST:PORT go to ADDR:PORT."""
    match = re.fullmatch(r"([^:\[\]]+|\[[^\]]+\]):" + _PORT + r":(.+)", text.strip())
    if not match:
        raise UsageError(f"--resolve {text!r} is not HOST:PORT:ADDRESS",
                         "e.g. --resolve cignaforhcp.cigna.com:443:127.0.0.1")
    host, port, addr = match.groups()
    addr = addr.strip()
    if addr.startswith("[") and addr.endswith("]"):
        addr = addr[1:-1]
    try:
        normalize_host(addr)
    except InvalidURL:
        raise UsageError(f"--resolve {text!r}: {addr!r} is not an address", "give an IP address") from None
    if ":" in addr:
        addr = f"[{addr}]"
    return HostMapping(_host(host, "--resolve", text), _port(port, "--resolve", text), addr,
                       _port(port, "--resolve", text), f"--resolve {text}")


def parse_connect_to(text: str) -> HostMapping:
    """curl ``--connect-to HOST1:PORT1:HOST2:PORT2``; empty parts mean "any"/"the same"."""
    parts = _split_colons(text.strip())
    if len(parts) != 4:
        raise UsageError(f"--connect-to {text!r} is not HOST1:PORT1:HOST2:PORT2",
                         "e.g. --connect-to cignaforhcp.cigna.com:443:127.0.0.1:8443")
    host, port, to_host, to_port = parts
    mapped_host = _host(host, "--connect-to", text) if host else "*"
    mapped_port = _port(port, "--connect-to", text) if port else None
    target_host = _host(to_host, "--connect-to", text) if to_host else mapped_host
    if target_host == "*":
        raise UsageError(f"--connect-to {text!r}: give HOST1 or HOST2", "e.g. ::127.0.0.1:8443 is ambiguous")
    if ":" in target_host:
        target_host = f"[{target_host}]"
    return HostMapping(mapped_host, mapped_port, target_host,
                       _port(to_port, "--connect-to", text) if to_port else mapped_port,
                       f"--connect-to {text}")


def _split_colons(text: str) -> list[str]:
    """Split on ``:`` outside ``[...]`` (IPv6 literals)."""
    parts, current, depth = [], "", 0
    for ch in text:
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        if ch == ":" and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += ch
    parts.append(current)
    return parts


def _host(host: str, option: str, text: str) -> str:
    try:
        return normalize_host(host)
    except InvalidURL:
        raise UsageError(f"{option} {text!r}: {host!r} is not a host name", "e.g. cignaforhcp.cigna.com") from None


def _port(port: str, option: str, text: str) -> int:
    value = int(port) if port.isdigit() else -1
    if not 0 < value < 65536:
        raise UsageError(f"{option} {text!r}: {port!r} is not a port", "ports are 1-65535")
    return value


def spki_hash(cert_path: str | os.PathLike[str]) -> str:
    """Base64 SHA-256 of the certificate's SubjectPublicKeyInfo (Chromium's SPKI allow-list)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        data = Path(cert_path).read_bytes()
    except OSError as exc:
        raise UsageError(f"--trust-cert {cert_path}: cannot read ({exc.strerror or exc})",
                         "pass a PEM certificate file") from None
    try:
        cert = x509.load_pem_x509_certificate(data)
    except ValueError:
        try:
            cert = x509.load_der_x509_certificate(data)
        except ValueError:
            raise UsageError(f"--trust-cert {cert_path}: not a PEM or DER certificate",
                             "export the server certificate as PEM") from None
    spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")


def map_hosts(mappings: Sequence[HostMapping], host: str, port: int) -> tuple[str, int]:
    """Where a connection to ``host:port`` really goes (for probes made outside the browser)."""
    for mapping in mappings:
        if mapping.host in (host, "*") and mapping.port in (None, port):
            return mapping.to_host.strip("[]"), mapping.to_port or port
    return host, port
