"""The embedded mock portal: real portal host names served from loopback, scenarios as data.

``MockPortal`` is the server tests and the ``preflight mock-portal`` command use; ``certs`` makes
its certificates (and deliberately bad ones); pages and ``_routes.toml`` scenarios live in
``site/<host>/``.
"""

from preflight.mock.certs import CertPair, spki_sha256_base64
from preflight.mock.routes import RoutesError
from preflight.mock.server import MockPortal, MockPortalError, RequestLog, serve

__all__ = ["CertPair", "MockPortal", "MockPortalError", "RequestLog", "RoutesError", "serve",
           "spki_sha256_base64"]
