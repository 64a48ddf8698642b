"""The deployment files an operator runs, checked against the code they run: the compose file,
the Kubernetes manifests, the systemd units and the image definition name only parts that exist
(deploy/processes.py), ports the settings give them, probe paths the apps really serve, and
variables the settings really read. What needs a cluster or a container engine is done where
one is here (the kustomization built with kubectl, the image built with podman or docker)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml

from deploy.processes import all_processes
from services.settings import Settings

pytestmark = pytest.mark.deploy

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PARTS = Settings.PARTS  # the web parts and their default ports
PROCESSES = {process.name for process in all_processes(Settings.from_env({}))}
WEB_PATHS = ("/healthz", "/readyz")


class Recording(Mapping[str, str]):
    """An empty environment that notes every variable the settings ask for."""

    def __init__(self) -> None:
        self.asked: set[str] = set()

    def __getitem__(self, name: str) -> str:
        self.asked.add(name)
        raise KeyError(name)

    def __contains__(self, name: object) -> bool:
        self.asked.add(str(name))
        return False

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def setting_names() -> set[str]:
    env = Recording()
    Settings.from_env(env)
    return env.asked


SETTINGS = setting_names()


def test_the_process_list_is_what_the_files_expect() -> None:
    assert PROCESSES == {*PARTS, "worker", "ticker"}


# --- compose -------------------------------------------------------------------------------
COMPOSE = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
PLATFORM_SERVICES = {
    name: service
    for name, service in COMPOSE["services"].items()
    if service.get("image", "").startswith("learning-incentives")
}


def test_compose_runs_every_part_once_from_the_image_with_postgres_and_redis() -> None:
    assert set(COMPOSE["services"]) == {*PROCESSES, "migrate", "postgres", "redis"}
    parts = {name: s["command"] for name, s in PLATFORM_SERVICES.items() if name != "migrate"}
    assert parts == {name: ["part", name] for name in PROCESSES}
    assert PLATFORM_SERVICES["migrate"]["command"] == ["migrate"]
    build = PLATFORM_SERVICES["gateway"]["build"]
    assert (DEPLOY / build["context"] / build["dockerfile"]).resolve() == (
        DEPLOY / "container" / "Containerfile"
    )
    for name in PROCESSES:  # the schema first, and a Redis that answers
        assert PLATFORM_SERVICES[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    for store in ("postgres", "redis"):
        assert COMPOSE["services"][store]["healthcheck"]["test"]


def test_compose_gives_each_part_its_port_and_a_readiness_check() -> None:
    assert PLATFORM_SERVICES["gateway"]["ports"] == [f"127.0.0.1:{PARTS['gateway']}:8000"]
    env = PLATFORM_SERVICES["gateway"]["environment"]
    for part, port in PARTS.items():
        assert env[f"{part.upper()}_URL"] == f"http://{part}:{port}"
        probe = " ".join(PLATFORM_SERVICES[part]["healthcheck"]["test"])
        assert f"http://127.0.0.1:{port}/readyz" in probe, part


def test_compose_sets_only_variables_the_settings_read() -> None:
    for name, service in PLATFORM_SERVICES.items():
        assert set(service["environment"]) - SETTINGS == set(), name
    secrets = ("INTERNAL_SECRET", "DATABASE_URL", "REDIS_URL")
    env = PLATFORM_SERVICES["points"]["environment"]
    assert all("${" in env[name] for name in secrets)  # from the operator, never in the file


# --- Kubernetes ----------------------------------------------------------------------------
K8S = DEPLOY / "k8s"
KUSTOMIZATION = yaml.safe_load((K8S / "kustomization.yaml").read_text())


def manifests() -> list[dict[str, Any]]:
    documents: list[dict[str, Any]] = []
    for name in KUSTOMIZATION["resources"]:
        documents += [d for d in yaml.safe_load_all((K8S / name).read_text()) if d]
    return documents


def of_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in manifests() if d["kind"] == kind}


def test_the_kustomization_lists_every_manifest_but_the_secret_example() -> None:
    files = {path.name for path in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(KUSTOMIZATION["resources"]) == files - {"secret.example.yaml"}


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl is not installed")
def test_kubectl_builds_the_kustomization() -> None:
    built = subprocess.run(
        ["kubectl", "kustomize", str(K8S)], capture_output=True, text=True, timeout=60
    )
    assert built.returncode == 0, built.stderr
    kinds = sorted(d["kind"] for d in yaml.safe_load_all(built.stdout))
    assert kinds == sorted(d["kind"] for d in manifests())
    assert "image: registry.example.org/learning-incentives:0.1.0" in built.stdout


def container(deployment: dict[str, Any]) -> dict[str, Any]:
    (only,) = deployment["spec"]["template"]["spec"]["containers"]
    return only


def test_every_part_is_a_deployment_running_its_process() -> None:
    deployments = of_kind("Deployment")
    assert set(deployments) == PROCESSES
    for name, deployment in deployments.items():
        spec = deployment["spec"]
        assert (
            spec["selector"]["matchLabels"].items()
            <= spec["template"]["metadata"]["labels"].items()
        )
        assert container(deployment)["args"] == ["part", name]
        refs = [next(iter(ref.values()))["name"] for ref in container(deployment)["envFrom"]]
        assert refs == ["platform-config", "platform-secrets"]
    assert deployments["ticker"]["spec"]["replicas"] == 1  # exactly one clock
    assert deployments["ticker"]["spec"]["strategy"] == {"type": "Recreate"}
    assert container(of_kind("Job")["migrate"])["args"] == ["migrate"]


def test_every_web_part_has_its_port_probes_and_service() -> None:
    deployments, services = of_kind("Deployment"), of_kind("Service")
    assert set(services) == set(PARTS)
    for part, port in PARTS.items():
        web = container(deployments[part])
        assert web["ports"] == [{"name": "http", "containerPort": port}]
        assert web["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        assert web["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
        assert services[part]["spec"]["ports"] == [
            {"name": "http", "port": port, "targetPort": "http"}
        ]
    for name in PROCESSES - set(PARTS):  # the worker and the ticker serve nothing
        assert "ports" not in container(deployments[name])


def test_the_config_and_the_secret_name_only_settings_and_the_services_urls() -> None:
    config = of_kind("ConfigMap")["platform-config"]["data"]
    assert set(config) - SETTINGS == set()
    for part, port in PARTS.items():
        assert config[f"{part.upper()}_URL"] == f"http://{part}:{port}"
    example = yaml.safe_load((K8S / "secret.example.yaml").read_text())
    assert set(example["stringData"]) == {"DATABASE_URL", "REDIS_URL", "INTERNAL_SECRET"}
    assert set(example["stringData"]) <= SETTINGS


def test_the_ingress_sends_everything_to_the_gateway_within_the_body_limit() -> None:
    ingress = of_kind("Ingress")["gateway"]
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    assert path["backend"]["service"] == {"name": "gateway", "port": {"name": "http"}}
    limit = ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/proxy-body-size"]
    assert limit == "2m" and Settings.from_env({}).max_body_bytes == 2 * 1024 * 1024


def test_the_probe_paths_are_served_by_every_web_part(settings: Settings) -> None:
    from deploy.processes import APPS

    for part, target in APPS.items():
        module, factory = target.removesuffix("()").split(":")
        app = getattr(__import__(module, fromlist=[factory]), factory)(settings)
        rules = {rule.rule for rule in app.url_map.iter_rules()}
        assert set(WEB_PATHS) <= rules, part


# --- systemd -------------------------------------------------------------------------------
SYSTEMD = DEPLOY / "systemd"


def unit(name: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys keep their case
    parser.read_string((SYSTEMD / name).read_text())
    return parser


def test_the_systemd_units_run_each_part_after_the_migrations() -> None:
    template = unit("learning-incentives@.service")
    python = "/opt/learning-incentives/.venv/bin/python -m deploy.platform"
    assert template["Service"]["ExecStart"] == f"{python} part %i"
    assert template["Unit"]["Requires"] == "learning-incentives-migrate.service"
    assert template["Install"]["WantedBy"] == "learning-incentives.target"
    migrate = unit("learning-incentives-migrate.service")
    assert migrate["Service"]["ExecStart"] == f"{python} migrate"
    assert migrate["Service"]["Type"] == "oneshot"
    for parsed in (template, migrate):
        assert parsed["Service"]["User"] == "learning-incentives"
        assert parsed["Service"]["EnvironmentFile"] == "/etc/learning-incentives/platform.env"
        assert parsed["Service"]["UMask"] == "0077"


def test_the_target_starts_every_part() -> None:
    lines = (SYSTEMD / "learning-incentives.target").read_text().splitlines()
    wanted = {word for line in lines if line.startswith("Wants=") for word in line[6:].split()}
    assert wanted == {"learning-incentives-migrate.service"} | {
        f"learning-incentives@{name}.service" for name in PROCESSES
    }
    assert unit("learning-incentives.target")["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_verifies_the_units_without_a_word(tmp_path: Path) -> None:
    """systemd's own checker on the units as installed (the checkout at this repository's
    root, so that the commands exist), one instance of the template per part."""
    units = []
    for source in SYSTEMD.glob("learning-incentives*"):
        text = source.read_text().replace("/opt/learning-incentives", str(ROOT))
        names = [source.name]
        if source.name == "learning-incentives@.service":
            names = [f"learning-incentives@{name}.service" for name in sorted(PROCESSES)]
        for name in names:
            (tmp_path / name).write_text(text)
            units.append(str(tmp_path / name))
    checked = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *units], capture_output=True, text=True,
        timeout=60, cwd=tmp_path,
    )  # fmt: skip
    # It answers 0 even for a line it ignores: any word it says is a finding.
    assert (checked.returncode, checked.stdout + checked.stderr) == (0, "")


def test_the_example_environment_names_only_settings() -> None:
    lines = (SYSTEMD / "platform.env.example").read_text().splitlines()
    names = {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}
    assert names and names - SETTINGS == set()


# --- the image ------------------------------------------------------------------------------
CONTAINERFILE = (DEPLOY / "container" / "Containerfile").read_text()


def test_the_image_is_python_3_11_slim_running_the_platform_as_its_own_user() -> None:
    stages = [line.split()[1] for line in CONTAINERFILE.splitlines() if line.startswith("FROM ")]
    assert stages[-1] == "docker.io/library/python:3.11-slim-bookworm"
    assert 'ENTRYPOINT ["python", "-m", "deploy.platform"]' in CONTAINERFILE
    assert "USER platform" in CONTAINERFILE and "-c constraints.txt" in CONTAINERFILE
    exposed = next(line for line in CONTAINERFILE.splitlines() if line.startswith("EXPOSE "))
    assert sorted(int(port) for port in exposed.split()[1:]) == sorted(PARTS.values())
    for line in CONTAINERFILE.splitlines():  # every source copied from the context exists
        if line.startswith("COPY ") and "--from" not in line:
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source


def engine() -> str | None:
    """A container engine that can build here (a client without its daemon cannot)."""
    for name in ("podman", "docker"):
        if shutil.which(name):
            ready = subprocess.run([name, "info"], capture_output=True, timeout=30)
            if ready.returncode == 0:
                return name
    return None


@pytest.mark.skipif(engine() is None, reason="no container engine that can build here")
def test_the_image_builds() -> None:
    name = engine()
    assert name is not None
    built = subprocess.run(
        [name, "build", "-f", "deploy/container/Containerfile", "-t", "learning-incentives", "."],
        cwd=ROOT, capture_output=True, text=True, timeout=1200,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-4000:]
