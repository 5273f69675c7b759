"""``preflight serve``: a Prometheus exporter in blackbox_exporter's multi-target pattern."""

from __future__ import annotations

import signal
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import click

from preflight.cli.params import (
    CONTEXT_SETTINGS,
    allowlist_choice,
    browser_options,
    check_browser_path,
    check_remote_browser,
    load_check_settings,
    target_network,
)
from preflight.errors import PreflightError, UsageError
from preflight.status import ExitStatus

DEFAULT_LISTEN = "127.0.0.1:9816"


def parse_listen(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if not sep or not port.isdigit() or not 0 <= int(port) <= 65535:
        raise UsageError(f"--listen {text!r} is not HOST:PORT", f"e.g. --listen {DEFAULT_LISTEN}")
    return host.strip("[]") or "0.0.0.0", int(port)


def _log(line: str) -> None:
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    click.echo(f"{stamp} {line}", err=True)


@click.command(context_settings=CONTEXT_SETTINGS)
@click.option("--listen", default=DEFAULT_LISTEN, show_default=True, metavar="HOST:PORT",
              help="Address to serve on (port 0: any free port, printed on start).")
@click.option("--config", "config_path", metavar="FILE", help="preflight.toml whose [[target]]s may be probed.")
@browser_options
@click.option("--concurrency", default=2, show_default=True, type=click.IntRange(1, 16),
              help="Probes the shared browser runs at once.")
@click.option("--queue", "queue", default=None, type=click.IntRange(0, 64),
              help="Probes that may wait for a browser (default 2 x concurrency); more get 503.")
@click.option("--web-config", "web_config", metavar="FILE",
              help="Basic auth and TLS, in the shape of Prometheus' web.yml (off by default).")
@click.option("--allow-any-target", is_flag=True,
              help="Also probe any http(s) URL given as target= (off: only configured targets; prevents SSRF).")
@click.option("--no-clock", is_flag=True, help="Skip the clock-skew measurement in probes.")
def serve(listen: str, config_path: str | None, browser_path: str | None, browser_channel: str | None,
          resolve: Sequence[str], connect_to: Sequence[str], trust_cert: Sequence[str], timeout: float,
          allowlist_path: str | None, concurrency: int, queue: int | None, web_config: str | None,
          allow_any_target: bool, no_clock: bool, connect: Sequence[str] = (), cdp: str | None = None) -> ExitStatus:
    """Serve /probe?target=NAME for Prometheus (the blackbox_exporter pattern), /metrics, / and /-/ready.

    Stops gracefully on SIGTERM or Ctrl-C (no browser left behind); SIGHUP or POST /-/reload reads
    the configuration again.
    """
    from preflight.serve.http import ExporterServer, exporter_registry, make_handler, serve_in_thread
    from preflight.serve.service import ProbeService, ServeConfig
    from preflight.serve.webconfig import load_web_config

    host, port = parse_listen(listen)
    if not connect and not cdp:  # with --connect, --browser-path is a path on the run-server's machine
        check_browser_path(browser_path)
    web = load_web_config(web_config)

    def load() -> ServeConfig:
        from preflight.config.allowlist import load_allowlist
        from preflight.runner import RunSettings

        settings = load_check_settings(config_path)
        if not settings.targets and not allow_any_target:
            raise UsageError("no [[target]] to serve: the exporter probes only the targets of preflight.toml",
                             "pass --config FILE with [[target]] tables (or --allow-any-target)")
        mappings, certs = target_network(resolve, connect_to, trust_cert, settings.targets)
        check_remote_browser(connect, cdp, browser_path=browser_path, browser_channel=browser_channel,
                             mappings=mappings, trust_certs=certs)
        run = RunSettings(allowlist=load_allowlist(allowlist_choice(allowlist_path, settings)), settings=settings, browser_path=browser_path,
                          browser_channel=browser_channel,
                          mappings=mappings, trust_certs=certs, connect=tuple(connect), cdp=cdp,
                          timeout_s=timeout, retries=settings.run.retries if settings.run.retries is not None else 1,
                          clock=not no_clock, third_party_probe=True)
        return ServeConfig(run, {t.name: t for t in settings.targets}, settings.source or "")

    service = ProbeService(load, concurrency=concurrency, queue=queue, allow_any_target=allow_any_target, log=_log)
    registry = exporter_registry(service)
    try:
        server = ExporterServer((host, port), make_handler(service, web, registry, service.reload, _log))
    except OSError as exc:
        raise UsageError(f"--listen {listen}: cannot listen ({exc.strerror or exc})",
                         "choose a free port or another address") from None
    if web.tls is not None:
        server.socket = web.tls.context().wrap_socket(server.socket, server_side=True,
                                                      do_handshake_on_connect=False)
    stop = threading.Event()
    previous: dict[signal.Signals, Any] = {}

    def on_stop(signum: int, _frame: Any) -> None:
        stop.set()

    def on_hup(_signum: int, _frame: Any) -> None:
        threading.Thread(target=_reload, args=(service,), daemon=True).start()

    for signum, handler in ((signal.SIGTERM, on_stop), (signal.SIGINT, on_stop), (signal.SIGHUP, on_hup)):
        previous[signum] = signal.signal(signum, handler)
    serving = False
    try:
        service.start(timeout_s=timeout + 30)
        serve_in_thread(server)
        serving = True
        scheme = "https" if web.tls is not None else "http"
        bound_host, bound_port = server.server_name, server.server_port
        _log(f"serving {scheme}://{bound_host}:{bound_port}/ — {len(service.config.targets)} target(s), "
             f"concurrency {service.concurrency}, queue {service.queue}, browser {_browser(service)}")
        while not stop.wait(0.5):
            pass
        _log("stopping: finishing running probes, closing the browser")
    finally:
        if serving:
            server.shutdown()
        server.server_close()
        service.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return ExitStatus.OK


def _browser(service: Any) -> str:
    session = getattr(service, "_session", None)
    return getattr(session, "description", "") or "?"


def _reload(service: Any) -> None:
    try:
        service.reload()
    except PreflightError as exc:
        _log(f"reload failed, the old configuration stays: {exc}")
