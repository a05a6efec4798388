"""Nobody else can tell either. When an Ermelo employee offers capacity (HR only), responds to a
job of Harderwijk, and Ermelo's HR proposes them for a job of their own team that they have not
approved yet, every GET of a colleague, of the line manager of another department, of HR and a
line manager of a third member organisation, and of HR and the coordinator of another
arrangement answers byte for byte as before; none of them receives an e-mail or a notification.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.outbox.models import OutboxMessage
from app.pool.models import Notification
from tests.pool.privacy_world import apply_to, mails_to, make_offer
from tests.privacy_audit import scene as scenes
from tests.privacy_audit.snapshot import changed_urls, differences, reachable_gets, snapshot


def _told(in_arrangement, person) -> tuple[int, int]:
    with in_arrangement(person.arrangement_id) as s:
        outbox = s.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.recipient_id == person.id)
        )
        notes = s.scalar(
            select(func.count()).select_from(Notification).where(Notification.user_id == person.id)
        )
    return outbox, notes


def test_colleagues_other_organisations_and_arrangements_see_exactly_the_same(
    make_world, app, in_arrangement, api_token, login, mail_outbox
):
    """Byte for byte the same pages and API answers for everyone who may not know, before and
    after the employee's offer, response and unapproved proposal; no e-mail, no notification."""
    world = make_world(
        {
            "ermelo": {"capacity_visibility": "hr"},
            "harderwijk": {"capacity_visibility": "arrangement"},
        }
    )
    meer, elders = world.meer, world.elders
    scene = scenes.build(app, in_arrangement, world, api_token)
    viewers = {
        # The control: Ermelo's HR may see all three, so the same snapshot must show them.
        "control": meer.ermelo.hr,
        "colleague": meer.ermelo.emp2,
        "other department's line manager": meer.ermelo.lead_other,
        "third organisation's HR": meer.zeewolde.hr,
        "third organisation's line manager": meer.zeewolde.lead,
        "other arrangement's HR": elders.andere.hr,
        "other arrangement's coordinator": elders.coordinator,
    }
    urls = reachable_gets(app, in_arrangement, world)
    sessions, before, told = {}, {}, {}
    for role, person in viewers.items():
        client = app.test_client()
        login(client, person)
        client.post("/meldingen/gelezen", follow_redirects=True)
        sessions[role] = (client, api_token(person))
        told[role] = (len(mails_to(mail_outbox, person)), _told(in_arrangement, person))
        before[role] = snapshot(*sessions[role], urls)

    actor = app.test_client()
    emp = meer.ermelo.emp
    make_offer(actor, api_token, emp)
    apply_to(actor, api_token, emp, scene.other_org_job)
    scenes.propose(actor, api_token(meer.ermelo.hr), job_id=scene.own_team_job, employee_id=emp.id)

    for role, person in viewers.items():
        after = snapshot(*sessions[role], urls)
        if role == "control":
            changed = set(changed_urls(before[role], after))
            assert {"/krachten", "/reacties", "/detacheringen"} <= changed, sorted(changed)
            continue
        assert differences(before[role], after) == "", f"the {role} can tell"
        assert (len(mails_to(mail_outbox, person)), _told(in_arrangement, person)) == told[role]
