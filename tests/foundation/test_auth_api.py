"""API tokens (CONTRACT.md): stored hashed, expiring, 401 in the contract's error format, and
GET /me with the caller's roles."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from app.accounts.models import AuthSession
from tenants.models import utcnow
from tests.api_helpers import problem_fields
from tests.ids import public_id
from tests.support.world import PASSWORD


def issue(client, email, password=PASSWORD) -> str:
    response = client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["token"]


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def assert_contract_401(response) -> None:
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert {"type", "title", "status", "detail", "instance", "code"} <= set(body)
    assert body["code"] == "unauthorised"
    assert isinstance(body["detail"], str) and body["detail"]
    assert problem_fields(body) == {}
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_tokens_are_stored_as_hashes_only(client, world, in_arrangement):
    """The raw token is nowhere in auth_sessions: only its SHA-256 digest is kept."""
    token = issue(client, world.meer.ermelo.emp.email)
    with in_arrangement(None) as session:
        rows = session.scalars(select(AuthSession).where(AuthSession.kind == "api")).all()
        assert len(rows) == 1
        row = rows[0]
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        stored = " ".join(str(getattr(row, c.key)) for c in AuthSession.__table__.columns)
        assert token not in stored


def test_tokens_expire_after_the_configured_lifetime(make_app, world, in_arrangement):
    """expires_at is API_TOKEN_LIFETIME from now, and a token past it answers 401."""
    app = make_app(API_TOKEN_LIFETIME=timedelta(minutes=30))
    client = app.test_client()
    response = client.post(
        "/api/v1/auth/token", json={"email": world.meer.ermelo.emp.email, "password": PASSWORD}
    )
    expires_at = datetime.fromisoformat(response.get_json()["expiresAt"]).replace(tzinfo=None)
    assert abs(expires_at - (utcnow() + timedelta(minutes=30))) < timedelta(minutes=1)
    token = response.get_json()["token"]
    assert client.get("/api/v1/me", headers=bearer(token)).status_code == 200

    with in_arrangement(None) as session:
        session.execute(update(AuthSession).values(expires_at=utcnow() - timedelta(seconds=1)))
        session.commit()
    assert_contract_401(client.get("/api/v1/me", headers=bearer(token)))


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer not-a-real-token"},
        {"Authorization": "Basic ZW1wQGVybWVsby50ZXN0OmdlaGVpbQ=="},
    ],
    ids=["none", "empty", "bearer-without-token", "unknown-token", "basic"],
)
def test_no_or_bad_token_is_401_in_the_contract_format(client, world, headers):
    """Every endpoint other than /auth/token needs a valid bearer token (CONTRACT.md)."""
    assert_contract_401(client.get("/api/v1/me", headers=headers))


def test_a_browser_session_id_is_not_an_api_token(app, client, world, login):
    """The web session id, even when lifted from the cookie, does not open the API."""
    login(client, world.meer.ermelo.emp)
    cookie = client.get_cookie("deelkracht_session", domain="deelkracht.test").value
    serializer = app.session_interface.get_signing_serializer(app)
    sid = serializer.loads(cookie)["sid"]
    assert_contract_401(app.test_client().get("/api/v1/me", headers=bearer(sid)))


def test_wrong_credentials_are_401_in_the_contract_format(client, world):
    """POST /auth/token with a wrong password: 401 with the contract's error body."""
    response = client.post(
        "/api/v1/auth/token", json={"email": world.meer.ermelo.emp.email, "password": "nee"}
    )
    assert_contract_401(response)


def test_token_request_rejects_unknown_fields(client, world):
    """Bad input is a 400 that names the fields."""
    response = client.post("/api/v1/auth/token", json={"email": "a@b.nl", "wachtwoord": "x"})
    assert response.status_code == 400
    fields = problem_fields(response.get_json())
    assert "wachtwoord" in fields and "password" in fields


def test_me_returns_the_contract_fields_with_the_roles_of_each_world_role(client, world):
    """GET /me: id, name, email, roles, organisation {slug, name}, arrangement {slug, name},
    with the right roles for an employee, a line manager, HR and a coordinator."""
    meer = world.meer
    expected = [
        (meer.ermelo.emp, ["employee"]),
        (meer.ermelo.lead, ["employee", "line_manager"]),
        (meer.harderwijk.hr, ["employee", "hr"]),
        (meer.coordinator, ["employee", "coordinator"]),
        (world.elders.andere.emp_other, ["employee"]),
    ]
    organisations = {
        people.org.id: people.org
        for arrangement in (world.meer, world.elders)
        for people in vars(arrangement).values()
        if hasattr(people, "org")
    }
    arrangements = {world.meer.arrangement.id: meer.arrangement}
    arrangements[world.elders.arrangement.id] = world.elders.arrangement
    for user, roles in expected:
        response = client.get("/api/v1/me", headers=bearer(issue(client, user.email)))
        assert response.status_code == 200
        body = response.get_json()
        assert set(body) == {"id", "name", "email", "roles", "organisation", "arrangement"}
        organisation = organisations[user.organisation_id]
        arrangement = arrangements[user.arrangement_id]
        assert body == {
            "id": public_id("user", user.id),
            "name": user.name,
            "email": user.email,
            "roles": roles,
            "organisation": {"slug": organisation.slug, "name": organisation.name},
            "arrangement": {"slug": arrangement.slug, "name": arrangement.name},
        }
