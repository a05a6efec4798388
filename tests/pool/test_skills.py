"""The shared skill list: one skill per normalised name, suggestions that reveal nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.pool.models import Job, Skill
from app.pool.skills import SkillError, get_or_create, normalise, split_tags, suggestions
from tests.ids import key_of
from tests.pool.jobs_factory import make_job
from tests.pool.test_jobs_visibility import give_offer


def test_case_and_spacing_fold_to_one_skill_first_spelling_wins():
    """ "notuleren", "Notuleren " and "NOTULEREN" are one skill: in one list, the first
    spelling typed stays."""
    assert normalise(["Notuleren ", "notuleren", "  NOTULEREN", "Excel  2016"]) == [
        "Notuleren",
        "Excel 2016",
    ]
    assert normalise(["", "   "]) == []


def test_tags_split_on_commas_semicolons_and_lines():
    """One text field may hold several tags."""
    assert split_tags(["a, b; c\nd", "", " e "]) == ["a", " b", " c", "d", " e "]


@pytest.mark.parametrize(
    ("names", "message"),
    [(["x" * 81], "80 tekens"), ([f"s{i}" for i in range(21)], "20 vaardigheden"), ([3], "tekst")],
)
def test_bad_skill_lists_are_refused_with_a_reason(names, message):
    """Too long, too many, not text: refused with a Dutch message."""
    with pytest.raises(SkillError, match=message):
        normalise(names)


def test_jobs_share_one_skill_row_and_keep_their_own_spelling(world, in_arrangement):
    """Two jobs with "Notuleren " and "notuleren" link to the same shared skill; each shows
    the spelling its poster typed, and a third spelling asked for is given back as typed."""
    first = make_job(in_arrangement, world.meer.ermelo.lead, skills=["Notuleren "])
    second = make_job(in_arrangement, world.meer.zeewolde.hr, skills=["notuleren", "Excel"])
    with in_arrangement(world.meer.arrangement) as session:
        assert session.scalar(select(func.count()).select_from(Skill)) == 2
        ((skill, name),) = get_or_create(["NOTULEREN"])
        assert name == "NOTULEREN" and skill.key == "notuleren"
        assert session.get(Job, key_of("job", first)).skills == ["Notuleren"]
        assert session.get(Job, key_of("job", second)).skills == ["Excel", "notuleren"]
        assert {link.skill_id for link in session.get(Job, key_of("job", second)).job_skills} >= {
            skill.id
        }


def test_suggestions_come_from_jobs_the_user_may_see(world, in_arrangement):
    """Suggestions list the skills of jobs the user may see: never a skill only an offer uses
    (it would tell someone offered it), nor one of another organisation's organisation-only
    job or draft."""
    make_job(in_arrangement, world.meer.ermelo.lead, skills=["Notuleren"])
    make_job(in_arrangement, world.meer.ermelo.lead, skills=["Intern"], visibility="organisation")
    make_job(in_arrangement, world.meer.ermelo.lead, skills=["Concept"], publish=False)
    give_offer(in_arrangement, world.meer.ermelo.emp, skills=("Geheimschrift",))
    with in_arrangement(world.meer.arrangement) as session:
        outsider = session.get(User, world.meer.zeewolde.lead.id)
        insider = session.get(User, world.meer.ermelo.emp_other.id)
        owner = session.get(User, world.meer.ermelo.lead.id)
        assert suggestions(outsider) == ["Notuleren"]
        assert suggestions(insider) == ["Intern", "Notuleren"]
        assert suggestions(owner) == ["Concept", "Intern", "Notuleren"]
