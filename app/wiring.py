"""How a domain plugs into the app: its ``init_app`` calls these (see ARCHITECTURE.md).

A domain registers everything explicitly from ``app/<domain>/__init__.py:init_app``: blueprints
here, outbox handlers with :func:`app.outbox.delivery.register_handlers`, schedules with
:func:`app.outbox.schedules.register_schedules`, demo content with :func:`app.demo.add_content`.
Importing a module registers nothing.
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Blueprint as ApiBlueprint

from app.api import api
from app.extensions import csrf


def register_blueprints(app: Flask, *blueprints) -> None:
    """Register browser blueprints with the app and API (smorest) blueprints with the API.

    API blueprints take bearer tokens only (no cookie), so CSRF does not apply to them.
    """
    for blueprint in blueprints:
        if isinstance(blueprint, ApiBlueprint):
            api.register_blueprint(blueprint)
            csrf.exempt(blueprint)
        else:
            app.register_blueprint(blueprint)
