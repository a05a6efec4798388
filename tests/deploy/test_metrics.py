"""/metrics: the series of issue 15 after real requests, labels by route template only (no id,
no e-mail, no search words), behind METRICS_TOKEN; in gunicorn's multiprocess mode the figures
of all workers add up."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app.matches import rendering
from tests.ids import api_id
from tests.matches.test_rendering import pending_agreement

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "metrics-test-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SAMPLE = re.compile(r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?P<labels>.*)\})? (?P<value>\S+)$")
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def parse(text: str) -> list[tuple[str, dict, float]]:
    samples = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        match = SAMPLE.match(line)
        assert match, line
        labels = dict(LABEL.findall(match["labels"] or ""))
        samples.append((match["name"], labels, float(match["value"])))
    return samples


def value(samples, name, route=None, **labels) -> float:
    if route is not None:
        labels["route"] = route
    return sum(
        v for n, lab, v in samples if n == name and all(lab.get(k) == w for k, w in labels.items())
    )


def test_metrics_need_the_token(make_app):
    assert make_app().test_client().get("/metrics").status_code == 404  # no token: no endpoint
    client = make_app(METRICS_TOKEN=TOKEN).test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/metrics", headers={"Authorization": TOKEN}).status_code == 401
    assert client.get("/metrics", headers=AUTH).status_code == 200


def test_metrics_show_the_series_and_no_id_or_personal_data_in_labels(
    make_app, world, in_arrangement, login
):
    app = make_app(METRICS_TOKEN=TOKEN)
    client = app.test_client()
    agreement_id, arrangement_id, _match_id = pending_agreement(world, in_arrangement)
    with in_arrangement(arrangement_id) as s:
        from app.matches.models import Agreement

        job_id = s.get(Agreement, agreement_id).match.job_id
    hr = world.meer.ermelo.hr
    # Requests with ids and a personal search word in the URL, and two failed logins.
    login(client, hr)
    for path in (
        f"/klussen/{api_id('job', job_id)}",
        f"/klussen/{api_id('job', job_id)}/kandidaten",
        "/klussen?q=Jansen",
    ):
        assert client.get(path).status_code in (200, 403, 404), path
    client.get("/logout")
    # (the counters live in the process: other tests in it may have failed logins too)
    failed_before = value(
        parse(client.get("/metrics", headers=AUTH).get_data(as_text=True)),
        "deelkracht_http_requests_total",
        route="/login",
        status="401",
    )
    for _ in range(2):
        response = client.post("/login", data={"email": hr.email, "password": "wrong-password"})
        assert response.status_code == 401
    # An agreement rendered (the worker's job, run here).
    with app.app_context():
        assert rendering.render(agreement_id, arrangement_id) == "ready"

    response = client.get("/metrics", headers=AUTH)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    samples = parse(text)

    assert value(samples, "deelkracht_http_requests_total", route="/klussen/<int:job_id>") >= 1
    assert value(samples, "deelkracht_http_requests_total", route="/login", status="401") == (
        failed_before + 2
    )
    assert (
        value(
            samples,
            "deelkracht_http_request_duration_seconds_count",
            route="/klussen/<int:job_id>/kandidaten",
        )
        >= 1
    )
    assert value(samples, "deelkracht_login_failures_total", reason="invalid") >= 2
    assert value(samples, "deelkracht_agreement_render_seconds_count") >= 1
    assert any(n == "deelkracht_agreement_render_failures_total" for n, _, _ in samples)
    assert value(samples, "deelkracht_outbox_backlog") >= 0
    assert any(n == "deelkracht_outbox_oldest_age_seconds" for n, _, _ in samples)
    assert any(n == "deelkracht_queue_depth" for n, _, _ in samples)

    # No id, e-mail, name or search word in any label value of ours.
    ours = [sample for sample in samples if sample[0].startswith("deelkracht_")]
    assert len(ours) > 20
    for name, labels, _ in ours:
        for key, label in labels.items():
            where = f"{name}{{{key}={label}}}"
            assert "@" not in label, where
            assert "Jansen" not in label and "?" not in label, where
            assert not re.search(r"/\d+(/|$)", label), where
            assert label != str(job_id) or key == "le", where
            assert hr.name not in label, where


def test_outbox_backlog_counts_every_arrangement(make_app, world, in_arrangement):
    """The backlog is the sum over arrangements (each counted in its own context: RLS)."""
    from app.outbox.operations import record
    from app.transaction import commit

    app = make_app(METRICS_TOKEN=TOKEN)
    for arrangement in (world.meer.arrangement, world.elders.arrangement):
        with in_arrangement(arrangement.id):
            record("test.metrics", recipient_id=None)
            commit()
    samples = parse(app.test_client().get("/metrics", headers=AUTH).get_data(as_text=True))
    assert value(samples, "deelkracht_outbox_backlog") >= 2
    assert value(samples, "deelkracht_outbox_oldest_age_seconds") >= 0


HEALTHZ = ("deelkracht_http_requests_total",)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, headers: dict | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


def test_gunicorn_workers_add_up_in_multiprocess_mode(tmp_path):
    """Two gunicorn workers with app/gunicorn_conf.py: /metrics counts the requests of both."""
    port = _free_port()
    metrics_dir = tmp_path / "metrics"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DEELKRACHT_", "DATABASE"))},
        "DEELKRACHT_INSTANCE": str(tmp_path),
        "SECRET_KEY": "test",
        "METRICS_TOKEN": TOKEN,
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "WEB_CONCURRENCY": "2",
        "LOG_FORMAT": "json",
    }
    env.pop("REDIS_URL", None)
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "--config", "python:app.gunicorn_conf", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "app:create_app()"]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                _get(base + "/healthz")
                break
            except OSError:
                assert process.poll() is None, process.stderr.read().decode()[-2000:]
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.3)
        before = value(parse(_get(base + "/metrics", AUTH)[1]), *HEALTHZ, route="/healthz")
        # Eight at a time, so that a busy worker leaves the next request to the other one (one
        # after another, the worker that just answered may take them all on a loaded machine),
        # until both workers have answered and written their own files.
        sent = 0
        with ThreadPoolExecutor(max_workers=8) as pool:
            for _ in range(50):
                list(pool.map(lambda _: _get(base + "/healthz"), range(8)))
                sent += 8
                pids = {p.name.split("_")[-1] for p in metrics_dir.glob("*.db")}
                if sent >= 40 and len(pids) == 2:
                    break
        status, text = _get(base + "/metrics", AUTH)
        assert status == 200
        # Every answer to /healthz, counted in the files of both worker processes.
        assert value(parse(text), *HEALTHZ, route="/healthz") - before == sent
        assert len(pids) == 2, pids
    finally:
        process.terminate()
        process.wait(timeout=30)
    # LOG_FORMAT=json: gunicorn's own lines and the application's are JSON objects, one a line.
    lines = [line for line in process.stderr.read().decode().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    assert any(r["logger"] == "gunicorn.error" for r in records)
    assert any(r["logger"] == "deelkracht.request" and r["route"] == "/healthz" for r in records)


@pytest.mark.postgres
@pytest.mark.redis
def test_the_worker_serves_render_metrics_on_its_own_port(
    make_app, schema, world, in_arrangement, redis_url, unique_queue, tmp_path
):
    """`deelkracht worker` with METRICS_PORT: after it rendered an agreement, its port shows the
    render time (the web pods never render, so the figure must come from the worker)."""
    import signal

    import redis

    agreement_id, arrangement_id, _ = pending_agreement(world, in_arrangement)
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DEELKRACHT_", "PROMETHEUS"))},
        "DATABASE_URL": schema.app_url,
        "REDIS_URL": redis_url,
        "RQ_QUEUE": unique_queue,
        "SECRET_KEY": "test",
        "DEELKRACHT_INSTANCE": str(tmp_path),
        "METRICS_PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }
    worker = subprocess.Popen(
        [str(Path(sys.executable).with_name("deelkracht")), "worker", "--without-scheduler"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        app = make_app(REDIS_URL=redis_url, RQ_QUEUE=unique_queue)
        with app.app_context():
            assert rendering.enqueue(agreement_id, arrangement_id, 1) == "enqueued"
        deadline = time.monotonic() + 90
        while True:
            try:
                samples = parse(_get(f"http://127.0.0.1:{port}/metrics")[1])
                if value(samples, "deelkracht_agreement_render_seconds_count") >= 1:
                    break
            except OSError:
                pass
            assert worker.poll() is None, worker.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "no render figure on the worker's port"
            time.sleep(0.5)
        assert value(samples, "deelkracht_agreement_render_failures_total") == 0
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
        connection = redis.Redis.from_url(redis_url)
        for key in connection.scan_iter(f"rq:*{unique_queue}*"):
            connection.delete(key)
        connection.close()
