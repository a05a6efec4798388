"""Browser forms for responses, offers, settings and notifications (Flask-WTF: CSRF on each).

Messages are Dutch and name what to do. Fields not in a form are ignored by it, so a posted
``organisation_id`` or ``status`` changes nothing.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.validators import ValidationError as FormValidationError

from app.ids import IdSelectField
from app.pool import skills as skill_list
from app.pool.applications.schemas import MESSAGE_MAX, MOTIVATION_MAX
from app.pool.offers.schemas import NOTE_MAX
from app.web.choices import select_choices
from app.web.forms import Form

WHOLE_NUMBER = _l("Vul een heel getal in.")
A_DATE = _l("Vul een datum in, bijvoorbeeld 2025-03-31.")
HOURS = NumberRange(min=1, max=40, message=_l("Kies 1 tot en met 40 uur per week."))
REQUIRED = _l("Dit veld is verplicht.")


def _hours_field(label, *, required: bool):
    first = InputRequired(message=REQUIRED) if required else Optional()
    return IntegerField(label, validators=[first, HOURS], invalid_value_message=WHOLE_NUMBER)


class ActionForm(Form):
    """A button that changes something: only the CSRF token."""


class ApplyForm(Form):
    motivation = TextAreaField(
        _l("Motivatie"),
        validators=[
            DataRequired(message=REQUIRED),
            Length(max=MOTIVATION_MAX, message=_l("Gebruik hoogstens %(max)d tekens.")),
        ],
        description=_l("Waarom wil je dit doen, en wat breng je mee? Een paar zinnen is genoeg."),
    )
    hours_per_week = _hours_field(_l("Uren per week (als je dat al weet)"), required=False)


class DecisionForm(Form):
    status = RadioField(
        _l("Wat wordt het?"),
        choices=select_choices(
            [
                ("in_conversation", _l("In gesprek: we nemen contact op")),
                ("declined", _l("Afwijzen, met een vriendelijk bericht")),
            ]
        ),
        validators=[InputRequired(message=_l("Kies in gesprek of afwijzen."))],
    )
    message = TextAreaField(
        _l("Bericht aan de medewerker"),
        validators=[Length(max=MESSAGE_MAX, message=_l("Gebruik hoogstens %(max)d tekens."))],
        description=_l("De medewerker krijgt dit bericht te zien. Bedank voor de reactie."),
    )


class OfferForm(Form):
    skills = StringField(
        _l("Vaardigheden"),
        validators=[Length(max=2000, message=_l("Gebruik hoogstens %(max)d tekens."))],
        description=_l("Gescheiden door komma's, bijvoorbeeld: notuleren, Excel, klantcontact."),
        # The shared skill picker (templates/pool/_skill_picker.html), completing the last tag.
        render_kw={"list": "skill-suggestions", "data-skill-picker": "tags"},
    )
    hours_per_week = _hours_field(_l("Uren per week"), required=True)
    available_from = DateField(
        _l("Beschikbaar vanaf"),
        validators=[InputRequired(message=REQUIRED)],
        invalid_value_message=A_DATE,
    )
    available_until = DateField(
        _l("Beschikbaar tot en met"),
        validators=[Optional()],
        invalid_value_message=A_DATE,
        description=_l("Leeg laten als je het nog niet weet."),
    )
    reason = SelectField(
        _l("Waarom bied je je aan?"),
        choices=select_choices(
            [
                ("peak", _l("Het is rustig in mijn werk (piek en dal)")),
                ("development", _l("Ik wil me ontwikkelen")),
                ("reintegration", _l("Re-integratie")),
                ("other", _l("Iets anders")),
            ]
        ),
        validators=[InputRequired(message=REQUIRED)],
    )
    reason_shared_with_hr = BooleanField(
        _l("P&O van mijn organisatie mag zien dat het om re-integratie gaat"),
        description=_l(
            "Alleen bij re-integratie. Zonder dit vinkje ziet niemand anders dan jij die reden; "
            "anderen die je aanbod mogen zien, lezen „Anders”."
        ),
    )
    note = TextAreaField(
        _l("Toelichting"),
        validators=[Length(max=NOTE_MAX, message=_l("Gebruik hoogstens %(max)d tekens."))],
        description=_l(
            "Wat wil je graag doen, wat liever niet? Alleen wie je aanbod mag zien, leest dit."
        ),
    )

    def validate_skills(self, field):
        try:
            field.skill_names = skill_list.normalise(skill_list.split_tags(field.data or ""))
        except skill_list.SkillError as exc:
            raise FormValidationError(str(exc)) from None

    def validate_available_until(self, field):
        start = self.available_from.data
        if field.data and start and field.data < start:
            raise FormValidationError(_l("De einddatum ligt vóór de begindatum."))

    def offer_data(self) -> dict:
        consent = {}
        if "reason_shared_with_hr" in self:  # the employee's own choice: absent for others
            consent["reason_shared_with_hr"] = bool(self.reason_shared_with_hr.data)
        return consent | {
            "skills": getattr(self.skills, "skill_names", []),
            "hours_per_week": self.hours_per_week.data,
            "available_from": self.available_from.data,
            "available_until": self.available_until.data,
            "reason": self.reason.data,
            "note": (self.note.data or "").strip(),
        }


class RegisterOfferForm(OfferForm):
    """A line manager registers an offer for one of their staff. The consent to show HR a
    re-integration reason is the employee's own to give: not on this form."""

    reason_shared_with_hr = None
    employee = IdSelectField(
        _l("Medewerker"),
        kind="user",
        validators=[InputRequired(message=_l("Kies een medewerker."))],
    )


class SettingsForm(Form):
    capacity_visibility = RadioField(
        _l("Wie ziet het aanbod van onze medewerkers?"),
        choices=select_choices(
            [
                ("hr", _l("Alleen P&O van onze organisatie")),
                ("hr_coordinators", _l("P&O van onze organisatie en de coördinatoren")),
                (
                    "arrangement",
                    _l("De hele zoekende kant: P&O en leidinggevenden van alle deelnemers"),
                ),
            ]
        ),
        validators=[InputRequired(message=REQUIRED)],
    )
    line_manager_sees_own_staff = BooleanField(
        _l("Leidinggevenden zien het aanbod en de reacties van hun eigen medewerkers"),
        description=_l(
            "Uit (standaard): een leidinggevende ziet niet of eigen medewerkers aanbod hebben of "
            "op klussen reageren. Zo wordt Deelkracht geen controlemiddel. De leidinggevende "
            "hoort het pas als de medewerker een voorstel voor een detachering heeft goedgekeurd. "
            "Aan: leidinggevenden zien het aanbod en de reacties van hun eigen medewerkers. "
            "Bespreek dat eerst met de ondernemingsraad."
        ),
    )
    registration_via_line_manager = BooleanField(
        _l("Leidinggevenden mogen aanbod registreren namens hun medewerkers"),
        description=_l(
            "Aan: een leidinggevende kan aanbod registreren namens een medewerker van de eigen "
            "afdeling, na overleg. De medewerker krijgt daarvan bericht en kan het aanpassen of "
            "intrekken; de leidinggevende ziet alleen het aanbod dat hij of zij zelf "
            "registreerde. Medewerkers kunnen zich ook zelf blijven aanmelden."
        ),
    )
    report_min_group_size = IntegerField(
        _l("Kleinste groep in overzichten"),
        description=_l(
            "Overzichten met aantallen tonen een groep pas vanaf dit aantal mensen (minstens 3), "
            "zodat niemand herkenbaar is."
        ),
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(min=3, max=1000, message=_l("Kies een getal van 3 tot 1000.")),
        ],
        invalid_value_message=WHOLE_NUMBER,
    )
    retention_days = IntegerField(
        _l("Bewaartermijn in dagen"),
        description=_l(
            "Ingetrokken of afgesloten aanbod en reacties worden zoveel dagen na het afsluiten "
            "gewist."
        ),
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(min=1, max=3650, message=_l("Kies 1 tot 3650 dagen.")),
        ],
        invalid_value_message=WHOLE_NUMBER,
    )
    job_expiry_days = IntegerField(
        _l("Looptijd van een klus in dagen"),
        description=_l(
            "Een nieuwe klus loopt zoveel dagen; daarna verloopt hij, tenzij wie hem plaatste hem "
            "verlengt."
        ),
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(min=1, max=365, message=_l("Kies 1 tot 365 dagen.")),
        ],
        invalid_value_message=WHOLE_NUMBER,
    )
    default_job_visibility = RadioField(
        _l("Standaard zichtbaarheid van nieuwe klussen"),
        choices=select_choices(
            [
                ("organisation", _l("Alleen onze eigen organisatie")),
                ("arrangement", _l("Het hele samenwerkingsverband")),
            ]
        ),
        validators=[InputRequired(message=REQUIRED)],
    )

    def settings_data(self) -> dict:
        return {
            "capacity_visibility": self.capacity_visibility.data,
            "line_manager_sees_own_staff": bool(self.line_manager_sees_own_staff.data),
            "registration_via_line_manager": bool(self.registration_via_line_manager.data),
            "report_min_group_size": self.report_min_group_size.data,
            "retention_days": self.retention_days.data,
            "job_expiry_days": self.job_expiry_days.data,
            "default_job_visibility": self.default_job_visibility.data,
        }


class DigestForm(Form):
    weekly_digest = BooleanField(
        _l("Stuur me elke week een e-mail met nieuwe klussen die bij mijn vaardigheden passen")
    )
