"""The pool's models and outbox handlers that live outside app.pool.models, imported by
app.register_models: saved searches (models, alert e-mail, schedules) and the search
vocabulary."""

from app.pool import saved_searches, vocabulary  # noqa: F401
