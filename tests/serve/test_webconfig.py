"""web.yml: validated at start with one-line errors; basic auth by bcrypt hash."""

from __future__ import annotations

import base64

import bcrypt
import pytest

from preflight.errors import ConfigError
from preflight.serve.webconfig import load_web_config


def header(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_no_file_means_open(tmp_path):
    assert load_web_config(None).allows(None)
    (tmp_path / "empty.yml").write_text("")
    assert load_web_config(str(tmp_path / "empty.yml")).allows(None)


def test_basic_auth_users_by_bcrypt_hash(tmp_path):
    hashed = bcrypt.hashpw(b"right horse", bcrypt.gensalt(rounds=4)).decode()
    (tmp_path / "web.yml").write_text(f"basic_auth_users:\n  prom: '{hashed}'\n")
    web = load_web_config(str(tmp_path / "web.yml"))
    assert web.allows(header("prom", "right horse"))
    assert web.allows(header("prom", "right horse"))  # the remembered pair
    assert not web.allows(header("prom", "wrong"))
    assert not web.allows(header("other", "right horse"))
    assert not web.allows(None) and not web.allows("Bearer x") and not web.allows("Basic !!!")


@pytest.mark.parametrize(("text", "says"), [
    ("basic_auth_users:\n  prom: hunter2\n", "bcrypt hash"),
    ("tls_server_config:\n  cert_file: missing.pem\n  key_file: missing.key\n", "is not a file"),
    ("tls_server_config:\n  key_file: k.pem\n", "cert_file is required"),
    ("tls_server_configs: {}\n", "unknown key"),
    ("tls_server_config:\n  cert_file: c\n  key_file: k\n  ciphers: x\n", "unknown key tls_server_config.ciphers"),
    ("basic_auth_users: [a, b]\n", "must map user names"),
    ("a: [\n", "invalid YAML"),
    ("- just a list\n", "expected a mapping"),
])
def test_bad_files_are_config_errors(tmp_path, text, says):
    (tmp_path / "web.yml").write_text(text)
    with pytest.raises(ConfigError, match=says):
        load_web_config(str(tmp_path / "web.yml"))


def test_a_key_that_does_not_match_its_certificate_is_said_at_start(tmp_path):
    import trustme

    ca = trustme.CA()
    one, two = ca.issue_cert("a.example"), ca.issue_cert("b.example")
    one.cert_chain_pems[0].write_to_path(tmp_path / "cert.pem")
    two.private_key_pem.write_to_path(tmp_path / "key.pem")
    (tmp_path / "web.yml").write_text("tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n")
    with pytest.raises(ConfigError, match="cannot load the certificate or key"):
        load_web_config(str(tmp_path / "web.yml"))
