""" "Jouw besluit is nodig": the match list and the start page ask SQL
(access.decision_waiting_clause) what the match page asks Python (access.decidable_now). The two
are held equal for every person of the arrangement at every step of a klus and of a functieruil,
amendments included; the review found them apart for a functieruil (the counterpart, the
counterpart's line manager, and the organisations deciding before the counterpart approved)."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.matches import access
from app.matches.models import Match
from tests.ids import api_id, key_of
from tests.matches.helpers import decide, propose
from tests.matches.test_exchange_types import post, typed_job

MARK = "Jouw besluit is nodig"


def assert_twins(in_arrangement, world, match_id, step: str) -> None:
    """For every user of the arrangement: the clause lists the match iff decidable_now says
    the user can decide on it now, and NOT the clause lists it otherwise (never NULL: the
    start page's "waiting long" block asks for NOT the clause)."""
    with in_arrangement(world.meer.arrangement.id) as s:
        match = s.get(Match, key_of("match", match_id))
        for user in s.scalars(select(User).order_by(User.id)):
            python = bool(access.decidable_now(user, match))
            sql = s.scalar(
                select(Match.id).where(Match.id == match.id, access.decision_waiting_clause(user))
            )
            assert python == (sql is not None), (step, user.email, python)
            negated = s.scalar(
                select(Match.id).where(Match.id == match.id, ~access.decision_waiting_clause(user))
            )
            assert python == (negated is None), (step, user.email, "NOT", python)


def functieruil(client, world, scene, api_token, in_arrangement) -> int:
    meer = world.meer
    job_id = typed_job(in_arrangement, world, scene, "functieruil")
    response = post(
        client,
        api_token(meer.coordinator),
        jobId=job_id,
        employeeId=meer.harderwijk.emp.id,
        counterpartId=meer.ermelo.emp_other.id,
    )
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_sql_and_python_agree_on_who_decides_through_a_functieruil(
    client, world, scene, api_token, in_arrangement
):
    meer = world.meer
    match_id = functieruil(client, world, scene, api_token, in_arrangement)
    assert_twins(in_arrangement, world, match_id, "proposed")
    people = [
        ("employee", meer.harderwijk.emp),
        ("counterpart", meer.ermelo.emp_other),
        ("lending", meer.harderwijk.lead),
        ("borrowing", meer.ermelo.lead_other),  # the counterpart's line manager
    ]
    for step, person in people:
        assert decide(client, api_token(person), match_id).status_code == 200, step
        assert_twins(in_arrangement, world, match_id, step)
    patched = client.patch(
        f"/api/v1/matches/{api_id('match', match_id)}",
        json={"notes": "Anders"},
        headers=api_token(meer.coordinator),
    )
    assert patched.status_code == 200
    assert_twins(in_arrangement, world, match_id, "amended")
    for step, person in people[:2]:
        assert decide(client, api_token(person), match_id).status_code == 200, step
        assert_twins(in_arrangement, world, match_id, f"amended, {step}")


def test_sql_and_python_agree_on_who_decides_through_a_klus(
    client, world, scene, api_token, in_arrangement
):
    meer = world.meer
    match_id = propose(
        client, api_token(meer.ermelo.lead), application_id=scene.application, cost_recharge="none"
    )
    assert_twins(in_arrangement, world, match_id, "proposed")
    for step, person in (
        ("employee", meer.harderwijk.emp),
        ("lending", meer.harderwijk.hr),
        ("borrowing", meer.ermelo.lead),
    ):
        assert decide(client, api_token(person), match_id).status_code == 200, step
        assert_twins(in_arrangement, world, match_id, step)


def test_the_list_marks_a_functieruil_for_whoever_decides_next(
    app, client, world, scene, api_token, in_arrangement, login
):
    """The counterpart finds the match on their own list, marked; the counterpart's line
    manager is marked once both people approved; after an amendment the home line manager is
    not marked before the counterpart approved again."""
    meer = world.meer
    match_id = functieruil(client, world, scene, api_token, in_arrangement)
    link = f"/detacheringen/{api_id('match', match_id)}"

    def page(user, query=""):
        browser = app.test_client()
        login(browser, user)
        return browser.get(f"/detacheringen{query}").get_data(as_text=True)

    assert decide(client, api_token(meer.harderwijk.emp), match_id).status_code == 200
    mine = page(meer.ermelo.emp_other)  # "mine" is the only scope an employee has
    assert link in mine and MARK in mine
    listed = client.get("/api/v1/matches?scope=mine", headers=api_token(meer.ermelo.emp_other))
    assert match_id in [m["id"] for m in listed.get_json()["items"]]
    assert decide(client, api_token(meer.ermelo.emp_other), match_id).status_code == 200
    other_side = page(meer.ermelo.lead_other)
    assert link in other_side and MARK in other_side
    for person in (meer.harderwijk.lead, meer.ermelo.lead_other):
        assert decide(client, api_token(person), match_id).status_code == 200
    assert (
        client.patch(
            f"/api/v1/matches/{api_id('match', match_id)}",
            json={"notes": "Anders"},
            headers=api_token(meer.coordinator),
        ).status_code
        == 200
    )
    assert decide(client, api_token(meer.harderwijk.emp), match_id).status_code == 200
    home = page(meer.harderwijk.lead)
    assert link in home and MARK not in home
