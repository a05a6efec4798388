"""The login page's "sign in with your work account" form."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms.validators import DataRequired, Length

from app.accounts.forms import email_shape


class WorkAccountForm(FlaskForm):
    email = EmailField(
        _l("E-mailadres van je werk"), validators=[DataRequired(), Length(max=254), email_shape]
    )


class TokenForm(FlaskForm):
    """Making or revoking a personal API token: a CSRF-protected button."""
