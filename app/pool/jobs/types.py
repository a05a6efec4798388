"""The kinds of exchange a job offers (issue 14), as the pages name them.

The values are ``app.pool.models.JOB_TYPES``; what each type means for a match — who approves,
which terms apply, which document results — is ``app.matches.exchange``.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.pool.models import JOB_TYPES

TYPE_LABELS = {
    "klus": _l("Klus"),
    "detachering": _l("Detachering"),
    "meeloopdag": _l("Meeloopdag"),
    "functieruil": _l("Functieruil"),
    "mentoring": _l("Mentoring"),
}
TYPE_HELP = {
    "klus": _l("Een taak of project, met een detacheringsovereenkomst."),
    "detachering": _l("Een plaatsing voor langere tijd, met een detacheringsovereenkomst."),
    "meeloopdag": _l("Eén tot vijf dagen meelopen, met een korte bevestiging."),
    "functieruil": _l(
        "Twee medewerkers van twee organisaties ruilen een paar maanden van functie, met één "
        "overeenkomst voor beiden."
    ),
    "mentoring": _l("Begeleiding zonder overdracht van uren en zonder kosten."),
}
assert set(TYPE_LABELS) == set(JOB_TYPES) == set(TYPE_HELP)


def type_label(value: str | None) -> str:
    return str(TYPE_LABELS.get(value or "klus", value or ""))
