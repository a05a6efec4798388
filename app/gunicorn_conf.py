"""gunicorn settings for Deelkracht: ``gunicorn --config python:app.gunicorn_conf ...`` (the
Dockerfile's default command and the Kubernetes web Deployment).

Prometheus multiprocess mode: every gunicorn worker writes its figures to files in
``PROMETHEUS_MULTIPROC_DIR`` and ``/metrics`` adds them up. The folder is emptied when the
master starts (figures of a previous run would count twice) and a worker's files are marked dead
when it exits.
"""

import gc
import os
import shutil

from prometheus_client import multiprocess

# No access log of gunicorn's own: it would hold full URLs (ids, search words). The application
# logs each request by route template instead (app/logs.py).
accesslog = None
# gunicorn's worker heartbeat files go to the temporary folder (/tmp, an emptyDir on Kubernetes:
# the root filesystem is read-only).
graceful_timeout = 25


def on_starting(server):
    path = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if path:
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path, exist_ok=True)


def post_worker_init(worker):
    """The worker has loaded the app: collect what its start left over, then move everything
    else it made (modules, the app, its first caches: ~220,000 objects) out of the cyclic
    garbage collector's sight (``gc.freeze``). They live as long as the worker; a full
    collection walked them all (~100 ms) inside whichever request set it off, such as the
    first candidates page of an arrangement (bench/country.py)."""
    gc.collect()
    gc.freeze()


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)


# LOG_FORMAT=json: gunicorn's own lines (start, worker exits, timeouts) as JSON objects too, in
# the same shape as the application's (app/logs.py), so one log pipeline reads them all.
if os.environ.get("LOG_FORMAT", "text").lower() == "json":
    _json_handler = {
        "class": "logging.StreamHandler",
        "formatter": "json",
        "stream": "ext://sys.stderr",
    }
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "app.logs.json_formatter"}},
        "handlers": {"console": dict(_json_handler), "error_console": dict(_json_handler)},
        "root": {"level": os.environ.get("LOG_LEVEL", "INFO"), "handlers": ["console"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
        },
    }
