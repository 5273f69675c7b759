"""How to reach targets: curl-style host mappings and pinned certificates (pure; capture turns them into Chromium flags, the clock probe into sockets)."""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from preflight.config.files import UnreadableFile, read_user_file
from preflight.errors import UsageError
from preflight.rules.hosts import InvalidURL, normalize_host

if TYPE_CHECKING:  # pragma: no cover
    pass


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
    return spki_hash_of_der(certificate_der(cert_path))


def certificate_der(cert_path: str | os.PathLike[str]) -> bytes:
    """The ``--trust-cert`` file's certificate (PEM or DER) as DER; ``UsageError`` when it is none."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    try:
        data = read_user_file(cert_path, 1024 * 1024)
    except UnreadableFile as exc:
        raise UsageError(f"--trust-cert {cert_path}: {exc.reason}", "pass a PEM certificate file") from None
    try:
        cert = x509.load_pem_x509_certificate(data)
    except ValueError:
        try:
            cert = x509.load_der_x509_certificate(data)
        except ValueError:
            raise UsageError(f"--trust-cert {cert_path}: not a PEM or DER certificate",
                             "export the server certificate as PEM") from None
    return cert.public_bytes(serialization.Encoding.DER)


def spki_hash_of_der(der: bytes) -> str:
    """``spki_hash`` of a DER certificate (one a server presented)."""
    from cryptography import x509

    return spki_hash_of_certificate(x509.load_der_x509_certificate(der))


def spki_hash_of_certificate(cert: Any) -> str:
    """``spki_hash`` of a loaded ``cryptography`` certificate."""
    from cryptography.hazmat.primitives import serialization

    spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                          serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")


def map_hosts(mappings: Sequence[HostMapping], host: str, port: int) -> tuple[str, int]:
    """Where a connection to ``host:port`` really goes (for probes made outside the browser)."""
    for mapping in mappings:
        if mapping.host in (host, "*") and mapping.port in (None, port):
            return mapping.to_host.strip("[]"), mapping.to_port or port
    return host, port
