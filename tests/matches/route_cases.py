"""Cross-arrangement cases for every matches route (tests/test_routes_cross_arrangement.py):
HR and the coordinator of arrangement "elders" get 404 for a match, its agreement, its job's
candidates and its sources in arrangement "meer"."""

from __future__ import annotations

from app.matches.models import Agreement, Approval, Match
from tests.ids import public_id
from tests.matches.conftest import make_application, make_job, make_offer
from tests.route_cases import OWN_DATA, Req, route_case

SECRET_TITLE = "Geheime klus Meerinzicht"
SECRET_NOTE = "Afspraak die niemand buiten Meer mag lezen"

OWN_DATA.update(
    {
        "matches.index": "the caller's own matches (tests/matches/test_privacy.py checks them)",
        "matches.fitting_jobs": "jobs for the caller's own offers",
        "matches_api.list_matches": "the caller's own matches (tests/matches/test_privacy.py)",
    }
)


def _meer_match(ctx) -> dict:
    meer = ctx.world.meer
    with ctx.in_arrangement(meer.arrangement.id) as s:
        job = make_job(
            s,
            meer.ermelo.org,
            department=meer.ermelo.team,
            poster=meer.ermelo.lead,
            title=SECRET_TITLE,
        )
        application = make_application(s, job.id, meer.harderwijk.emp)
        offer = make_offer(s, meer.harderwijk.emp2)
        match = Match(
            job_id=job.id,
            employee_id=meer.harderwijk.emp.id,
            application_id=application.id,
            proposed_by_id=meer.ermelo.lead.id,
            lending_organisation_id=meer.harderwijk.org.id,
            borrowing_organisation_id=meer.ermelo.org.id,
            status="agreed",
            hours_per_week=8,
            start_date=job.start_date,
            end_date=job.end_date,
            notes=SECRET_NOTE,
            agreed_terms_version=1,
        )
        s.add(match)
        s.flush()
        for party, user in (
            ("employee", meer.harderwijk.emp),
            ("lending", meer.harderwijk.hr),
            ("borrowing", meer.ermelo.lead),
        ):
            s.add(Approval(match_id=match.id, party=party, decision="approve", by_id=user.id))
        s.add(
            Agreement(
                match_id=match.id,
                version=1,
                terms_version=1,
                terms=match.terms(),
                status="ready",
                pdf=b"%PDF-1.7 secret",
                sha256="0" * 64,
            )
        )
        ids = {  # public ids, as URLs and JSON carry them
            "match": public_id(match),
            "job": public_id(job),
            "application": public_id(application),
            "offer": public_id(offer),
            "employee": public_id("user", meer.harderwijk.emp.id),
        }
        s.commit()
    ctx.extra["secrets"] = [SECRET_TITLE, SECRET_NOTE]
    return ids


def _api(method, url, json=None):
    return Req(method, url, json=json, auth="api")


@route_case("matches_api.create_match")
def _create(ctx):
    ids = _meer_match(ctx)
    return [
        _api("POST", "/api/v1/matches", {"applicationId": ids["application"]}),
        _api("POST", "/api/v1/matches", {"capacityId": ids["offer"], "jobId": ids["job"]}),
        _api("POST", "/api/v1/matches", {"jobId": ids["job"], "employeeId": ids["employee"]}),
    ]


@route_case(
    "matches_api.get_match",
    "matches_api.edit_match",
    "matches_api.decide",
    "matches_api.withdraw",
    "matches_api.end",
    "matches_api.evaluate",
    "matches_api.retry_agreement",
    "matches_api.agreement_pdf",
)
def _one_match_api(ctx):
    base = f"/api/v1/matches/{_meer_match(ctx)['match']}"
    return [
        _api("GET", base),
        _api("PATCH", base, {"hoursPerWeek": 10}),
        _api("POST", f"{base}/decision", {"decision": "approve"}),
        _api("POST", f"{base}/withdraw", {"reason": "x"}),
        _api("POST", f"{base}/end", {"reason": "x"}),
        _api("POST", f"{base}/evaluation", {"rating": 4}),
        _api("POST", f"{base}/agreement/retry"),
        _api("GET", f"{base}/agreement.pdf"),
    ]


@route_case("matches_api.job_candidates", "matches_api.offer_jobs")
def _suggestions_api(ctx):
    ids = _meer_match(ctx)
    return [
        _api("GET", f"/api/v1/jobs/{ids['job']}/candidates"),
        _api("GET", f"/api/v1/capacities/{ids['offer']}/suggested-jobs"),
    ]


@route_case(
    "matches.detail",
    "matches.decide",
    "matches.edit",
    "matches.withdraw",
    "matches.end",
    "matches.evaluate",
    "matches.agreement_pdf",
    "matches.agreement_retry",
)
def _one_match_web(ctx):
    base = f"/detacheringen/{_meer_match(ctx)['match']}"
    return [
        Req("GET", base),
        Req("POST", f"{base}/besluit", data={"decision": "approve"}),
        Req("GET", f"{base}/voorwaarden"),
        Req("POST", f"{base}/voorwaarden", data={"hours_per_week": "10"}),
        Req("POST", f"{base}/intrekken", data={}),
        Req("GET", f"{base}/beeindigen"),
        Req("POST", f"{base}/beeindigen", data={"reason": "x"}),
        Req("GET", f"{base}/evaluatie"),
        Req("POST", f"{base}/evaluatie", data={"rating": "4"}),
        Req("GET", f"{base}/overeenkomst.pdf"),
        Req("GET", f"{base}/overeenkomst.pdf?version=1"),
        Req("POST", f"{base}/overeenkomst/opnieuw", data={}),
    ]


@route_case("matches.candidates", "matches.propose")
def _propose_web(ctx):
    ids = _meer_match(ctx)
    return [
        Req("GET", f"/klussen/{ids['job']}/kandidaten"),
        Req("GET", f"/detacheringen/nieuw?job={ids['job']}&application={ids['application']}"),
        Req("GET", f"/detacheringen/nieuw?job={ids['job']}&capacity={ids['offer']}"),
        Req("GET", f"/detacheringen/nieuw?job={ids['job']}&employee={ids['employee']}"),
        Req(
            "POST",
            f"/detacheringen/nieuw?job={ids['job']}&application={ids['application']}",
            data={
                "hours_per_week": "8",
                "start_date": "2030-01-01",
                "end_date": "2030-02-01",
                "cost_recharge": "none",
                "confirm_outside_job_period": "y",  # the job runs START..END
            },
        ),
    ]
