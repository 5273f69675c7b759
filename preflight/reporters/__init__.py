"""Output formats, chosen through one enum; every member has a reporter (tested)."""

from __future__ import annotations

import enum
from typing import Callable

from ..models import RunReport
from . import console, json, junit


class OutputFormat(enum.Enum):
    CONSOLE = "console"
    JSON = "json"
    JUNIT = "junit"


REPORTERS: dict[OutputFormat, Callable[[RunReport], str]] = {
    OutputFormat.CONSOLE: console.render,
    OutputFormat.JSON: json.render,
    OutputFormat.JUNIT: junit.render,
}
