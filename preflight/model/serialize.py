"""One serialiser: frozen dataclasses to JSON-ready values and back.

A field whose key appears only sometimes in JSON says so in its metadata: ``OMIT_NONE`` (left out
when ``None``) or ``OMIT_EMPTY`` (left out when ``None``, ``""``, ``False`` or an empty
collection). The schema generator (``preflight.model.schema``) reads the same metadata, so such
a field is never ``required``. ``SCHEMA`` adds JSON Schema keywords to a field's generated schema.
"""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from collections.abc import Mapping
from typing import Any, cast

OMIT_NONE = "omit_none"
OMIT_EMPTY = "omit_empty"
SCHEMA = "schema"


def omit_none(**keywords: Any) -> Any:
    """A field emitted only when it is not ``None`` (default ``None``); ``keywords`` refine its schema."""
    return dataclasses.field(default=None, metadata={OMIT_NONE: True, SCHEMA: keywords})


def omit_empty(default: Any, **keywords: Any) -> Any:
    """A field emitted only when it holds something (not ``None``, ``""``, ``False``, empty)."""
    return dataclasses.field(default=default, metadata={OMIT_EMPTY: True, SCHEMA: keywords})


def schema_keywords(**keywords: Any) -> dict[str, Any]:
    """Field metadata adding JSON Schema keywords (``minimum``, ``pattern`` ...) to a field's schema:
    ``confidence: float = field(metadata=schema_keywords(minimum=0, maximum=1))``."""
    return {SCHEMA: keywords}


def is_sometimes(f: dataclasses.Field[Any]) -> bool:
    """Whether ``f``'s key is left out of JSON for some values (so it is not ``required``)."""
    return bool(f.metadata.get(OMIT_NONE) or f.metadata.get(OMIT_EMPTY))


def omitted(f: dataclasses.Field[Any], value: Any) -> bool:
    if f.metadata.get(OMIT_EMPTY):
        if value is None or value is False:
            return True
        return isinstance(value, (str, tuple, list, Mapping)) and len(value) == 0
    return bool(f.metadata.get(OMIT_NONE)) and value is None


def to_jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        shown: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if not omitted(f, item):
                shown[f.name] = to_jsonable(item)
        return shown
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value


def from_jsonable(tp: Any, data: Any) -> Any:
    """Rebuild nested frozen dataclasses from ``to_jsonable`` output (unknown keys ignored)."""
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        kwargs = {}
        for f in dataclasses.fields(tp):
            if f.name in data:
                kwargs[f.name] = from_jsonable(hints[f.name], data[f.name])
        return cast(Any, tp)(**kwargs)
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        if data is None:
            return None
        inner = [a for a in typing.get_args(tp) if a is not type(None)]
        return from_jsonable(inner[0], data)
    if origin is tuple:
        (inner, *_rest) = typing.get_args(tp)
        return tuple(from_jsonable(inner, v) for v in data)
    return data
