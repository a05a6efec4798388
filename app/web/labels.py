"""Words for the codes the data holds (roles, notification and session kinds), so no page shows
``employee`` or ``match_proposed``: a code is for machines, a person reads a word in their
language. An unknown code falls back to a neutral word, never to the code itself."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.pool.jobs.views import STATUS_LABELS

ROLE_LABELS = {
    "employee": _l("Medewerker"),
    "line_manager": _l("Leidinggevende"),
    "hr": _l("P&O"),
    "coordinator": _l("Coördinator"),
}

NOTIFICATION_KIND_LABELS = {
    "application_new": _l("Nieuwe reactie op je klus"),
    "application_decision": _l("Antwoord op je reactie"),
    "offer_registered": _l("Aanbod namens jou geregistreerd"),
    "offer_ended": _l("Aanbod afgelopen"),
    "settings_changed": _l("Privacy-instellingen gewijzigd"),
    "match_proposed": _l("Nieuw voorstel"),
    "match_employee_approved": _l("Medewerker akkoord met voorstel"),
    "match_decision_needed": _l("Jouw besluit is nodig"),
    "match_agreed": _l("Detachering overeengekomen"),
    "match_declined": _l("Voorstel afgewezen"),
    "match_withdrawn": _l("Voorstel ingetrokken"),
    "match_terms_changed": _l("Voorwaarden gewijzigd"),
    "match_amendment_declined": _l("Wijziging afgewezen"),
    "match_ended": _l("Detachering beëindigd"),
    "match_evaluation": _l("Evaluatie gevraagd"),
}

SESSION_KIND_LABELS = {
    "web": _l("Browser"),
    "api": _l("API-token"),
    "reset": _l("Wachtwoord herstellen"),
    "invite": _l("Uitnodiging"),
}

OTHER = _l("Overig")


def role_labels(codes) -> str:
    return ", ".join(str(ROLE_LABELS.get(code, OTHER)) for code in codes or ())


def notification_kind_label(code: str) -> str:
    return str(NOTIFICATION_KIND_LABELS.get(code, OTHER))


def session_kind_label(code: str) -> str:
    return str(SESSION_KIND_LABELS.get(code, OTHER))


def job_status_label(code: str) -> str:

    return str(STATUS_LABELS.get(code, OTHER))


HELPERS = {
    "role_labels": role_labels,
    "notification_kind_label": notification_kind_label,
    "session_kind_label": session_kind_label,
    "job_status_label": job_status_label,
}
