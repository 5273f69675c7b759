"""The exporter's HTTP side: blackbox_exporter's endpoints over the standard library's server.

``GET /probe?target=NAME``  one check's metrics (``preflight_probe_success`` first)
``GET /metrics``            the exporter's own metrics (probes, in flight, browser restarts, process)
``GET /``                   a small status page: the last result per target
``GET /-/healthy``          200 while the process serves
``GET /-/ready``            200 once the browser is up, 503 before and while stopping
``POST /-/reload``          read the configuration again (also on SIGHUP)
"""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.process_collector import ProcessCollector

from preflight.errors import PreflightError
from preflight.reporters.metrics import probe_registry
from preflight.rules.redact import redact_text
from preflight.serve.service import ProbeService, Refused
from preflight.serve.webconfig import WebConfig

MAX_QUERY = 8192


class ExporterCollector:
    """The service's counters, read at scrape time."""

    def __init__(self, service: ProbeService) -> None:
        self.service = service

    def collect(self) -> Iterator[Any]:
        service = self.service
        probes = CounterMetricFamily("preflight_exporter_probes", "Probes answered, by result (success, failure, "
                                     "error: the verdict; shed: refused as busy; refused; timeout).",
                                     labels=["result"])
        for result in ("success", "failure", "error", "shed", "refused", "timeout"):
            probes.add_metric([result], service.counts.get(result, 0))
        yield probes
        yield GaugeMetricFamily("preflight_exporter_probes_in_flight", "Probes running in the browser now.",
                                value=service.in_flight)
        yield GaugeMetricFamily("preflight_exporter_probes_queued", "Probes admitted and waiting for a browser.",
                                value=service.queued)
        yield GaugeMetricFamily("preflight_exporter_concurrency", "Probes the browser runs at once (--concurrency).",
                                value=service.concurrency)
        yield CounterMetricFamily("preflight_exporter_browser_restarts", "Times the shared browser was started "
                                  "again (it died, or a reload changed its settings).", value=service.relaunches)
        yield GaugeMetricFamily("preflight_exporter_config_last_reload_successful",
                                "1 when the last configuration reload succeeded.", value=1 if service.reload_ok else 0)
        yield GaugeMetricFamily("preflight_exporter_config_last_reload_success_timestamp_seconds",
                                "Unix time of the last successful configuration load.", value=service.reload_at)
        yield GaugeMetricFamily("preflight_exporter_targets", "Targets in the configuration.",
                                value=len(service.config.targets))


def exporter_registry(service: ProbeService) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(ExporterCollector(service))
    ProcessCollector(registry=registry)
    Gauge("preflight_exporter_start_time_seconds", "Unix time the exporter started.",
          registry=registry).set(time.time())
    return registry


def make_handler(service: ProbeService, web: WebConfig, registry: CollectorRegistry,
                 reload: Callable[[], None], log: Callable[[str], None]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "preflight-exporter"
        sys_version = ""
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            pass  # one line per probe is logged by the service; scrapes of /metrics are not news

        def _send(self, status: int, body: str | bytes, content_type: str = "text/plain; charset=utf-8",
                  headers: dict[str, str] | None = None) -> None:
            data = body.encode("utf-8") if isinstance(body, str) else body
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _authorized(self) -> bool:
            if web.allows(self.headers.get("Authorization")):
                return True
            self._send(401, "Unauthorized\n", headers={"WWW-Authenticate": 'Basic realm="preflight"'})
            return False

        def do_HEAD(self) -> None:  # noqa: N802 - stdlib name
            self.do_GET()

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            if len(self.path) > MAX_QUERY:
                self._send(414, "request line too long\n")
                return
            if not self._authorized():
                return
            url = urlsplit(self.path)
            if url.path == "/probe":
                self._probe(parse_qs(url.query))
            elif url.path == "/metrics":
                self._send(200, generate_latest(registry), CONTENT_TYPE_LATEST)
            elif url.path == "/-/healthy":
                self._send(200, "Healthy\n")
            elif url.path == "/-/ready":
                self._send(200 if service.ready else 503, "Ready\n" if service.ready else "Not ready\n")
            elif url.path == "/":
                self._send(200, status_page(service), "text/html; charset=utf-8")
            else:
                self._send(404, "Not found: /probe?target=NAME, /metrics, /, /-/healthy, /-/ready\n")

        def do_POST(self) -> None:  # noqa: N802 - stdlib name
            if not self._authorized():
                return
            if urlsplit(self.path).path != "/-/reload":
                self._send(405, "only POST /-/reload\n")
                return
            try:
                reload()
            except PreflightError as exc:
                self._send(500, f"reload failed, the old configuration stays: {exc}\n")
                return
            self._send(200, "reloaded\n")

        def _probe(self, query: dict[str, list[str]]) -> None:
            names = query.get("target", [])
            if len(names) != 1:
                self._send(400, "give exactly one target: /probe?target=NAME\n")
                return
            timeout = None
            header = self.headers.get("X-Prometheus-Scrape-Timeout-Seconds")
            if header:
                try:
                    timeout = float(header)
                except ValueError:
                    self._send(400, "X-Prometheus-Scrape-Timeout-Seconds is not a number\n")
                    return
            try:
                outcome = service.probe(names[0], timeout)
            except Refused as refused:
                headers = {"Retry-After": str(refused.retry_after)} if refused.retry_after else None
                log(f"probe {redact_text(names[0])[:120]}: refused ({refused.status}): {refused.reason}")
                self._send(refused.status, redact_text(refused.reason) + "\n", headers=headers)
                return
            registry = probe_registry(outcome.result, outcome.duration_s)
            self._send(200, generate_latest(registry), CONTENT_TYPE_LATEST)

    return Handler


def status_page(service: ProbeService) -> str:
    rows = []
    names = list(service.config.targets) + [n for n in service.last if n not in service.config.targets]
    for name in names:
        outcome = service.last.get(name)
        if outcome is None:
            rows.append(f"<tr><td>{html.escape(name)}</td><td>not probed yet</td><td></td><td></td><td></td></tr>")
            continue
        result = outcome.result
        worst = sorted(result.findings, key=lambda f: -f.severity.rank)
        top = html.escape(f"{worst[0].code}: {worst[0].message}") if worst else ""
        when = time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(outcome.finished_at))
        rows.append(f"<tr class='{result.verdict.value}'><td>{html.escape(name)}</td>"
                    f"<td>{result.verdict.value}</td><td>{when}</td><td>{outcome.duration_s:.1f} s</td>"
                    f"<td>{top}</td></tr>")
    return ("<!doctype html><html><head><meta charset='utf-8'><title>preflight exporter</title>"
            "<meta http-equiv='Content-Security-Policy' content=\"default-src 'none'; style-src 'unsafe-inline'\">"
            "<style>body{font-family:sans-serif;margin:2em}td,th{padding:.3em .8em;text-align:left}"
            ".pass td:nth-child(2){color:#17803d}.warn td:nth-child(2){color:#a15c00}"
            ".fail td:nth-child(2),.error td:nth-child(2){color:#b3261e;font-weight:bold}</style></head><body>"
            "<h1>preflight exporter</h1>"
            f"<p>{len(service.config.targets)} target(s) from {html.escape(service.config.source or 'the command line')}"
            f" · {service.in_flight} probe(s) running, {service.queued} waiting · concurrency {service.concurrency}"
            " · <a href='/metrics'>metrics</a></p>"
            "<table><tr><th>target</th><th>verdict</th><th>last probe</th><th>took</th><th>top finding</th></tr>"
            + "".join(rows) + "</table></body></html>")


class ExporterServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn): slow or hanging offline.
        import socketserver

        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)


def serve_in_thread(server: ExporterServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="preflight-http",
                              daemon=True)
    thread.start()
    return thread
