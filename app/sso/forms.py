"""The login page's "sign in with your work account" form."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField
from wtforms.validators import DataRequired, Length

from app.accounts.forms import email_shape
from app.web.forms import Form


class WorkAccountForm(Form):
    email = EmailField(
        _l("E-mailadres van je werk"), validators=[DataRequired(), Length(max=254), email_shape]
    )


class TokenForm(Form):
    """Making or revoking a personal API token: a CSRF-protected button."""
