"""Issue 10, findings 8 and 9: what the answers' headers promise.

8. An agreement PDF (personal data) is sent ``Cache-Control: no-store``, like every other
   answer to a logged-in user or the API, not send_file's ``no-cache``.
9. Every HTTPS answer carries ``Strict-Transport-Security``, also behind a proxy that says
   ``X-Forwarded-Proto: https``; plain HTTP does not (RFC 6797 7.2). The demo server names no
   software or version in ``Server``.
"""

from __future__ import annotations

import threading
import urllib.request

from werkzeug.serving import make_server

from app.cli import AnonymousHandler
from tests.ids import api_id
from tests.matches.helpers import approve_all, propose

YEAR = "max-age=31536000"


def test_agreement_pdfs_are_not_stored_by_any_cache(client, app, world, scene, api_token, login):
    """The PDF through the API and the web page: ``no-store`` and nothing else."""
    meer = world.meer
    match_id = propose(client, api_token(meer.ermelo.lead), application_id=scene.application)
    approve_all(
        client, api_token, match_id, meer.harderwijk.emp, meer.harderwijk.hr, meer.ermelo.lead
    )
    pdf = client.get(
        f"/api/v1/matches/{api_id('match', match_id)}/agreement.pdf",
        headers=api_token(meer.harderwijk.hr),
    )
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers.getlist("Cache-Control") == ["no-store"]
    web = app.test_client()
    login(web, meer.harderwijk.emp)
    page = web.get(f"/detacheringen/{api_id('match', match_id)}/overeenkomst.pdf")
    assert page.status_code == 200 and page.mimetype == "application/pdf"
    assert page.headers.getlist("Cache-Control") == ["no-store"]


def test_https_answers_carry_hsts_and_http_answers_do_not(client):
    """Over HTTPS (TLS at the server): HSTS for a year; over plain HTTP: none."""
    secure = client.get("/login", base_url="https://deelkracht.example")
    assert secure.headers.get("Strict-Transport-Security") == YEAR
    plain = client.get("/login", base_url="http://deelkracht.example")
    assert "Strict-Transport-Security" not in plain.headers


def test_behind_a_trusted_proxy_forwarded_https_gets_hsts(make_app, monkeypatch):
    """With ``PROXY_FIX_X_FOR=1`` the proxy's ``X-Forwarded-Proto: https`` makes the request
    HTTPS: HSTS is sent (and an untrusted second hop is not believed)."""
    monkeypatch.setenv("PROXY_FIX_X_FOR", "1")
    app = make_app(HSTS_MAX_AGE=31536000)
    client = app.test_client()
    forwarded = client.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert forwarded.headers.get("Strict-Transport-Security") == YEAR
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_hsts_can_be_switched_off(make_app):
    """``HSTS_MAX_AGE=0`` (e.g. while trying HTTPS out) leaves the header out."""
    client = make_app(HSTS_MAX_AGE=0).test_client()
    assert (
        "Strict-Transport-Security"
        not in client.get("/login", base_url="https://deelkracht.example").headers
    )


def test_the_demo_server_names_no_software_or_version(app):
    """The demo's request handler answers ``Server: Deelkracht``: no Werkzeug, no Python."""
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=AnonymousHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/healthz", timeout=10) as r:
            assert r.status == 200
            assert r.headers.get_all("Server") == ["Deelkracht"]
    finally:
        server.shutdown()
        thread.join(timeout=10)
