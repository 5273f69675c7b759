"""Does the portal's certificate chain end at a public root, or only at one installed on this
computer (TLS inspection)? And if inspected, by which product, and what exemption to ask for.

The chain is read from one TLS handshake with the portal host (no HTTP request is sent), over
the same ``--resolve``/``--connect-to`` mapping the browser would use. "Public" means a root of
Mozilla's root program as shipped by ``certifi``; "local" a root in the OS trust store (as this
``System`` reads it) that is not public. Products are named from the chain's names
(``preflight/data/doctor.toml``).
"""

from __future__ import annotations

import base64
import re
import socket
import ssl
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes

from preflight.config.toml import loads_toml
from preflight.doctor.base import failed, not_run, passed, warned
from preflight.doctor.system import System
from preflight.model.doctor import MachineCheck, Owner

HANDSHAKE_TIMEOUT_S = 4.0
STORE_TIMEOUT_S = 5.0

LINUX_BUNDLES = ("/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem",
                 "/etc/ssl/ca-bundle.pem")
MAC_KEYCHAINS = ("/Library/Keychains/System.keychain", "/System/Library/Keychains/SystemRootCertificates.keychain")
WINDOWS_STORES = ("Cert:\\LocalMachine\\Root", "Cert:\\CurrentUser\\Root")


@dataclass(frozen=True)
class InspectionProduct:
    product: str
    match: tuple[str, ...]
    exemption: str


@cache
def inspection_products() -> tuple[InspectionProduct, ...]:
    text = resources.files("preflight").joinpath("data/doctor.toml").read_text(encoding="utf-8")
    data = loads_toml(text, "preflight/data/doctor.toml")
    return tuple(InspectionProduct(p["product"], tuple(p["match"]), p["exemption"]) for p in data["inspection"])


def fetch_chain(host: str, connect_host: str, connect_port: int, timeout_s: float = HANDSHAKE_TIMEOUT_S) -> tuple[bytes, ...]:
    """The chain the server presents for ``host`` (DER, leaf first), unverified: a handshake, nothing sent."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    with socket.create_connection((connect_host, connect_port), timeout=timeout_s) as raw, \
            context.wrap_socket(raw, server_hostname=host) as sock:
        sslobj: Any = getattr(sock, "_sslobj", None)
        if sslobj is not None and hasattr(sslobj, "get_unverified_chain"):  # CPython >= 3.10 (public in 3.13)
            chain = [c.public_bytes(ssl._ssl.ENCODING_DER) for c in sslobj.get_unverified_chain() or ()]  # type: ignore[attr-defined]
            if chain:
                return tuple(chain)
        leaf = sock.getpeercert(binary_form=True)
        return (leaf,) if leaf else ()


def pinned(chain_der: Sequence[bytes], trust_certs: Sequence[str]) -> bool:
    """A certificate of the chain is one given with ``--trust-cert`` (by SPKI, as Chromium pins), or
    was issued by one (servers do not send their root)."""
    from preflight.config.network import certificate_der, spki_hash, spki_hash_of_der

    pins = {spki_hash(path) for path in trust_certs}
    if any(spki_hash_of_der(der) in pins for der in chain_der):
        return True
    given = [x509.load_der_x509_certificate(certificate_der(path)) for path in trust_certs]
    return any(_issued_by(x509.load_der_x509_certificate(der), issuer) for der in chain_der for issuer in given)


def public_roots() -> tuple[x509.Certificate, ...]:
    import certifi

    with open(certifi.where(), "rb") as handle:
        return _parse_bundle(handle.read())


def local_roots(system: System) -> tuple[x509.Certificate, ...]:
    """The OS trust store, read through ``system``: Linux's CA bundle (``SSL_CERT_FILE`` first), the
    macOS system keychains (``security find-certificate``), the Windows Root stores (PowerShell)."""
    if system.platform == "darwin":
        found: list[x509.Certificate] = []
        for keychain in MAC_KEYCHAINS:
            answer = system.run(["security", "find-certificate", "-a", "-p", keychain], STORE_TIMEOUT_S)
            if answer.ok:
                found.extend(_parse_bundle(answer.stdout.encode()))
        return tuple(found)
    if system.platform == "windows":
        script = f"Get-ChildItem {', '.join(WINDOWS_STORES)} | " + "ForEach-Object { [Convert]::ToBase64String($_.RawData) }"
        answer = system.run(["powershell", "-NoProfile", "-NonInteractive", "-Command", script], STORE_TIMEOUT_S)
        return tuple(_parse_base64_lines(answer.stdout)) if answer.ok else ()
    paths = [p for p in (system.environ.get("SSL_CERT_FILE"),) if p] + list(LINUX_BUNDLES)
    for path in paths:
        content = system.read_file(path)
        if content:
            return _parse_bundle(content)
    return ()


_PEM = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)


def _parse_bundle(data: bytes) -> tuple[x509.Certificate, ...]:
    found = []
    with warnings.catch_warnings():
        # Old roots in real bundles carry a negative serial number: cryptography warns, and still parses them.
        warnings.simplefilter("ignore")
        for block in _PEM.findall(data):
            try:
                found.append(x509.load_pem_x509_certificate(block))
            except ValueError:
                continue  # one odd certificate must not hide the rest
    return tuple(found)


def _parse_base64_lines(text: str) -> list[x509.Certificate]:
    found = []
    for line in text.split():
        try:
            found.append(x509.load_der_x509_certificate(base64.b64decode(line, validate=True)))
        except ValueError:
            continue
    return found


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    if cert.issuer != issuer.subject:
        return False
    try:
        cert.verify_directly_issued_by(issuer)
    except Exception:  # noqa: BLE001 - InvalidSignature, an unsupported key: not issued by it
        return False
    return True


def anchor_in(chain: Sequence[x509.Certificate], store: Sequence[x509.Certificate]) -> x509.Certificate | None:
    """The root of ``store`` the chain ends at (following the presented intermediates), if any."""
    prints = {c.fingerprint(hashes.SHA256()): c for c in store}
    by_subject: dict[x509.Name, list[x509.Certificate]] = {}
    for cert in store:
        by_subject.setdefault(cert.subject, []).append(cert)
    current, seen = chain[0], 0
    while seen <= len(chain):
        seen += 1
        if current.fingerprint(hashes.SHA256()) in prints:
            return current
        for candidate in by_subject.get(current.issuer, ()):
            if _issued_by(current, candidate):
                return candidate
        parent = next((c for c in chain if c is not current and _issued_by(current, c)), None)
        if parent is None:
            return None
        current = parent
    return None


def describe_name(name: x509.Name) -> str:
    parts: list[str] = []
    for oid, label in ((x509.NameOID.COMMON_NAME, "CN"), (x509.NameOID.ORGANIZATION_NAME, "O"),
                       (x509.NameOID.ORGANIZATIONAL_UNIT_NAME, "OU")):
        parts.extend(f"{label}={a.value!s}" for a in name.get_attributes_for_oid(oid))
    return ", ".join(parts) or name.rfc4514_string()


def name_product(chain: Sequence[x509.Certificate], anchor: x509.Certificate | None) -> InspectionProduct | None:
    names = [chain[0].issuer, *(c.subject for c in chain[1:]), *((anchor.subject,) if anchor is not None else ())]
    text = " ".join(describe_name(n) for n in names).lower()
    return next((p for p in inspection_products() if any(word in text for word in p.match)), None)


Kind = Literal["public", "local", "untrusted"]


@dataclass(frozen=True)
class ChainJudgement:
    kind: Kind
    anchor: str
    """The root the chain ends at (``CN=..., O=...``), or the top issuer when no store has it."""
    product: InspectionProduct | None


def judge_chain(chain_der: Sequence[bytes], public: Sequence[x509.Certificate],
                local: Sequence[x509.Certificate]) -> ChainJudgement:
    chain = [x509.load_der_x509_certificate(d) for d in chain_der]
    anchor = anchor_in(chain, public)
    if anchor is not None:
        return ChainJudgement("public", describe_name(anchor.subject), None)
    anchor = anchor_in(chain, local)
    if anchor is not None:
        return ChainJudgement("local", describe_name(anchor.subject), name_product(chain, anchor))
    return ChainJudgement("untrusted", describe_name(chain[-1].issuer), name_product(chain, None))


def tls_check(host: str, hosts: Sequence[str], judgement: ChainJudgement | None, error: str | None,
              proxied: bool) -> MachineCheck:
    owner = Owner.PRACTICE_IT
    if judgement is None:
        why = error or "no certificate"
        if proxied:
            return not_run("network.tls_inspection", owner, f"no direct connection to {host} ({why}); this network "
                           "uses a proxy, which the browser goes through")
        return failed("network.tls_inspection", owner, f"no TLS handshake with {host}: {why}",
                      "Check that the firewall lets this computer reach the portal on port 443")
    shown = ", ".join(hosts[:4])
    if judgement.kind == "public":
        return passed("network.tls_inspection", f"{host}'s certificate chain ends at {judgement.anchor}, a root of "
                      "Mozilla's public root program (certifi): no TLS inspection", owner)
    product = judgement.product
    who = product.product if product else "a TLS-inspection product that does not name itself"
    exemption = product.exemption.format(hosts=shown) if product else \
        f"exempt {shown} from TLS (SSL) inspection in the proxy or firewall that re-signs it"
    if judgement.kind == "local":
        return warned("network.tls_inspection", owner,
                      f"TLS inspection by {who}: {host}'s chain ends at {judgement.anchor}, a root installed on this "
                      "computer that no public root program trusts; the connection to the portal is decrypted on "
                      "the way", f"Ask IT to {exemption}. Inspected sign-ins can break (MFA, device trust) and "
                      "put portal passwords and patient data in the inspection logs")
    return failed("network.tls_inspection", owner,
                  f"{host}'s chain ends at {judgement.anchor}, which neither a public root program nor this "
                  f"computer trusts{f' (re-signed by {who})' if product else ''}: the browser will refuse it",
                  (f"Ask IT to {exemption}, or to install its root on this computer" if product else
                   "Do not sign in on this network: something intercepts the connection. Tell IT"))
