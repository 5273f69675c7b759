"""Self-signed certificates for the mock portal, good ones and deliberately bad ones.

The mock serves real host names (``cignaforhcp.cigna.com``) on loopback, so it needs a
certificate that names them. There is no CA: the browser is told to trust the leaf's public key
(``--ignore-certificate-errors-spki-list``, see ``spki_sha256_base64``) and Python clients load the
leaf itself as their only trust anchor.

Note for fault tests: Chromium's SPKI list forgives *every* error of a chain whose key it lists
(expiry and name mismatch included). A bad certificate that should make the browser fail must
therefore carry a key that is not on the list (the default here); one made with
``key_from=<the trusted pair>`` loads fine and is only visible in the TLS facts of the visit.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
"""Always in the SAN list, so plain clients can talk to the mock by address too."""

WRONG_HOST = "wrong-host.example.org"
"""The only name in a ``wrong_host_cert``: no test ever visits it."""


@dataclass(frozen=True)
class CertPair:
    """A certificate and its private key, both PEM files on disk."""

    cert_path: Path
    key_path: Path


def generate_cert(
    directory: Path,
    hosts: Iterable[str] = (),
    *,
    name: str = "portal",
    not_before: dt.datetime | None = None,
    not_after: dt.datetime | None = None,
    loopback: bool = True,
    key_from: CertPair | None = None,
    common_name: str = "preflight mock portal",
) -> CertPair:
    """Write ``<name>.crt.pem`` / ``<name>.key.pem`` for ``hosts`` into ``directory``.

    EC P-256: generation takes a millisecond, so every test and every ``mock-portal`` run gets
    its own key. Validity defaults to one day back, thirty days ahead (short, as browsers like).
    ``key_from`` reuses another pair's key, so the new certificate has the same SPKI pin.
    The subject CN is a label, not a host (browsers read only the SANs): the TLS facts of a visit
    then say plainly that the mock answered.
    """
    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)
    not_before = not_before or now - dt.timedelta(days=1)
    not_after = not_after or now + dt.timedelta(days=30)
    key = _load_key(key_from.key_path) if key_from else ec.generate_private_key(ec.SECP256R1())

    names = _unique([*hosts, *(LOOPBACK_NAMES if loopback else ())])
    if not names:
        raise ValueError("a certificate needs at least one host name")
    sans: list[x509.GeneralName] = []
    for host in names:
        try:
            sans.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            sans.append(x509.DNSName(host))
    subject = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "preflight mock portal"),
    ])
    public_key = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(
            digital_signature=True, content_commitment=False, key_encipherment=False,
            data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
            encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public_key), critical=False)
        .sign(key, hashes.SHA256())
    )
    pair = CertPair(directory / f"{name}.crt.pem", directory / f"{name}.key.pem")
    pair.cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pair.key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    pair.key_path.chmod(0o600)
    return pair


def expired_cert(directory: Path, hosts: Iterable[str], *, key_from: CertPair | None = None) -> CertPair:
    """Right names, but expired yesterday (valid for the ninety days before that)."""
    now = dt.datetime.now(dt.UTC)
    return generate_cert(directory, hosts, name="expired", key_from=key_from,
                         not_before=now - dt.timedelta(days=91), not_after=now - dt.timedelta(days=1))


def wrong_host_cert(directory: Path, *, key_from: CertPair | None = None) -> CertPair:
    """Valid dates, but its only name is ``WRONG_HOST``: a name mismatch for every visited host."""
    return generate_cert(directory, [WRONG_HOST], name="wrong-host", loopback=False, key_from=key_from,
                         common_name=WRONG_HOST)


def untrusted_cert(directory: Path, hosts: Iterable[str]) -> CertPair:
    """Right names and dates, but a fresh key that nobody was told to trust."""
    return generate_cert(directory, hosts, name="untrusted")


def spki_sha256_base64(cert_pem_path: Path | str) -> str:
    """Base64 SHA-256 of the DER SubjectPublicKeyInfo: Chromium's SPKI-list pin format (the same
    computation ``--trust-cert`` uses, so the pin printed is the pin applied)."""
    from preflight.config.network import spki_hash

    return spki_hash(cert_pem_path)


def _load_key(path: Path) -> ec.EllipticCurvePrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{path}: expected an EC private key")
    return key


def _unique(names: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for name in names:
        seen.setdefault(name.strip().lower().rstrip("."), None)
    return [n for n in seen if n]
