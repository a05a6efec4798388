"""Links by e-mail: password reset (same answer for every address, once, expiring, ends old
sessions) and invitations by HR of the own organisation."""

from __future__ import annotations

import re
import time

from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select

from app.accounts import links, operations
from app.accounts.models import LoginIdentity, User
from app.outbox.models import OutboxMessage
from tests.ids import api_id, public_id
from tests.support.world import PASSWORD

NEW_PASSWORD = "een-nieuw-wachtwoord"
LINK = re.compile(r"http://deelkracht\.test(/\S+)")


def link_in(message) -> str:
    match = LINK.search(message.body)
    assert match, message.body
    return match.group(1)


def request_reset(client, email):
    return client.post("/wachtwoord-vergeten", data={"email": email})


def set_password(client, path, password=NEW_PASSWORD):
    return client.post(path, data={"password": password, "confirm": password})


def can_log_in(app, email, password) -> bool:
    response = app.test_client().post("/login", data={"email": email, "password": password})
    return response.status_code == 302


def _without_tokens(page: str) -> str:
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]*"', r'\1TOKEN"', page)


def test_reset_request_gives_the_same_answer_for_known_and_unknown_addresses(
    client, world, mail_outbox
):
    """Known and unknown addresses get the same redirect and message; only a known one gets
    an e-mail, and the e-mail holds a link."""
    known = request_reset(client, world.meer.ermelo.emp.email)
    known_page = client.get(known.headers["Location"]).get_data(as_text=True)
    unknown = request_reset(client, "niemand@ermelo.test")
    unknown_page = client.get(unknown.headers["Location"]).get_data(as_text=True)
    assert (known.status_code, known.headers["Location"]) == (
        unknown.status_code,
        unknown.headers["Location"],
    )
    assert known.status_code == 302
    # (the CSRF tokens' values are signed with the current second: the only allowed difference)
    assert _without_tokens(known_page) == _without_tokens(unknown_page)
    assert "Als dit adres bij ons bekend is" in known_page
    assert len(mail_outbox) == 1
    message = mail_outbox[0]
    assert message.to == [world.meer.ermelo.emp.email]
    assert message.subject == "Nieuw wachtwoord voor Deelkracht"
    assert link_in(message).startswith("/wachtwoord-herstellen/")


def test_the_reset_link_sets_the_password_once_and_ends_old_sessions(
    app, client, world, login, api_token, mail_outbox
):
    """The link sets a new password; the old password, the open browser session and the API
    token stop working; the link works once."""
    emp = world.meer.ermelo.emp
    open_browser = app.test_client()
    login(open_browser, emp)
    headers = api_token(emp)
    request_reset(client, emp.email)
    path = link_in(mail_outbox[-1])

    assert client.get(path).status_code == 200
    assert set_password(client, path).status_code == 302

    assert not can_log_in(app, emp.email, PASSWORD)
    assert can_log_in(app, emp.email, NEW_PASSWORD)
    assert open_browser.get("/start").status_code == 302
    assert app.test_client().get("/api/v1/me", headers=headers).status_code == 401

    used = client.get(path)
    assert used.status_code == 404
    assert "Deze link werkt niet meer" in used.get_data(as_text=True)
    assert set_password(client, path, "nog-een-ander-wachtwoord").status_code == 404
    assert can_log_in(app, emp.email, NEW_PASSWORD)


def test_the_reset_form_checks_the_new_password(client, world, mail_outbox):
    """A short or unconfirmed password re-renders the form with 400 and changes nothing."""
    emp = world.meer.ermelo.emp
    request_reset(client, emp.email)
    path = link_in(mail_outbox[-1])
    assert set_password(client, path, "kort").status_code == 400
    mismatch = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"})
    assert mismatch.status_code == 400
    assert "De wachtwoorden zijn niet gelijk." in mismatch.get_data(as_text=True)
    assert client.get(path).status_code == 200  # the link still works: nothing was saved


def _backdated_link(app, in_arrangement, world, user, purpose: str, age: int) -> str:
    class Backdated(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age

    with in_arrangement(world.meer.arrangement) as session:
        db_user = session.get(User, user.id)
        payload = {"u": db_user.id, "a": db_user.arrangement_id}
        with app.test_request_context():
            payload["f"] = links._fingerprint(db_user)
    serializer = URLSafeTimedSerializer(
        app.config["SECRET_KEY"], salt=f"deelkracht-{purpose}", signer=Backdated
    )
    return serializer.dumps(payload)


def test_reset_links_expire(app, client, world, in_arrangement):
    """A reset link older than an hour, or an invitation older than two weeks, no longer
    works; younger ones do."""
    emp = world.meer.ermelo.emp
    old = _backdated_link(app, in_arrangement, world, emp, "reset", links.RESET_MAX_AGE + 5)
    young = _backdated_link(app, in_arrangement, world, emp, "reset", 60)
    assert client.get(f"/wachtwoord-herstellen/{old}").status_code == 404
    assert set_password(client, f"/wachtwoord-herstellen/{old}").status_code == 404
    assert client.get(f"/wachtwoord-herstellen/{young}").status_code == 200
    stale = _backdated_link(app, in_arrangement, world, emp, "invite", links.INVITE_MAX_AGE + 5)
    fresh = _backdated_link(app, in_arrangement, world, emp, "invite", 24 * 3600)
    assert client.get(f"/uitnodiging/{stale}").status_code == 404
    assert client.get(f"/uitnodiging/{fresh}").status_code == 200


def test_links_cannot_be_forged_or_used_for_another_purpose(app, client, world, mail_outbox):
    """A tampered link, or a reset link used as an invitation, is refused."""
    request_reset(client, world.meer.ermelo.emp.email)
    path = link_in(mail_outbox[-1])
    token = path.rsplit("/", 1)[1]
    assert client.get(f"/uitnodiging/{token}").status_code == 404
    assert client.get(f"/wachtwoord-herstellen/{token[:-2]}xx").status_code == 404
    assert client.get("/wachtwoord-herstellen/niets").status_code == 404


def test_a_deactivated_user_gets_no_reset_mail(client, world, in_arrangement, mail_outbox):
    """Deactivated accounts are treated as unknown: same answer, no e-mail."""
    emp = world.meer.ermelo.emp
    with in_arrangement(world.meer.arrangement) as session:
        operations.deactivate(session.get(User, emp.id))
        session.commit()
    assert request_reset(client, emp.email).status_code == 302
    assert mail_outbox == []


def test_reset_mails_are_limited_per_account(make_app, world):
    """Asking again and again sends a few links an hour at most, with the same answer each
    time; other accounts are not affected."""
    app = make_app(PASSWORD_RESETS_PER_ACCOUNT="2 per hour")
    client = app.test_client()
    ermelo = world.meer.ermelo
    for _ in range(4):
        assert request_reset(client, ermelo.emp.email).status_code == 302
    assert request_reset(client, ermelo.emp2.email).status_code == 302
    recipients = [m.to[0] for m in app.extensions["mailman"].outbox]
    assert recipients == [ermelo.emp.email, ermelo.emp.email, ermelo.emp2.email]


# --- invitations ---------------------------------------------------------------------------


def invite(client, email, name="Nieuwe Collega", department=0):
    return client.post(
        "/medewerkers/uitnodigen",
        data={"name": name, "email": email, "department": api_id("department", department)},
    )


def count_users(in_arrangement, world, email) -> int:
    with in_arrangement(world.meer.arrangement) as session:
        return session.scalar(select(func.count()).select_from(User).where(User.email == email))


def test_hr_invites_staff_who_set_a_password_and_log_in(
    app, client, world, login, in_arrangement, mail_outbox
):
    """HR invites someone into its own organisation (with a department of its own); the
    e-mail's link sets a password, after which the new colleague logs in as an employee."""
    ermelo = world.meer.ermelo
    login(client, ermelo.hr)
    assert client.get("/medewerkers/uitnodigen").status_code == 200
    response = invite(client, "Nieuw@Ermelo.test", department=ermelo.team.id)
    assert response.status_code == 302
    assert len(mail_outbox) == 1
    message = mail_outbox[0]
    assert message.to == ["nieuw@ermelo.test"]
    assert ermelo.hr.name in message.body and "Gemeente Ermelo" in message.body
    path = link_in(message)
    assert path.startswith("/uitnodiging/")

    with in_arrangement(world.meer.arrangement) as session:
        user = session.scalar(select(User).where(User.email == "nieuw@ermelo.test"))
        assert (user.organisation_id, user.department_id) == (ermelo.org.id, ermelo.team.id)
        assert user.password_hash is None
    assert not can_log_in(app, "nieuw@ermelo.test", NEW_PASSWORD)

    newcomer = app.test_client()
    page = newcomer.get(path)
    assert page.status_code == 200 and "Nieuwe Collega" in page.get_data(as_text=True)
    assert set_password(newcomer, path).status_code == 302
    assert can_log_in(app, "nieuw@ermelo.test", NEW_PASSWORD)
    token = newcomer.post(
        "/api/v1/auth/token", json={"email": "nieuw@ermelo.test", "password": NEW_PASSWORD}
    ).get_json()["token"]
    me = newcomer.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert me["roles"] == ["employee"] and me["organisation"]["slug"] == "ermelo"
    assert newcomer.get(path).status_code == 404  # the invitation works once


def test_only_hr_may_invite(app, world, login, in_arrangement, mail_outbox):
    """Employees, line managers and coordinators get 403, and nothing is created."""
    meer = world.meer
    for user in (meer.ermelo.emp, meer.ermelo.lead, meer.coordinator):
        client = app.test_client()
        login(client, user)
        assert client.get("/medewerkers/uitnodigen").status_code == 403
        assert invite(client, "stiekem@ermelo.test").status_code == 403
    assert count_users(in_arrangement, world, "stiekem@ermelo.test") == 0
    assert mail_outbox == []
    assert app.test_client().get("/medewerkers/uitnodigen").status_code == 302  # log in first


def test_hr_can_only_choose_own_departments(client, world, login, in_arrangement, mail_outbox):
    """The department choices are the own organisation's; a posted department of another
    organisation is a form error (400) and nothing is saved or sent."""
    meer = world.meer
    login(client, meer.ermelo.hr)
    page = client.get("/medewerkers/uitnodigen").get_data(as_text=True)
    offered = {int(v) for v in re.findall(r'<option[^>]*value="(\d+)"', page)}
    assert offered == {
        0,
        public_id("department", meer.ermelo.team.id),
        public_id("department", meer.ermelo.other.id),
    }

    for foreign in (meer.harderwijk.team.id, world.elders.andere.team.id, 999999):
        response = invite(client, "vreemd@ermelo.test", department=foreign)
        assert response.status_code == 400
        assert 'id="department-error"' in response.get_data(as_text=True)
    assert count_users(in_arrangement, world, "vreemd@ermelo.test") == 0
    assert mail_outbox == []


def test_the_invite_operation_refuses_foreign_departments(app, world, in_arrangement):
    """Behind the form, the operation itself checks the department and the policy."""
    import pytest

    meer = world.meer
    with in_arrangement(meer.arrangement) as session:
        hr = session.get(User, meer.ermelo.hr.id)
        with app.test_request_context():
            with pytest.raises(operations.InvalidDepartment):
                operations.invite(
                    hr, email="x@ermelo.test", name="X", department_id=meer.harderwijk.team.id
                )
            with pytest.raises(operations.NotAllowed):
                operations.invite(
                    session.get(User, meer.ermelo.lead.id),
                    email="y@ermelo.test",
                    name="Y",
                    department_id=None,
                )
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_an_address_with_an_account_cannot_be_invited_again(
    client, world, login, in_arrangement, mail_outbox
):
    """An address of the own organisation's staff is a form error; nothing is sent. (An address
    with an account elsewhere is answered like a new one: tests/hardening/accounts/.)"""

    def identities() -> int:
        with in_arrangement(None) as session:
            return session.scalar(select(func.count()).select_from(LoginIdentity))

    before = identities()
    login(client, world.meer.ermelo.hr)
    for email in (world.meer.ermelo.emp.email, world.meer.ermelo.emp2.email.upper()):
        response = invite(client, email)
        assert response.status_code == 400
        assert "hoort al bij een collega van je organisatie" in response.get_data(as_text=True)
    assert identities() == before
    assert mail_outbox == []
