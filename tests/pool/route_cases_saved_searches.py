"""Cross-arrangement cases for saved searches and the skill picker
(tests/test_routes_cross_arrangement.py): an outsider of arrangement "elders" gets 404 for a
saved search of "meer" by every route that takes its id; the lists show the caller's own."""

from __future__ import annotations

from tests.ids import public_id
from tests.route_cases import OWN_DATA, PUBLIC, Req, route_case

PUBLIC["pool.saved_search_unsubscribe"] = (
    "signed per-search link from the alert (works without a session by design, RFC 8058); "
    "a made-up or altered token is a 404 (tests/pool/test_saved_searches.py)"
)
OWN_DATA.update(
    {
        "pool.saved_searches": "the caller's own saved searches",
        "pool.skill_suggestions": "skills of the jobs the caller may see, in their arrangement",
    }
)
SECRET_QUERY = "zoekwoord-dat-niemand-buiten-meer-ziet"


def _meer_search(ctx) -> int:
    if "saved_search" in ctx.extra:
        return ctx.extra["saved_search"]
    from app.accounts.models import User
    from app.pool.saved_searches import save

    emp = ctx.world.meer.ermelo.emp
    with ctx.in_arrangement(emp.arrangement_id) as session:
        search = save(
            session.get(User, emp.id),
            name=SECRET_QUERY,
            query=f"q={SECRET_QUERY}",
            frequency="daily",
        )
        session.commit()
        ctx.extra["saved_search"] = public_id(search)
    ctx.extra.setdefault("secrets", []).append(SECRET_QUERY)
    return ctx.extra["saved_search"]


@route_case("pool.saved_search_change")
def _change(ctx):
    search_id = _meer_search(ctx)
    return [
        Req("POST", f"/zoekopdrachten/{search_id}", data={"delete": "1"}),
        Req("POST", f"/zoekopdrachten/{search_id}", data={"frequency": "never"}),
    ]
