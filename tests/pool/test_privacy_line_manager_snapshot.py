"""The own line manager cannot tell. Byte for byte, every page and API answer that Ermelo's team
line manager can ask for is the same whether or not their employee responded to a job and made
an offer — for every ``capacity_visibility`` (with ``line_manager_sees_own_staff`` off, the
default). Only CSRF tokens and clock times are normalised. No e-mail reaches the manager either.

"Take care it does not become a control mechanism for leaders" (the Meerinzicht klussenbank).
"""

from __future__ import annotations

import itertools
import re

import pytest
from sqlalchemy import func, select

from app.outbox.models import OutboxMessage
from app.pool.models import Application, CapacityOffer, Job, Notification, OfferView
from tests.ids import api_id
from tests.pool.jobs_factory import make_job
from tests.pool.privacy_world import (
    SECRET_SKILL,
    apply_to,
    mails_to,
    make_offer,
    other_org_job,
)

CSRF = re.compile(r"<input[^>]*csrf_token[^>]*>|(csrf_token\W+)[\w.\-]+")
TIMES = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"
    r"|\d{2}-\d{2}-\d{4} \d{2}:\d{2}"
)
#: Arguments that name objects, by the words in their names → which table's ids to try.
ID_SOURCES = {
    "job": Job,
    "application": Application,
    "offer": CapacityOffer,
    "capacit": CapacityOffer,
    "notification": Notification,
}
MAX_URLS_PER_RULE = 24


def normalise(body: str) -> str:
    return TIMES.sub("<time>", CSRF.sub("<csrf>", body))


def _ids(session, model, upcoming: int = 3) -> list[int]:
    """Existing ids and the next few (those the employee's actions will create)."""
    existing = list(session.scalars(select(model.id).order_by(model.id)))
    top = session.scalar(select(func.max(model.id))) or 0
    return existing + list(range(top + 1, top + 1 + upcoming))


def _candidates(rule, session, world) -> dict[str, list]:
    values = {}
    for name, converter in rule._converters.items():
        kind = type(converter).__name__
        lowered = name.lower()
        if kind in ("IntegerConverter", "IdConverter"):  # app.ids.IdConverter for <int:…>
            source = next((m for word, m in ID_SOURCES.items() if word in lowered), None)
            values[name] = _ids(session, source) if source else [1, 2, 3, 4, 5]
        elif kind == "AnyConverter":
            values[name] = sorted(converter.items)
        elif "slug" in lowered or "organisation" in lowered:
            values[name] = ["ermelo", "harderwijk", "andere"]
        else:
            values[name] = ["x"]
    return values


def reachable_gets(app, in_arrangement, world) -> tuple[list[str], list[str]]:
    """Every GET URL of the app (pages and API), with parameters from existing objects and the
    ids the employee's actions are about to take."""
    pages, api = [], []
    with app.test_request_context(), in_arrangement(world.meer.arrangement) as s:
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint == "static":
                continue
            values = _candidates(rule, s, world)
            names = list(values)
            combos = itertools.islice(
                itertools.product(*(values[n] for n in names)), MAX_URLS_PER_RULE
            )
            adapter = app.url_map.bind("deelkracht.test")
            for combo in combos:
                url = adapter.build(rule.endpoint, dict(zip(names, combo, strict=True)))
                (api if url.startswith("/api/") else pages).append(url)
    extra_pages = [
        f"/krachten?q={SECRET_SKILL.lower()}",
        f"/krachten?skill={SECRET_SKILL}",
        "/krachten?organisation=ermelo",
        "/klussen?q=notulist",
        f"/klussen?skill={SECRET_SKILL}",
    ]
    extra_api = [
        f"/api/v1/capacities?skill={SECRET_SKILL}",
        "/api/v1/capacities?q=kenmerk",
        "/api/v1/capacities?organisation=ermelo",
        "/api/v1/applications?status=submitted",
        "/api/v1/jobs?q=notulist",
    ]
    return pages + extra_pages, api + extra_api


def snapshot(client, headers, pages, api) -> dict[str, tuple[int, str]]:
    seen = {}
    for url in pages:
        response = client.get(url)
        seen[url] = (response.status_code, normalise(response.get_data(as_text=True)))
    for url in api:
        response = client.get(url, headers=headers)
        seen[url] = (response.status_code, normalise(response.get_data(as_text=True)))
    return seen


def _diffs(before, after, changed) -> str:
    import difflib

    out = []
    for url in changed[:5]:
        (s1, b1), (s2, b2) = before[url], after[url]
        lines = difflib.unified_diff(b1.splitlines(), b2.splitlines(), lineterm="", n=0)
        out.append(f"{url} ({s1}→{s2}):\n" + "\n".join(list(lines)[2:12]))
    return "\n".join(out)


@pytest.mark.parametrize("visibility", ["hr", "hr_coordinators", "arrangement"])
def test_the_own_line_manager_sees_exactly_the_same(
    visibility, make_world, app, in_arrangement, api_token, login, mail_outbox
):
    """Everything Ermelo's team line manager can GET is unchanged after their employee responds
    to a job of another organisation's other department and offers hours and skills."""
    world = make_world({"ermelo": {"capacity_visibility": visibility}})
    ermelo, lead, emp = world.meer.ermelo, world.meer.ermelo.lead, world.meer.ermelo.emp
    actor = app.test_client()
    # Some life in the pool beforehand: jobs of every kind, someone else's offer and response.
    target = other_org_job(in_arrangement, world)
    make_job(in_arrangement, lead, title="Teamklus Ermelo", visibility="organisation")
    make_job(in_arrangement, ermelo.lead_other, title="Beleidsklus Ermelo")
    make_job(
        in_arrangement, world.meer.zeewolde.lead, title="Intern Zeewolde", visibility="organisation"
    )
    make_offer(actor, api_token, world.meer.harderwijk.emp, skills=["Tuinieren"], note="groen")
    apply_to(actor, api_token, world.meer.harderwijk.emp, target, motivation="ook graag")

    manager = app.test_client()
    login(manager, lead)
    headers = api_token(lead)
    pages, api = reachable_gets(app, in_arrangement, world)
    assert len(pages) > 20 and len(api) > 10
    mails_before = len(mails_to(mail_outbox, lead))
    before = snapshot(manager, headers, pages, api)

    offer_id = make_offer(actor, api_token, emp)
    application_id = apply_to(actor, api_token, emp, target)
    # The ids of what the employee made were among the URLs asked for.
    assert (
        f"/krachten/{api_id('offer', offer_id)}" in pages
        and f"/reacties/{api_id('application', application_id)}" in pages
    )
    with in_arrangement(world.meer.arrangement) as s:
        assert s.scalar(select(func.count()).select_from(Application)) == 2
        assert s.scalar(select(func.count()).select_from(OfferView)) >= 0

    after = snapshot(manager, headers, pages, api)
    changed = [url for url in before if before[url] != after[url]]
    assert changed == [], f"the line manager can tell from: {_diffs(before, after, changed)}"
    assert len(mails_to(mail_outbox, lead)) == mails_before
    with in_arrangement(world.meer.arrangement) as s:
        to_lead = s.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.recipient_id == lead.id)
        )
        assert to_lead == 0
        assert (
            s.scalar(
                select(func.count())
                .select_from(Notification)
                .where(Notification.user_id == lead.id)
            )
            == 0
        )
