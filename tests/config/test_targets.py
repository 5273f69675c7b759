"""[[target]] tables of preflight.toml: validated before any browser starts, errors naming file:line and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from preflight.config.network import parse_connect_to
from preflight.config.settings import parse_settings
from preflight.config.targets import Target, merged_mappings, select_targets
from preflight.errors import ConfigError, UsageError


def settings_of(text: str, base: Path | None = None):
    return parse_settings(text, "preflight.toml", base=base)


def test_targets_parse_with_every_key(tmp_path):
    (tmp_path / "ca.pem").write_text("pem")
    settings = settings_of('''
allowlist = "lists/allowlist.toml"

[output]
junit_file = "out/junit.xml"
metrics_file = "/var/lib/node_exporter/preflight.prom"

[run]
jobs = 2
confirm = 2
timeout = 20

[[target]]
name = "cigna-provider"
url = "cignaforhcp.cigna.com"
expect = "provider"
connect_to = ["cignaforhcp.cigna.com:443:127.0.0.1:8443"]
resolve = "my.cigna.com:443:127.0.0.1"
trust_cert = "ca.pem"
timeout = 12.5
tags = ["prod", "cigna", "prod"]

[[target]]
name = "member"
url = "https://my.cigna.com/"
''', base=tmp_path)
    first, second = settings.targets
    assert first == Target(url="https://cignaforhcp.cigna.com/", name="cigna-provider", expect="provider",
                           timeout_s=12.5, tags=("prod", "cigna"), mappings=first.mappings,
                           trust_certs=(str(tmp_path / "ca.pem"),))
    assert [(m.host, m.to_port) for m in first.mappings] == [("my.cigna.com", 443), ("cignaforhcp.cigna.com", 8443)]
    assert second.label == "member" and second.expect is None and second.timeout_s is None
    assert settings.allowlist == str(tmp_path / "lists/allowlist.toml")
    assert settings.output.junit_file == str(tmp_path / "out/junit.xml")
    assert settings.output.metrics_file == "/var/lib/node_exporter/preflight.prom"
    assert (settings.run.jobs, settings.run.confirm, settings.run.timeout, settings.run.retries) == (2, 2, 20.0, None)


@pytest.mark.parametrize(("text", "line", "says"), [
    ('[[target]]\nname = "a"\n', 1, "target 1 has no url"),
    ('[[target]]\nname = "a"\nurl = "https://x.com"\nport = 1\n', 4, "unknown key target.port"),
    ('[[target]]\nname = "a b"\nurl = "https://x.com"\n', 2, "target.name"),
    ('[[target]]\nname = "a"\nurl = "ftp://x.com"\n', 3, "unsupported scheme"),
    ('[[target]]\nname = "a"\nurl = "https://u:p@x.com"\n', 3, "carries credentials"),
    ('[[target]]\nname = "a"\nurl = "https://x.com"\n\n[[target]]\nname = "b"\nurl = "https://y.com"\n'
     'expect = "patient"\n', 8, "target.expect (target 2)"),
    ('[[target]]\nname = "a"\nurl = "https://x.com"\ntimeout = 0\n', 4, "target.timeout"),
    ('[[target]]\nname = "a"\nurl = "https://x.com"\ntimeout = true\n', 4, "target.timeout"),
    ('[[target]]\nname = "a"\nurl = "https://x.com"\ntags = "has space"\n', 4, "target.tags"),
    ('[[target]]\nname = "a"\nurl = "https://x.com"\nconnect_to = ["nonsense"]\n', 4, "target.connect_to"),
    ('[[target]]\nname = "a"\nurl = "https://x.com"\ntrust_cert = "missing.pem"\n', 4, "not a file"),
    ('[[target]]\nname = "a"\nurl = "https://x.com"\n[[target]]\nname = "a"\nurl = "https://y.com"\n', 5,
     "used twice"),
    ('target = "x"\n', 1, "array of tables"),
    ('allowlist = 3\n', 1, "allowlist must be"),
    ('[run]\njobs = 0\n', 2, "run.jobs must be a whole number from 1 to 32"),
    ('[run]\nconfirm = 1.5\n', 2, "run.confirm"),
    ('[output]\nhtml = "x.html"\n', 2, "unknown key output.html"),
])
def test_bad_targets_name_file_line_and_key(tmp_path, text, line, says):
    with pytest.raises(ConfigError) as caught:
        settings_of(text, base=tmp_path)
    message = str(caught.value)
    assert says in message
    assert message.startswith(f"preflight.toml:{line}:"), message


TARGETS = (Target("https://a.example/", "a", tags=("prod",)), Target("https://b.example/", "b", tags=("prod", "eu")),
           Target("https://c.example/", "c"))


def test_select_by_name_and_tag():
    assert select_targets(TARGETS, [], [], None) == TARGETS
    assert [t.name for t in select_targets(TARGETS, ["c"], [], None)] == ["c"]
    assert [t.name for t in select_targets(TARGETS, [], ["prod"], None)] == ["a", "b"]
    assert [t.name for t in select_targets(TARGETS, ["c"], ["eu"], None)] == ["b", "c"]  # file order, union


@pytest.mark.parametrize(("names", "tags", "says"), [(["nope"], [], "--target nope"), ([], ["x"], "--tag x")])
def test_an_unknown_name_or_tag_is_a_usage_error(names, tags, says):
    with pytest.raises(UsageError, match=says):
        select_targets(TARGETS, names, tags, "site.toml")


def test_the_browser_gets_every_mapping_once_and_refuses_a_host_mapped_two_ways():
    flag = parse_connect_to("a.example:443:127.0.0.1:1000")
    same = Target("https://a.example/", "a", mappings=(parse_connect_to("a.example:443:127.0.0.1:1000"),))
    other = Target("https://b.example/", "b", mappings=(parse_connect_to("b.example:443:127.0.0.1:2000"),))
    assert [m.to_port for m in merged_mappings([flag], [same, other])] == [1000, 2000]
    clash = Target("https://c.example/", "c", mappings=(parse_connect_to("a.example:443:127.0.0.1:3000"),))
    with pytest.raises(ConfigError, match="map a.example two ways"):
        merged_mappings([flag], [clash])
