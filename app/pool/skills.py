"""The arrangement's shared skill list: one skill per normalised key, with suggestions.

"notuleren", "Notuleren " and "NOTULEREN" are one skill (:func:`app.pool.models.skill_key`):
matching, the skill filter and the weekly digest compare keys. What is *shown* is always the
spelling the author of the job or offer typed, kept on the link (``JobSkill.name``,
``OfferSkill.name``); no write changes another person's text. A first-spelling-wins name
shared by everyone told a job poster which skills were offered in private capacity offers, and
let a job's spelling rewrite what an employee's offer showed (issue 10, finding 12).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask_babel import gettext as _
from sqlalchemy import func, select

from app import policy
from app.errors import InvalidInput
from app.extensions import db
from app.pool.models import Job, JobSkill, Skill, skill_key
from app.pool.wordforms import like_prefix

MAX_SKILL_LENGTH = 80
MAX_SKILLS = 20
#: Skills are entered as tags; these characters separate tags in one text field.
SEPARATORS = re.compile(r"[,;\n]")


class SkillError(InvalidInput, ValueError):
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


def get_or_create(names: Iterable[str]) -> list[tuple[Skill, str]]:
    """The shared skill for each of these (already normalised) names, creating the missing
    ones, paired with the name as the author typed it (what their job or offer shows)."""
    by_key = {skill_key(name): name for name in names}
    if not by_key:
        return []
    existing = {
        skill.key: skill
        for skill in db.session.scalars(select(Skill).where(Skill.key.in_(list(by_key))))
    }
    pairs = []
    for key, name in by_key.items():
        skill = existing.get(key)
        if skill is None:
            skill = Skill(key=key, synonyms=[])
            db.session.add(skill)
        pairs.append((skill, name))
    db.session.flush()
    return pairs


def relink(links: list, pairs: list[tuple[Skill, str]], make) -> None:
    """Bring a job's or offer's skill links in line with ``pairs`` (from :func:`get_or_create`):
    drop the links no longer wanted, keep the others with the author's (new) spelling, add the
    missing ones with ``make(skill, name)``. Only this object's own links are touched."""
    wanted = {skill.id: (skill, name) for skill, name in pairs}
    links[:] = [link for link in links if link.skill_id in wanted]
    for link in links:
        link.name = wanted[link.skill_id][1]
    present = {link.skill_id for link in links}
    for skill_id, (skill, name) in wanted.items():
        if skill_id not in present:
            links.append(make(skill, name))


def find(name: str) -> Skill | None:
    """The shared skill for a name in any spelling, or None."""
    key = skill_key(name or "")
    if not key:
        return None
    return db.session.scalar(select(Skill).where(Skill.key == key))


def suggestions(user, limit: int = 300, prefix: str = "") -> list[str]:
    """Names for a <datalist>: the skills of jobs ``user`` may see, as those jobs spell them
    (one spelling per skill); with ``prefix``, only skills whose key starts with it ("exc" →
    "Excel"). The one list behind the skill picker of the job form, the offer form and the
    job list's filter.

    Never the skills or spellings of capacity offers: a suggestion would tell that someone
    offered it (the offers are private).
    """

    name = func.min(JobSkill.name)
    stmt = select(name).join(Job, Job.id == JobSkill.job_id)
    key = skill_key(prefix or "")
    if key:
        stmt = stmt.join(Skill, Skill.id == JobSkill.skill_id).where(
            Skill.key.like(like_prefix(key), escape="\\")
        )
    rows = db.session.scalars(
        stmt.where(policy.jobs_viewable(user))
        .group_by(JobSkill.skill_id)
        .order_by(name)
        .limit(limit)
    )
    return list(rows)
