"""Forgiving search (issue 14): Dutch word forms find each other, compounds are split against
the arrangement's vocabulary, a typo finds the job with "Bedoelde je …?", and the vocabulary
never holds a word that not every member of the arrangement may read."""

from __future__ import annotations

import pytest

from app.accounts.models import User
from app.pool.search import Filters, search_jobs
from app.pool.vocabulary import SearchWord, closest, rebuild
from tests.ids import key_of
from tests.pool.jobs_factory import make_job

pytestmark = pytest.mark.sqlite

JOBS = {
    "griffie": ("Ondersteuning raadsgriffie", "Je gaat notuleren bij de commissies."),
    "omgevingswet": ("Beleidsmedewerker Omgevingswet", "Invoering van de Omgevingswet."),
    "vergunning": ("Vergunningverlening bouw", "Beoordelen van aanvragen voor vergunningen."),
    "participatie": ("Adviseur participatie", "Bewoners betrekken bij plannen."),
    "coordinator": ("Coördinator vrijwilligers", "Organiseren van activiteiten in de wijk."),
    "zwembad": ("Zwembadtoezicht", "Toezicht houden in het zwembad als badmeester."),
    "archief": ("Archivaris", "Dossiers digitaliseren en archiveren."),
    "rooster": ("Roostermaker buitendienst", "Planning maken voor de buitendienst."),
    "jeugd": ("Jeugd en zorg", "Hulp voor jongeren in de wijk."),
}

#: (query, the jobs it must find — exactly these —, the "Bedoelde je" words or None)
TABLE = [
    # word forms
    ("notuleren", {"griffie"}, None),
    ("notulen", {"griffie"}, None),
    ("notulist", {"griffie"}, None),
    ("notulering", {"griffie"}, None),
    ("vergunning", {"vergunning"}, None),
    ("vergunningen", {"vergunning"}, None),
    ("vergunningverlener", {"vergunning"}, None),
    ("participeren", {"participatie"}, None),
    ("participatie", {"participatie"}, None),
    ("adviseren", {"participatie"}, None),
    ("coordinator", {"coordinator"}, None),
    ("coördineren", {"coordinator"}, None),
    ("organisatie", {"coordinator"}, None),
    ("digitalisering", {"archief"}, None),
    ("roosters", {"rooster"}, None),
    ("zwembaden", {"zwembad"}, None),
    ("archiveren", {"archief"}, None),
    # compounds
    ("omgevingswet", {"omgevingswet"}, None),
    ("jeugdzorg", {"jeugd"}, None),
    ("bewonersparticipatie", {"participatie"}, None),
    ("vrijwilligerscoördinator", {"coordinator"}, None),
    ("buitendienstplanning", {"rooster"}, None),
    ("badmeestertoezicht", {"zwembad"}, None),
    # typos
    ("omgevingwet", {"omgevingswet"}, ["omgevingswet"]),
    ("omgevigswet", {"omgevingswet"}, ["omgevingswet"]),
    ("digitaliseern", {"archief"}, ["digitaliseren"]),
    ("archivrais", {"archief"}, ["archivaris"]),
    ("cordinator vrijwilligers", {"coordinator"}, ["coordinator", "vrijwilligers"]),
    ("participatei", {"participatie"}, ["participatie"]),
    ("buitendients", {"rooster"}, ["buitendienst"]),
    ("badmeestre", {"zwembad"}, ["badmeester"]),
    ("raadsgrifie", {"griffie"}, ["raadsgriffie"]),
    # nothing close: nothing found, nothing suggested
    ("onbekendwoord", set(), None),
    ("xyzzy", set(), None),
]


def test_word_forms_compounds_and_typos_table(world, in_arrangement):
    lead = world.meer.ermelo.lead
    ids = {
        key: make_job(in_arrangement, lead, title=title, description=text, skills=[])
        for key, (title, text) in JOBS.items()
    }
    by_id = {v: k for k, v in ids.items()}
    emp = world.meer.harderwijk.emp
    wrong = []
    with in_arrangement(emp.arrangement_id) as session:
        viewer = session.get(User, emp.id)
        for q, expected, suggestion in TABLE:
            result = search_jobs(viewer, q, Filters())
            found = {by_id[row.id] for row in result.items}
            if found != expected or (result.suggestion or None) != suggestion:
                wrong.append((q, sorted(found), result.suggestion))
    assert len(TABLE) >= 30
    assert wrong == []


def test_the_list_page_says_bedoelde_je(client, world, login, in_arrangement):
    make_job(in_arrangement, world.meer.ermelo.lead, title="Beleidsmedewerker Omgevingswet")
    login(client, world.meer.zeewolde.emp)
    page = client.get("/klussen?q=omgevingwet").get_data(as_text=True)
    assert "Bedoelde je" in page and "?q=omgevingswet" in page
    assert "Beleidsmedewerker Omgevingswet" in page


def test_the_vocabulary_holds_only_what_every_member_may_read(world, in_arrangement):
    """Words of another organisation's organisation-only job, of a draft and of another
    arrangement are never suggested; after a job turns organisation-only, the rebuild drops
    its words."""
    meer = world.meer
    make_job(
        in_arrangement,
        meer.zeewolde.lead,
        title="Klimaatadaptatieplan intern",
        visibility="organisation",
    )
    make_job(in_arrangement, meer.zeewolde.lead, publish=False, title="Conceptwoordenlijst")
    make_job(in_arrangement, world.elders.andere.lead, title="Elderswoordenboek")
    shared = make_job(in_arrangement, meer.harderwijk.lead, title="Wijkverpleegkundige")
    emp = meer.ermelo.emp
    with in_arrangement(meer.arrangement) as session:
        viewer = session.get(User, emp.id)
        for typo in ("klimaatadaptatiepln", "conceptwoordenlyst", "elderswoordenbok"):
            assert closest(typo) is None, typo
            result = search_jobs(viewer, typo, Filters())
            assert result.items == [] and result.suggestion == [], typo
        assert closest("wijkverpleegkundig") == "wijkverpleegkundige"
        words = set(session.scalars(__import__("sqlalchemy").select(SearchWord.word)))
        assert "klimaatadaptatieplan" not in words and "elderswoordenboek" not in words
    from app.pool.models import Job

    with in_arrangement(meer.arrangement) as session:
        session.get(Job, key_of("job", shared)).visibility = "organisation"
        session.commit()
    with in_arrangement(meer.arrangement) as session:
        rebuild()
        session.commit()
        assert closest("wijkverpleegkundig") is None
