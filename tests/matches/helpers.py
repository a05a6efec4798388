"""Steps of the match flow through the API, shared by the matches tests."""

from __future__ import annotations

from app.api import camelize
from tests.ids import api_body, api_id


def propose(client, headers, **body):
    """POST /matches with the body given as Python keywords (``application_id=`` is sent as
    ``applicationId``); ids may be keys or public ids: they are sent as public ids."""
    response = client.post(
        "/api/v1/matches",
        json={camelize(k): v for k, v in api_body(body).items()},
        headers=headers,
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def decide(client, headers, match_id, decision="approve", **extra):
    return client.post(
        f"/api/v1/matches/{api_id('match', match_id)}/decision",
        json={"decision": decision, **extra},
        headers=headers,
    )


def approve_all(client, api_token, match_id, employee, lending, borrowing):
    for user in (employee, lending, borrowing):
        response = decide(client, api_token(user), match_id)
        assert response.status_code == 200, response.get_json()
    return response.get_json()
