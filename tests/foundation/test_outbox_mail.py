"""E-mail goes out over SMTP when a server is configured, and to the log when none is."""

from __future__ import annotations

import logging
import os
import socket
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller
from flask_babel import force_locale, gettext

from app.config import from_environment


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller, inbox
    finally:
        controller.stop()


def test_mail_is_delivered_through_a_real_smtp_server(make_app, world, smtp_server):
    """MAIL_BACKEND smtp with MAIL_SERVER/MAIL_PORT: the reset e-mail arrives at the server,
    addressed to the user, with the subject and the link."""
    controller, inbox = smtp_server
    app = make_app(
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=controller.port,
        MAIL_DEFAULT_SENDER="Deelkracht <noreply@deelkracht.test>",
    )
    emp = world.meer.ermelo.emp
    response = app.test_client().post("/wachtwoord-vergeten", data={"email": emp.email})
    assert response.status_code == 302
    assert len(inbox.envelopes) == 1
    envelope = inbox.envelopes[0]
    assert envelope.rcpt_tos == [emp.email]
    assert envelope.mail_from == "noreply@deelkracht.test"
    message = message_from_bytes(envelope.content)
    assert message["Subject"] == "Nieuw wachtwoord voor Deelkracht"
    body = message.get_payload(decode=True).decode()
    assert "http://deelkracht.test/wachtwoord-herstellen/" in body
    assert emp.name in body


def test_without_a_mail_server_the_mail_is_written_to_the_log(make_app, world, caplog):
    """The embedded default (MAIL_BACKEND "console", no MAIL_SERVER): the log backend writes the
    whole message to the log, so the demo's reset links can be followed."""
    app = make_app(MAIL_BACKEND="console")
    assert app.config["MAIL_BACKEND"] == "app.outbox.mail.LogEmailBackend"
    emp = world.meer.ermelo.emp
    with caplog.at_level(logging.INFO, logger="deelkracht.mail"):
        response = app.test_client().post("/wachtwoord-vergeten", data={"email": emp.email})
    assert response.status_code == 302
    logged = [r.getMessage() for r in caplog.records if r.name == "deelkracht.mail"]
    assert len(logged) == 1
    assert emp.email in logged[0]
    assert "Nieuw wachtwoord voor Deelkracht" in logged[0]
    assert "http://deelkracht.test/wachtwoord-herstellen/" in logged[0]


def test_the_mail_backend_follows_the_environment(monkeypatch, tmp_path):
    """No MAIL_SERVER in the environment means the log backend; setting one means SMTP."""
    monkeypatch.setenv("SECRET_KEY", "x")
    for name in [n for n in os.environ if n.startswith("MAIL_")]:
        monkeypatch.delenv(name)
    assert from_environment(str(tmp_path))["MAIL_BACKEND"] == "console"
    monkeypatch.setenv("MAIL_SERVER", "smtp.gemeente.example")
    monkeypatch.setenv("MAIL_PORT", "587")
    config = from_environment(str(tmp_path))
    assert (config["MAIL_BACKEND"], config["MAIL_SERVER"], config["MAIL_PORT"]) == (
        "smtp",
        "smtp.gemeente.example",
        587,
    )


def test_mail_is_written_in_the_recipients_language(make_app, world, in_arrangement):
    """The e-mail is rendered at delivery time in the recipient's own language setting."""
    from app.accounts.models import User

    emp = world.meer.ermelo.emp
    with in_arrangement(world.meer.arrangement) as session:
        session.get(User, emp.id).locale = "en"
        session.commit()
    app = make_app()
    app.test_client().post("/wachtwoord-vergeten", data={"email": emp.email})
    (message,) = app.extensions["mailman"].outbox
    with app.test_request_context(), force_locale("en"):
        english = gettext("Nieuw wachtwoord voor Deelkracht")
    assert message.subject == english
    assert "/wachtwoord-herstellen/" in message.body
