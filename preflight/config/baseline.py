"""Baseline files: read (validated into ``BaselineDocument``), written, and kept as history.

A baseline is the reference every later ``check --baseline`` is judged against, so a file that
is not one (another JSON document, a hand edit that broke a type) is a ``ConfigError`` naming the
file, never a silent "nothing changed".
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
import types
import typing
from pathlib import Path
from typing import Any

from preflight.config.files import UnreadableFile, read_user_file
from preflight.errors import ConfigError, OutputError
from preflight.model.baseline import SCHEMA_BASELINE, BaselineDocument
from preflight.model.serialize import from_jsonable, is_sometimes, to_jsonable

MAX_BASELINE_BYTES = 32 * 1024 * 1024
HINT = "write it with `preflight baseline save URL... --to FILE`"


def load_baseline(path: str | os.PathLike[str]) -> BaselineDocument:
    """The baseline in ``path``; ``ConfigError`` naming the file and the key when it is not one."""
    try:
        raw = read_user_file(path, MAX_BASELINE_BYTES)
    except UnreadableFile as exc:
        raise ConfigError(f"baseline {path}: {exc.reason}", exc.hint or HINT) from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"baseline {path}: not JSON ({exc})", HINT) from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA_BASELINE:
        found = data.get("schema") if isinstance(data, dict) else type(data).__name__
        raise ConfigError(f"baseline {path}: not a {SCHEMA_BASELINE} document (schema: {found!r})", HINT)
    problem = _shape_problem(BaselineDocument, data, "")
    if problem:
        raise ConfigError(f"baseline {path}: {problem}", HINT)
    document: BaselineDocument = from_jsonable(BaselineDocument, data)
    return document


def _shape_problem(cls: Any, data: Any, where: str) -> str | None:
    """The first key that is missing or of the wrong JSON type, as ``targets[0].fields``."""
    if not isinstance(data, dict):
        return f"{where or 'the document'} must be an object"
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        key = f"{where}.{f.name}" if where else f.name
        if f.name not in data:
            if is_sometimes(f):
                continue
            return f"missing key {key}"
        problem = _value_problem(hints[f.name], data[f.name], key)
        if problem:
            return problem
    return None


def _value_problem(tp: Any, value: Any, key: str) -> str | None:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        (inner, *_rest) = [a for a in args if a is not type(None)]
        return _value_problem(inner, value, key)
    if dataclasses.is_dataclass(tp):
        return _shape_problem(tp, value, key)
    if origin is tuple:
        if not isinstance(value, list):
            return f"{key} must be a list"
        for index, item in enumerate(value):
            problem = _value_problem(args[0], item, f"{key}[{index}]")
            if problem:
                return problem
        return None
    if origin is typing.Literal:
        return None if value in args else f"{key} must be one of {', '.join(map(repr, args))}"
    expected = _JSON_TYPES.get(tp)
    if expected is not None and (not isinstance(value, expected) or (tp is not bool and isinstance(value, bool))):
        return f"{key} must be a {tp.__name__}"
    return None


_JSON_TYPES: dict[Any, type | tuple[type, ...]] = {str: str, bool: bool, int: int, float: (int, float)}


def render_baseline(document: BaselineDocument) -> str:
    return json.dumps(to_jsonable(document), indent=2, ensure_ascii=False) + "\n"


def write_baseline(path: str | os.PathLike[str], document: BaselineDocument) -> None:
    """Write atomically: a half-written baseline would compare as a page that changed everything."""
    target = Path(path)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(render_baseline(document), encoding="utf-8")
        os.replace(temporary, target)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise OutputError(f"cannot write baseline {path}: {exc.strerror or exc}", "choose a path you can write to") from None


def history_path(path: str | os.PathLike[str], now: float | None = None) -> Path:
    """Where ``baseline update`` keeps the file it replaces: ``<name>.history/<stem>-<UTC time>.json``."""
    target = Path(path)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(time.time() if now is None else now))
    folder = target.with_name(f"{target.name}.history")
    candidate = folder / f"{target.stem}-{stamp}{target.suffix or '.json'}"
    counter = 1
    while candidate.exists():
        counter += 1
        candidate = folder / f"{target.stem}-{stamp}-{counter}{target.suffix or '.json'}"
    return candidate


def keep_history(path: str | os.PathLike[str], now: float | None = None) -> Path:
    """Move the current baseline into its history folder (never overwritten); returns where."""
    kept = history_path(path, now)
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, kept)
    except OSError as exc:
        raise OutputError(f"cannot keep {path} as history in {kept.parent}: {exc.strerror or exc}",
                          "check the folder's permissions") from None
    return kept
