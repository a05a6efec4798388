"""Demo jobs for `deelkracht demo`: every organisation posts its own mix from a catalogue of
realistic municipal work, over both departments and over periods that started weeks ago or
start months from now; each has at least one job for the whole arrangement and one for its own
organisation only (CONTRACT.md), plus a draft, a closed, an expired job and two that expire this
week (the start page's "Klussen die bijna verlopen").

Deterministic (the mix is chosen by a random generator seeded with the organisation's slug, the
dates count from today) and idempotent (a title the organisation already has is skipped).
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.pool.jobs.demo_catalogue import CATALOGUE
from app.pool.jobs.operations import change_status, create_job, today
from app.pool.models import Job
from tenants.models import Department

#: The catalogue's jobs of another type than a plain klus (CONTRACT.md turn 2): every
#: organisation posts one of each, so the demo shows every kind of exchange.
#: In this order they follow the contract's four: the mentoring (fifth, i = 5) is the one for the
#: organisation only, the meeloopdag and the functieruil are open to the whole arrangement.
TYPES = {
    "Meeloopdag bij de buitendienst": "meeloopdag",
    "Mentor voor nieuwe collega's": "mentoring",
    "Functieruil beleidsmedewerker ruimtelijke ordening": "functieruil",
}

#: Start, in weeks from today, and length in weeks, cycled through an organisation's jobs: the
#: first ones started already (placements that are running or finished need them).
PERIODS = [
    (-6, 30),
    (-4, 26),
    (1, 12),
    (-2, 20),
    (3, 26),
    (4, 8),
    (-3, 16),
    (8, 12),
    (10, 26),
    (12, 52),
]
#: Jobs per organisation: together at least 30 in every arrangement.
MIN_PER_ARRANGEMENT = 32
MIN_PER_ORGANISATION = 12


def _per_organisation(count: int) -> int:
    return max(MIN_PER_ORGANISATION, -(-MIN_PER_ARRANGEMENT // max(count, 1)))


def demo_jobs(arrangement, users_by_email) -> None:
    people: dict[int, dict] = {}
    for email, user in users_by_email.items():
        if email.startswith("coordinator@"):
            continue
        people.setdefault(user.organisation_id, {})[email.partition("@")[0]] = user
    start = today()
    n = _per_organisation(len(people))
    for organisation_id, roles in sorted(people.items()):
        lead, hr = roles.get("teamleider"), roles.get("hr")
        if lead is None or hr is None:
            continue
        departments = db.session.scalars(
            select(Department.id)
            .where(Department.organisation_id == organisation_id)
            .order_by(Department.id)
        ).all()
        existing = set(
            db.session.scalars(select(Job.title).where(Job.organisation_id == organisation_id))
        )
        slug = hr.email.partition("@")[2].removesuffix(".example")
        rng = random.Random(f"deelkracht-demo/{slug}")
        # The first four titles stay first (the contract's jobs), then one job of each other
        # type, the rest in this org's order.
        typed = sorted(
            (entry for entry in CATALOGUE[4:] if entry[0] in TYPES),
            key=lambda entry: list(TYPES).index(entry[0]),
        )
        rest = [entry for entry in CATALOGUE[4:] if entry[0] not in TYPES]
        rng.shuffle(rest)
        chosen = (CATALOGUE[:4] + typed + rest)[:n]
        for i, (title, description, skills, hours, place, remote) in enumerate(chosen):
            if title in existing:
                continue
            wait, weeks = PERIODS[i % len(PERIODS)]
            begin = start + timedelta(weeks=wait)
            # Even: the line manager for their own department; odd: HR, for the other one.
            own = i % 2 == 0 or len(departments) < 2
            poster = lead if own else hr
            department_id = lead.department_id if own else departments[1]
            job = create_job(
                poster,
                {
                    "type": TYPES.get(title, "klus"),
                    "title": title,
                    "description": description,
                    "skills": skills,
                    "hours_per_week": hours,
                    "start_date": begin,
                    "end_date": begin + timedelta(weeks=weeks),
                    "location": place,
                    "remote": remote,
                    "visibility": "organisation" if i % 4 == 1 else "arrangement",
                    "department_id": department_id,
                    "places": 2 if i % 5 == 3 else 1,
                },
                publish=i != n - 1,  # the last one stays a draft
            )
            if i == n - 2:
                change_status(poster, job, "closed")
            elif i == n - 3:
                job.status = "expired"
                job.expires_on = start - timedelta(days=3)
            elif i in (n - 4, n - 5):
                job.expires_on = start + timedelta(days=3 + (n - 4 - i) * 2)
