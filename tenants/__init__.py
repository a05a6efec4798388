"""Tenancy: the current arrangement, query scoping, row-level security, privacy settings and
the arrangement definitions (TOML) with the command that applies them.

The arrangement is a hard wall. Every ORM query on an arrangement-owned model is filtered to the
current arrangement by one listener (:mod:`tenants.scoping`); ``Session.get`` is checked by
:class:`tenants.session.ArrangementSession`; on PostgreSQL, row-level security (:mod:`tenants.rls`)
is the second wall behind it.
"""

from tenants.context import (
    ACROSS_ARRANGEMENTS,
    current_arrangement_id,
    use_arrangement,
)

__all__ = ["ACROSS_ARRANGEMENTS", "ArrangementScoped", "current_arrangement_id", "use_arrangement"]


def __getattr__(name: str):
    # Lazy, so app.extensions can import tenants.session before the models exist.
    if name == "ArrangementScoped":
        # deferred: import cycle: tenants.models -> app.extensions -> tenants
        from tenants.models import ArrangementScoped

        return ArrangementScoped
    raise AttributeError(name)
