"""Notifications in the app and by e-mail, each only where the recipient may know.

:func:`notify` is the one way to tell someone something: it checks the privacy rule of the kind
before it writes anything, stores the in-app notification (ids only) and records the e-mail in the
outbox. The e-mail is rendered at delivery (``app.pool.pool_emails``) and the in-app text at
display, and both check the rule again: a notification about something the recipient may no
longer see is not shown, not counted and not sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, bindparam, func, or_, select, update

from app import policy
from app.accounts.models import User
from app.dates import day
from app.extensions import db
from app.outbox.operations import record
from app.pool.models import Application, CapacityOffer, Job, Notification
from tenants.models import Organisation, utcnow

#: Notifications looked at for the list and the unread count (older ones are not shown).
WINDOW = 100


@dataclass(frozen=True)
class Kind:
    """One kind of notification: what it refers to, who may receive it, how it reads."""

    load: Callable[[dict], dict | None]
    #: Who may receive it: the policy action (``app.policy``) on the object ``subject`` of the
    #: loaded objects, whose id is the ref ``subject + "_id"``. The same rule decides at
    #: sending, at display and in the unread count (its SQL clause over ``Notification.refs``).
    rule: str
    subject: str
    text: Callable[[dict, dict], str]
    endpoint: Callable[[dict], tuple[str, dict]]

    def allowed(self, user: User, objects: dict) -> bool:
        return policy.allowed(user, self.rule, objects[self.subject])

    def clause(self, user: User) -> ColumnElement[bool]:
        model = policy.CLAUSES[self.rule][0]
        return _ref(f"{self.subject}_id").in_(
            select(model.id).where(policy.clause(user, self.rule))
        )


def _ref(name: str):
    return Notification.refs[name].as_integer()


def _load_application(refs: dict) -> dict | None:
    application = db.session.get(Application, refs.get("application_id"))
    if application is None:
        return None
    job = db.session.get(Job, application.job_id)
    applicant = db.session.get(User, application.user_id)
    return {"application": application, "job": job, "applicant": applicant}


def _load_offer(refs: dict) -> dict | None:
    offer = db.session.get(CapacityOffer, refs.get("offer_id"))
    if offer is None:
        return None
    registrar = db.session.get(User, offer.registered_by_id) if offer.registered_by_id else None
    return {"offer": offer, "registrar": registrar}


def _load_organisation(refs: dict) -> dict | None:
    organisation = db.session.get(Organisation, refs.get("organisation_id"))
    return None if organisation is None else {"organisation": organisation}


def _decision_text(objs: dict, refs: dict) -> str:
    title = objs["job"].title
    if refs.get("status") == "declined":
        return _("Je reactie op „%(job)s” is afgewezen. Lees het bericht.", job=title)
    return _("Je reactie op „%(job)s”: ze willen graag met je in gesprek.", job=title)


KINDS: dict[str, Kind] = {
    # To the posting side of a job: someone responded.
    "application_new": Kind(
        load=_load_application,
        rule="application.view",
        subject="application",
        text=lambda o, refs: _(
            "%(name)s reageerde op je klus „%(job)s”.",
            name=o["applicant"].name,
            job=o["job"].title,
        ),
        endpoint=lambda o: ("pool.application_detail", {"application_id": o["application"].id}),
    ),
    # To the applicant: the posting side marked the response.
    "application_decision": Kind(
        load=_load_application,
        rule="application.own",
        subject="application",
        text=_decision_text,
        endpoint=lambda o: ("pool.application_detail", {"application_id": o["application"].id}),
    ),
    # To the employee: a line manager registered an offer on their behalf.
    "offer_registered": Kind(
        load=_load_offer,
        rule="offer.own",
        subject="offer",
        text=lambda o, refs: _(
            "%(name)s heeft namens jou aanbod geregistreerd. Kijk of het klopt.",
            name=o["registrar"].name if o["registrar"] else _("Je leidinggevende"),
        ),
        endpoint=lambda o: ("pool.offer_detail", {"offer_id": o["offer"].id}),
    ),
    # To the employee: their offer's period ended and it closed itself (in the app only).
    "offer_ended": Kind(
        load=_load_offer,
        rule="offer.own",
        subject="offer",
        text=lambda o, refs: _(
            "Je aanbod liep tot en met %(date)s en is nu afgesloten. Nog tijd over? Bied je "
            "opnieuw aan.",
            date=day(o["offer"].available_until),
        ),
        endpoint=lambda o: ("pool.offer_detail", {"offer_id": o["offer"].id}),
    ),
    # To employees with an open offer: who may see it changed.
    "settings_changed": Kind(
        load=_load_organisation,
        rule="organisation.member",
        subject="organisation",
        text=lambda o, refs: _(
            "%(org)s heeft de privacy-instellingen gewijzigd. Bekijk wie je aanbod nu kan zien.",
            org=o["organisation"].name,
        ),
        endpoint=lambda o: ("web.privacy", {}),
    ),
}


def register_kinds(kinds: dict[str, Kind]) -> None:
    """Add another domain's notification kinds (called by its ``init_app``; registering the
    same kinds again changes nothing)."""
    KINDS.update(kinds)


def _check_refs(refs: dict) -> None:
    for key, value in refs.items():
        short_code = isinstance(value, str) and value.isidentifier() and len(value) <= 40
        if value is not None and not isinstance(value, int) and not short_code:
            raise ValueError(f"notification ref {key!r} must be an id or a short code")


def notify(recipient_id: int, kind: str, *, email: bool = True, **refs) -> Notification | None:
    """Tell ``recipient_id`` about something, in the app and (by default) by e-mail.

    Nothing is written when the recipient may not see what the notification refers to.
    """
    spec = KINDS[kind]
    _check_refs(refs)
    recipient = db.session.get(User, recipient_id)
    if recipient is None or not recipient.active:
        return None
    objects = spec.load(refs)
    if objects is None or not spec.allowed(recipient, objects):
        return None
    notification = Notification(user_id=recipient.id, kind=kind, refs=refs)
    db.session.add(notification)
    db.session.flush()
    if email:
        record("pool.notification", recipient_id=recipient.id, notification_id=notification.id)
    return notification


@dataclass
class Shown:
    """A notification as its recipient sees it now."""

    notification: Notification
    text: str
    endpoint: str
    values: dict
    objects: dict

    @property
    def id(self) -> int:
        return self.notification.id

    @property
    def unread(self) -> bool:
        return self.notification.read_at is None


def resolve(user: User, notification: Notification) -> Shown | None:
    """The notification as text and link, or None when it may no longer be shown to ``user``."""
    if notification is None or notification.user_id != user.id:
        return None
    spec = KINDS.get(notification.kind)
    if spec is None:
        return None
    objects = spec.load(notification.refs or {})
    if objects is None or not spec.allowed(user, objects):
        return None
    endpoint, values = spec.endpoint(objects)
    return Shown(
        notification, spec.text(objects, notification.refs or {}), endpoint, values, objects
    )


def shown_for(user: User, *, unread_only: bool = False) -> list[Shown]:
    stmt = select(Notification).where(Notification.user_id == user.id)
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    rows = db.session.scalars(
        stmt.order_by(Notification.created_at.desc(), Notification.id.desc()).limit(WINDOW)
    )
    return [shown for n in rows if (shown := resolve(user, n)) is not None]


_ANY_UNREAD = (
    select(Notification.id)
    .where(Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None))
    .limit(1)
)


def unread_count(user: User) -> int:
    """Unread notifications the user may still see (the figure in the menu). Kinds with an SQL
    rule are counted in one query, so the menu costs the same however many there are."""
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    unread = (Notification.user_id == user.id, Notification.read_at.is_(None))
    # Most page views find nothing unread: one index lookup, before the per-kind privacy
    # query (whose statement alone costs several milliseconds to build) is needed at all. The
    # lookup is one kept statement (tenants.scoping reuses its cache key).
    if db.session.scalar(_ANY_UNREAD, {"user_id": user.id}) is None:
        return 0
    in_sql = {name: spec for name, spec in KINDS.items() if spec.clause is not None}
    count = db.session.scalar(
        select(func.count()).where(
            *unread,
            or_(*(and_(Notification.kind == n, spec.clause(user)) for n, spec in in_sql.items())),
        )
    )
    others = db.session.scalars(
        select(Notification)
        .where(*unread, Notification.kind.not_in(list(in_sql)))
        .order_by(Notification.id.desc())
        .limit(WINDOW)
    )
    return count + sum(1 for n in others if resolve(user, n) is not None)


def open_notification(user: User, notification_id: int) -> Shown | None:
    """Mark one of the user's notifications read and return where it leads (None: 404)."""
    shown = resolve(user, db.session.get(Notification, notification_id))
    if shown is not None and shown.notification.read_at is None:
        shown.notification.read_at = utcnow()
        db.session.flush()
    return shown


def mark_all_read(user: User) -> None:
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
