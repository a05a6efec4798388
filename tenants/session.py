"""The application's Session class: ``get()`` never returns a row of another arrangement.

``Session.get`` answers from the identity map without running a query, so the scoping listener
(:mod:`tenants.scoping`) never sees those lookups: an object loaded while one arrangement was set
would still be returned after switching to another. This class checks the object it is about to
return against the current arrangement. Flask-SQLAlchemy creates its sessions from it
(``session_options={"class_": ArrangementSession}`` in :mod:`app.extensions`).

Kept free of model imports so :mod:`app.extensions` can import it.
"""

from __future__ import annotations

from typing import Any

from flask_sqlalchemy.session import Session as FlaskSession

from tenants.context import ACROSS_ARRANGEMENTS, current_arrangement_id


class ArrangementSession(FlaskSession):
    def get(self, entity: Any, ident: Any, **kwargs: Any) -> Any:
        # deferred: import cycle: tenants.models -> app.extensions -> tenants.session
        from tenants.models import ArrangementScoped

        instance = super().get(entity, ident, **kwargs)
        if not isinstance(instance, ArrangementScoped):
            return instance
        if (kwargs.get("execution_options") or {}).get(ACROSS_ARRANGEMENTS, False):
            return instance
        if instance.arrangement_id != current_arrangement_id():
            return None
        return instance
