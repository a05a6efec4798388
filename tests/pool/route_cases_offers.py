"""Cross-arrangement cases for the offer, response, settings and notification routes
(tests/test_routes_cross_arrangement.py): HR and the coordinator of arrangement "elders" get 404
for a response, an offer, a notification and the settings of an organisation in "meer", and
none of their text."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.models import User
from tests.ids import public_id
from tests.route_cases import OWN_DATA, Req, route_case

SECRET_MOTIVATION = "Motivatie die niemand buiten Meer mag lezen"
SECRET_NOTE = "Aanbod dat niemand buiten Meer mag lezen"

OWN_DATA.update(
    {
        "pool.my_applications": "the caller's own responses",
        "pool.applications_list": "responses the caller may see, in their own arrangement",
        "pool.my_offers": "the caller's own offers",
        "pool.new_offer": "creates the caller's own offer",
        "pool.offers_list": "offers the caller may see, in their own arrangement",
        "pool.register_offer": "for the caller's own staff only (403 for everyone else)",
        "pool.notifications_list": "the caller's own notifications",
        "pool.mark_notifications_read": "marks the caller's own notifications",
        "pool.notification_settings": "the caller's own digest choice",
        "pool.organisation_settings": "HR of the caller's own organisation",
        "pool_api.list_applications": "responses the caller may see (test_privacy_rules)",
        "pool_api.list_capacities": "offers the caller may see (test_privacy_rules)",
        "pool_api.create_capacity": "the caller's own offer; an employee_id of another "
        "arrangement is refused like any unknown one (tests/pool/test_offers)",
        "pool_api.list_notifications": "the caller's own notifications",
    }
)


def _meer_data(ctx) -> dict:
    """A job, a response with its notification, and an offer, all in "meer"."""
    if "pool_offers" in ctx.extra:
        return ctx.extra["pool_offers"]
    from app.pool.applications import operations as applications
    from app.pool.models import Notification
    from app.pool.offers import operations as offers
    from app.transaction import commit
    from tests.pool.jobs_factory import make_job

    meer = ctx.world.meer
    job_id = make_job(ctx.in_arrangement, meer.harderwijk.lead_other, title="Klus in Meer")
    with ctx.app.test_request_context(), ctx.in_arrangement(meer.arrangement.id) as s:
        emp = s.get(User, meer.ermelo.emp.id)
        application = applications.apply(
            emp, job_id, motivation=SECRET_MOTIVATION, hours_per_week=None
        )
        offer = offers.create(
            emp,
            skills=["Notuleren"],
            hours_per_week=8,
            available_from=date.today(),
            available_until=date.today() + timedelta(days=30),
            reason="peak",
            note=SECRET_NOTE,
        )
        commit()
        data = {  # public ids, as URLs carry them
            "job": public_id("job", job_id),
            "application": public_id(application),
            "offer": public_id(offer),
            "notification": public_id("notification", s.scalars(select(Notification.id)).first()),
        }
    ctx.extra["pool_offers"] = data
    ctx.extra.setdefault("secrets", []).extend([SECRET_MOTIVATION, SECRET_NOTE, "Klus in Meer"])
    return data


@route_case("pool.apply")
def _apply(ctx):
    job = _meer_data(ctx)["job"]
    return [
        Req("GET", f"/klussen/{job}/reageren"),
        Req("POST", f"/klussen/{job}/reageren", data={"motivation": "graag"}),
    ]


@route_case("pool_api.create_application")
def _apply_api(ctx):
    job = _meer_data(ctx)["job"]
    return [Req("POST", f"/api/v1/jobs/{job}/applications", json={"motivation": "x"}, auth="api")]


@route_case("pool.job_applications")
def _job_applications(ctx):
    return [Req("GET", f"/klussen/{_meer_data(ctx)['job']}/reacties")]


@route_case("pool.application_detail")
def _application_detail(ctx):
    return [Req("GET", f"/reacties/{_meer_data(ctx)['application']}")]


@route_case("pool.decide_application")
def _decide(ctx):
    application = _meer_data(ctx)["application"]
    return [Req("POST", f"/reacties/{application}/besluit", data={"status": "declined"})]


@route_case("pool.withdraw_application")
def _withdraw(ctx):
    application = _meer_data(ctx)["application"]
    return [
        Req("POST", f"/reacties/{application}/intrekken", data={}),
        Req("POST", f"/reacties/{application}/intrekken", data={"confirm": "1"}),
    ]


@route_case("pool_api.get_application")
def _get_application(ctx):
    return [Req("GET", f"/api/v1/applications/{_meer_data(ctx)['application']}", auth="api")]


@route_case("pool_api.withdraw_application")
def _withdraw_api(ctx):
    application = _meer_data(ctx)["application"]
    return [Req("POST", f"/api/v1/applications/{application}/withdraw", auth="api")]


@route_case("pool_api.decide_application")
def _decide_api(ctx):
    application = _meer_data(ctx)["application"]
    return [
        Req(
            "POST",
            f"/api/v1/applications/{application}/decision",
            json={"status": "declined", "message": "nee"},
            auth="api",
        )
    ]


@route_case("pool.offer_detail")
def _offer_detail(ctx):
    return [Req("GET", f"/krachten/{_meer_data(ctx)['offer']}")]


@route_case("pool.edit_offer")
def _edit_offer(ctx):
    offer = _meer_data(ctx)["offer"]
    return [
        Req("GET", f"/krachten/{offer}/bewerken"),
        Req("POST", f"/krachten/{offer}/bewerken", data={"hours_per_week": "4"}),
    ]


@route_case("pool.withdraw_offer")
def _withdraw_offer(ctx):
    return [Req("POST", f"/krachten/{_meer_data(ctx)['offer']}/intrekken", data={})]


@route_case("pool_api.get_capacity")
def _get_capacity(ctx):
    return [Req("GET", f"/api/v1/capacities/{_meer_data(ctx)['offer']}", auth="api")]


@route_case("pool_api.update_capacity")
def _update_capacity(ctx):
    offer = _meer_data(ctx)["offer"]
    return [Req("PATCH", f"/api/v1/capacities/{offer}", json={"hoursPerWeek": 4}, auth="api")]


@route_case("pool_api.withdraw_capacity")
def _withdraw_capacity(ctx):
    offer = _meer_data(ctx)["offer"]
    return [Req("POST", f"/api/v1/capacities/{offer}/withdraw", auth="api")]


@route_case("pool.open_notification")
def _open_notification(ctx):
    return [Req("GET", f"/meldingen/{_meer_data(ctx)['notification']}")]


@route_case("pool_api.get_settings", "pool_api.patch_settings")
def _settings(ctx):
    _meer_data(ctx)
    return [
        Req("GET", "/api/v1/organisations/ermelo/settings", auth="api"),
        Req(
            "PATCH",
            "/api/v1/organisations/ermelo/settings",
            json={"capacityVisibility": "arrangement"},
            auth="api",
        ),
    ]
