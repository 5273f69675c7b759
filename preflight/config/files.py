"""Reading a file a user named: bounded, never blocking, never surprising.

Every file preflight is given (allowlist, preflight.toml, vocabulary override, storage state,
certificate, ``vet @FILE``) comes through ``read_user_file``: a FIFO, a device or a socket is
refused before it is opened (reading ``/dev/zero`` or a named pipe would never end), a file
larger than ``MAX_BYTES`` is refused before it is read, and a UTF-8 byte-order mark (Windows
Notepad writes one) is dropped from text.
"""

from __future__ import annotations

import os
import stat

MAX_BYTES = 10 * 1024 * 1024
"""No file preflight reads is legitimately larger than 10 MB."""
BOM = "\ufeff"


class UnreadableFile(Exception):
    """Why a file cannot be read, in plain words (the caller turns it into its own error)."""

    def __init__(self, reason: str, hint: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint


def read_user_file(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; ``UnreadableFile`` otherwise."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise UnreadableFile("no such file", "check the path") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read it ({exc.strerror or exc})", "check the path and its permissions") from None
    if stat.S_ISDIR(info.st_mode):
        raise UnreadableFile("is a directory, not a file", "give the path of a file")
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile("is not a regular file (a pipe, device or socket)", "give the path of a file")
    if info.st_size > max_bytes:
        raise UnreadableFile(f"larger than {max_bytes // 2**20} MB", "that is not a file preflight reads")
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since stat(), open() must not hang.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise UnreadableFile(f"cannot read it ({exc.strerror or exc})", "check the path and its permissions") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise UnreadableFile("is not a regular file (a pipe, device or socket)", "give the path of a file")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnreadableFile(f"larger than {max_bytes // 2**20} MB", "that is not a file preflight reads")
    return data


def read_user_text(path: str | os.PathLike[str], max_bytes: int = MAX_BYTES) -> str:
    """UTF-8 text of a user's file, without a leading byte-order mark."""
    try:
        text = read_user_file(path, max_bytes).decode("utf-8")
    except UnicodeDecodeError:
        raise UnreadableFile("not a UTF-8 text file", "save it as UTF-8 text") from None
    return text[1:] if text.startswith(BOM) else text

