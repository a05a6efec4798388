"""The base of every web form: Flask-WTF (CSRF) plus the input rules of :mod:`app.cleaning`.

Every text field is cleaned as it is bound (one-line or multi-line, by its type), and every date
field checks the date range, so no form can forget them (issue 10, finding 10).
"""

from __future__ import annotations

from flask_wtf import FlaskForm

from app.cleaning import add_cleaning


class Form(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            field = unbound_field.bind(form=form, **options)
            add_cleaning(field)
            return field
