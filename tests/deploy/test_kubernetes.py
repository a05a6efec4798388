"""deploy/kubernetes renders (``kubectl kustomize``), validates against the Kubernetes API schemas
offline (kubernetes-validate, strict) and meets the Haven-style rules a municipal cluster checks:
non-root, read-only root filesystem, no privilege escalation, all capabilities dropped, requests
and limits, probes, pinned images, no service-account token, a NetworkPolicy over every pod,
two or more web pods with an HPA and a PodDisruptionBudget, exactly one scheduler, migrations in
a Job as the owner, Secrets by reference only.

kubectl is no Debian package: ``.ci/run`` installs it (scripts/install_kubectl.sh). Without it
these tests skip on a laptop and fail under CI.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from tests.support.environment import IN_CI

ROOT = Path(__file__).resolve().parents[2]
KUSTOMIZE = ROOT / "deploy" / "kubernetes"
OVERLAYS = ("base", "overlays/test", "overlays/production")
# Kubernetes versions the manifests must be valid for: an older one still supported by the
# providers municipalities use, and the newest the validator knows.
K8S_VERSIONS = ("1.31.0", "1.34.0")
WORKLOADS = {"Deployment", "Job", "StatefulSet", "DaemonSet", "CronJob"}


def kubectl() -> str | None:
    for candidate in (
        os.environ.get("KUBECTL"),
        shutil.which("kubectl"),
        "/usr/local/bin/kubectl",
        "/usr/bin/kubectl",
    ):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


_rendered: dict[str, list[dict]] = {}


def render(overlay: str) -> list[dict]:
    if overlay not in _rendered:
        binary = kubectl()
        if binary is None:
            message = "kubectl not found (scripts/install_kubectl.sh installs it)"
            pytest.fail(message) if IN_CI else pytest.skip(message)
        result = subprocess.run(
            [binary, "kustomize", str(KUSTOMIZE / overlay)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        _rendered[overlay] = [doc for doc in yaml.safe_load_all(result.stdout) if doc]
    return _rendered[overlay]


def by_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


def pod_spec(workload: dict) -> dict:
    if workload["kind"] == "CronJob":
        return workload["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    return workload["spec"]["template"]["spec"]


def containers(workload: dict) -> list[dict]:
    spec = pod_spec(workload)
    return spec.get("initContainers", []) + spec["containers"]


def selects(selector: dict, labels: dict) -> bool:
    return all(labels.get(k) == v for k, v in selector.get("matchLabels", {}).items())


@pytest.mark.parametrize("overlay", OVERLAYS)
@pytest.mark.parametrize("version", K8S_VERSIONS)
def test_manifests_render_and_validate_against_the_kubernetes_schemas(overlay, version):
    docs = render(overlay)
    kinds = {d["kind"] for d in docs}
    assert {"Deployment", "Job", "Service", "HorizontalPodAutoscaler"} <= kinds
    assert {"PodDisruptionBudget", "NetworkPolicy", "ConfigMap", "ServiceAccount"} <= kinds
    for doc in docs:
        # strict: unknown fields (a typo such as `readOnlyRootFileSystem`) fail too.
        kubernetes_validate.validate(doc, version, strict=True)


def test_the_validator_rejects_a_wrong_field():
    """The check above has teeth: a misspelt field fails validation."""
    deployment = dict(by_kind(render("base"), "Deployment")["deelkracht-web"])
    broken = yaml.safe_load(yaml.safe_dump(deployment))
    broken["spec"]["template"]["spec"]["containers"][0]["securityContext"][
        "readOnlyRootFileSystem"
    ] = True
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSIONS[0], strict=True)


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_pod_is_hardened(overlay):
    """Non-root, read-only root filesystem, no escalation, no capabilities, seccomp, no API
    token, requests and limits for CPU and memory, an image with a fixed tag."""
    workloads = [d for d in render(overlay) if d["kind"] in WORKLOADS]
    assert len(workloads) == 4  # web, worker, scheduler, migrate
    for workload in workloads:
        name = workload["metadata"]["name"]
        spec = pod_spec(workload)
        assert spec["automountServiceAccountToken"] is False, name
        assert spec["securityContext"]["runAsNonRoot"] is True, name
        assert spec["securityContext"]["runAsUser"] >= 1000, name
        assert spec["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault", name
        for container in containers(workload):
            where = f"{name}/{container['name']}"
            context = container["securityContext"]
            assert context["readOnlyRootFilesystem"] is True, where
            assert context["allowPrivilegeEscalation"] is False, where
            assert context["capabilities"]["drop"] == ["ALL"], where
            assert "add" not in context["capabilities"], where
            assert not context.get("privileged"), where
            for part in ("requests", "limits"):
                assert {"cpu", "memory"} <= set(container["resources"][part]), where
            image = container["image"]
            repository, _, tag = image.rpartition(":")
            assert "/" in repository and tag and tag != "latest", where
            assert container.get("imagePullPolicy") != "Always" or "@sha256:" in image, where
            # Whatever writes (gunicorn's heartbeat, metrics files, font caches) writes to /tmp.
            mounts = {m["mountPath"] for m in container.get("volumeMounts", [])}
            assert "/tmp" in mounts, where  # noqa: S108


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_web_is_highly_available_with_probes(overlay):
    docs = render(overlay)
    web = by_kind(docs, "Deployment")["deelkracht-web"]
    assert web["spec"]["replicas"] >= 2
    assert web["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    container = web["spec"]["template"]["spec"]["containers"][0]
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert "startupProbe" in container
    labels = web["spec"]["template"]["metadata"]["labels"]
    hpa = by_kind(docs, "HorizontalPodAutoscaler")["deelkracht-web"]
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "deelkracht-web",
    }
    assert (
        hpa["spec"]["minReplicas"] >= 2 and hpa["spec"]["maxReplicas"] > hpa["spec"]["minReplicas"]
    )
    pdbs = [p for p in by_kind(docs, "PodDisruptionBudget").values()]
    assert any(
        selects(p["spec"]["selector"], labels) and p["spec"]["minAvailable"] >= 1 for p in pdbs
    )
    service = by_kind(docs, "Service")["deelkracht-web"]
    assert service["spec"]["selector"] == web["spec"]["selector"]["matchLabels"]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_exactly_one_scheduler_and_workers_without_it(overlay):
    """The schedules run in one place: a single scheduler pod replaced with Recreate (never two
    side by side), no autoscaler on it; the workers and web pods never schedule."""
    docs = render(overlay)
    deployments = by_kind(docs, "Deployment")
    scheduler = deployments["deelkracht-scheduler"]
    assert scheduler["spec"]["replicas"] == 1
    assert scheduler["spec"]["strategy"]["type"] == "Recreate"
    assert scheduler["spec"]["template"]["spec"]["containers"][0]["command"][:2] == [
        "deelkracht",
        "scheduler",
    ]
    targets = {
        h["spec"]["scaleTargetRef"]["name"]
        for h in by_kind(docs, "HorizontalPodAutoscaler").values()
    }
    assert "deelkracht-scheduler" not in targets
    worker = deployments["deelkracht-worker"]["spec"]["template"]["spec"]["containers"][0]
    assert worker["command"] == ["deelkracht", "worker", "--without-scheduler"]
    assert worker["livenessProbe"]["exec"]["command"] == ["deelkracht", "worker-alive"]
    web = deployments["deelkracht-web"]["spec"]["template"]["spec"]["containers"][0]
    assert web["command"][0] == "gunicorn"
    # Only the scheduler and workers ever run `deelkracht worker`/`scheduler`.
    others = [d for n, d in deployments.items() if n != "deelkracht-scheduler"]
    for deployment in others:
        for container in containers(deployment):
            assert "scheduler" not in container["command"][:2]


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_migrations_run_in_a_job_as_the_owner_and_pods_wait_for_them(overlay):
    docs = render(overlay)
    job = by_kind(docs, "Job")["deelkracht-migrate"]
    container = job["spec"]["template"]["spec"]["containers"][0]
    assert "deelkracht db upgrade" in " ".join(container["command"])
    env = {e["name"]: e for e in container["env"]}
    assert env["MIGRATE_DATABASE_URL"]["valueFrom"]["secretKeyRef"]["name"] == "deelkracht-migrate"
    assert env["DEELKRACHT_APP_ROLE"]["value"] == "deelkracht_app"
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    for name in ("deelkracht-web", "deelkracht-worker", "deelkracht-scheduler"):
        deployment = by_kind(docs, "Deployment")[name]
        init = deployment["spec"]["template"]["spec"]["initContainers"]
        assert init[0]["command"][:2] == ["deelkracht", "wait-for-schema"], name


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_secrets_are_referenced_never_written_and_configmaps_exist(overlay):
    docs = render(overlay)
    assert not [d for d in docs if d["kind"] == "Secret"]
    configmaps = set(by_kind(docs, "ConfigMap"))
    secrets = set()
    for workload in (d for d in docs if d["kind"] in WORKLOADS):
        for container in containers(workload):
            for source in container.get("envFrom", []):
                if "configMapRef" in source:
                    assert source["configMapRef"]["name"] in configmaps
                else:
                    secrets.add(source["secretRef"]["name"])
            for entry in container.get("env", []):
                ref = entry.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    secrets.add(ref["name"])
        for volume in pod_spec(workload).get("volumes", []):
            if "configMap" in volume:
                assert volume["configMap"]["name"] in configmaps
    assert secrets == {"deelkracht", "deelkracht-migrate"}
    for configmap in by_kind(docs, "ConfigMap").values():
        for key in configmap.get("data", {}):
            assert not any(word in key for word in ("PASSWORD", "SECRET", "TOKEN")), key
            assert key != "DATABASE_URL"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_network_policies_cover_every_pod(overlay):
    """Every Deelkracht pod is under a policy that restricts both ingress and egress; only the
    web pods (and the workers' metrics port) take traffic, and from named namespaces only."""
    docs = render(overlay)
    policies = list(by_kind(docs, "NetworkPolicy").values())
    for workload in (d for d in docs if d["kind"] in WORKLOADS):
        labels = workload["spec"]["template"]["metadata"]["labels"]
        covering = [p for p in policies if selects(p["spec"]["podSelector"], labels)]
        types = {t for p in covering for t in p["spec"]["policyTypes"]}
        assert {"Ingress", "Egress"} <= types, workload["metadata"]["name"]
    for policy in policies:
        for rule in policy["spec"].get("ingress", []):
            assert rule.get("from"), policy["metadata"]["name"]  # never from anywhere
            assert all("namespaceSelector" in peer for peer in rule["from"])


def test_the_production_overlay_serves_over_tls_with_hsts():
    docs = render("overlays/production")
    ingress = by_kind(docs, "Ingress")["deelkracht"]
    hosts = {h for t in ingress["spec"]["tls"] for h in t["hosts"]}
    assert {r["host"] for r in ingress["spec"]["rules"]} <= hosts
    configs = [c for c in by_kind(docs, "ConfigMap").values() if "BASE_URL" in c.get("data", {})]
    assert len(configs) == 1
    data = configs[0]["data"]
    assert data["BASE_URL"].startswith("https://")
    assert int(data["HSTS_MAX_AGE"]) >= 31536000
    assert data["LOG_FORMAT"] == "json"
    assert data["PROMETHEUS_MULTIPROC_DIR"].startswith("/tmp/")  # noqa: S108


def test_the_commands_the_manifests_run_exist():
    """Every `deelkracht` subcommand and option the manifests use is one the CLI has, and the
    gunicorn config file they name is in the image."""
    from click.testing import CliRunner

    from worker.cli import cli

    seen = set()
    for workload in (d for d in render("base") if d["kind"] in WORKLOADS):
        for container in containers(workload):
            command = container["command"]
            probe = container.get("livenessProbe", {}).get("exec", {}).get("command")
            for argv in (command, probe):
                if argv and argv[0] == "deelkracht":
                    seen.add(argv[1])
                    result = CliRunner().invoke(cli, [argv[1], "--help"])
                    assert result.exit_code == 0, (argv, result.output)
                    for option in (a for a in argv[2:] if a.startswith("--")):
                        assert option in result.output, (argv, option)
            if command[0] == "gunicorn":
                # A module of the package, so it is in the image (.dockerignore drops deploy/).
                config = command[command.index("--config") + 1]
                assert config.startswith("python:app.")
                assert (ROOT / (config.removeprefix("python:").replace(".", "/") + ".py")).is_file()
    assert {"wait-for-schema", "worker", "worker-alive", "scheduler", "scheduler-alive"} <= seen


def test_the_commands_start_with_the_configmaps_environment(tmp_path):
    """Each `deelkracht` command of the manifests starts in a fresh process with the ConfigMap's
    variables (its folders moved under a temporary one): e.g. the metrics folder that only
    gunicorn's hook would create must not stop the worker, scheduler or init containers."""
    import sys

    config = next(
        c
        for c in by_kind(render("overlays/production"), "ConfigMap").values()
        if "LOG_FORMAT" in c["data"]
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DEELKRACHT_", "PROMETHEUS"))}
    for key, value in config["data"].items():
        for prefix in ("/tmp/", "/var/lib/deelkracht"):  # noqa: S108
            if value.startswith(prefix):
                value = str(tmp_path / value.strip("/").replace("/", "_"))
        env[key] = value
    env["SECRET_KEY"] = "test"
    assert not Path(env["PROMETHEUS_MULTIPROC_DIR"]).exists()
    script = str(Path(sys.executable).with_name("deelkracht"))
    result = subprocess.run(
        [script, "wait-for-schema", "--timeout", "0"],
        env={**env, "DATABASE_URL": f"sqlite:///{tmp_path / 'none.db'}"},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    assert "this code needs" in result.stderr
