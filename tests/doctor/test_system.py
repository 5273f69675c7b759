"""The real OS boundary on this machine, and the recorded one's semantics."""

from __future__ import annotations

import sys
import time

import pytest

from preflight.doctor.system import RealSystem, RecordedSystem, which

REAL = RealSystem()


def test_commands_are_bounded_and_a_missing_one_is_said_so():
    assert REAL.run(["preflight-no-such-command-xyz"], 1).error == "not installed"
    started = time.monotonic()
    slow = REAL.run([sys.executable, "-c", "import time; time.sleep(30)"], 0.5)
    assert slow.returncode is None and slow.error == "timed out after 0.5 s"
    assert time.monotonic() - started < 5
    said = REAL.run([sys.executable, "-c", "print('hello')"], 10)
    assert said.ok and said.stdout.strip() == "hello"


def test_files_and_folders_are_read_bounded(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"x" * 100)
    assert REAL.read_file(str(tmp_path / "a.txt"), limit=10) == b"x" * 10
    assert REAL.read_file(str(tmp_path / "missing")) is None
    assert REAL.list_dir(str(tmp_path)) == ("a.txt",)
    assert REAL.list_dir(str(tmp_path / "missing")) is None
    assert REAL.read_registry("HKLM\\SOFTWARE", "x") is None or sys.platform == "win32"


@pytest.mark.skipif(sys.platform != "linux", reason="this machine's platform")
def test_this_machine():
    assert REAL.platform == "linux" and REAL.release
    answer = REAL.resolve("localhost", 3)
    assert answer.addresses and all(a in ("127.0.0.1", "::1") for a in answer.addresses)
    assert which(REAL, "sh") in ("/usr/bin/sh", "/bin/sh", "/usr/local/bin/sh")


def test_recorded_answers_and_what_was_asked():
    system = RecordedSystem(platform="windows", environ={"PATH": "C:\\Windows"},
                            commands={"tzutil /g": {"returncode": 0, "stdout": "UTC"}},
                            files={"C:\\x.txt": "hi"}, dirs={"C:\\Windows": ["notepad.exe"]},
                            registry={"HKCU\\Software\\X\\version": "1.2"}, dns={"a.example": ["10.0.0.1"],
                                                                                 "b.example": "no network"})
    assert system.run(["tzutil", "/g"], 1).stdout == "UTC"
    assert system.run(["w32tm", "/query", "/status"], 1).error == "not installed"
    assert system.asked == ["tzutil /g", "w32tm /query /status"]
    assert system.read_file("C:\\x.txt") == b"hi" and system.exists("C:\\Windows\\notepad.exe")
    assert which(system, "notepad.exe") == "C:\\Windows\\notepad.exe"
    assert system.read_registry("HKCU\\Software\\X", "version") == "1.2"
    assert system.resolve("a.example", 1).addresses == ("10.0.0.1",)
    assert system.resolve("b.example", 1).no_network
    assert system.resolve("c.example", 1).error == "Name or service not known"
