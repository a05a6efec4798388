"""Every step notifies exactly the parties that may know: in the app and by e-mail, never the
home line manager before the employee's approval, never a third organisation, never the one
who acted."""

from __future__ import annotations

from sqlalchemy import select

from app.pool.models import Notification
from tests.matches.helpers import decide, propose


def test_who_is_told_at_each_step(client, world, scene, api_token, in_arrangement, mail_outbox):
    meer = world.meer

    def told():
        with in_arrangement(meer.arrangement.id) as s:
            rows = s.execute(select(Notification.user_id, Notification.kind)).all()
        people = {
            u.id: u.email
            for org in (meer.ermelo, meer.harderwijk, meer.zeewolde)
            for u in (org.hr, org.lead, org.lead_other, org.emp, org.emp2, org.emp_other)
        }
        people[meer.coordinator.id] = meer.coordinator.email
        return sorted((people[user_id], kind) for user_id, kind in rows)

    def mailed():
        out = sorted(m.to[0] for m in mail_outbox)
        mail_outbox.clear()
        return out

    match_id = propose(client, api_token(meer.ermelo.lead), application_id=scene.application)
    assert told() == [("emp@harderwijk.test", "match_proposed")]
    proposal_mail = [m for m in mail_outbox if m.to == ["emp@harderwijk.test"]]
    assert "hoort pas van dit voorstel als jij akkoord geeft" in proposal_mail[0].body
    assert mailed() == ["emp@harderwijk.test"]

    assert decide(client, api_token(meer.harderwijk.emp), match_id).status_code == 200
    asked = ["hr@ermelo.test", "hr@harderwijk.test", "lead@ermelo.test", "lead@harderwijk.test"]
    assert [e for e, kind in told() if kind == "match_decision_needed"] == asked
    assert mailed() == asked

    assert decide(client, api_token(meer.harderwijk.lead), match_id).status_code == 200
    assert mailed() == []  # an intermediate approval tells no one new

    assert decide(client, api_token(meer.ermelo.lead), match_id).status_code == 200
    agreed = ["emp@harderwijk.test", "hr@ermelo.test", "hr@harderwijk.test", "lead@harderwijk.test"]
    assert [e for e, kind in told() if kind == "match_agreed"] == agreed
    assert mailed() == agreed
    everyone = {e for e, _ in told()}
    assert not any(e.endswith("zeewolde.test") for e in everyone)
    assert meer.coordinator.email not in everyone
