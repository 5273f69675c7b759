"""One serialiser: frozen dataclasses to JSON-ready values and back."""

from __future__ import annotations

import dataclasses
import enum
import types
import typing
from typing import Any, Mapping


def to_jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
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
        return tp(**kwargs)
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
