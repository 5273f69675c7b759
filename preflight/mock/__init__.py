"""The embedded mock portal: real portal host names served from loopback, scenarios as data.

``MockPortal`` is the server tests and the ``preflight mock-portal`` command use; ``certs`` makes
its certificates (and deliberately bad ones); pages and ``_routes.toml`` scenarios live in
``site/<host>/``.
"""

from .certs import CertPair, spki_sha256_base64
from .routes import RoutesError
from .server import MockPortal, MockPortalError, RequestLog, serve

__all__ = ["CertPair", "MockPortal", "MockPortalError", "RequestLog", "RoutesError", "serve",
           "spki_sha256_base64"]
