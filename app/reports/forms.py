"""Browser forms of the report pages: the period (a GET form, no token: it changes nothing)
and the coordinator's external hourly rate (POST, with CSRF)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from flask_babel import format_decimal
from flask_babel import lazy_gettext as _l
from wtforms import DateField, DecimalField, HiddenField, SelectField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError
from wtforms.widgets import TextInput

from app.reports.period import Period
from app.web.forms import Form

A_DATE = _l("Vul een datum in, bijvoorbeeld 2025-03-31.")
#: Reports cover the years of this century and the next; beyond that a date is a typo.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
OUT_OF_RANGE = _l("Kies een datum tussen 2000 en 2099.")
FROM_AFTER_TO = _l("De begindatum ligt na de einddatum.")
AN_AMOUNT = _l("Vul een bedrag in, bijvoorbeeld 95 of 87,50.")


def _in_range(form, field) -> None:
    if field.data is not None and not (FIRST_DAY <= field.data <= LAST_DAY):
        raise ValidationError(str(OUT_OF_RANGE))


class PeriodForm(Form):
    """``?van=&tot=`` (and, for coordinators, ``&organisatie=``)."""

    class Meta:
        csrf = False

    van = DateField(_l("Van"), validators=[Optional(), _in_range], invalid_value_message=A_DATE)
    tot = DateField(
        _l("Tot en met"), validators=[Optional(), _in_range], invalid_value_message=A_DATE
    )
    # Coordinators only: the whole arrangement ("") or one organisation (its slug). An unknown
    # slug is a 404 from the operation, not a form error.
    organisatie = SelectField(_l("Organisatie"), choices=[], validate_choice=False)

    def validate_tot(self, field) -> None:
        if self.van.data and field.data and self.van.data > field.data:
            raise ValidationError(str(FROM_AFTER_TO))

    def period(self) -> Period:
        return Period.around(self.van.data, self.tot.data)


class AmountField(DecimalField):
    """Euros as people type them: "95", "95,50", "€ 1.250,00" or "95.50"; never NaN or
    infinity (which Decimal would accept and no comparison survives)."""

    widget = TextInput()

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else format_decimal(self.data, format="0.00")

    def process_formdata(self, valuelist) -> None:
        if not valuelist:
            return
        text = valuelist[0].replace("€", "").replace(" ", "").replace("\xa0", "")
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        try:
            value = Decimal(text)
        except (InvalidOperation, ValueError):
            value = None
        if value is None or not value.is_finite():
            self.data = None
            raise ValueError(str(AN_AMOUNT))
        self.data = value


class RateForm(Form):
    rate = AmountField(
        _l("Extern uurtarief (euro per uur)"),
        places=2,
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
        validators=[
            InputRequired(message=AN_AMOUNT),
            NumberRange(min=0, max=10000, message=_l("Vul een bedrag in van 0 tot 10.000 euro.")),
        ],
        description=_l("Wat een uur externe inhuur gemiddeld kost; gebruikt voor de schatting."),
    )


A_MONTH = _l("Vul een maand in, bijvoorbeeld 2025-03.")


class MonthForm(Form):
    """``?maand=YYYY-MM`` (default: last month, the one finance books) and, for coordinators,
    ``&organisatie=``."""

    class Meta:
        csrf = False

    maand = StringField(_l("Maand"), validators=[Optional()])
    organisatie = SelectField(_l("Organisatie"), choices=[], validate_choice=False)

    def validate_maand(self, field) -> None:
        if field.data and self.parsed() is None:
            raise ValidationError(str(A_MONTH))

    def parsed(self) -> date | None:
        try:
            year, month = (self.maand.data or "").strip().split("-")
            value = date(int(year), int(month), 1)
        except (TypeError, ValueError):
            return None
        return value if FIRST_DAY <= value <= LAST_DAY else None

    def month(self, on: date) -> date:
        if self.maand.data:
            return self.parsed()
        first = on.replace(day=1)
        return (first - timedelta(days=1)).replace(day=1)


class HoursForm(Form):
    """The borrowing side confirms the hours worked in one month (prefilled: the agreed ones)."""

    month = HiddenField()
    hours = StringField(
        _l("Gewerkte uren"),
        validators=[InputRequired(_l("Vul het aantal uren in."))],
        render_kw={"inputmode": "decimal", "autocomplete": "off"},
    )
