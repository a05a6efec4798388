"""Browser forms for jobs: the job form (Flask-WTF, CSRF) and the list's search filters.

The filters are a GET form read by their rules (:func:`parse_filters`, the rules in
:mod:`app.pool.jobs.filters`, shared with the API): the list page is the busiest page of the
product and needs no form object to read nine query parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    IntegerField,
    RadioField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from app.ids import IdSelectField
from app.pool.jobs.filters import FILTERS, PAGE, PAGE_KEYS, BadFilter, check_ranges
from app.pool.jobs.types import TYPE_LABELS
from app.pool.models import JOB_TYPES
from app.pool.search import Filters
from app.pool.skills import MAX_SKILL_LENGTH, SkillError, normalise, split_tags
from app.web.choices import select_choices
from app.web.forms import Form

SKILL_INPUTS = 6


class JobForm(Form):
    type = RadioField(
        _l("Soort uitwisseling"),
        choices=select_choices([(value, TYPE_LABELS[value]) for value in JOB_TYPES]),
        # Left out of a posted form it is a klus (as in the API); a value outside the list is
        # refused by the field's own choice check.
        default="klus",
        invalid_choice_message=_l("Kies een soort uitwisseling."),
    )
    title = StringField(
        _l("Titel"),
        validators=[
            InputRequired(_l("Geef de klus een titel.")),
            Length(max=200, message=_l("Hoogstens 200 tekens.")),
        ],
    )
    description = TextAreaField(
        _l("Omschrijving"),
        validators=[Length(max=20_000, message=_l("Hoogstens 20.000 tekens."))],
        description=_l(
            "Gewone tekst, of opmaak met Markdown: **vet**, *schuin*, lijstjes met een streepje "
            "en links. HTML wordt als tekst getoond."
        ),
    )
    department = IdSelectField(_l("Afdeling"), kind="department", validators=[Optional()])
    skills = FieldList(
        StringField(
            _l("Vaardigheid"),
            validators=[Length(max=MAX_SKILL_LENGTH, message=_l("Hoogstens 80 tekens."))],
        ),
        label=_l("Vaardigheden"),
        min_entries=SKILL_INPUTS,
        max_entries=40,
    )
    hours_per_week = IntegerField(
        _l("Uren per week"),
        validators=[
            InputRequired(_l("Vul het aantal uren per week in.")),
            NumberRange(min=1, max=40, message=_l("Tussen 1 en 40 uur per week.")),
        ],
    )
    start_date = DateField(
        _l("Startdatum"), validators=[InputRequired(_l("Vul een startdatum in."))]
    )
    end_date = DateField(_l("Einddatum"), validators=[InputRequired(_l("Vul een einddatum in."))])
    location = StringField(
        _l("Locatie"), validators=[Length(max=200, message=_l("Hoogstens 200 tekens."))]
    )
    remote = BooleanField(_l("Werken op afstand is mogelijk"))
    places = IntegerField(
        _l("Aantal plaatsen"),
        default=1,
        validators=[
            InputRequired(_l("Vul het aantal plaatsen in.")),
            NumberRange(min=1, max=100, message=_l("Tussen 1 en 100.")),
        ],
    )
    visibility = RadioField(
        _l("Wie mag de klus zien?"),
        choices=select_choices(
            [
                ("organisation", _l("Alleen mijn eigen organisatie")),
                ("arrangement", _l("Alle organisaties in het samenwerkingsverband")),
            ]
        ),
        validators=[InputRequired(_l("Kies wie de klus mag zien."))],
    )
    contact = IdSelectField(_l("Contactpersoon"), kind="user", validators=[Optional()])

    def validate_end_date(self, field):
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_("De einddatum ligt vóór de startdatum."))

    def validate_skills(self, field):
        try:
            normalise(split_tags([entry.data or "" for entry in field.entries]))
        except SkillError as exc:
            raise ValidationError(str(exc)) from exc

    def job_data(self) -> dict:
        """The operation's input: what the form holds, in the operation's names."""
        data = {
            "type": self.type.data,
            "title": self.title.data.strip(),
            "description": self.description.data or "",
            "department_id": self.department.data or None,
            "skills": split_tags([entry.data or "" for entry in self.skills.entries]),
            "hours_per_week": self.hours_per_week.data,
            "start_date": self.start_date.data,
            "end_date": self.end_date.data,
            "location": (self.location.data or "").strip(),
            "remote": bool(self.remote.data),
            "places": self.places.data,
            "visibility": self.visibility.data,
        }
        if self.contact.data:  # else the poster (new job) or unchanged (edit)
            data["contact_id"] = self.contact.data
        return data


class ActionForm(Form):
    """A bare POST with a CSRF token: renew, publish, close."""


# --- the list's filters ------------------------------------------------------------------------


@dataclass
class ListQuery:
    q: str = ""
    filters: Filters = field(default_factory=Filters)
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict)
    raw: dict[str, str] = field(default_factory=dict)

    @property
    def params(self) -> dict[str, str]:
        """The non-empty filter values, for the pagination links."""
        return {k: v for k, v in self.raw.items() if v}

    @property
    def active(self) -> bool:
        return bool(self.q or any(v for k, v in self.raw.items() if k not in ("q", "page")))


#: The page's GET keys of the filters (the page number is not one of them).
FILTER_KEYS = tuple(rule.key for rule in FILTERS)


def parse_filters(args) -> ListQuery:
    """Read the list's GET parameters by the filters' rules (:mod:`app.pool.jobs.filters`,
    shared with the API); bad values become per-field messages, not errors: the value is
    dropped (text is cut) and the page still renders."""
    raw = dict.fromkeys(FILTER_KEYS, "")
    page_text = ""
    for key, value in args.items():  # (a MultiDict's first value of each key)
        if key in raw:
            raw[key] = (value or "").strip()
        elif key == "page":
            page_text = (value or "").strip()
    errors: dict[str, str] = {}
    values: dict = {}
    for rule in FILTERS:
        text = raw[rule.key]
        if text:
            try:
                values[rule.name] = rule.parse(text)
            except BadFilter as exc:
                errors[rule.key] = str(exc.message)
                if exc.fallback is not None:
                    values[rule.name] = exc.fallback
    for name, message in check_ranges(values).items():
        errors[PAGE_KEYS[name]] = str(message)
    page = 1
    if page_text:
        try:
            page = PAGE.parse(page_text)
        except BadFilter as exc:
            errors["page"] = str(exc.message)
    q = values.pop("q", "")
    values["remote"] = values.get("remote") or False
    return ListQuery(q=q, filters=Filters(**values), page=page, errors=errors, raw=raw)
