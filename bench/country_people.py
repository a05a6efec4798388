"""Country-scale rows, first part: arrangements, organisations, departments, people (with
their line managers and login identities) and the skills list."""

from __future__ import annotations

import datetime as dt
import random

from bench.country_config import DEPARTMENTS_PER_ORG, PASSWORD, SEED, SKILLS_PER_ARRANGEMENT
from bench.country_rows import LoadContext, _copy, email_of, skill_id


def load_people(ctx: LoadContext) -> None:
    """Arrangements, organisations, departments, users, department managers and login
    identities (the users' stream is SEED + 1)."""
    from werkzeug.security import generate_password_hash

    cur, tables, scale, lay, timed = ctx.cur, ctx.tables, ctx.scale, ctx.lay, ctx.timed
    now, span_days, common = ctx.now, ctx.span_days, ctx.common

    # arrangements, organisations, departments
    timed(
        "arrangements",
        lambda: _copy(
            cur,
            tables["arrangements"],
            ["id", "slug", "name", "created_at"],
            (
                (a, f"bench{a:03d}", f"Samenwerking {a:03d}", now)
                for a in range(1, scale.arrangements + 1)
            ),
        ),
    )

    def orgs():
        for o in range(1, scale.organisations + 1):
            yield (
                o,
                lay.org_arr[o],
                f"org{o:03d}",
                common.org_name(o),
                "arrangement" if o % 3 == 0 else "hr_coordinators",
            )

    timed(
        "organisations",
        lambda: _copy(
            cur,
            tables["organisations"],
            ["id", "arrangement_id", "slug", "name", "capacity_visibility"],
            orgs(),
        ),
    )

    def departments():
        for o in range(1, scale.organisations + 1):
            for k in range(1, DEPARTMENTS_PER_ORG + 1):
                yield (lay.department_id(o, k), lay.org_arr[o], o, f"team{k}", f"Team {k}")

    timed(
        "departments",
        lambda: _copy(
            cur,
            tables["departments"],
            ["id", "arrangement_id", "organisation_id", "slug", "name"],
            departments(),
        ),
    )

    password = generate_password_hash(PASSWORD, method="pbkdf2:sha256:100000")
    coordinators = {lay.coordinator_of(a) for a in lay.arr_orgs}

    def users():
        rng = random.Random(SEED + 1)
        for u in range(1, scale.people + 1):
            o = lay.user_org[u]
            k = u - lay.org_first_user[o]
            created = now - dt.timedelta(days=rng.randrange(span_days + 365))
            yield (
                u,
                lay.org_arr[o],
                o,
                lay.department_of_user(u),
                email_of(u, o),
                f"Persoon {u}",
                password,
                k == 0,
                u in coordinators,
                created,
                rng.randint(16, 36),
            )

    timed(
        "users",
        lambda: _copy(
            cur,
            tables["users"],
            [
                "id",
                "arrangement_id",
                "organisation_id",
                "department_id",
                "email",
                "name",
                "password_hash",
                "is_hr",
                "is_coordinator",
                "created_at",
                "contract_hours",
            ],
            users(),
        ),
    )

    def managers():
        for o in range(1, scale.organisations + 1):
            for k in range(1, DEPARTMENTS_PER_ORG + 1):
                yield (
                    lay.department_id(o, k),
                    lay.org_arr[o],
                    lay.department_id(o, k),
                    lay.manager_of(o, k),
                )

    timed(
        "department_managers",
        lambda: _copy(
            cur,
            tables["department_managers"],
            ["id", "arrangement_id", "department_id", "user_id"],
            managers(),
        ),
    )
    timed(
        "login_identities",
        lambda: _copy(
            cur,
            tables["login_identities"],
            ["email", "user_id", "arrangement_id"],
            (
                (email_of(u, lay.user_org[u]), u, lay.org_arr[lay.user_org[u]])
                for u in range(1, scale.people + 1)
            ),
        ),
    )


def load_skills(ctx: LoadContext) -> list[str]:
    """The skills: the same list in every arrangement (ids per arrangement); returns the names
    (index k is skill k of each arrangement)."""
    from bench.gen_ours import SKILLS

    cur, tables, scale, timed = ctx.cur, ctx.tables, ctx.scale, ctx.timed
    names = (SKILLS * 2)[:SKILLS_PER_ARRANGEMENT]
    names = [n if i < len(SKILLS) else f"{n}-2" for i, n in enumerate(names)]
    timed(
        "skills",
        lambda: _copy(
            cur,
            tables["skills"],
            ["id", "arrangement_id", "key", "synonyms"],
            (
                (skill_id(a, k), a, n.casefold(), [])
                for a in range(1, scale.arrangements + 1)
                for k, n in enumerate(names)
            ),
        ),
    )
    return names
