"""A plain HTTP(S) client for the mock: real host names (SNI, Host) sent to 127.0.0.1:PORT.

Mirrors what the browser does with its host mapping, without a browser.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from preflight.mock import MockPortal


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Message
    body: bytes


class MappedConnection(http.client.HTTPSConnection):
    """HTTPS to ``host`` (SNI, certificate name, Host header) but connected to the mock's port."""

    def __init__(self, host: str, port: int, context: ssl.SSLContext, timeout: float) -> None:
        super().__init__(host, context=context, timeout=timeout)
        self.tls_context = context
        self._mock_port = port

    def connect(self) -> None:
        raw = socket.create_connection(("127.0.0.1", self._mock_port), self.timeout)
        self.sock = self.tls_context.wrap_socket(raw, server_hostname=self.host)


class MappedPlainConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)  # Host header "host:port": the mock strips the port

    def connect(self) -> None:
        self.sock = socket.create_connection(("127.0.0.1", self.port), self.timeout)


def trusting(cert_path: Path) -> ssl.SSLContext:
    """A client context whose only trust anchor is the mock's own certificate."""
    return ssl.create_default_context(cafile=str(cert_path))


def connect(portal: MockPortal, host: str, timeout: float = 5.0,
            context: ssl.SSLContext | None = None) -> http.client.HTTPConnection:
    if not portal.tls:
        return MappedPlainConnection(host, portal.port, timeout)
    return MappedConnection(host, portal.port, context or trusting(portal.cert_path), timeout)


def fetch(portal: MockPortal, host: str, path: str = "/", method: str = "GET", body: bytes | None = None,
          headers: dict[str, str] | None = None, timeout: float = 5.0) -> Reply:
    conn = connect(portal, host, timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()
