"""The clock probe trusts exactly what Chromium trusts under ``--trust-cert``: the SPKI of a
certificate of the presented chain, leaf or CA, so the go-live case (the new server's real,
CA-issued certificate) is measured instead of failing with "could not connect"."""

from __future__ import annotations

import pytest
import trustme

from preflight.capture.clockprobe import measure_url
from preflight.config.network import parse_connect_to
from preflight.mock.certs import CertPair
from preflight.mock.server import MockPortal

HOST = "cignaforhcp.cigna.com"


@pytest.fixture(scope="module")
def ca_issued(tmp_path_factory):
    """A mock portal serving a leaf issued by a test CA (with the CA in the presented chain)."""
    folder = tmp_path_factory.mktemp("pki")
    ca = trustme.CA(organization_name="preflight test CA")
    leaf = ca.issue_cert(HOST, "127.0.0.1")
    chain = folder / "leaf-chain.pem"
    leaf.private_key_and_cert_chain_pem.write_to_path(str(chain))
    key = folder / "leaf.key.pem"
    leaf.private_key_pem.write_to_path(str(key))
    ca_pem = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_pem))
    leaf_pem = folder / "leaf.pem"
    leaf.cert_chain_pems[0].write_to_path(str(leaf_pem))
    other = folder / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    with MockPortal(cert=CertPair(chain, key), hosts=[HOST]) as portal:
        yield portal, {"ca": ca_pem, "leaf": leaf_pem, "other": other}


@pytest.mark.parametrize("pinned", ["ca", "leaf"])
def test_a_ca_issued_leaf_is_measured_when_its_ca_or_itself_is_pinned(ca_issued, pinned):
    portal, pems = ca_issued
    mappings = [parse_connect_to(m) for m in portal.connect_to_args([HOST])]
    samples = measure_url(portal.url(HOST), mappings, [str(pems[pinned])], max_requests=3, budget_s=1.5)
    assert samples and all(s.date_header for s in samples)


def test_another_certificate_is_refused(ca_issued):
    portal, pems = ca_issued
    mappings = [parse_connect_to(m) for m in portal.connect_to_args([HOST])]
    before = len(portal.requests)
    samples = measure_url(portal.url(HOST), mappings, [str(pems["other"])], max_requests=3, budget_s=1.5)
    assert not any(s.date_header for s in samples)
    assert len(portal.requests) == before  # nothing was sent over the unpinned connection
