"""The arrangement's shared skill list: one skill per normalised key, with suggestions.

"notuleren", "Notuleren " and "NOTULEREN" are one skill (:func:`app.pool.models.skill_key`); the
first spelling used becomes the name shown to everyone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from app.extensions import db
from app.pool.models import Job, JobSkill, Skill, skill_key

MAX_SKILL_LENGTH = 80
MAX_SKILLS = 20
#: Skills are entered as tags; these characters separate tags in one text field.
SEPARATORS = re.compile(r"[,;\n]")


class SkillError(ValueError):
    """A skill list that cannot be saved; the message says why, in Dutch."""


def clean_name(name: str) -> str:
    """The display form: inner whitespace collapsed, outer whitespace gone, case kept."""
    return re.sub(r"\s+", " ", name).strip()


def split_tags(values: Iterable[str] | str | None) -> list[str]:
    """Tags from one text field or several: split on separators, drop empties."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    out = []
    for value in values:
        out.extend(part for part in SEPARATORS.split(value or "") if part.strip())
    return out


def normalise(names: Iterable[str]) -> list[str]:
    """Clean and de-duplicate by key (first spelling wins); raise SkillError on bad input."""
    seen: dict[str, str] = {}
    for raw in names:
        if not isinstance(raw, str):
            raise SkillError(_("Een vaardigheid moet tekst zijn."))
        name = clean_name(raw)
        if not name:
            continue
        if SEPARATORS.search(raw):
            raise SkillError(_("Een vaardigheid mag geen komma of puntkomma bevatten."))
        if len(name) > MAX_SKILL_LENGTH:
            raise SkillError(
                _("Een vaardigheid is hoogstens %(n)d tekens lang.", n=MAX_SKILL_LENGTH)
            )
        seen.setdefault(skill_key(name), name)
    if len(seen) > MAX_SKILLS:
        raise SkillError(_("Kies hoogstens %(n)d vaardigheden.", n=MAX_SKILLS))
    return list(seen.values())


def get_or_create(names: Iterable[str]) -> list[Skill]:
    """The shared skills for these (already normalised) names, creating the missing ones."""
    by_key = {skill_key(name): name for name in names}
    if not by_key:
        return []
    existing = {
        skill.key: skill
        for skill in db.session.scalars(select(Skill).where(Skill.key.in_(list(by_key))))
    }
    skills = []
    for key, name in by_key.items():
        skill = existing.get(key)
        if skill is None:
            skill = Skill(key=key, name=name, synonyms=[])
            db.session.add(skill)
        skills.append(skill)
    db.session.flush()
    return skills


def find(name: str) -> Skill | None:
    """The shared skill for a name in any spelling, or None."""
    key = skill_key(name or "")
    if not key:
        return None
    return db.session.scalar(select(Skill).where(Skill.key == key))


def suggestions(user, limit: int = 300) -> list[str]:
    """Names of the shared skill list for a <datalist>: the skills of jobs ``user`` may see.

    Never the skills that only capacity offers use: a skill appearing in the suggestions would
    tell that someone offered it (the offers are private).
    """
    from app.pool.jobs import managed_clause

    seen = or_(Job.organisation_id == user.organisation_id, Job.visibility == "arrangement")
    on_a_job = (
        select(JobSkill.id)
        .join(Job, Job.id == JobSkill.job_id)
        .where(
            JobSkill.skill_id == Skill.id,
            or_(and_(Job.status != "draft", seen), managed_clause(user)),
        )
        .exists()
    )
    rows = db.session.execute(select(Skill.name).where(on_a_job).order_by(Skill.name).limit(limit))
    return [name for (name,) in rows]
