"""The JSON contract is generated from the types (sslyze's ``gen_json_schema`` and its JSON tests).

- The committed ``preflight/schema/*.schema.json`` are exactly what ``preflight.model.schema``
  generates, so a changed type or docstring without a regenerated file fails here.
- A full report (every section shape) validates, names every key it emits, and emits every key
  the schema names.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import typing
from collections.abc import Mapping
from typing import Any, Literal

import jsonschema
import pytest

from preflight.checks.portal.formfields import IDENTIFIERS, NOT_TYPED, PROFILE
from preflight.checks.portal.loginform import LOGIN_KINDS, USERNAME_KINDS
from preflight.checks.portal.roles import UNKNOWN
from preflight.config.allowlist import LOGIN_ROLES
from preflight.model import schema as generator
from preflight.model.document import RunDocument, VetDocument
from preflight.model.report import SCHEMA_RUN
from preflight.model.sections import (
    ClockReference,
    FieldKind,
    LoginFormKind,
    PortalField,
    Role,
    ThirdPartySection,
    UsernameKind,
)
from preflight.model.serialize import omit_empty, omit_none, to_jsonable
from preflight.reporters import json as json_reporter
from preflight.rules.lookalike.judge import VERDICTS
from preflight.vet import SCHEMA_VET, VetVerdict

from .full_report import full_report

REGENERATE = "run `python -m preflight.model.schema` and commit the result"


@pytest.fixture(scope="module")
def run_schema() -> dict[str, Any]:
    return json.loads((generator.SCHEMA_DIR / "run.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return json.loads(json_reporter.render(full_report()))


# --------------------------------------------------------------------------- the committed files


@pytest.mark.parametrize("file", generator.schema_files(), ids=lambda f: f.name)
def test_committed_schema_is_generated_from_the_types(file):
    committed = file.path.read_text(encoding="utf-8")
    assert committed == generator.generated(file), (
        f"preflight/schema/{file.name} differs from the types in preflight/model/ (or their docstrings): "
        f"{REGENERATE}")


def test_check_mode_finds_a_stale_file_and_leaves_it(tmp_path, monkeypatch, capsys):
    for file in generator.schema_files():
        (tmp_path / file.name).write_text(generator.generated(file), encoding="utf-8")
    monkeypatch.setattr(generator, "SCHEMA_DIR", tmp_path)
    assert generator.main(["--check"]) == 0
    stale = tmp_path / "run.schema.json"
    stale.write_text(stale.read_text(encoding="utf-8").replace("Allowlist file used", "Allowlist used"),
                     encoding="utf-8")
    assert generator.main(["--check"]) == 1
    assert "differs" in capsys.readouterr().err and "Allowlist used" in stale.read_text(encoding="utf-8")
    assert generator.main([]) == 0  # writing regenerates it
    assert generator.main(["--check"]) == 0


def test_schemas_are_valid_draft_2020_12_with_todays_ids():
    ids = {}
    for file in generator.schema_files():
        schema = json.loads(file.path.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        ids[file.name] = (schema["$id"], schema["title"])
    assert ids == {"run.schema.json": ("https://portal-preflight.invalid/schema/run@1.json",
                                       "preflight check report (preflight/run@1)"),
                   "vet.schema.json": ("preflight/vet@1", "preflight vet report"),
                   "policy.schema.json": ("preflight/policy@1", "preflight policy show report"),
                   "baseline.schema.json": ("preflight/baseline@1",
                                            "preflight login-page baseline (preflight baseline save)"),
                   "doctor.schema.json": ("preflight/doctor@1", "preflight doctor report")}


# --------------------------------------------------------------------------- a full report


def test_a_full_report_validates(document, run_schema):
    jsonschema.Draft202012Validator(run_schema).validate(document)
    assert document["schema"] == SCHEMA_RUN


def _resolve(schema: Mapping[str, Any], root: Mapping[str, Any], instance: Any) -> tuple[str | None, Mapping[str, Any]]:
    """Follow ``$ref`` and a nullable ``anyOf`` to the schema that describes ``instance``."""
    name = None
    while True:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            schema = root["$defs"][name]
        elif "anyOf" in schema:
            options = [o for o in schema["anyOf"] if o != {"type": "null"}]
            assert len(options) == 1, schema
            schema = options[0]
        else:
            return name, schema


def named_keys(instance: Any, schema: Mapping[str, Any], root: Mapping[str, Any], path: str = "$",
               seen: set[tuple[str, str]] | None = None) -> list[str]:
    """Keys of ``instance`` that no ``properties`` names; ``seen`` collects (object, key) pairs used."""
    seen = set() if seen is None else seen
    name, schema = _resolve(schema, root, instance)
    unnamed = []
    if isinstance(instance, dict):
        properties = schema.get("properties")
        if properties is None:
            return []  # an open object (finding evidence) or a mapping (header_bytes): keys are data
        for key, value in instance.items():
            if key not in properties:
                unnamed.append(f"{path}.{key}")
                continue
            seen.add((name or path, key))
            unnamed += named_keys(value, properties[key], root, f"{path}.{key}", seen)
    elif isinstance(instance, list):
        for i, item in enumerate(instance):
            unnamed += named_keys(item, schema.get("items", {}), root, f"{path}[{i}]", seen)
    return unnamed


def test_every_key_a_full_report_emits_is_named_in_the_schema(document, run_schema):
    seen: set[tuple[str, str]] = set()
    unnamed = named_keys(document, run_schema, run_schema, seen=seen)
    assert sorted({u.split("[")[0] + "…" + u.rsplit(".", 1)[-1] for u in unnamed}) == []
    # and the report is full: every key every object of the schema names is emitted somewhere
    named = {(name, key) for name, definition in run_schema["$defs"].items()
             for key in definition.get("properties", {})}
    named |= {("$", key) for key in run_schema["properties"]}
    assert sorted(named - seen) == []


def test_the_key_walker_finds_an_unnamed_key():
    # today's hand-written schema left ~30 keys unnamed; the walker must see such a key
    loose = {"type": "object", "properties": {"a": {"type": "object", "properties": {"b": {}}}}}
    assert named_keys({"a": {"b": 1, "c": 2}, "d": 3}, loose, loose) == ["$.a.c", "$.d"]


# --------------------------------------------------------------------------- what the types say


def test_closed_vocabularies_are_the_ones_the_code_uses():
    assert typing.get_args(LoginFormKind) == LOGIN_KINDS
    assert typing.get_args(UsernameKind) == USERNAME_KINDS
    assert typing.get_args(Role) == (*LOGIN_ROLES, UNKNOWN)
    assert typing.get_args(VetVerdict) == VERDICTS
    assert set(IDENTIFIERS) | set(NOT_TYPED) | set(PROFILE) <= set(typing.get_args(FieldKind))
    assert typing.get_args(typing.get_type_hints(RunDocument)["schema"]) == (SCHEMA_RUN,)
    assert typing.get_args(typing.get_type_hints(VetDocument)["schema"]) == (SCHEMA_VET,)


def test_descriptions_come_from_attribute_docstrings(run_schema):
    defs = run_schema["$defs"]
    assert defs["PortalSection"]["properties"]["mfa"]["description"] == "A one-time-code box is part of the login form."
    assert defs["PortalSection"]["description"].startswith("Which login this is")
    # inherited fields keep their base class's docstring
    assert defs["LeftoverSession"]["properties"]["size"] == defs["StoredCookie"]["properties"]["size"]
    # a field without a docstring has no description (not the dataclass-generated signature)
    assert "description" not in defs["CookieEntry"]["properties"]["name"]
    assert defs["Severity"] == {"enum": ["info", "pass", "warn", "fail"],
                                "description": "How much a finding matters. Ordered: `info < pass < warn < fail`."}


def test_keys_emitted_only_sometimes_are_not_required(run_schema):
    defs = run_schema["$defs"]
    assert defs["PortalField"]["required"] == ["kind", "label", "type"]
    assert "reason" not in defs["ClockReference"]["required"]
    assert "reason" not in defs["ClockSection"]["required"] and "verdict" in defs["ClockSection"]["required"]
    assert {"cookies_allowed", "cookies_blocked"}.isdisjoint(defs["ThirdPartySection"]["required"])
    # left out rather than null: the schema does not allow null for them
    assert defs["ClockSection"]["properties"]["reason"]["type"] == "string"


def test_the_serialiser_omits_empty_fields_and_keeps_empty_lists_that_mean_something():
    assert to_jsonable(PortalField("username", "User ID", "text")) == {"kind": "username", "label": "User ID",
                                                                       "type": "text"}
    assert "reason" not in to_jsonable(ClockReference("h", 0.1, 0.01, 2, True))
    assert to_jsonable(ClockReference("h", None, None, 0, False, "no Date"))["reason"] == "no Date"
    compared = ThirdPartySection((), True, True, True, False, None, cookies_allowed=(), cookies_blocked=())
    assert to_jsonable(compared)["cookies_allowed"] == []
    assert "cookies_allowed" not in to_jsonable(dataclasses.replace(compared, cookies_allowed=None))


class _Colour(enum.Enum):
    """A colour."""

    RED = "red"
    BLUE = "blue"


@dataclasses.dataclass(frozen=True)
class _Inner:
    """Inner thing."""

    n: int
    """A number."""


@dataclasses.dataclass(frozen=True)
class _Sample:
    """Everything the generator knows."""

    text: str
    maybe: float | None
    colour: _Colour
    kind: Literal["a", "b"] | None
    inner: _Inner | None
    many: tuple[_Inner, ...]
    sizes: Mapping[str, int]
    open: Mapping[str, Any]
    hint: str | None = omit_none()
    flag: bool = omit_empty(False)


def test_the_generator_maps_each_kind_of_type():
    schema = generator.json_schema(_Sample, "x", "t")
    props = schema["properties"]
    assert schema["required"] == ["text", "maybe", "colour", "kind", "inner", "many", "sizes", "open"]
    assert schema["additionalProperties"] is False
    assert props["text"] == {"type": "string"}
    assert props["maybe"] == {"type": ["number", "null"]}
    assert props["colour"] == {"$ref": "#/$defs/_Colour"}
    assert schema["$defs"]["_Colour"] == {"enum": ["red", "blue"], "description": "A colour."}
    assert props["kind"] == {"enum": ["a", "b", None]}
    assert props["inner"] == {"anyOf": [{"$ref": "#/$defs/_Inner"}, {"type": "null"}]}
    assert props["many"] == {"type": "array", "items": {"$ref": "#/$defs/_Inner"}}
    assert props["sizes"] == {"type": "object", "additionalProperties": {"type": "integer"}}
    assert props["open"] == {"type": "object"}
    assert props["hint"] == {"type": "string"} and props["flag"] == {"type": "boolean"}
    assert schema["$defs"]["_Inner"]["properties"]["n"] == {"type": "integer", "description": "A number."}


def test_the_generator_refuses_what_json_cannot_say():
    @dataclasses.dataclass
    class Pair:
        both: tuple[int, str]

    with pytest.raises(TypeError, match="fixed-length"):
        generator.json_schema(Pair, "x", "t")
