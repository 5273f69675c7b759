"""``_routes.toml`` validation, and the packaged site as a whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from preflight.config.allowlist import packaged_default_text, parse_allowlist
from preflight.mock import MockPortal, RoutesError
from preflight.mock.routes import Route, load_routes
from preflight.mock.server import plan_response
from preflight.mock.site import Site
from preflight.rules.hosts import parse_url


def host_dir(root: Path, routes: str, host: str = "bad.test") -> Path:
    directory = root / host
    directory.mkdir(parents=True)
    (directory / "index.html").write_text("<h1>x</h1>", encoding="utf-8")
    (directory / "_routes.toml").write_text(routes, encoding="utf-8")
    return directory


def test_unknown_route_key_is_an_error_naming_file_route_and_key(tmp_path: Path) -> None:
    directory = host_dir(tmp_path, '[[route]]\npath = "/a"\n\n[[route]]\npath = "/b"\ndelay = 3\n')
    with pytest.raises(RoutesError) as caught:
        load_routes(directory / "_routes.toml")
    message = str(caught.value)
    assert str(directory / "_routes.toml") in message and "route #2" in message
    assert "'delay'" in message and "did you mean 'delay_s'" in message


def test_bad_routes_fail_when_the_portal_is_built_not_at_the_first_request(tmp_path: Path) -> None:
    host_dir(tmp_path, '[host]\ndate_ofset_s = 1\n')
    with pytest.raises(RoutesError, match="date_ofset_s"):
        MockPortal(roots=[tmp_path])


@pytest.mark.parametrize("routes,fragment", [
    ('wat = 1', "unknown key 'wat'"),
    ('[[route]]\npath = "/a"\ndelay_s = "3"', "'delay_s' must be a number"),
    ('[[route]]\npath = "/a"\ndrop = "yes"', "'drop' must be true or false"),
    ('[[route]]\npath = "/a"\nset_cookies = "a=1"', "must be a list of strings"),
    ('[[route]]\npath = "/a"\nheaders = { X = 1 }', "must be a table of strings"),
    ('[[route]]\nstatus = 200', "missing required key 'path'"),
    ('[[route]]\npath = "a"', "must start with '/'"),
    ('[[route]]\npath = "/a*b"', "only at the end"),
    ('[[route]]\npath = "/a"\nmethod = "post"', "upper-case"),
    ('[[route]]\npath = "/a"\nstatus = 42', "not an HTTP status"),
    ('[[route]]\npath = "/a"\nbody = "x"\nfile = "index.html"', "body and file"),
    ('[[route]]\npath = "/a"\nfile = "nope.html"', "not found"),
    ('[[route]]\npath = "/a"\nfile = "../../etc/passwd"', "not found"),
    ('[[route]]\npath = "/a"\ndelay_s = -1', "must not be negative"),
    ('[[route]]\npath = "/a"\nsize_bytes = 10_000_000_000', "too large"),
    ('[[route]\npath = "/a"', "invalid TOML"),
    ('route = 3', "array of tables"),
])
def test_invalid_routes_are_explained(tmp_path: Path, routes: str, fragment: str) -> None:
    directory = host_dir(tmp_path, routes)
    with pytest.raises(RoutesError, match=None) as caught:
        load_routes(directory / "_routes.toml")
    assert fragment in str(caught.value)


def test_route_matching() -> None:
    assert Route(path="/api/*").matches("GET", "/api/x/y")
    assert not Route(path="/api/*").matches("GET", "/apix")
    assert Route(path="/a", method="GET").matches("HEAD", "/a")  # HEAD is a bodiless GET
    assert not Route(path="/a", method="POST").matches("GET", "/a")
    assert not Route(path="/a").matches("GET", "/a/")


def test_every_allowlisted_host_has_a_page_or_an_allowlisted_redirect() -> None:
    # The packaged allowlist and the packaged site must not drift apart.
    allowlist = parse_allowlist(packaged_default_text())
    site = Site()
    for host in allowlist.hosts:
        assert host in site, f"no mock site for allowlisted host {host}"
        plan = plan_response(site.host(host), "GET", "/")
        if plan.status in (301, 302):
            location = dict(plan.headers)["Location"]
            assert allowlist.lookup(parse_url(location).host) is not None, location
        else:
            assert plan.status == 200 and b"<form" in plan.body, host


def test_lookalike_and_unrelated_hosts_are_not_allowlisted() -> None:
    allowlist = parse_allowlist(packaged_default_text())
    site = Site()
    for host in ("cignaforhcp-cigna.com", "login.example.net"):
        assert host in site and allowlist.lookup(host) is None
