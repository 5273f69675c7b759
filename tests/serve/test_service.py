"""The exporter's engine with a stand-in browser: admission, SSRF refusal, budgets, reload."""

from __future__ import annotations

import asyncio
import threading
import time

import pytest

from preflight.config.targets import Target
from preflight.errors import ConfigError
from preflight.model.snapshot import PageSnapshot
from preflight.runner import RunSettings
from preflight.serve.service import ProbeService, Refused, ServeConfig

from ..factories import default_allowlist


class SlowSession:
    """Answers every visit with a plain page after ``delay_s``; counts visits running at once."""

    def __init__(self, spec, delay_s: float = 0.3) -> None:
        self.spec, self.delay_s = spec, delay_s
        self.running = self.peak = self.visits = 0
        self.description = "stand-in"
        self.relaunches = 0

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        return None

    async def visit(self, target, options):
        self.running += 1
        self.visits += 1
        self.peak = max(self.peak, self.running)
        try:
            await asyncio.sleep(self.delay_s)
        finally:
            self.running -= 1
        return PageSnapshot(requested_url=target, final_url=target, http_status=200)

    async def third_party_probe(self, target, options):  # pragma: no cover - never needed here
        raise AssertionError


def config(names=("official",), timeout_s=10.0) -> ServeConfig:
    settings = RunSettings(allowlist=default_allowlist(), timeout_s=timeout_s, clock=False, retries=0)
    return ServeConfig(settings, {n: Target(url="https://cignaforhcp.cigna.com/", name=n) for n in names}, "test.toml")


@pytest.fixture
def started():
    services = []

    def make(load=None, delay_s=0.3, **kwargs) -> tuple[ProbeService, list[SlowSession]]:
        sessions: list[SlowSession] = []

        def factory(spec):
            sessions.append(SlowSession(spec, delay_s))
            return sessions[-1]

        service = ProbeService(load or config, session_factory=factory, **kwargs)
        service.start(timeout_s=10)
        services.append(service)
        return service, sessions

    yield make
    for service in services:
        service.stop(grace_s=2)


def test_a_configured_target_is_probed_and_counted(started):
    service, sessions = started()
    outcome = service.probe("official")
    assert outcome.result.label == "official" and outcome.result.snapshot.http_status == 200
    assert sessions[0].visits == 1 and service.counts["success"] == 1
    assert service.last["official"] is outcome


@pytest.mark.parametrize("name", ["nope", "https://169.254.169.254/latest/meta-data/", ""])
def test_only_configured_targets_may_be_probed(started, name):
    service, sessions = started()
    with pytest.raises(Refused) as refused:
        service.probe(name)
    assert refused.value.status == 400 and sessions[0].visits == 0
    assert service.counts["refused"] == 1


def test_allow_any_target_still_refuses_what_a_browser_should_not_open(started):
    service, sessions = started(allow_any_target=True)
    assert service.probe("https://my.cigna.com/").result.target == "https://my.cigna.com/"
    for bad in ("file:///etc/passwd", "javascript:alert(1)", "https://u:p@x.example/"):
        with pytest.raises(Refused) as refused:
            service.probe(bad)
        assert refused.value.status == 400


def test_more_probes_than_slots_and_queue_are_shed_at_once_with_retry_after(started):
    service, sessions = started(concurrency=1, queue=1, delay_s=1.0)
    outcomes: list[object] = []

    def one():
        try:
            outcomes.append(service.probe("official"))
        except Refused as refused:
            outcomes.append(refused)

    threads = [threading.Thread(target=one) for _ in range(5)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
        time.sleep(0.05)
    for thread in threads:
        thread.join(20)
    refused = [o for o in outcomes if isinstance(o, Refused)]
    assert len(refused) == 3 and all(r.status == 503 and r.retry_after >= 1 for r in refused)
    assert sessions[0].peak == 1  # never more in the browser than --concurrency
    assert time.monotonic() - began < 5  # two ran one after the other; the rest did not wait
    assert service.counts["shed"] == 3 and service.counts["success"] == 2


def test_the_scrape_timeout_bounds_the_probe_waiting_included(started):
    service, _ = started(concurrency=1, queue=4, delay_s=2.0)
    first = threading.Thread(target=service.probe, args=("official",))
    first.start()
    time.sleep(0.1)
    began = time.monotonic()
    with pytest.raises(Refused) as refused:
        service.probe("official", scrape_timeout_s=2.0)  # 1.5 s budget, the slot frees after ~1.9 s
    assert refused.value.status == 503 and time.monotonic() - began < 2.0
    first.join(10)
    with pytest.raises(Refused) as too_short:
        service.probe("official", scrape_timeout_s=1.2)
    assert too_short.value.status == 400


def test_a_bad_reload_keeps_the_old_configuration(started):
    state = {"bad": False, "names": ("official",)}

    def load():
        if state["bad"]:
            raise ConfigError("preflight.toml:3: unknown key target.port")
        return config(state["names"])

    service, sessions = started(load=load)
    state["names"] = ("official", "member")
    service.reload()
    assert set(service.config.targets) == {"official", "member"} and service.reload_ok
    state["bad"] = True
    with pytest.raises(ConfigError):
        service.reload()
    assert set(service.config.targets) == {"official", "member"} and not service.reload_ok
    assert len(sessions) == 1  # same browser settings: no new browser


def test_stopping_refuses_new_probes(started):
    service, _ = started()
    service.stop(grace_s=2)
    with pytest.raises(Refused) as refused:
        service.probe("official")
    assert refused.value.status == 503
