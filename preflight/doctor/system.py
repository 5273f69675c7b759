"""The one OS boundary of ``preflight doctor``: commands, files, folders, registry, names, platform.

Every probe asks the machine through a ``System`` and nothing else, so each probe is tested with
recorded answers for Linux, macOS and Windows (``RecordedSystem``) and runs for real through
``RealSystem``. Nothing here writes: no command that changes the machine is ever run (each probe
names the read-only command it asks), files are only read, bounded, and registry keys only queried.
"""

from __future__ import annotations

import ipaddress
import os
import platform as platform_mod
import socket
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PureWindowsPath
from typing import Any, Literal, Protocol

Platform = Literal["linux", "darwin", "windows", "other"]

MAX_READ = 4 * 1024 * 1024
"""Longest file a probe reads (a CA bundle is ~220 KB, a hosts file a few KB)."""


@dataclass(frozen=True)
class CommandResult:
    """What a command said. ``returncode`` is ``None`` when it could not run (``error`` says why)."""

    returncode: int | None
    stdout: str = ""
    stderr: str = ""
    error: str | None = None
    """``not installed``, ``timed out after 3 s``, ``permission denied`` ... when it did not run to the end."""

    @property
    def ok(self) -> bool:
        return self.returncode == 0


@dataclass(frozen=True)
class Resolution:
    """The system resolver's answer for one host (hosts file included, as every browser sees it)."""

    host: str
    addresses: tuple[str, ...] = ()
    error: str | None = None
    """The resolver's words when there is no answer (``Name or service not known``, ``timed out``)."""
    no_network: bool = False
    """The failure says the resolver could not be asked at all (no DNS server answered), not that
    the name does not exist."""


class System(Protocol):
    """What doctor may ask of the machine. Every method is read-only and bounded."""

    @property
    def platform(self) -> Platform: ...

    @property
    def release(self) -> str:
        """``Debian 12``, ``macOS 14.5``, ``Windows 10.0.22631``: for the ticket."""
        ...

    @property
    def environ(self) -> Mapping[str, str]: ...

    def run(self, argv: Sequence[str], timeout_s: float) -> CommandResult: ...

    def read_file(self, path: str, limit: int = MAX_READ) -> bytes | None:
        """The file's first ``limit`` bytes, ``None`` when absent or unreadable."""
        ...

    def exists(self, path: str) -> bool: ...

    def list_dir(self, path: str) -> tuple[str, ...] | None:
        """Entry names, sorted; ``None`` when the folder is absent or unreadable."""
        ...

    def read_registry(self, key: str, name: str) -> str | int | bytes | None:
        """``HKLM\\SOFTWARE\\...`` / ``HKCU\\...`` value ``name`` (``""``: the default value); ``None``
        when absent or not on Windows."""
        ...

    def resolve(self, host: str, timeout_s: float) -> Resolution: ...


def which(system: System, name: str) -> str | None:
    """``shutil.which`` through the boundary: the first ``PATH`` folder holding ``name``."""
    separator = ";" if system.platform == "windows" else ":"
    for folder in system.environ.get("PATH", "").split(separator):
        if not folder:
            continue
        names = system.list_dir(folder)
        if names is not None and name in names:
            return join(system, folder, name)
    return None


def join(system: System, *parts: str) -> str:
    if system.platform == "windows":
        return str(PureWindowsPath(*parts))
    return "/".join(p.rstrip("/") if i < len(parts) - 1 else p for i, p in enumerate(parts))


# --------------------------------------------------------------------------- the real machine


_GAI_NO_NETWORK = {getattr(socket, "EAI_AGAIN", -3), getattr(socket, "EAI_FAIL", -4)}
"""getaddrinfo codes meaning the resolver got no answer (not "no such name")."""


class RealSystem:
    """This machine, asked without privileges and without changing anything."""

    def __init__(self) -> None:
        self._platform: Platform = {"linux": "linux", "darwin": "darwin", "win32": "windows"}.get(
            sys.platform, "other")  # type: ignore[assignment]

    @property
    def platform(self) -> Platform:
        return self._platform

    @property
    def release(self) -> str:
        return f"{self._release()}, {platform_mod.machine()}"

    def _release(self) -> str:
        if self._platform == "darwin":
            return f"macOS {platform_mod.mac_ver()[0]}"
        if self._platform == "windows":
            return f"Windows {platform_mod.version()}"
        try:
            info = platform_mod.freedesktop_os_release()
            return info.get("PRETTY_NAME") or f"Linux {platform_mod.release()}"
        except OSError:
            return f"{platform_mod.system()} {platform_mod.release()}"

    @property
    def environ(self) -> Mapping[str, str]:
        return os.environ

    def run(self, argv: Sequence[str], timeout_s: float) -> CommandResult:
        env = {**os.environ, "LC_ALL": "C", "LANG": "C"}  # English output: the parsers read English
        try:
            done = subprocess.run(list(argv), capture_output=True, text=True, timeout=timeout_s, env=env,
                                  stdin=subprocess.DEVNULL, errors="replace")
        except FileNotFoundError:
            return CommandResult(None, error="not installed")
        except PermissionError:
            return CommandResult(None, error="permission denied")
        except subprocess.TimeoutExpired:
            # subprocess.run kills the child before raising: nothing is left running.
            return CommandResult(None, error=f"timed out after {timeout_s:g} s")
        except OSError as exc:
            return CommandResult(None, error=exc.strerror or str(exc))
        return CommandResult(done.returncode, done.stdout, done.stderr)

    def read_file(self, path: str, limit: int = MAX_READ) -> bytes | None:
        try:
            with open(path, "rb") as handle:
                return handle.read(limit)
        except OSError:
            return None

    def exists(self, path: str) -> bool:
        return os.path.exists(path)

    def list_dir(self, path: str) -> tuple[str, ...] | None:
        try:
            return tuple(sorted(os.listdir(path)))
        except OSError:
            return None

    def read_registry(self, key: str, name: str) -> str | int | bytes | None:
        if self._platform != "windows":
            return None
        import importlib

        winreg: Any = importlib.import_module("winreg")  # Windows only: mypy runs on Linux
        hive_name, _, path = key.partition("\\")
        hive = {"HKLM": winreg.HKEY_LOCAL_MACHINE, "HKCU": winreg.HKEY_CURRENT_USER}.get(hive_name)
        if hive is None:
            return None
        try:
            with winreg.OpenKey(hive, path) as handle:
                value: Any = winreg.QueryValueEx(handle, name)[0]
        except OSError:
            return None
        return value if isinstance(value, (str, int, bytes)) else str(value)

    def resolve(self, host: str, timeout_s: float) -> Resolution:
        # getaddrinfo cannot be given a timeout: it runs in a daemon thread that is abandoned
        # (not waited for) when the cap passes.
        answer: list[Resolution] = []

        def ask() -> None:
            try:
                infos = socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)
                answer.append(Resolution(host, tuple(dict.fromkeys(str(i[4][0]) for i in infos))))
            except socket.gaierror as exc:
                answer.append(Resolution(host, error=exc.strerror or str(exc), no_network=exc.errno in _GAI_NO_NETWORK))
            except (OSError, UnicodeError) as exc:
                answer.append(Resolution(host, error=str(exc)))

        worker = threading.Thread(target=ask, name="preflight-doctor-resolve", daemon=True)
        worker.start()
        worker.join(timeout_s)
        if not answer:
            return Resolution(host, error=f"no answer within {timeout_s:g} s", no_network=True)
        return answer[0]


# --------------------------------------------------------------------------- recorded answers


@dataclass(frozen=True)
class RecordedSystem:
    """A machine as recorded: every answer given up front (tests; ``tests/doctor/recorded/*.json``).

    A command, file, folder or registry value that was not recorded is absent, as on a machine
    that lacks it; ``commands`` maps the argv joined by spaces to ``{"returncode", "stdout",
    "stderr"}`` or to ``{"error": "not installed"}``.
    """

    platform: Platform = "linux"
    release: str = ""
    environ: Mapping[str, str] = field(default_factory=dict)
    commands: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    files: Mapping[str, str | bytes] = field(default_factory=dict)
    dirs: Mapping[str, Sequence[str]] = field(default_factory=dict)
    registry: Mapping[str, str | int | bytes] = field(default_factory=dict)
    """``KEY\\name`` -> value."""
    dns: Mapping[str, Sequence[str] | str] = field(default_factory=dict)
    """host -> addresses, or an error text (``"no network"`` means the resolver got no answer)."""
    asked: list[str] = field(default_factory=list, compare=False)
    """Every command asked, in order: tests check that only read-only commands are run."""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> RecordedSystem:
        return cls(**{k: v for k, v in data.items() if not k.startswith("_")})

    def run(self, argv: Sequence[str], timeout_s: float) -> CommandResult:
        line = " ".join(argv)
        self.asked.append(line)
        recorded = self.commands.get(line)
        if recorded is None:
            return CommandResult(None, error="not installed")
        if "error" in recorded:
            return CommandResult(None, error=str(recorded["error"]))
        return CommandResult(int(recorded.get("returncode", 0)), str(recorded.get("stdout", "")),
                             str(recorded.get("stderr", "")))

    def read_file(self, path: str, limit: int = MAX_READ) -> bytes | None:
        content = self.files.get(path)
        if content is None:
            return None
        return (content.encode() if isinstance(content, str) else content)[:limit]

    def exists(self, path: str) -> bool:
        if path in self.files or path in self.dirs:
            return True
        parent, _, name = path.replace("\\", "/").rpartition("/")
        return any(name in names for folder, names in self.dirs.items()
                   if folder.replace("\\", "/").rstrip("/") == parent.rstrip("/"))

    def list_dir(self, path: str) -> tuple[str, ...] | None:
        names = self.dirs.get(path)
        return None if names is None else tuple(sorted(names))

    def read_registry(self, key: str, name: str) -> str | int | bytes | None:
        return self.registry.get(f"{key}\\{name}")

    def resolve(self, host: str, timeout_s: float) -> Resolution:
        answer = self.dns.get(host)
        if answer is None:
            return Resolution(host, error="Name or service not known")
        if isinstance(answer, str):
            return Resolution(host, error=answer, no_network=answer == "no network")
        return Resolution(host, tuple(answer))


def is_internal(address: str) -> str | None:
    """``loopback``, ``private``, ``link-local``, ``unspecified`` ... for an address no public portal
    has; ``None`` for a public one (or text that is not an address)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return None
    for kind in ("loopback", "unspecified", "link_local", "multicast", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    if ip.version == 4 and ip in ipaddress.ip_network("100.64.0.0/10"):
        return "shared (carrier-grade NAT)"
    return None
