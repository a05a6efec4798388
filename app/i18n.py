"""Translations looked up once per request and language, not once per word.

Flask-Babel finds the translations for every single ``_()``: the babel state on ``g``, the
domain, the locale (each through ``g``'s context-local proxy, three or four times) and the
catalogue cache keyed by the locale's name. A job list page translates some fifty words and
labels (the template's texts, the menu, the filter's types), and those lookups cost more than
the page's own query (bench/job_pages.py). So the translations found for a locale are kept on
the request's babel state with that locale object, and reused while the same locale object is
current: ``force_locale`` (e-mails in the recipient's language) and ``refresh`` replace or
remove that object, so they get their own translations, exactly as Flask-Babel would find them.
"""

from __future__ import annotations

from functools import cached_property

import flask_babel
from flask import Flask
from flask.globals import _cv_app

#: Attribute on Flask-Babel's per-context namespace: (locale, translations, domain).
_KEPT = "deelkracht_translations"


def _babel_state():
    """Flask-Babel's namespace on the current app context's ``g``, or None (no context, or
    nothing translated yet in it). Read without the ``g`` proxy."""
    app_ctx = _cv_app.get(None)
    if app_ctx is None:
        return None
    return app_ctx.g.__dict__.get("_flask_babel")


def _kept(domain=None):
    state = _babel_state()
    if state is None:
        return None
    values = state.__dict__
    kept = values.get(_KEPT)
    if kept is None or kept[0] is not values.get("babel_locale"):
        return None
    if kept[2] is not (domain if domain is not None else values.get("babel_domain")):
        return None
    return kept[1]


class RequestDomain(flask_babel.Domain):
    """The app's message domain, keeping the translations it found for the current locale."""

    def get_translations(self):
        translations = _kept(self)
        if translations is not None:
            return translations
        translations = super().get_translations()
        state = _babel_state()
        if state is not None and state.__dict__.get("babel_locale") is not None:
            state.__dict__[_KEPT] = (state.__dict__["babel_locale"], translations, self)
        return translations


class Babel(flask_babel.Babel):
    """Flask-Babel with :class:`RequestDomain` and the templates' ``_()`` going straight to the
    kept translations."""

    @cached_property
    def domain_instance(self):
        return RequestDomain(domain=self.domain)

    def init_app(self, app: Flask, *args, **kwargs) -> None:
        super().init_app(app, *args, **kwargs)
        app.jinja_env.install_gettext_callables(
            gettext=lambda s: translations().ugettext(s),
            ngettext=lambda s, p, n: translations().ungettext(s, p, n),
            newstyle=True,
            pgettext=lambda c, s: translations().upgettext(c, s),
            npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
        )


def translations():
    """The current translations (as ``flask_babel.get_translations()``), kept per locale."""
    kept = _kept()
    return kept if kept is not None else flask_babel.get_translations()
