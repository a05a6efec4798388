"""The standard arrangement world: two arrangements with organisations, departments and people
in every role, built through the real operations (the fixtures are in tests/fixtures/world.py)."""

from __future__ import annotations

from types import SimpleNamespace

from app.extensions import db

PASSWORD = "geheim-wachtwoord-1"


class World(SimpleNamespace):
    """Two arrangements with organisations, departments and people in every role."""


def build_org(arrangement, slug: str, **settings):
    from app.accounts.operations import create_user
    from tenants.models import Department, DepartmentManager, Organisation

    org = Organisation(
        slug=slug,
        name=f"Gemeente {slug.title()}",
        legal_name=f"Gemeente {slug.title()}",
        address=f"Raadhuisplein 1, {slug.title()}",
        signatory_name=f"Directeur {slug.title()}",
        signatory_role="gemeentesecretaris",
        signatory_mandate="Mandaatbesluit 2025",
        **settings,
    )
    db.session.add(org)
    db.session.flush()
    team = Department(organisation_id=org.id, slug="team", name="Team Uitvoering")
    other = Department(organisation_id=org.id, slug="other", name="Team Beleid")
    db.session.add_all([team, other])
    db.session.flush()

    def user(role: str, dept=None, **kw):
        return create_user(
            organisation_id=org.id,
            email=f"{role}@{slug}.test",
            name=f"{role.title()} {slug.title()}",
            password=PASSWORD,
            department_id=dept.id if dept else None,
            **kw,
        )

    people = SimpleNamespace(
        org=org,
        team=team,
        other=other,
        hr=user("hr", is_hr=True),
        lead=user("lead", team),
        lead_other=user("leadother", other),
        emp=user("emp", team),
        emp2=user("emp2", team),
        emp_other=user("empother", other),
    )
    db.session.add_all(
        [
            DepartmentManager(department_id=team.id, user_id=people.lead.id),
            DepartmentManager(department_id=other.id, user_id=people.lead_other.id),
        ]
    )
    db.session.flush()
    return people


def plain_snapshot(value):
    """Plain copies of the ORM objects, usable after the session is gone."""
    from sqlalchemy import inspect as sa_inspect

    if isinstance(value, SimpleNamespace):
        return type(value)(**{k: plain_snapshot(v) for k, v in vars(value).items()})
    if hasattr(value, "__table__"):
        mapper = sa_inspect(value).mapper
        data = {c.key: getattr(value, c.key) for c in mapper.column_attrs if not c.deferred}
        return SimpleNamespace(**data)
    return value
