"""Browser forms (Flask-WTF: CSRF on every form)."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp

from app.accounts.passwords import NewPasswordRule
from app.ids import IdSelectField
from app.web.forms import Form

# A plain shape check: the address is proven by the e-mail we send. (WTForms' Email() uses
# email_validator, which refuses reserved domains such as .test and internal mail domains.)
email_shape = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Vul een geldig e-mailadres in."))


class LoginForm(Form):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Wachtwoord"), validators=[DataRequired(), Length(max=200)])


class ResetRequestForm(Form):
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Length(max=254), email_shape])


class NewPasswordForm(Form):
    #: Whose password this is (set by the view): their name and address count as easy to guess.
    password_user = None

    password = PasswordField(
        _l("Nieuw wachtwoord"),
        validators=[DataRequired(), NewPasswordRule()],
        description=_l(
            "Minstens 10 tekens en niet makkelijk te raden, bijvoorbeeld een zin van een paar "
            "woorden."
        ),
    )
    confirm = PasswordField(
        _l("Herhaal het wachtwoord"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("De wachtwoorden zijn niet gelijk.")),
        ],
    )


class InviteForm(Form):
    name = StringField(_l("Naam"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mailadres"), validators=[DataRequired(), Length(max=254), email_shape])
    department = IdSelectField(_l("Afdeling"), kind="department", validators=[Optional()])


class LogoutForm(Form):
    """Logging out is a POST with a CSRF token, so no other site can log a user out."""
