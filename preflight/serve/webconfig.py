"""The exporter's access settings: a file shaped like Prometheus exporter-toolkit's ``web.yml``.

```yaml
tls_server_config:
  cert_file: server.crt          # PEM; relative paths are read from this file's folder
  key_file: server.key
  client_ca_file: clients.pem    # optional: ask for client certificates signed by this CA
  client_auth_type: RequireAndVerifyClientCert   # NoClientCert (default) | VerifyClientCertIfGiven | RequireAndVerifyClientCert
  min_version: TLS12             # TLS12 (default) | TLS13
basic_auth_users:
  prometheus: $2y$10$...         # bcrypt hash (htpasswd -nBC 10 "" | tr -d ':\\n')
```

Both parts are optional; with no file the exporter serves plain HTTP without authentication on
the address given (loopback by default). Unknown keys are errors naming the file and key.
"""

from __future__ import annotations

import base64
import hashlib
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from preflight.config.files import UnreadableFile, read_user_text
from preflight.errors import ConfigError

TLS_KEYS = ("cert_file", "key_file", "client_ca_file", "client_auth_type", "min_version")
CLIENT_AUTH = {"NoClientCert": ssl.CERT_NONE, "VerifyClientCertIfGiven": ssl.CERT_OPTIONAL,
               "RequireAndVerifyClientCert": ssl.CERT_REQUIRED}
MIN_VERSION = {"TLS12": ssl.TLSVersion.TLSv1_2, "TLS13": ssl.TLSVersion.TLSv1_3}
HINT = "see `preflight serve` in README.md (the shape of Prometheus' web.yml)"


@dataclass(frozen=True)
class TlsSettings:
    cert_file: str
    key_file: str
    client_ca_file: str | None = None
    client_auth_type: str = "NoClientCert"
    min_version: str = "TLS12"

    def context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = MIN_VERSION[self.min_version]
        try:
            context.load_cert_chain(self.cert_file, self.key_file)
            if self.client_ca_file:
                context.load_verify_locations(self.client_ca_file)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(f"tls_server_config: cannot load the certificate or key: {exc}",
                              "give PEM files of a certificate and its private key") from None
        context.verify_mode = CLIENT_AUTH[self.client_auth_type]
        return context


@dataclass(frozen=True)
class WebConfig:
    tls: TlsSettings | None = None
    users: dict[str, bytes] = field(default_factory=dict)
    """User name -> bcrypt hash."""
    _verified: set[str] = field(default_factory=set, compare=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, compare=False, repr=False)

    def allows(self, authorization: str | None) -> bool:
        """Whether a request with this ``Authorization`` header may pass (always, without users)."""
        if not self.users:
            return True
        if not authorization or not authorization.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(authorization[6:], validate=True).decode("utf-8").partition(":")
        except (ValueError, UnicodeDecodeError):
            return False
        hashed = self.users.get(user)
        if hashed is None:
            return False
        # bcrypt is slow by design (~0.1 s); remember a pair that verified, as exporter-toolkit does,
        # by a digest, never the password itself.
        key = hashlib.sha256(b"\0".join((user.encode(), password.encode(), hashed))).hexdigest()
        with self._lock:
            if key in self._verified:
                return True
        import bcrypt

        try:
            ok = bcrypt.checkpw(password.encode("utf-8"), hashed)
        except ValueError:
            return False
        if ok:
            with self._lock:
                self._verified.add(key)
        return ok


def load_web_config(path: str | None) -> WebConfig:
    if path is None:
        return WebConfig()
    import yaml

    source = Path(path)
    try:
        text = read_user_text(source)
    except UnreadableFile as exc:
        raise ConfigError(f"--web-config {path}: {exc.reason}", exc.hint or HINT) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else path
        raise ConfigError(f"{where}: invalid YAML: {getattr(exc, 'problem', exc)}", HINT) from None
    if data is None:
        return WebConfig()
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with tls_server_config and/or basic_auth_users", HINT)
    for key in data:
        if key not in ("tls_server_config", "basic_auth_users", "http_server_config"):
            raise ConfigError(f"{path}: unknown key {key!r}", "known: tls_server_config, basic_auth_users")
    return WebConfig(tls=_tls(data.get("tls_server_config"), path, source.parent),
                     users=_users(data.get("basic_auth_users"), path))


def _tls(data: Any, path: str, base: Path) -> TlsSettings | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: tls_server_config must be a mapping", HINT)
    for key in data:
        if key not in TLS_KEYS:
            raise ConfigError(f"{path}: unknown key tls_server_config.{key}", f"known: {', '.join(TLS_KEYS)}")
    for key in ("cert_file", "key_file"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise ConfigError(f"{path}: tls_server_config.{key} is required (a PEM file)", HINT)
    files = {}
    for key in ("cert_file", "key_file", "client_ca_file"):
        if data.get(key):
            resolved = (base / str(data[key])).resolve()
            if not resolved.is_file():
                raise ConfigError(f"{path}: tls_server_config.{key}: {data[key]} is not a file", HINT)
            files[key] = str(resolved)
    auth = data.get("client_auth_type", "NoClientCert")
    if auth not in CLIENT_AUTH:
        raise ConfigError(f"{path}: tls_server_config.client_auth_type {auth!r} is not one of "
                          f"{', '.join(CLIENT_AUTH)}", HINT)
    if auth != "NoClientCert" and "client_ca_file" not in files:
        raise ConfigError(f"{path}: tls_server_config.client_auth_type {auth} needs client_ca_file", HINT)
    version = data.get("min_version", "TLS12")
    if version not in MIN_VERSION:
        raise ConfigError(f"{path}: tls_server_config.min_version {version!r} is not TLS12 or TLS13", HINT)
    settings = TlsSettings(files["cert_file"], files["key_file"], files.get("client_ca_file"), auth, version)
    settings.context()  # a key that does not match its certificate is said now, not at the first request
    return settings


def _users(data: Any, path: str) -> dict[str, bytes]:
    if data is None:
        return {}
    if not isinstance(data, dict) or not data:
        raise ConfigError(f"{path}: basic_auth_users must map user names to bcrypt hashes", HINT)
    users = {}
    for user, hashed in data.items():
        if not isinstance(user, str) or not user or ":" in user:
            raise ConfigError(f"{path}: basic_auth_users: {user!r} is not a user name", HINT)
        if not isinstance(hashed, str) or not hashed.startswith(("$2a$", "$2b$", "$2y$")):
            raise ConfigError(f"{path}: basic_auth_users.{user} must be a bcrypt hash ($2y$...), never a password",
                              "make one with: htpasswd -nBC 10 '' | tr -d ':\\n'")
        users[user] = hashed.encode("ascii")
    return users
