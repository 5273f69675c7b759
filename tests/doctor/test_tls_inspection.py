"""TLS inspection: a chain that ends at a root only this computer trusts is detected and named.

The mock portal serves a leaf issued by a trustme CA whose subject says "Zscaler Inc." (as an
inspection proxy re-signs every site); the recorded machine has that CA in its trust store,
certifi (Mozilla's roots) does not. The chain is read from a real handshake with the mock."""

from __future__ import annotations

import asyncio
import base64
from dataclasses import replace

import pytest
import trustme
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from preflight.config.network import parse_connect_to
from preflight.doctor import run_doctor_async, tls
from preflight.doctor.run import Probes
from preflight.mock.certs import CertPair
from preflight.mock.server import MockPortal
from preflight.model.doctor import CheckStatus, Owner

from .helpers import machine, options, probes

HOST = "cignaforhcp.cigna.com"



@pytest.fixture(scope="module")
def zscaler(tmp_path_factory):
    folder = tmp_path_factory.mktemp("zscaler")
    ca = trustme.CA(organization_name="Zscaler Inc.", organization_unit_name="Zscaler Inc.")
    leaf = ca.issue_cert(HOST, "127.0.0.1")
    chain, key = folder / "chain.pem", folder / "key.pem"
    leaf.private_key_and_cert_chain_pem.write_to_path(str(chain))
    leaf.private_key_pem.write_to_path(str(key))
    with MockPortal(cert=CertPair(chain, key), hosts=[HOST]) as portal:
        yield portal, ca


def chain_of(portal: MockPortal) -> tuple[bytes, ...]:
    mapping = parse_connect_to(portal.connect_to_args([HOST])[0])
    return tls.fetch_chain(HOST, mapping.to_host, mapping.to_port or 443)


def test_the_chain_is_read_from_a_handshake_and_nothing_is_sent(zscaler):
    portal, ca = zscaler
    before = len(portal.requests)
    chain = chain_of(portal)
    leaf = x509.load_der_x509_certificate(chain[0])
    assert "Zscaler Inc." in leaf.issuer.rfc4514_string()
    assert len(portal.requests) == before  # a handshake only: no HTTP request reached the portal


def test_a_local_root_is_inspection_and_the_product_is_named(zscaler):
    portal, ca = zscaler
    chain = chain_of(portal)
    local = tls._parse_bundle(ca.cert_pem.bytes())
    judgement = tls.judge_chain(chain, tls.public_roots(), local)
    assert judgement.kind == "local" and judgement.product is not None
    assert judgement.product.product == "Zscaler" and "O=Zscaler Inc." in judgement.anchor
    check = tls.tls_check(HOST, (HOST, "cignaforhcp.com"), judgement, None, proxied=False)
    assert check.status is CheckStatus.WARN and check.owner is Owner.PRACTICE_IT
    assert "TLS inspection by Zscaler" in check.evidence
    assert "SSL Inspection bypass rule" in check.fix and "cignaforhcp.cigna.com, cignaforhcp.com" in check.fix


def test_a_root_nobody_trusts_fails_and_a_public_one_passes(zscaler):
    portal, ca = zscaler
    chain = chain_of(portal)
    untrusted = tls.judge_chain(chain, tls.public_roots(), ())
    assert untrusted.kind == "untrusted" and untrusted.product.product == "Zscaler"
    assert tls.tls_check(HOST, (HOST,), untrusted, None, False).status is CheckStatus.FAIL
    # Treat the CA as if Mozilla's program had it: then the chain is public, nothing is named.
    public = tls.judge_chain(chain, tls._parse_bundle(ca.cert_pem.bytes()), ())
    assert public.kind == "public" and public.product is None
    assert tls.tls_check(HOST, (HOST,), public, None, False).status is CheckStatus.PASS


@pytest.mark.parametrize(("organization", "product"), [
    ("Netskope Inc", "Netskope"), ("Fortinet", "Fortinet FortiGate"), ("Palo Alto Networks", "Palo Alto Networks"),
    ("Cisco Umbrella", "Cisco (Umbrella / Secure Access / Firepower)"), ("Sophos Ltd", "Sophos"),
    ("Forcepoint LLC", "Forcepoint"), ("Practice Firewall", None),
])
def test_products_are_named_from_the_issuer(organization, product):
    ca = trustme.CA(organization_name=organization)
    leaf = ca.issue_cert(HOST)
    chain = [x509.load_pem_x509_certificate(leaf.cert_chain_pems[0].bytes())]
    anchor = x509.load_pem_x509_certificate(ca.cert_pem.bytes())
    named = tls.name_product(chain, anchor)
    assert (named.product if named else None) == product


def test_doctor_detects_the_intercepting_root_end_to_end(zscaler):
    """The whole run: recorded Linux machine whose CA bundle holds the Zscaler root, the real
    handshake with the mock portal through --connect-to, the real certifi roots."""
    portal, ca = zscaler
    system = machine("linux", files={"/etc/ssl/certs/ca-certificates.crt": ca.cert_pem.bytes().decode()})
    fake = replace(probes(), chain=Probes().chain, public_roots=tls.public_roots)
    mappings = tuple(parse_connect_to(m) for m in portal.connect_to_args([HOST]))
    report = asyncio.run(run_doctor_async(options(mappings=mappings, no_portal=True), system, fake))
    check = report.check("network.tls_inspection")
    assert check.status is CheckStatus.WARN and "TLS inspection by Zscaler" in check.evidence
    assert any("SSL Inspection bypass rule" in step for step in report.next_steps)


def test_a_pinned_certificate_is_not_judged(zscaler, tmp_path):
    portal, ca = zscaler
    pem = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    assert tls.pinned(chain_of(portal), [str(pem)])
    system = machine("linux")
    fake = replace(probes(), chain=Probes().chain, public_roots=tls.public_roots)
    mappings = tuple(parse_connect_to(m) for m in portal.connect_to_args([HOST]))
    report = asyncio.run(run_doctor_async(options(mappings=mappings, trust_certs=(str(pem),), no_portal=True),
                                          system, fake))
    check = report.check("network.tls_inspection")
    assert check.status is CheckStatus.NOT_RUN and check.reason == "--trust-cert pins this chain"


WINDOWS_ROOTS = ("powershell -NoProfile -NonInteractive -Command Get-ChildItem Cert:\\LocalMachine\\Root, "
                 "Cert:\\CurrentUser\\Root | ForEach-Object { [Convert]::ToBase64String($_.RawData) }")


def recorded_trust_store(platform: str, ca: trustme.CA) -> dict:
    """Each OS's own answer listing the installed roots, with the intercepting CA among them."""
    pem = ca.cert_pem.bytes().decode()
    if platform == "windows":
        der = x509.load_pem_x509_certificate(ca.cert_pem.bytes()).public_bytes(serialization.Encoding.DER)
        return {"commands": {WINDOWS_ROOTS: {"returncode": 0, "stdout": base64.b64encode(der).decode() + "\r\n"}}}
    if platform == "darwin":
        return {"commands": {"security find-certificate -a -p /Library/Keychains/System.keychain":
                             {"returncode": 0, "stdout": pem}}}
    return {"files": {"/etc/ssl/certs/ca-certificates.crt": pem}}


@pytest.mark.parametrize("platform", ["linux", "darwin", "windows"])
def test_an_intercepting_root_in_each_os_trust_store_is_detected(zscaler, platform):
    portal, ca = zscaler
    chain = chain_of(portal)
    system = machine(platform, **recorded_trust_store(platform, ca))
    assert any(c.subject == x509.load_pem_x509_certificate(ca.cert_pem.bytes()).subject for c in tls.local_roots(system))
    fake = replace(probes(chain=chain), public_roots=tls.public_roots)
    report = asyncio.run(run_doctor_async(options(no_portal=True), system, fake))
    check = report.check("network.tls_inspection")
    assert check.status is CheckStatus.WARN and "TLS inspection by Zscaler" in check.evidence, check
    # Without the root in the OS store the same chain is refused outright.
    bare = asyncio.run(run_doctor_async(options(no_portal=True), machine(platform), fake))
    assert bare.check("network.tls_inspection").status is CheckStatus.FAIL
