"""Browser forms of matches (Flask-WTF: CSRF on every form). The forms check types; the
operations check the rules, and their field messages are put back on these fields. The terms'
own rules (:func:`app.matches.terms.check_terms`) are checked on the form too, before the
operation, with the same messages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.ids import IdSelectField
from app.matches.terms import TERM_FIELDS, check_terms
from app.web.choices import select_choices
from app.web.forms import Form

COST_CHOICES = select_choices(
    [
        ("none", _l("Geen vergoeding")),
        ("hourly_rate", _l("Vast uurtarief × uren")),
        ("employer_costs", _l("Werkgeverslasten per uur × uren")),
    ]
)
VAT_CHOICES = select_choices(
    [
        ("", _l("Vanzelf: 21 procent btw bij een vergoeding, anders geen")),
        ("vat_21", _l("21 procent btw")),
        ("exempt_cost_sharing", _l("Geen btw: kostendeling tegen werkelijke kosten")),
        ("no_fee", _l("Geen btw: geen vergoeding")),
    ]
)


class TermsForm(Form):
    """The terms of a placement: for a proposal and for a change (or an extension)."""

    hours_per_week = IntegerField(
        _l("Uren per week"), validators=[InputRequired(_l("Vul het aantal uren in."))]
    )
    start_date = DateField(
        _l("Begindatum"), validators=[InputRequired(_l("Vul een geldige datum in."))]
    )
    end_date = DateField(
        _l("Einddatum"), validators=[InputRequired(_l("Vul een geldige datum in."))]
    )
    place_of_work = StringField(_l("Werkplek"), validators=[Optional()])
    supervisor_name = StringField(_l("Leidinggevende bij de inlener"), validators=[Optional()])
    supervisor_role = StringField(_l("Functie van die leidinggevende"), validators=[Optional()])
    cost_basis = SelectField(_l("Kostenbasis"), choices=COST_CHOICES, default="none")
    hourly_rate = DecimalField(
        _l("Bedrag per uur in euro"),
        places=2,
        validators=[Optional()],
        description=_l(
            "Het uurtarief, of de werkgeverslasten per uur die P&O invult. Het standaardtarief "
            "van de uitlenende organisatie staat al ingevuld."
        ),
    )
    vat_code = SelectField(_l("Btw-behandeling"), choices=VAT_CHOICES, default="")
    vat_treatment = StringField(
        _l("Reden van de btw-behandeling"),
        validators=[Optional()],
        description=_l("Leg vast wat de organisaties hebben gekozen; Deelkracht beslist dit niet."),
    )
    notes = TextAreaField(_l("Overige afspraken"), validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        """The fields' types, then the terms' rules over the values read (the operation's
        own, :func:`app.matches.terms.check_terms`), each message on its field."""
        valid = super().validate(extra_validators)
        read = {
            name: self[name].data
            for name in TERM_FIELDS
            if name in self._fields and not self[name].errors
        }
        for name, message in check_terms(read).items():
            self[name].errors = [*self[name].errors, message]
            valid = False
        return valid

    def terms(self) -> dict:
        # cost_recharge follows from the cost basis (app.matches.terms.clean_terms).
        data = {name: getattr(self, name).data for name in TERM_FIELDS if name != "cost_recharge"}
        for name in (
            "place_of_work",
            "supervisor_name",
            "supervisor_role",
            "vat_treatment",
            "notes",
        ):
            data[name] = data[name] or ""
        return data


class ProposeForm(TermsForm):
    """The terms of a new proposal, with the confirmation a period outside the job's needs."""

    confirm_outside_job_period = BooleanField(
        _l("Ik stel bewust een periode voor die buiten de periode van de klus valt.")
    )
    #: Functieruil only (the page shows it then): who takes the employee's role in return.
    counterpart_id = IdSelectField(
        _l("Ruilpartner: wie neemt de functie van de medewerker over?"),
        kind="user",
        validators=[Optional()],
        validate_choice=False,
    )


class DecisionForm(Form):
    """One party's decision; made with ``prefix=party`` so that two forms on one page (HR of
    both sides) have their own field ids. The buttons post ``decision``, a hidden ``party``."""

    reason = TextAreaField(
        _l("Toelichting (verplicht bij afwijzen)"), validators=[Optional(), Length(max=2000)]
    )


class ReasonForm(Form):
    reason = TextAreaField(_l("Reden"), validators=[DataRequired(), Length(max=2000)])


class OptionalReasonForm(Form):
    reason = TextAreaField(_l("Reden (optioneel)"), validators=[Optional(), Length(max=2000)])


class ActionForm(Form):
    """A button that changes something: only the CSRF token."""


class EvaluationForm(Form):
    rating = RadioField(
        _l("Hoe tevreden ben je over de detachering?"),
        choices=select_choices(
            [
                ("1", _l("1 – zeer ontevreden")),
                ("2", _l("2")),
                ("3", _l("3")),
                ("4", _l("4")),
                ("5", _l("5 – zeer tevreden")),
            ]
        ),
        validators=[InputRequired(_l("Kies een cijfer."))],
    )
    went_well = TextAreaField(_l("Wat ging goed?"), validators=[Optional(), Length(max=2000)])
    could_improve = TextAreaField(_l("Wat kan beter?"), validators=[Optional(), Length(max=2000)])
    again = RadioField(
        _l("Zou je zo'n detachering opnieuw doen?"),
        choices=select_choices([("yes", _l("Ja")), ("no", _l("Nee"))]),
        validators=[Optional()],
    )

    def values(self) -> dict:
        return {
            "rating": int(self.rating.data),
            "went_well": self.went_well.data or "",
            "could_improve": self.could_improve.data or "",
            "again": {"yes": True, "no": False}.get(self.again.data),
        }


class DirectProposalForm(Form):
    """HR proposes someone of their own staff for a job (a GET form to the proposal page)."""

    employee = IdSelectField(_l("Medewerker"), kind="user")
