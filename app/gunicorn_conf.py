"""gunicorn settings for Deelkracht: ``gunicorn --config python:app.gunicorn_conf ...`` (the
Kubernetes web Deployment; the Dockerfile's default command works without).

Prometheus multiprocess mode: every gunicorn worker writes its figures to files in
``PROMETHEUS_MULTIPROC_DIR`` and ``/metrics`` adds them up. The folder is emptied when the
master starts (figures of a previous run would count twice) and a worker's files are marked dead
when it exits.
"""

import os
import shutil

# No access log of gunicorn's own: it would hold full URLs (ids, search words). The application
# logs each request by route template instead (app/logs.py).
accesslog = None
# Heartbeat files on the memory-backed emptyDir, not on the read-only root filesystem.
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/tmp")  # noqa: S108
graceful_timeout = 25


def on_starting(server):
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
