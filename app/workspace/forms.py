"""Browser forms of the HR workspace (Flask-WTF: CSRF on every form that changes something).

Fields not in a form are ignored by it, so a posted ``organisation_id`` or ``is_coordinator``
changes nothing.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import (
    BooleanField,
    DecimalField,
    HiddenField,
    IntegerField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from app.ids import IdSelectField
from app.web.choices import select_choices
from app.web.forms import Form
from app.workspace.import_csv import FIELD_LABELS, FIELDS, MAX_BYTES
from app.workspace.logo import MAX_BYTES as LOGO_MAX_BYTES
from app.workspace.operations import DETAIL_FIELDS

REQUIRED = _l("Dit veld is verplicht.")
#: The details that are text (the hourly rate is a EuroField).
TEXT_DETAILS = tuple(name for name in DETAIL_FIELDS if name != "default_hourly_rate")
WHOLE_NUMBER = _l("Vul een heel getal in.")


class EuroField(DecimalField):
    """An amount in euros; a decimal comma (62,50) is read as the Dutch write it."""

    def process_formdata(self, valuelist):
        if valuelist:
            valuelist = [valuelist[0].strip().replace(" ", "").replace(",", ".")]
        super().process_formdata(valuelist)


class ActionForm(Form):
    """A button that changes something: only the CSRF token."""


class StaffSearchForm(Form):
    """The staff list's filters (a GET form: nothing changes, so no CSRF token)."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Zoek op naam, e-mailadres, afdeling of personeelsnummer"), [Length(max=200)]
    )
    department = IdSelectField(_l("Afdeling"), kind="department", validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=select_choices(
            [("", _l("Alle")), ("active", _l("Actief")), ("inactive", _l("Gedeactiveerd"))]
        ),
        validators=[Optional()],
    )


class StaffForm(Form):
    name = StringField(_l("Naam"), [DataRequired(message=REQUIRED), Length(max=200)])
    department = IdSelectField(_l("Afdeling"), kind="department", validators=[Optional()])
    job_title = StringField(_l("Functie"), [Optional(), Length(max=200)])
    personnel_number = StringField(_l("Personeelsnummer"), [Optional(), Length(max=40)])
    contract_hours = IntegerField(
        _l("Contracturen per week"),
        [Optional(), NumberRange(min=0, max=60, message=_l("Kies 0 tot en met 60 uur."))],
        invalid_value_message=WHOLE_NUMBER,
    )
    is_hr = BooleanField(
        _l("P&O-rol"),
        description=_l(
            "Met de P&O-rol beheert iemand de medewerkers en instellingen van jullie organisatie."
        ),
    )


class EraseForm(Form):
    confirm = BooleanField(
        _l("Ik begrijp dat het wissen niet ongedaan kan worden"),
        [DataRequired(message=_l("Vink aan dat je dit begrijpt."))],
    )


class DepartmentForm(Form):
    name = StringField(
        _l("Naam van de afdeling"), [DataRequired(message=REQUIRED), Length(max=200)]
    )


class ManagerForm(Form):
    # A public id (app/ids.py) among the choices; the operation checks the person as well.
    user = IdSelectField(
        _l("Medewerker"),
        kind="user",
        validators=[InputRequired(message=_l("Kies een medewerker."))],
    )


class UploadForm(Form):
    file = FileField(
        _l("CSV-bestand"),
        validators=[
            FileRequired(message=_l("Kies een bestand.")),
            FileSize(MAX_BYTES, message=_l("Het bestand is te groot (hoogstens 1 MB).")),
        ],
        description=_l(
            "Een export uit het personeelssysteem, met een kopregel. Komma, puntkomma of tab als "
            "scheidingsteken."
        ),
    )


def mapping_form(headers: list[str], mapping: dict[str, str], formdata=None):
    """A form with one choice per field: which column of the file holds it."""

    class MappingForm(Form):
        pass

    choices = select_choices([("", _l("(niet in het bestand)"))] + [(h, h) for h in headers])
    for name in FIELDS:
        setattr(
            MappingForm,
            name,
            SelectField(FIELD_LABELS[name], choices=choices, validators=[Optional()]),
        )
    form = MappingForm(formdata=formdata, data={f: mapping.get(f, "") for f in FIELDS})
    return form


class ConfirmImportForm(Form):
    digest = HiddenField(validators=[DataRequired(), Length(min=64, max=64)])


class DetailsForm(Form):
    legal_name = StringField(_l("Juridische naam"), [Optional(), Length(max=200)])
    address = TextAreaField(_l("Adres"), [Optional(), Length(max=400)])
    kvk_number = StringField(
        _l("KvK-nummer"),
        [Optional(), Regexp(r"^\d{8}$", message=_l("Een KvK-nummer heeft 8 cijfers."))],
    )
    oin = StringField(
        _l("OIN (organisatie-identificatienummer)"),
        [Optional(), Regexp(r"^\d{20}$", message=_l("Een OIN heeft 20 cijfers."))],
    )
    vat_number = StringField(
        _l("Btw-nummer"),
        [
            Optional(),
            Regexp(
                r"^NL\d{9}B\d{2}$",
                message=_l("Een btw-nummer ziet eruit als NL123456789B01."),
            ),
        ],
    )
    signatory_name = StringField(_l("Naam van de ondertekenaar"), [Optional(), Length(max=200)])
    signatory_role = StringField(_l("Functie van de ondertekenaar"), [Optional(), Length(max=200)])
    signatory_mandate = StringField(
        _l("Mandaat of volmacht van de ondertekenaar"),
        [Optional(), Length(max=300)],
        description=_l("Bijvoorbeeld: Mandaatbesluit 2025, artikel 3."),
    )
    cao = StringField(_l("Cao"), [Optional(), Length(max=60)])
    default_hourly_rate = EuroField(
        _l("Standaard uurtarief voor doorbelasting (euro)"),
        [
            Optional(),
            NumberRange(min=0, max=999999, message=_l("Kies een bedrag van 0 tot 999.999.")),
        ],
        places=2,
        description=_l("Wordt voorgesteld als een detachering uren doorbelast."),
        invalid_value_message=_l("Vul een bedrag in, bijvoorbeeld 62,50."),
    )

    def details(self) -> dict:
        """The values to store: text fields as text ("" when empty), the rate or None."""
        out = {name: (getattr(self, name).data or "").strip() for name in TEXT_DETAILS}
        out["default_hourly_rate"] = self.default_hourly_rate.data
        return out


class LogoForm(Form):
    logo = FileField(
        _l("Logo voor de overeenkomst"),
        validators=[
            FileRequired(message=_l("Kies een afbeelding.")),
            FileSize(LOGO_MAX_BYTES, message=_l("Het logo mag hoogstens 512 KB zijn.")),
        ],
        description=_l("PNG of JPEG, hoogstens 512 KB."),
    )
