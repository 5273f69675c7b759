"""Real Playwright run-servers for the remote-browser tests: ``python -m playwright run-server``.

Each server is started on port 0 (it prints the port it took) in a process group of its own, so
that stopping it stops the browsers it launched too; ``RunServer.stop`` kills the group and
waits until no process of it is left.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SYSTEM_CHROMIUM = "/usr/bin/chromium"


def group_members(group: int) -> set[int]:
    """Live (not zombie) processes of a process group, read from /proc."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[2]) == group:
            found.add(int(stat.parent.name))
    return found


class RunServer:
    """One ``playwright run-server --unsafe`` on a free loopback port."""

    def __init__(self, unsafe: bool = True) -> None:
        self.unsafe = unsafe
        self.process: subprocess.Popen[str] | None = None
        self.endpoint = ""
        self.output: list[str] = []

    def start(self) -> RunServer:
        args = [sys.executable, "-m", "playwright", "run-server", "--port", "0", "--host", "127.0.0.1"]
        if self.unsafe:
            args.append("--unsafe")
        # DEBUG=pw:server logs each connection; start_new_session puts its browsers in its group.
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                        start_new_session=True, env={**os.environ, "DEBUG": "pw:server"})
        assert self.process.stdout is not None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            self.output.append(line)
            if line.startswith("Listening on "):
                self.endpoint = line.split()[-1]
                break
        if not self.endpoint:
            self.stop()
            raise RuntimeError("the run-server did not start: " + "".join(self.output)[-2000:])
        threading.Thread(target=self._drain, daemon=True).start()
        return self

    def _drain(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)

    @property
    def connections(self) -> int:
        """Client connections the server accepted (from its pw:server log)."""
        return sum(1 for line in self.output if "engaged launch mode" in line)

    def group_alive(self) -> set[int]:
        """Processes still in the server's process group (the server and its browsers)."""
        if self.process is None:
            return set()
        return group_members(self.process.pid)

    def kill(self) -> None:
        """Kill the server and its browsers at once (a machine of the pool that dies)."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(10)
        deadline = time.monotonic() + 10  # a killed process is gone only once the kernel reaped it
        while self.group_alive() and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        deadline = time.monotonic() + 10
        while self.group_alive() and time.monotonic() < deadline:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        if self.process.poll() is None:
            self.process.wait(5)


@contextmanager
def run_servers(count: int, unsafe: bool = True) -> Iterator[list[RunServer]]:
    servers: list[RunServer] = []
    try:
        for _ in range(count):
            servers.append(RunServer(unsafe).start())
        yield servers
    finally:
        for server in servers:
            server.stop()
        left = {pid for server in servers for pid in server.group_alive()}
        assert left == set(), f"processes of the run-servers outlived them: {sorted(left)}"


class DevToolsChromium:
    """A Chromium someone started by hand with ``--remote-debugging-port`` (what ``--cdp`` attaches
    to), showing a page of its own; in its own process group, killed with all its children."""

    USER_PAGE = "data:text/html,<title>the user's own page</title>"

    def __init__(self, profile: Path, switches: list[str]) -> None:
        self.profile = profile
        self.switches = switches
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def __enter__(self) -> DevToolsChromium:
        args = [SYSTEM_CHROMIUM, "--headless", "--no-sandbox", "--remote-debugging-port=0",
                f"--user-data-dir={self.profile}", *self.switches, self.USER_PAGE]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not (port_file.exists() and port_file.read_text().strip()):
            time.sleep(0.05)
        if not port_file.exists():
            self.__exit__()
            raise RuntimeError("Chromium did not open its DevTools port")
        self.url = f"http://127.0.0.1:{port_file.read_text().split()[0]}"
        return self

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def __exit__(self, *exc: object) -> None:
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(10)
        deadline = time.monotonic() + 10
        while group_members(self.process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert group_members(self.process.pid) == set(), "the DevTools Chromium outlived the test"
