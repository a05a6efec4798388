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
from app.pool.jobs.operations import change_status, create_job, today
from app.pool.models import Job
from tenants.models import Department

#: (title, description, skills, hours per week, location, remote)
CATALOGUE = [
    (
        "Notulist voor de raadscommissie",
        "Voor de commissie **Ruimte** zoeken we iemand die de vergaderingen notuleert.\n\n- ongeveer twee avonden per maand\n- verslag binnen drie werkdagen\n- ervaring met besluitenlijsten is fijn",  # noqa: E501
        ["Notuleren", "Verslaglegging"],
        6,
        "Raadhuis",
        False,
    ),
    (
        "Extra handen bij het Wmo-loket",
        "Tijdens de drukke maanden helpen met de intake aan de telefoon en aan de balie. Je werkt samen met de vaste consulenten.",  # noqa: E501
        ["Klantcontact", "Wmo"],
        16,
        "Gemeentehuis, loket Zorg",
        False,
    ),
    (
        "Projectmedewerker implementatie Omgevingswet",
        "Help de afdelingen met de werkprocessen onder de Omgevingswet: inventariseren, werkinstructies schrijven en collega's meenemen in de veranderingen.",  # noqa: E501
        ["Projectmanagement", "Omgevingswet", "Procesbeschrijving"],
        24,
        "",
        True,
    ),
    (
        "Data-analist voor de wijkmonitor",
        "Cijfers uit verschillende bronnen samenbrengen in de wijkmonitor en de uitkomsten toelichten aan de beleidsmedewerkers.",  # noqa: E501
        ["Data-analyse", "Excel"],
        12,
        "",
        True,
    ),
    (
        "Baliemedewerker burgerzaken (paspoorten en rijbewijzen)",
        "In de weken voor de zomervakantie is het druk aan de balie. Je helpt bij aanvragen en uitreiking van reisdocumenten.",  # noqa: E501
        ["Burgerzaken", "Klantcontact", "BRP"],
        16,
        "Gemeentehuis, balie Burgerzaken",
        False,
    ),
    (
        "Medewerker verkiezingen",
        "Help bij de voorbereiding van de verkiezingen: stembureauleden werven, stembiljetten tellen en de uitslag vaststellen.",  # noqa: E501
        ["Verkiezingen", "Organiseren"],
        12,
        "Gemeentehuis",
        False,
    ),
    (
        "Consulent Wmo (tijdelijk)",
        "Keukentafelgesprekken voeren en de aanvragen voor maatwerkvoorzieningen afhandelen tijdens een vacature.",  # noqa: E501
        ["Wmo", "Gespreksvoering", "Sociaal domein"],
        24,
        "Wijkteamkantoor",
        False,
    ),
    (
        "Klantmanager Participatiewet",
        "Begeleid inwoners met een bijstandsuitkering naar werk of meedoen; je sluit aan bij het team Werk en Inkomen.",  # noqa: E501
        ["Participatiewet", "Gespreksvoering"],
        20,
        "Werkplein",
        False,
    ),
    (
        "Toezichthouder openbare ruimte",
        "Controle op afval, parkeren en terrassen in het centrum. Een BOA-certificaat is een pré.",
        ["Handhaving", "Openbare ruimte"],
        16,
        "Centrum",
        False,
    ),
    (
        "Opzichter groenonderhoud",
        "Het bestek groenonderhoud van dit seizoen begeleiden: schouwen, opdrachten aan de aannemer, meldingen van bewoners.",  # noqa: E501
        ["Groenbeheer", "Bestek"],
        20,
        "Gemeentewerf",
        False,
    ),
    (
        "Medewerker meldingen openbare ruimte",
        "Meldingen van inwoners over losliggende tegels, kapotte lantaarnpalen en zwerfafval beoordelen en doorzetten.",  # noqa: E501
        ["Klantcontact", "Openbare ruimte"],
        12,
        "Gemeentewerf",
        False,
    ),
    (
        "Projectleider herinrichting Dorpsstraat",
        "Participatie met bewoners en ondernemers, planning en afstemming met de aannemer voor de nieuwe inrichting.",  # noqa: E501
        ["Projectmanagement", "Participatie", "Civiele techniek"],
        16,
        "",
        True,
    ),
    (
        "Taxateur WOZ (piek januari)",
        "Bezwaarschriften tegen de WOZ-waarde behandelen in de drukke weken na de aanslagen.",
        ["WOZ", "Taxeren", "Belastingen"],
        24,
        "Gemeentehuis",
        True,
    ),
    (
        "Medewerker invordering gemeentelijke belastingen",
        "Betalingsregelingen treffen en kwijtscheldingsverzoeken beoordelen.",
        ["Belastingen", "Invordering"],
        16,
        "Gemeentehuis",
        False,
    ),
    (
        "Vergunningverlener omgevingsvergunning",
        "Aanvragen voor bouwen en verbouwen toetsen onder de Omgevingswet, in overleg met initiatiefnemers.",  # noqa: E501
        ["Omgevingswet", "Vergunningverlening", "Bouwregelgeving"],
        32,
        "",
        True,
    ),
    (
        "Adviseur participatie omgevingsvisie",
        "Bijeenkomsten met inwoners organiseren en de opbrengst verwerken in de omgevingsvisie.",
        ["Participatie", "Omgevingswet", "Communicatie"],
        12,
        "",
        True,
    ),
    (
        "Informatiebeheerder archief",
        "Achterstanden in het digitale archief wegwerken en zaakdossiers volgens de selectielijst inrichten.",  # noqa: E501
        ["Archief", "Informatiebeheer"],
        16,
        "Gemeentehuis",
        True,
    ),
    (
        "Functioneel beheerder zaaksysteem",
        "Ondersteun collega's bij het zaaksysteem, test nieuwe versies en houd de zaaktypen bij.",
        ["Functioneel beheer", "ICT", "Zaakgericht werken"],
        20,
        "",
        True,
    ),
    (
        "ICT-servicedeskmedewerker",
        "Eerstelijns vragen van collega's over laptops, accounts en telefonie oplossen.",
        ["ICT", "Klantcontact"],
        24,
        "Gemeentehuis",
        False,
    ),
    (
        "Privacy-adviseur (AVG)",
        "Verwerkingsregister bijwerken, DPIA's begeleiden en collega's adviseren over de AVG.",
        ["AVG", "Privacy", "Advisering"],
        8,
        "",
        True,
    ),
    (
        "Communicatieadviseur afvalinzameling",
        "De campagne voor de nieuwe afvalinzameling opzetten: bewonersbrief, website en sociale media.",  # noqa: E501
        ["Communicatie", "Tekstschrijven", "Social media"],
        12,
        "",
        True,
    ),
    (
        "Webredacteur",
        "Teksten op de gemeentelijke website herschrijven op B1-niveau en toegankelijk maken.",
        ["Tekstschrijven", "Webredactie", "Toegankelijkheid"],
        16,
        "",
        True,
    ),
    (
        "Zweminstructeur zwembad De Sprong",
        "Zwemlessen voor kinderen geven op woensdagmiddag en zaterdagochtend.",
        ["Zwemonderwijs", "Lesgeven"],
        8,
        "Zwembad De Sprong",
        False,
    ),
    (
        "Badmeester zomerseizoen",
        "Toezicht houden in het buitenbad tijdens de zomermaanden. Een geldig EHBO-diploma is nodig.",  # noqa: E501
        ["Toezicht", "EHBO", "Zwembad"],
        24,
        "Buitenbad",
        False,
    ),
    (
        "Beleidsmedewerker duurzaamheid",
        "Het uitvoeringsprogramma energietransitie bijwerken en subsidies aanvragen.",
        ["Duurzaamheid", "Beleid", "Subsidies"],
        16,
        "",
        True,
    ),
    (
        "Medewerker subsidies verenigingen",
        "Subsidieaanvragen van sport- en cultuurverenigingen beoordelen en beschikkingen opstellen.",  # noqa: E501
        ["Subsidies", "Beschikkingen"],
        12,
        "Gemeentehuis",
        True,
    ),
    (
        "Secretaris bezwaarschriftencommissie",
        "Hoorzittingen voorbereiden, verslagen maken en adviezen opstellen.",
        ["Juridisch", "Bezwaar en beroep", "Notuleren"],
        16,
        "Raadhuis",
        False,
    ),
    (
        "Juridisch medewerker handhaving",
        "Handhavingsbesluiten en last onder dwangsom opstellen na controles.",
        ["Juridisch", "Handhaving"],
        20,
        "",
        True,
    ),
    (
        "Inkoopadviseur aanbesteding jeugdhulp",
        "De aanbesteding van jeugdhulp in de regio voorbereiden met de inkopers van de buurgemeenten.",  # noqa: E501
        ["Inkoop", "Aanbesteden", "Jeugdwet"],
        16,
        "",
        True,
    ),
    (
        "Financieel adviseur begroting",
        "Meewerken aan de begroting en de tussenrapportage: cijfers verzamelen en toelichtingen schrijven.",  # noqa: E501
        ["Financiën", "Begroting", "Excel"],
        20,
        "",
        True,
    ),
    (
        "Medewerker crediteurenadministratie",
        "Facturen controleren, coderen en klaarzetten voor betaling tijdens de jaarafsluiting.",
        ["Financiën", "Administratie"],
        16,
        "Gemeentehuis",
        False,
    ),
    (
        "Coördinator opvang Oekraïense vluchtelingen",
        "Contact met de gastgezinnen en de opvanglocatie, en afstemming met het COA.",
        ["Organiseren", "Sociaal domein", "Klantcontact"],
        24,
        "Opvanglocatie",
        False,
    ),
    (
        "Consulent schuldhulpverlening",
        "Intakes doen en inwoners met schulden op weg helpen naar een regeling.",
        ["Schuldhulpverlening", "Gespreksvoering"],
        16,
        "Werkplein",
        False,
    ),
    (
        "Leerplichtambtenaar (vervanging)",
        "Verzuimmeldingen van scholen afhandelen en gesprekken voeren met ouders en jongeren.",
        ["Leerplicht", "Gespreksvoering", "Jeugd"],
        20,
        "Gemeentehuis",
        False,
    ),
    (
        "Mentor voor nieuwe collega's",
        "Nieuwe collega's het eerste halfjaar wegwijs maken in de organisatie.",
        ["Coachen", "Organisatiekennis"],
        4,
        "",
        True,
    ),
    (
        "Meeloopdag bij de buitendienst",
        "Loop een dag mee met de buitendienst: van de ochtendronde langs de wijken tot het onderhoud van het groen. Een mooie kennismaking met het werk buiten het gemeentehuis.",  # noqa: E501
        ["Openbare ruimte", "Groenonderhoud"],
        8,
        "Gemeentewerf",
        False,
    ),
    (
        "Functieruil beleidsmedewerker ruimtelijke ordening",
        "Ruil een halfjaar van functie met onze beleidsmedewerker ruimtelijke ordening: jij werkt bij ons aan het omgevingsplan, onze collega neemt jouw werk over.",  # noqa: E501
        ["Ruimtelijke ordening", "Omgevingswet", "Beleidsadvisering"],
        36,
        "",
        True,
    ),
    (
        "Evenementencoördinator Koningsdag",
        "Vergunningen, veiligheid en vrijwilligers voor de Koningsdagviering regelen.",
        ["Evenementen", "Organiseren", "Veiligheid"],
        12,
        "Centrum",
        False,
    ),
]

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
