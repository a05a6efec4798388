"""Demo jobs for `deelkracht demo`: each organisation posts some, at least one for the whole
arrangement and one for its own organisation only (CONTRACT.md). Idempotent by title."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.demo import demo_content
from app.extensions import db
from app.pool.jobs import create_job, today
from app.pool.models import Job

#: (poster, title, description, skills, hours, weeks from now to start, weeks long, location,
#: remote, visibility)
DEMO_JOBS = [
    (
        "teamleider",
        "Notulist voor de raadscommissie",
        "Voor de commissie **Ruimte** zoeken we iemand die de vergaderingen notuleert.\n\n"
        "- ongeveer twee avonden per maand\n- verslag binnen drie werkdagen\n- ervaring met "
        "besluitenlijsten is fijn",
        ["Notuleren", "Verslaglegging"],
        6,
        1,
        16,
        "Raadhuis",
        False,
        "arrangement",
    ),
    (
        "teamleider",
        "Extra handen bij het Wmo-loket",
        "Tijdens de drukke maanden helpen met de intake aan de telefoon en aan de balie. "
        "Je werkt samen met de vaste consulenten.",
        ["Klantcontact", "Wmo"],
        16,
        2,
        12,
        "Gemeentehuis, loket Zorg",
        False,
        "organisation",
    ),
    (
        "hr",
        "Projectmedewerker implementatie Omgevingswet",
        "Help de afdelingen met de werkprocessen onder de Omgevingswet: inventariseren, "
        "werkinstructies schrijven en collega's meenemen in de veranderingen.",
        ["Projectmanagement", "Omgevingswet", "Procesbeschrijving"],
        24,
        3,
        26,
        "",
        True,
        "arrangement",
    ),
    (
        "teamleider",
        "Data-analist voor de wijkmonitor",
        "Cijfers uit verschillende bronnen samenbrengen in de wijkmonitor en de uitkomsten "
        "toelichten aan de beleidsmedewerkers.",
        ["Data-analyse", "Excel"],
        12,
        4,
        20,
        "",
        True,
        "arrangement",
    ),
]


@demo_content
def demo_jobs(arrangement, users_by_email) -> None:
    orgs = {}
    for email, user in users_by_email.items():
        role = email.partition("@")[0]
        orgs.setdefault(user.organisation_id, {})[role] = user
    start = today()
    for organisation_id, people in sorted(orgs.items()):
        for (
            poster_role,
            title,
            description,
            skills,
            hours,
            wait,
            weeks,
            place,
            remote,
            vis,
        ) in DEMO_JOBS:
            poster = people.get(poster_role)
            if poster is None:
                continue
            exists = db.session.scalar(
                select(Job.id).where(Job.organisation_id == organisation_id, Job.title == title)
            )
            if exists:
                continue
            begin = start + timedelta(weeks=wait)
            create_job(
                poster,
                {
                    "title": title,
                    "description": description,
                    "skills": skills,
                    "hours_per_week": hours,
                    "start_date": begin,
                    "end_date": begin + timedelta(weeks=weeks),
                    "location": place,
                    "remote": remote,
                    "visibility": vis,
                },
            )
