"""The project's own exceptions. The CLI turns each into one line and an exit code."""

from __future__ import annotations


class PreflightError(Exception):
    """Base class: ``message`` says what went wrong, ``hint`` what to do about it."""

    exit_code = 2

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message


class UsageError(PreflightError):
    """Bad command-line input (a malformed URL, conflicting options): exit 2."""


class ConfigError(PreflightError):
    """An allowlist or preflight.toml that cannot be read or is invalid: exit 2."""


class BrowserNotFound(PreflightError):
    """No Chromium to drive: exit 3."""

    exit_code = 3


class BrowserLaunchError(PreflightError):
    """A Chromium was found but would not start: exit 3."""

    exit_code = 3


class OutputError(PreflightError):
    """A report could not be written where asked: exit 2."""
