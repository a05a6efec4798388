"""The own line manager cannot tell — the cases tests/pool/test_privacy_line_manager_snapshot.py
does not cover: a response to a job of *another department of the same organisation*, a capacity
offer on its own under each ``capacity_visibility`` (and with registration routed through line
managers, when the employee offers by themselves), and a match proposed by HR that the employee
has not approved yet (directly, from a response, from an offer; for the manager's own job too).

For each, every GET that Ermelo's team line manager can make (pages and API, every URL rule with
its parameters filled from existing rows and the ids about to be taken, list pages with their
filters) answers byte for byte the same before and after (CSRF tokens and clock times
normalised), and the manager receives no e-mail, outbox message or notification.

"Take care it does not become a control mechanism for leaders" (the Meerinzicht klussenbank).
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.outbox.models import OutboxMessage
from app.pool.models import Notification
from tests.pool.privacy_world import apply_to, mails_to, make_offer
from tests.privacy_audit import scene as scenes
from tests.privacy_audit.snapshot import differences, reachable_gets, snapshot

ERMELO_SETTINGS = {
    "b-same-org-other-department": {},
    "c-offer-hr": {"capacity_visibility": "hr"},
    "c-offer-hr_coordinators": {"capacity_visibility": "hr_coordinators"},
    "c-offer-arrangement": {"capacity_visibility": "arrangement"},
    "c-offer-arrangement-registration-via-line-manager": {
        "capacity_visibility": "arrangement",
        "registration_via_line_manager": True,
    },
    "d-hr-proposes-directly-for-the-managers-own-job": {},
    "d-host-hr-proposes-from-a-response": {},
    "d-hr-proposes-from-an-offer-for-the-managers-own-job": {"capacity_visibility": "arrangement"},
    "d-hr-proposes-directly-where-the-manager-sees-the-response": {},
}


def _prepare(case, actor, api_token, world, scene):
    """What the employee did before the manager's first look (for the match cases)."""
    emp = world.meer.ermelo.emp
    if case == "d-host-hr-proposes-from-a-response":
        scene.application = apply_to(actor, api_token, emp, scene.other_org_job)
    elif case == "d-hr-proposes-from-an-offer-for-the-managers-own-job":
        scene.offer = make_offer(actor, api_token, emp)
    elif case == "d-hr-proposes-directly-where-the-manager-sees-the-response":
        # The employee chose to respond to the manager's own job: that the manager may see.
        apply_to(actor, api_token, emp, scene.own_team_job)


def _act(case, actor, api_token, world, scene):
    """The step the manager must not be able to detect."""
    meer = world.meer
    emp = meer.ermelo.emp
    if case == "b-same-org-other-department":
        apply_to(actor, api_token, emp, scene.same_org_job)
    elif case.startswith("c-offer"):
        make_offer(actor, api_token, emp)
    elif case == "d-host-hr-proposes-from-a-response":
        scenes.propose(actor, api_token(meer.harderwijk.hr), application_id=scene.application)
    elif case == "d-hr-proposes-from-an-offer-for-the-managers-own-job":
        scenes.propose(
            actor, api_token(meer.ermelo.hr), capacity_id=scene.offer, job_id=scene.own_team_job
        )
    else:  # the two direct proposals of the employee for the manager's own job
        scenes.propose(
            actor, api_token(meer.ermelo.hr), job_id=scene.own_team_job, employee_id=emp.id
        )


def _told(in_arrangement, world, lead) -> tuple[int, int]:
    with in_arrangement(world.meer.arrangement) as s:
        outbox = s.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.recipient_id == lead.id)
        )
        notes = s.scalar(
            select(func.count()).select_from(Notification).where(Notification.user_id == lead.id)
        )
    return outbox, notes


@pytest.mark.parametrize("case", list(ERMELO_SETTINGS))
def test_the_own_line_manager_sees_exactly_the_same(
    case, make_world, app, in_arrangement, api_token, login, mail_outbox
):
    """Everything Ermelo's team line manager can GET is unchanged, and nothing reaches them by
    e-mail or notification, when their employee responds to another department's job, offers
    capacity (each visibility), or is proposed in a match they have not approved yet."""
    world = make_world(
        {"ermelo": ERMELO_SETTINGS[case], "harderwijk": {"capacity_visibility": "arrangement"}}
    )
    lead = world.meer.ermelo.lead
    actor = app.test_client()
    scene = scenes.build(app, in_arrangement, world, api_token)
    _prepare(case, actor, api_token, world, scene)

    manager = app.test_client()
    login(manager, lead)
    headers = api_token(lead)
    # Read what there is to read, so that the manager's own looking changes nothing.
    assert manager.post("/meldingen/gelezen", follow_redirects=True).status_code == 200
    urls = reachable_gets(app, in_arrangement, world)
    assert len(urls) > 150
    mails_before = len(mails_to(mail_outbox, lead))
    told_before = _told(in_arrangement, world, lead)
    before = snapshot(manager, headers, urls)
    assert any(status == 200 for status, _ in before.values())

    _act(case, actor, api_token, world, scene)

    after = snapshot(manager, headers, urls)
    assert differences(before, after) == "", "the line manager can tell"
    assert len(mails_to(mail_outbox, lead)) == mails_before
    assert _told(in_arrangement, world, lead) == told_before
