"""JSON Schema (draft 2020-12) generated from the document types, and the committed schema files.

The types say the shape; the attribute docstrings (read from the source with ``ast``) say what
each key means; field metadata (``preflight.model.serialize``) says which keys appear only
sometimes and adds keywords such as ``minimum``. Regenerate the committed files with::

    python -m preflight.model.schema          # writes preflight/schema/*.schema.json
    python -m preflight.model.schema --check  # exit 1 when a committed file differs

``tests/model/test_schema.py`` fails when a committed file differs from what this module generates.
"""

from __future__ import annotations

import ast
import dataclasses
import enum
import inspect
import json
import sys
import types
import typing
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any, Literal

from preflight.model.serialize import SCHEMA, is_sometimes

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"

_PRIMITIVES: dict[Any, str] = {str: "string", int: "integer", float: "number", bool: "boolean",
                               type(None): "null"}


@dataclasses.dataclass(frozen=True)
class SchemaFile:
    """One committed schema: the file, the root document type, and its ``$id`` and title."""

    name: str
    root: type
    schema_id: str
    title: str

    @property
    def path(self) -> Path:
        return SCHEMA_DIR / self.name


def schema_files() -> tuple[SchemaFile, ...]:
    from preflight.model.baseline import BaselineDocument
    from preflight.model.doctor import DoctorDocument
    from preflight.model.document import PolicyDocument, RunDocument, VetDocument

    return (
        SchemaFile("run.schema.json", RunDocument, "https://portal-preflight.invalid/schema/run@1.json",
                   "preflight check report (preflight/run@1)"),
        SchemaFile("vet.schema.json", VetDocument, "preflight/vet@1", "preflight vet report"),
        SchemaFile("policy.schema.json", PolicyDocument, "preflight/policy@1", "preflight policy show report"),
        SchemaFile("baseline.schema.json", BaselineDocument, "preflight/baseline@1",
                   "preflight login-page baseline (preflight baseline save)"),
        SchemaFile("doctor.schema.json", DoctorDocument, "preflight/doctor@1", "preflight doctor report"),
    )


def json_schema(root: type, schema_id: str, title: str) -> dict[str, Any]:
    """The schema of ``root`` (a dataclass), every nested dataclass and enum under ``$defs``."""
    generator = _Generator()
    body = generator.object_schema(root)
    return {"$schema": DRAFT, "$id": schema_id, "title": title, **body, "$defs": generator.defs}


def render(schema: Mapping[str, Any]) -> str:
    """The committed form of a schema: stable, two-space indented, one newline at the end."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def generated(file: SchemaFile) -> str:
    return render(json_schema(file.root, file.schema_id, file.title))


class _Generator:
    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}
        self._named: dict[str, type] = {}

    def object_schema(self, cls: type) -> dict[str, Any]:
        if not dataclasses.is_dataclass(cls):
            raise TypeError(f"{cls!r} is not a dataclass")
        hints = typing.get_type_hints(cls)
        docs = attribute_docs(cls)
        required: list[str] = []
        properties: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            sometimes = is_sometimes(f)
            prop = self.type_schema(hints[f.name])
            if sometimes:
                prop = _without_null(prop)  # left out of JSON rather than written as null
            else:
                required.append(f.name)
            prop = {**prop, **f.metadata.get(SCHEMA, {})}
            if f.name in docs:
                prop["description"] = docs[f.name]
            properties[f.name] = prop
        shown: dict[str, Any] = {"type": "object"}
        doc = class_doc(cls)
        if doc:
            shown["description"] = doc
        shown.update(required=required, additionalProperties=False, properties=properties)
        return shown

    def type_schema(self, tp: Any) -> dict[str, Any]:
        if tp is Any:
            return {}
        if tp in _PRIMITIVES:
            return {"type": _PRIMITIVES[tp]}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return self._ref(tp, lambda: self._enum_schema(tp))
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            return self._ref(tp, lambda: self.object_schema(tp))
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin is Literal:
            return {"const": args[0]} if len(args) == 1 else {"enum": list(args)}
        if origin in (typing.Union, types.UnionType):
            return _nullable([self.type_schema(a) for a in args if a is not type(None)], type(None) in args)
        if origin in (tuple, list) or origin is Sequence or origin is typing.Sequence:
            if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
                raise TypeError(f"fixed-length tuples are not part of the contract: {tp!r}")
            return {"type": "array", "items": self.type_schema(args[0])}
        if origin in (dict, Mapping) or (isinstance(origin, type) and issubclass(origin, Mapping)):
            key, value = args
            if key is not str:
                raise TypeError(f"JSON object keys are strings: {tp!r}")
            return {"type": "object"} if value is Any else {"type": "object",
                                                             "additionalProperties": self.type_schema(value)}
        raise TypeError(f"no JSON Schema for {tp!r}")

    def _ref(self, tp: type, build: Any) -> dict[str, Any]:
        name = tp.__name__
        known = self._named.get(name)
        if known is not None and known is not tp:
            raise TypeError(f"two types named {name} in one schema: {known!r} and {tp!r}")
        if known is None:
            self._named[name] = tp
            self.defs[name] = {}  # placeholder first: keeps $defs in order of first use
            self.defs[name] = build()
        return {"$ref": f"#/$defs/{name}"}

    @staticmethod
    def _enum_schema(tp: type[enum.Enum]) -> dict[str, Any]:
        shown: dict[str, Any] = {"enum": [member.value for member in tp]}
        doc = class_doc(tp)
        if doc:
            shown["description"] = doc
        return shown


def _nullable(options: list[dict[str, Any]], null: bool) -> dict[str, Any]:
    if not null:
        return options[0] if len(options) == 1 else {"anyOf": options}
    if len(options) == 1:
        (only,) = options
        if set(only) == {"type"}:
            kinds = only["type"] if isinstance(only["type"], list) else [only["type"]]
            return {"type": [*kinds, "null"]}
        if set(only) == {"enum"}:
            return {"enum": [*only["enum"], None]}
    return {"anyOf": [*options, {"type": "null"}]}


def _without_null(prop: dict[str, Any]) -> dict[str, Any]:
    if isinstance(prop.get("type"), list):
        kinds = [k for k in prop["type"] if k != "null"]
        return {**prop, "type": kinds[0] if len(kinds) == 1 else kinds}
    if "enum" in prop:
        return {**prop, "enum": [v for v in prop["enum"] if v is not None]}
    if "anyOf" in prop:
        options = [o for o in prop["anyOf"] if o != {"type": "null"}]
        return options[0] if len(options) == 1 else {**prop, "anyOf": options}
    return prop


# --------------------------------------------------------------------------- docstrings from the source


@cache
def _module_classes(module_name: str) -> dict[str, ast.ClassDef]:
    source = inspect.getsource(sys.modules[module_name])
    return {node.name: node for node in ast.parse(source).body if isinstance(node, ast.ClassDef)}


def _class_node(cls: type) -> ast.ClassDef | None:
    return _module_classes(cls.__module__).get(cls.__qualname__)


def _clean(text: str) -> str:
    return " ".join(inspect.cleandoc(text).split()).replace("``", "`")


def class_doc(cls: type) -> str:
    """The class's own docstring (not the signature dataclasses writes when there is none)."""
    node = _class_node(cls)
    doc = ast.get_docstring(node) if node is not None else None
    return _clean(doc) if doc else ""


def attribute_docs(cls: type) -> dict[str, str]:
    """``{field: docstring}`` from the string literal under each annotated field, base classes too."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        node = _class_node(klass) if klass.__module__ in sys.modules and klass is not object else None
        if node is None:
            continue
        body = node.body
        for statement, following in zip(body, body[1:]):
            if (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)
                    and isinstance(following, ast.Expr) and isinstance(following.value, ast.Constant)
                    and isinstance(following.value.value, str)):
                docs[statement.target.id] = _clean(following.value.value)
    return docs


# --------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    """Write the committed schema files; with ``--check``, only say which ones differ (exit 1)."""
    args = list(sys.argv[1:] if argv is None else argv)
    check = "--check" in args
    stale = []
    for file in schema_files():
        text = generated(file)
        current = file.path.read_text(encoding="utf-8") if file.path.exists() else None
        if current == text:
            continue
        stale.append(file.path)
        if not check:
            file.path.write_text(text, encoding="utf-8")
    for path in stale:
        sys.stderr.write(f"{'differs' if check else 'wrote'}: {path}\n")
    return 1 if check and stale else 0


if __name__ == "__main__":  # pragma: no cover - exercised by tests through main()
    raise SystemExit(main())
