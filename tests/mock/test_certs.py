"""Certificates for the mock: the names, the dates, and the SPKI pin Chromium wants."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import ipaddress
import shutil
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from preflight.mock.certs import (
    WRONG_HOST,
    expired_cert,
    generate_cert,
    spki_sha256_base64,
    untrusted_cert,
    wrong_host_cert,
)


def load(path: Path) -> x509.Certificate:
    return x509.load_pem_x509_certificate(path.read_bytes())


def san_names(cert: x509.Certificate) -> set[str]:
    sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    return {str(name.value) for name in sans}


def test_leaf_names_hosts_and_loopback(tmp_path: Path) -> None:
    pair = generate_cert(tmp_path, ["cignaforhcp.cigna.com", "my.cigna.com"])
    cert = load(pair.cert_path)
    assert san_names(cert) == {"cignaforhcp.cigna.com", "my.cigna.com", "localhost", "127.0.0.1", "::1"}
    sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert ipaddress.ip_address("::1") in sans.get_values_for_type(x509.IPAddress)
    now = dt.datetime.now(dt.UTC)
    assert cert.not_valid_before_utc < now < cert.not_valid_after_utc
    assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca is False
    assert pair.key_path.stat().st_mode & 0o077 == 0


def test_spki_pin_is_the_hash_of_the_public_key(tmp_path: Path) -> None:
    pair = generate_cert(tmp_path, ["a.test"])
    key = serialization.load_pem_private_key(pair.key_path.read_bytes(), password=None)
    der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    assert spki_sha256_base64(pair.cert_path) == base64.b64encode(hashlib.sha256(der).digest()).decode()


@pytest.mark.skipif(shutil.which("openssl") is None, reason="no openssl command")
def test_spki_pin_matches_openssl(tmp_path: Path) -> None:
    # The recipe Chromium documents for --ignore-certificate-errors-spki-list.
    pair = generate_cert(tmp_path, ["a.test"])
    pubkey = subprocess.run(["openssl", "x509", "-in", str(pair.cert_path), "-noout", "-pubkey"],
                            check=True, capture_output=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=pubkey,
                         check=True, capture_output=True).stdout
    assert spki_sha256_base64(pair.cert_path) == base64.b64encode(hashlib.sha256(der).digest()).decode()


def test_bad_certificates(tmp_path: Path) -> None:
    good = generate_cert(tmp_path, ["a.test"])
    expired = load(expired_cert(tmp_path, ["a.test"]).cert_path)
    assert expired.not_valid_after_utc < dt.datetime.now(dt.UTC)
    assert "a.test" in san_names(expired)
    assert san_names(load(wrong_host_cert(tmp_path).cert_path)) == {WRONG_HOST}
    untrusted = untrusted_cert(tmp_path, ["a.test"])
    assert san_names(load(untrusted.cert_path)) == san_names(load(good.cert_path))
    assert spki_sha256_base64(untrusted.cert_path) != spki_sha256_base64(good.cert_path)
    # key_from keeps the pin: a browser trusting the good key accepts the bad certificate
    same_key = expired_cert(tmp_path / "same", ["a.test"], key_from=good)
    assert spki_sha256_base64(same_key.cert_path) == spki_sha256_base64(good.cert_path)
