import subprocess

from preflight import doctor


def fake_run(stdout: str, returncode: int = 0):
    def run(*_args, **_kwargs):
        return subprocess.CompletedProcess([], returncode, stdout=stdout, stderr="")
    return run


def test_time_sync_reports_automatic_time(monkeypatch):
    monkeypatch.setattr(doctor.platform, "system", lambda: "Linux")
    monkeypatch.setattr(subprocess, "run", fake_run("yes\n"))
    assert "automatic time: yes" in doctor._time_sync()
    monkeypatch.setattr(subprocess, "run", fake_run("no\n"))
    line = doctor._time_sync()
    assert "automatic time: no" in line and "set date and time automatically" in line
    monkeypatch.setattr(subprocess, "run", fake_run("", returncode=1))
    assert "unknown" in doctor._time_sync()


def test_time_sync_without_the_tool(monkeypatch):
    def missing(*_args, **_kwargs):
        raise FileNotFoundError("w32tm")
    monkeypatch.setattr(doctor.platform, "system", lambda: "Windows")
    monkeypatch.setattr(subprocess, "run", missing)
    assert "unknown (w32tm not available)" in doctor._time_sync()
    monkeypatch.setattr(doctor.platform, "system", lambda: "Plan9")
    assert "unknown on this system" in doctor._time_sync()
