"""One commit per request or worker job (Indico's rule), followed by side-effect dispatch."""

from app.extensions import db
from app.outbox.operations import dispatch, take_committed


def commit() -> None:
    session = db.session()
    session.commit()
    dispatch(take_committed(session))
