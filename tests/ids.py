"""Public ids in tests: URLs and JSON carry public ids (app/ids.py), never the keys inside.

Use :func:`public_id` wherever a test writes an id into a URL, a query string, a form value or a
JSON body, and where it compares an id the application gave out with a row.
"""

from __future__ import annotations

from flask import current_app, has_app_context

from app import ids

#: The shared test app's configuration has no ``ID_KEY`` and this ``SECRET_KEY``
#: (tests/support/databases.py ``base_config``): its key is the one derived from it.
TEST_SECRET_KEY = "test-secret"


def _key() -> bytes:
    if has_app_context():
        return ids.id_key(current_app.config)
    return ids.id_key({"SECRET_KEY": TEST_SECRET_KEY})


def public_id(row_or_kind, number: int | None = None) -> int:
    """The public id of a row (``public_id(job)``), of a key of a kind (``public_id("job", 5)``)
    or of a row's id read as an attribute under another name (``public_id("user",
    match.employee_id)``). Outside an app context, the shared test app's key."""
    if isinstance(row_or_kind, str):
        kind, key_number = row_or_kind, number
    elif not hasattr(row_or_kind, "__tablename__"):
        raise TypeError(
            "a snapshot of the world has no table: name the kind, public_id('user', emp.id)"
        )
    else:
        kind, key_number = ids.TABLE_KINDS[row_or_kind.__tablename__], row_or_kind.id
    return ids.public_id(kind, key_number, key=_key())


def internal_id(kind: str, value) -> int | None:
    """The key a public id names (e.g. an id from an API answer), or None."""
    return ids.internal_id(kind, value, key=_key())


def api_id(kind: str, value):
    """For the tests' API helpers (``propose(…, employee_id=…)``): a key becomes its public id,
    a public id (from an API answer) stays: public ids lie above every key (app/ids.py).
    ``None`` and other values are sent as given (to see them refused)."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= ids.MAX_ID:
        return public_id(kind, value)
    return value


#: The kind of public id of each id field of the API's bodies (either spelling).
BODY_KINDS = {
    "job_id": "job",
    "application_id": "application",
    "capacity_id": "offer",
    "employee_id": "user",
    "counterpart_id": "user",
    "jobId": "job",
    "applicationId": "application",
    "capacityId": "offer",
    "employeeId": "user",
    "counterpartId": "user",
}


def api_body(body: dict) -> dict:
    """A body with every id field (``BODY_KINDS``) as a public id (:func:`api_id`)."""
    return {k: api_id(BODY_KINDS[k], v) if k in BODY_KINDS else v for k, v in body.items()}


def key_of(kind: str, value):
    """For database look-ups in tests: a public id (from an API answer) becomes its key, a key
    stays (public ids lie above every key, app/ids.py)."""
    if isinstance(value, int) and not isinstance(value, bool) and value > ids.MAX_ID:
        return internal_id(kind, value)
    return value
