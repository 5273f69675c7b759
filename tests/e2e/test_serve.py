"""`preflight serve` for real: the mock portal's targets, a real Prometheus scraping it through the
blackbox relabelling, a real Pushgateway for batch runs, web.yml auth and TLS, signals."""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from preflight.mock.server import MockPortal
from tests import tools

pytestmark = pytest.mark.e2e
OFFICIAL, LOOKALIKE = "cignaforhcp.cigna.com", "cignaforhcp-cigna.com"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_config(path: Path, portal: MockPortal, names: dict[str, str]) -> Path:
    lines = []
    for name, host in names.items():
        (mapping,) = portal.connect_to_args([host])
        lines += ["[[target]]", f'name = "{name}"', f'url = "{portal.url(host)}"', f'connect_to = ["{mapping}"]',
                  f'trust_cert = "{portal.cert_path}"', ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, stack = set(), [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


class Exporter:
    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "preflight", "serve", "--listen", "127.0.0.1:0",
                                         "--no-clock", *args], stderr=subprocess.PIPE, text=True)
        line = self.process.stderr.readline()
        match = re.search(r"serving (https?)://127\.0\.0\.1:(\d+)/", line)
        if match is None:
            self.process.kill()
            raise AssertionError(f"serve did not start: {line}{self.process.stderr.read()}")
        self.scheme, self.port = match.group(1), int(match.group(2))
        self.base = f"{self.scheme}://127.0.0.1:{self.port}"

    def get(self, path: str, headers: dict[str, str] | None = None, method: str = "GET",
            context: ssl.SSLContext | None = None) -> tuple[int, str, dict[str, str]]:
        request = urllib.request.Request(self.base + path, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(request, timeout=60, context=context) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(30)
        return code, self.process.stderr.read()


def value(text: str, name: str) -> float:
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)
    assert match, f"{name} not in\n{text}"
    return float(match.group(1))


@pytest.fixture(scope="module")
def portal():
    with MockPortal() as running:
        yield running


@pytest.fixture(scope="module")
def exporter(portal, tmp_path_factory):
    config = write_config(tmp_path_factory.mktemp("serve") / "preflight.toml", portal,
                          {"official": OFFICIAL, "lookalike": LOOKALIKE})
    running = Exporter("--config", str(config), "--concurrency", "2")
    running.config = config
    yield running
    if running.process.poll() is None:
        running.stop()


def test_probe_answers_for_configured_targets_and_refuses_others(exporter):
    status, body, headers = exporter.get("/probe?target=official")
    assert status == 200 and headers["Content-Type"].startswith("text/plain")
    assert value(body, "preflight_probe_success") == 1
    assert value(body, 'preflight_success{target="official"}') == 1
    assert value(body, "preflight_probe_duration_seconds") > 0
    status, body, _ = exporter.get("/probe?target=lookalike")
    assert status == 200 and value(body, "preflight_probe_success") == 0
    for path in ("/probe?target=https://example.com/", "/probe?target=nope", "/probe", "/probe?target=a&target=b"):
        status, body, _ = exporter.get(path)
        assert status == 400, (path, body)
    status, body, _ = exporter.get("/probe?target=official", headers={"X-Prometheus-Scrape-Timeout-Seconds": "1"})
    assert status == 400 and "scrape timeout" in body


def test_own_metrics_status_page_and_health(exporter):
    exporter.get("/probe?target=official")
    status, body, _ = exporter.get("/metrics")
    assert status == 200
    assert value(body, 'preflight_exporter_probes_total{result="success"}') >= 1
    assert value(body, 'preflight_exporter_probes_total{result="refused"}') >= 1
    assert "process_resident_memory_bytes" in body and "preflight_exporter_browser_restarts_total" in body
    status, page, _ = exporter.get("/")
    assert status == 200 and "official" in page and "lookalike" in page
    assert exporter.get("/-/healthy")[0] == 200 and exporter.get("/-/ready")[0] == 200
    assert exporter.get("/nothing")[0] == 404


def test_reload_by_post_and_sighup_and_a_bad_file_keeps_the_old(exporter, portal):
    write_config(exporter.config, portal, {"official": OFFICIAL, "lookalike": LOOKALIKE, "member": "my.cigna.com"})
    status, body, _ = exporter.get("/-/reload", method="POST")
    assert status == 200, body
    status, body, _ = exporter.get("/probe?target=member")
    assert status == 200 and value(body, "preflight_probe_success") == 1
    text = exporter.config.read_text()
    exporter.config.write_text(text + "\n[[target]]\nname = 'broken'\n", encoding="utf-8")
    status, body, _ = exporter.get("/-/reload", method="POST")
    assert status == 500 and "has no url" in body
    assert exporter.get("/probe?target=member")[0] == 200  # still serving the last good configuration
    exporter.config.write_text(text.replace('name = "member"', 'name = "member2"'), encoding="utf-8")
    exporter.process.send_signal(signal.SIGHUP)
    deadline = time.monotonic() + 20
    while exporter.get("/probe?target=member2")[0] != 200:
        assert time.monotonic() < deadline, "SIGHUP did not reload"
        time.sleep(0.3)
    assert value(exporter.get("/metrics")[1], "preflight_exporter_config_last_reload_successful") == 1


def test_sigterm_stops_gracefully_and_leaves_no_browser(portal, tmp_path):
    config = write_config(tmp_path / "preflight.toml", portal, {"official": OFFICIAL})
    running = Exporter("--config", str(config))
    assert running.get("/probe?target=official")[0] == 200
    browsers = descendants(running.process.pid)
    assert browsers, "the exporter's browser is not its descendant"
    code, log = running.stop()
    assert code == 0 and "stopping" in log
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in browsers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [pid for pid in browsers if alive(pid)]


def test_basic_auth_and_tls_from_a_web_config(portal, tmp_path):
    import bcrypt
    import trustme

    ca = trustme.CA()
    leaf = ca.issue_cert("127.0.0.1")
    leaf.private_key_pem.write_to_path(tmp_path / "key.pem")
    leaf.cert_chain_pems[0].write_to_path(tmp_path / "cert.pem")
    hashed = bcrypt.hashpw(b"s3cret-scrape", bcrypt.gensalt(rounds=4)).decode()
    (tmp_path / "web.yml").write_text(f"tls_server_config:\n  cert_file: cert.pem\n  key_file: key.pem\n"
                                      f"basic_auth_users:\n  prometheus: '{hashed}'\n", encoding="utf-8")
    config = write_config(tmp_path / "preflight.toml", portal, {"official": OFFICIAL})
    running = Exporter("--config", str(config), "--web-config", str(tmp_path / "web.yml"))
    try:
        assert running.scheme == "https"
        context = ssl.create_default_context()
        ca.configure_trust(context)
        assert running.get("/-/healthy", context=context)[0] == 401
        wrong = {"Authorization": "Basic " + base64.b64encode(b"prometheus:guess").decode()}
        assert running.get("/-/healthy", headers=wrong, context=context)[0] == 401
        good = {"Authorization": "Basic " + base64.b64encode(b"prometheus:s3cret-scrape").decode()}
        status, body, _ = running.get("/probe?target=official", headers=good, context=context)
        assert status == 200 and value(body, "preflight_probe_success") == 1
        with pytest.raises(OSError):  # plain HTTP to a TLS port is not served (URLError, a reset)
            urllib.request.urlopen(f"http://127.0.0.1:{running.port}/-/healthy", timeout=10)
    finally:
        running.stop()


def test_a_bad_web_config_is_one_line(tmp_path):
    (tmp_path / "web.yml").write_text("basic_auth_users:\n  admin: plain-password\n", encoding="utf-8")
    ran = subprocess.run([sys.executable, "-m", "preflight", "serve", "--allow-any-target", "--web-config",
                          str(tmp_path / "web.yml")], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 2 and ran.stderr.count("\n") == 1 and "bcrypt hash" in ran.stderr


@pytest.mark.serial  # Prometheus' 5 s scrape timeout bounds a whole browser visit
@tools.needs("prometheus")
def test_a_real_prometheus_scrapes_probes_through_the_blackbox_relabelling(exporter, tmp_path):
    port = free_port()
    (tmp_path / "prometheus.yml").write_text(f"""
global:
  scrape_interval: 5s
  scrape_timeout: 5s
scrape_configs:
  - job_name: preflight
    metrics_path: /probe
    static_configs:
      - targets: [official, lookalike]
    relabel_configs:
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: 127.0.0.1:{exporter.port}
  - job_name: preflight-exporter
    static_configs:
      - targets: ["127.0.0.1:{exporter.port}"]
""", encoding="utf-8")
    prometheus = subprocess.Popen([tools.require("prometheus"), f"--config.file={tmp_path / 'prometheus.yml'}",
                                   f"--storage.tsdb.path={tmp_path / 'data'}", f"--web.listen-address=127.0.0.1:{port}"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        got: dict[str, float] = {}
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/query?query=preflight_probe_success",
                                            timeout=5) as response:
                    data = json.load(response)["data"]["result"]
                got = {r["metric"]["instance"]: float(r["value"][1]) for r in data}
            except (urllib.error.URLError, ConnectionError, KeyError):
                pass
            if len(got) == 2:
                break
            time.sleep(1)
        assert got == {"official": 1.0, "lookalike": 0.0}, prometheus.stderr.read(2000) if not got else got
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/query?query=preflight_login_info", timeout=5) as r:
            logins = {x["metric"]["instance"]: x["metric"]["role"] for x in json.load(r)["data"]["result"]}
        assert logins.get("official") == "provider"
    finally:
        prometheus.terminate()
        prometheus.wait(30)


@tools.needs("pushgateway")
def test_a_batch_run_pushes_to_a_real_pushgateway(portal, tmp_path):
    port = free_port()
    gateway = subprocess.Popen([tools.require("pushgateway"), f"--web.listen-address=127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/-/ready", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "pushgateway did not start"
                time.sleep(0.3)
        config = write_config(tmp_path / "preflight.toml", portal, {"official": OFFICIAL, "lookalike": LOOKALIKE})
        ran = subprocess.run([sys.executable, "-m", "preflight", "check", "--config", str(config), "--no-clock",
                              "--pushgateway", f"http://127.0.0.1:{port}", "--push-job", "nightly"],
                             capture_output=True, text=True, timeout=120)
        assert ran.returncode == 1, ran.stderr  # the lookalike fails; the push itself worked
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            text = response.read().decode()
        assert re.search(r'preflight_success\{[^}]*job="nightly"[^}]*target="official"[^}]*\} 1', text), text[-3000:]
        assert re.search(r'preflight_success\{[^}]*job="nightly"[^}]*target="lookalike"[^}]*\} 0', text)
        assert re.search(r'preflight_run_targets\{[^}]*job="nightly"[^}]*\} 2', text)
        down = subprocess.run([sys.executable, "-m", "preflight", "check", "--config", str(config), "--no-clock",
                               "--target", "official", "--pushgateway", f"http://127.0.0.1:{free_port()}"],
                              capture_output=True, text=True, timeout=120)
        assert down.returncode == 3 and "cannot push the metrics" in down.stderr
    finally:
        gateway.terminate()
        gateway.wait(30)


def test_serve_probes_through_a_run_server_pool(portal, tmp_path):
    """The exporter's browser can live in a Playwright run-server (a browser pool): the probe is the
    same, the mock portal still sees nothing but GET and HEAD, and stopping serve leaves the pool up."""
    from tests.e2e.run_servers import SYSTEM_CHROMIUM, run_servers

    config = write_config(tmp_path / "preflight.toml", portal, {"official": OFFICIAL, "lookalike": LOOKALIKE})
    with run_servers(1) as (server,):
        running = Exporter("--config", str(config), "--connect", server.endpoint, "--browser-path", SYSTEM_CHROMIUM)
        try:
            portal.requests.clear()
            status, body, _ = running.get("/probe?target=official")
            assert status == 200 and value(body, "preflight_probe_success") == 1, body
            status, body, _ = running.get("/probe?target=lookalike")
            assert status == 200 and value(body, "preflight_probe_success") == 0
            assert portal.requests and {r["method"] for r in portal.requests} <= {"GET", "HEAD"}
            # The browser is the pool's: nothing the exporter started is a Chromium.
            assert not [pid for pid in descendants(running.process.pid) if "chromium" in cmdline(pid)]
        finally:
            code, _ = running.stop()
        assert code == 0
