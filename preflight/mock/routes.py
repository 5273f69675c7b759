"""Scenarios as data: ``<root>/<host>/_routes.toml`` -> validated ``HostRoutes``.

A scenario (a redirect to a lookalike, a server whose clock runs 2.37 s fast, a connection
reset half-way through the body) is a few lines of TOML next to the pages it affects::

    [host]
    date_offset_s = 0.5          # this host's clock, for every response

    [[route]]
    path = "/redirect-out"
    redirect = "https://cignaforhcp-cigna.com/"

To add a behaviour, add a field to ``Route`` (its TOML type is checked from the annotation)
and honour it in ``server.py``. Unknown keys are errors, so a typo never silently does nothing.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import difflib
import math
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from preflight.config.toml import read_toml
from preflight.errors import ConfigError

ROUTES_FILE = "_routes.toml"
MAX_SIZE_BYTES = 256 * 1024 * 1024
"""``size_bytes`` bodies are built in memory: keep a typo from eating the machine."""


class RoutesError(ConfigError):
    """A ``_routes.toml`` that cannot be used: names the file, the route and the key."""


@dataclass(frozen=True)
class Route:
    """One scenario: how to answer requests whose path (and method) match."""

    path: str
    """Exact path without the query (``/login``), or a prefix ending in ``*`` (``/api/*``, ``/*``)."""
    method: str | None = None
    """Only this method (``POST``); any method when absent."""
    status: int | None = None
    """Response status; default 200, or 302 with ``redirect``."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """Extra headers; they replace defaults of the same name (``Content-Type``)."""
    set_cookies: tuple[str, ...] = ()
    """Raw ``Set-Cookie`` header values, one header each."""
    redirect: str | None = None
    """``Location`` to send."""
    body: str | None = None
    """Inline body (UTF-8)."""
    file: str | None = None
    """Body from a file, relative to the host directory."""
    delay_s: float = 0.0
    """Wait before sending anything (a slow server)."""
    date_offset_s: float | None = None
    """This route's server clock is ``real + offset`` seconds; overrides ``[host]``."""
    date: str | None = None
    """Literal ``Date`` header (garbled dates welcome); ``""`` or ``"omit"`` sends none."""
    drop: bool = False
    """Close the connection without answering."""
    reset_after_bytes: int | None = None
    """Send the headers and this many body bytes, then reset the connection (TCP RST)."""
    slow_body_s: float = 0.0
    """Trickle the body over this many seconds."""
    size_bytes: int | None = None
    """Generate a body of this size (HTML filler)."""
    never_finish: bool = False
    """Send the headers and half the body, then hang until the server stops."""

    def matches(self, method: str, path: str) -> bool:
        # HEAD is GET without the body: a GET scenario answers HEAD too (clock probes use HEAD).
        if self.method is not None and self.method != method and (self.method, method) != ("GET", "HEAD"):
            return False
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path == self.path


@dataclass(frozen=True)
class HostSettings:
    """The ``[host]`` table: what applies to every response of a host."""

    date_offset_s: float = 0.0
    """The host's server clock is ``real + offset`` seconds."""
    headers: Mapping[str, str] = field(default_factory=dict)
    """Headers on every response (a route's headers of the same name win)."""


@dataclass(frozen=True)
class HostRoutes:
    """Everything a host directory says about behaviour; pages themselves are plain files."""

    settings: HostSettings = HostSettings()
    routes: tuple[Route, ...] = ()

    def match(self, method: str, path: str) -> Route | None:
        """The first route that matches, in file order."""
        for route in self.routes:
            if route.matches(method, path):
                return route
        return None


def load_routes(path: Path) -> HostRoutes:
    """Read and validate one ``_routes.toml``; a missing file means no scenarios."""
    if not path.is_file():
        return HostRoutes()
    data = read_toml(path, "routes", "a host's scenarios live in <host>/_routes.toml", RoutesError)
    _reject_unknown(data, {"host", "route"}, f"{path}", "top-level")
    host_table = data.get("host", {})
    if not isinstance(host_table, dict):
        raise RoutesError(f"{path}: 'host' must be a table ([host])", "write [host] above its keys")
    settings = _build(HostSettings, host_table, f"{path}: [host]")
    tables = data.get("route", [])
    if not isinstance(tables, list):
        raise RoutesError(f"{path}: 'route' must be an array of tables", "write each route as [[route]]")
    routes = []
    for index, table in enumerate(tables, start=1):
        where = f"{path}: route #{index}"
        if not isinstance(table, dict):
            raise RoutesError(f"{where}: must be a table", "write each route as [[route]]")
        route = _build(Route, table, where)
        _check_route(route, where, path.parent)
        routes.append(route)
    return HostRoutes(settings=settings, routes=tuple(routes))


# --------------------------------------------------------------------------- validation

_T = typing.TypeVar("_T")


def _build(cls: type[_T], table: Mapping[str, Any], where: str) -> _T:
    """``cls(**table)`` with every value checked against the field's annotation."""
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    _reject_unknown(table, set(fields), where, cls.__name__)
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for key, value in table.items():
        kwargs[key] = _coerce(value, hints[key], f"{where}: {key!r}")
    missing = [name for name, f in fields.items()
               if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
               and name not in kwargs]
    if missing:
        raise RoutesError(f"{where}: missing required key {missing[0]!r}", f"add {missing[0]} = ...")
    return cls(**kwargs)


def _reject_unknown(table: Mapping[str, Any], allowed: set[str], where: str, what: str) -> None:
    unknown = sorted(set(table) - allowed)
    if not unknown:
        return
    key = unknown[0]
    close = difflib.get_close_matches(key, sorted(allowed), n=1)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise RoutesError(f"{where}: unknown key {key!r}",
                      f"{hint}{what} keys are: {', '.join(sorted(allowed))}")


def _coerce(value: Any, tp: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):  # "X | None": TOML has no null
        (inner,) = [a for a in typing.get_args(tp) if a is not type(None)]
        return _coerce(value, inner, where)
    if tp is bool:
        if isinstance(value, bool):
            return value
        raise RoutesError(f"{where} must be true or false", f"got {value!r}")
    if tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise RoutesError(f"{where} must be an integer", f"got {value!r}")
    if tp is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            return float(value)
        raise RoutesError(f"{where} must be a number", f"got {value!r}")
    if tp is str:
        if isinstance(value, str):
            return value
        raise RoutesError(f"{where} must be a string", f"got {value!r}")
    if origin is tuple:
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        raise RoutesError(f"{where} must be a list of strings", f'e.g. {where.rsplit(" ", 1)[-1]} = ["..."]')
    if origin in (collections.abc.Mapping, dict):
        if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
            return dict(value)
        raise RoutesError(f"{where} must be a table of strings", 'e.g. headers = { "Cache-Control" = "no-store" }')
    raise TypeError(f"no TOML coercion for {tp!r} ({where})")  # a new field needs a rule here


def _check_route(route: Route, where: str, host_dir: Path) -> None:
    """Rules between fields and on values, beyond what the types say."""
    if not (route.path.startswith("/") or route.path == "*"):
        raise RoutesError(f"{where}: path {route.path!r} must start with '/'", 'e.g. path = "/login" or "/*"')
    if "*" in route.path[:-1]:
        raise RoutesError(f"{where}: path {route.path!r}: '*' is allowed only at the end",
                          "use a prefix such as /api/*")
    if route.method is not None and (not route.method.isalpha() or not route.method.isupper()):
        raise RoutesError(f"{where}: method {route.method!r} must be an upper-case HTTP method", 'e.g. method = "POST"')
    if route.status is not None and not 100 <= route.status <= 599:
        raise RoutesError(f"{where}: status {route.status} is not an HTTP status", "use 100..599")
    sources = [k for k in ("body", "file", "size_bytes") if getattr(route, k) is not None]
    if len(sources) > 1:
        raise RoutesError(f"{where}: {' and '.join(sources)} both give the body", "keep one of them")
    for key in ("delay_s", "slow_body_s"):
        if getattr(route, key) < 0:
            raise RoutesError(f"{where}: {key!r} must not be negative", "use 0 or more seconds")
    for key in ("reset_after_bytes", "size_bytes"):
        value = getattr(route, key)
        if value is not None and value < 0:
            raise RoutesError(f"{where}: {key!r} must not be negative", "use 0 or more bytes")
    if route.size_bytes is not None and route.size_bytes > MAX_SIZE_BYTES:
        raise RoutesError(f"{where}: size_bytes {route.size_bytes} is too large",
                          f"stay at or below {MAX_SIZE_BYTES}")
    if route.file is not None:
        target = (host_dir / route.file).resolve()
        if not target.is_relative_to(host_dir.resolve()) or not target.is_file():
            raise RoutesError(f"{where}: file {route.file!r} not found in {host_dir}",
                              "give a path relative to the host directory")
