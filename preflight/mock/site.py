"""Where the mock's pages live: ``<root>/<host>/...``, first root that knows a host wins.

Tests put their own ``fixtures/`` roots in front of the packaged ``site/`` so that they can add
hosts or replace one wholesale without touching the package. A host's directory is taken from one
root only (no merging), so what a test sees is exactly what its fixture directory holds.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from preflight.mock.routes import ROUTES_FILE, HostRoutes, RoutesError, load_routes

PACKAGED_ROOT = Path(__file__).with_name("site")
DEFAULT_HOST = "_default"
"""Directory that answers for host names no root knows."""

_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
}


def content_type(path: Path) -> str:
    """The ``Content-Type`` for a site file; a fixed table first so results never depend on the OS."""
    known = _CONTENT_TYPES.get(path.suffix.lower())
    if known:
        return known
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


@dataclass(frozen=True)
class FileLookup:
    """Result of mapping a URL path to a file: the file, or a redirect to add a slash, or nothing."""

    file: Path | None = None
    add_slash: bool = False


@dataclass(frozen=True)
class HostSite:
    """One host's directory and its scenarios."""

    name: str
    directory: Path
    routes: HostRoutes

    def lookup(self, url_path: str) -> FileLookup:
        """``/`` -> ``index.html``, ``/x/`` -> ``x/index.html``; ``_``-files and ``..`` are never served."""
        parts = [p for p in unquote(url_path).split("/") if p not in ("", ".")]
        if any(p == ".." or p.startswith("_") or "\\" in p or "\x00" in p for p in parts):
            return FileLookup()
        target = self.directory.joinpath(*parts)
        if target.is_dir():
            if not url_path.endswith("/"):
                return FileLookup(add_slash=(target / "index.html").is_file())
            target = target / "index.html"
        if target.is_file():
            return FileLookup(file=target)
        return FileLookup()


class Site:
    """All hosts of all roots, loaded (and validated) once, at construction."""

    def __init__(self, roots: Sequence[Path | str] = (), *, packaged: bool = True) -> None:
        self.roots: tuple[Path, ...] = tuple(Path(r) for r in roots) + ((PACKAGED_ROOT,) if packaged else ())
        self._hosts: dict[str, HostSite] = {}
        for root in self.roots:
            if not root.is_dir():
                raise RoutesError(f"{root}: site root is not a directory",
                                  "pass a directory holding one sub-directory per host")
            for directory in sorted(root.iterdir()):
                name = directory.name.lower()
                if directory.is_dir() and name not in self._hosts:
                    self._hosts[name] = HostSite(name, directory, load_routes(directory / ROUTES_FILE))
        if DEFAULT_HOST not in self._hosts:
            raise RoutesError(f"no {DEFAULT_HOST}/ directory in {', '.join(map(str, self.roots))}",
                              "keep the packaged site root, or add a _default/ host directory")

    @property
    def hosts(self) -> tuple[str, ...]:
        """Host names with their own directory (``_default`` and other ``_`` names excluded)."""
        return tuple(sorted(h for h in self._hosts if not h.startswith("_")))

    def host(self, name: str) -> HostSite:
        return self._hosts.get(name) or self._hosts[DEFAULT_HOST]

    def __contains__(self, name: object) -> bool:
        return name in self._hosts


def host_from_header(value: str | None) -> str:
    """``Host`` header -> lower-case name without port or brackets (``""`` if absent)."""
    if not value:
        return ""
    value = value.strip().lower()
    if value.startswith("["):  # [::1]:8443
        return value[1:value.find("]")] if "]" in value else value
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


