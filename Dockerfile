# syntax=docker/dockerfile:1
# Deelkracht: web (gunicorn, the default command) and worker (`deelkracht worker`) in one image.
#   docker build -t deelkracht .
#   docker run -e DATABASE_URL=... -e REDIS_URL=... -e SECRET_KEY=... -p 8000:8000 deelkracht
#   docker run ... deelkracht deelkracht worker
# compose.yaml wires it to PostgreSQL and Redis. The code runs from /srv/deelkracht (templates,
# migrations and tenant files live beside the packages), installed into /opt/venv in editable mode, its
# dependencies from the lock file.

FROM python:3.11-slim-bookworm AS builder
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PATH="/opt/venv/bin:$PATH"
RUN python -m venv /opt/venv
WORKDIR /srv/deelkracht
# The runtime dependencies first, exactly as locked (requirements/runtime.txt: versions and
# hashes, the same versions the tests ran with): this layer is rebuilt only when the lock changes.
COPY requirements/runtime.txt ./requirements/runtime.txt
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements/runtime.txt
COPY . .
RUN pip install --no-cache-dir --no-deps -e . \
    && if find app/translations -name '*.po' 2>/dev/null | grep -q .; then pybabel compile -d app/translations; fi

FROM python:3.11-slim-bookworm AS runtime
# WeasyPrint (agreement PDFs) needs Pango, HarfBuzz and a font; nothing else is added.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-dejavu-core shared-mime-info \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 deelkracht \
    && useradd --system --uid 10001 --gid deelkracht --home-dir /var/lib/deelkracht \
        --shell /usr/sbin/nologin deelkracht \
    && install -d -o deelkracht -g deelkracht -m 0700 /var/lib/deelkracht
ENV PATH="/opt/venv/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DEELKRACHT_INSTANCE=/var/lib/deelkracht \
    LOG_LEVEL=INFO \
    RQ_QUEUE=deelkracht \
    WEB_CONCURRENCY=2
# Code and venv belong to root: the service user can run them, not change them.
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /srv/deelkracht /srv/deelkracht
WORKDIR /srv/deelkracht
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
# gunicorn takes its worker count from WEB_CONCURRENCY; behind a proxy set FORWARDED_ALLOW_IPS
# and PROXY_FIX_X_FOR.
# app/gunicorn_conf.py: no access log of URLs (the app logs route templates), metrics, GC freeze.
CMD ["gunicorn", "--config", "python:app.gunicorn_conf", "--bind", "0.0.0.0:8000", "--threads", "4", "app:create_app()"]
