"""Demo content for `deelkracht demo`: the users of CONTRACT.md and what domains add.

Idempotent: every step looks up what exists before creating it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from app.accounts import operations as accounts
from app.accounts.models import User
from app.config import ROOT
from app.extensions import db
from tenants import definitions
from tenants.context import use_arrangement
from tenants.models import Arrangement, Department, DepartmentManager, Organisation

DEMO_PASSWORD = "demo-wachtwoord"  # noqa: S105  the documented demo password
DEMO_TENANTS = ROOT / "tenants" / "demo"

#: Functions (arrangement, users_by_email) that add a domain's demo content idempotently.
CONTENT: list[Callable[[Arrangement, dict[str, User]], None]] = []


def add_content(*funcs: Callable[[Arrangement, dict[str, User]], None]) -> None:
    """Add functions (arrangement, users_by_email) that add a domain's demo content
    idempotently; a domain's ``init_app`` calls this, in the order the content builds on."""
    for func in funcs:
        if func not in CONTENT:
            CONTENT.append(func)


def _ensure_user(org: Organisation, email: str, name: str, **kwargs) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = accounts.create_user(
            organisation_id=org.id, email=email, name=name, password=DEMO_PASSWORD, **kwargs
        )
    return user


DEMO_NAMES = {
    "ermelo": ("Anna Besselink", "Pieter van Dam", "Sanne de Vries", "Mohamed El Amrani"),
    "harderwijk": ("Ingrid Jansen", "Kees Mulder", "Fatma Yilmaz", "Jeroen Bakker"),
    "zeewolde": ("Marloes Visser", "Hans Smit", "Lotte Meijer", "Daan de Boer"),
    "de-wolden": ("Gerda Hoekstra", "Bert Kuipers", "Eva Dijkstra", "Sem Postma"),
    "hoogeveen": ("Wilma Bos", "Erik Veenstra", "Noor Hendriks", "Tim Brouwer"),
}


#: Job titles of the demo's people per organisation: (line manager, employee, employee 2).
DEMO_TITLES = {
    "ermelo": ("Teamleider Wmo", "Consulent Wmo", "Beleidsmedewerker sociaal domein"),
    "harderwijk": ("Teamleider Burgerzaken", "Medewerker burgerzaken", "Medewerker verkiezingen"),
    "zeewolde": ("Teamleider Openbare Ruimte", "Opzichter groen", "Medewerker zwembad"),
    "de-wolden": ("Teamleider Burgerzaken", "Medewerker publiekszaken", "Adviseur Omgevingswet"),
    "hoogeveen": ("Teamleider Financiën", "Medewerker belastingen", "Functioneel beheerder ICT"),
}


def load_demo(tenant_files: list[Path] | None = None) -> None:
    """Apply the demo tenant files, then the users of CONTRACT.md and each domain's content.
    Flushes only: the caller commits once."""
    files = tenant_files or sorted(DEMO_TENANTS.glob("*.toml"))
    for path in files:
        arrangement = definitions.apply(definitions.load(path))
        with use_arrangement(arrangement.id):
            users = _demo_users(arrangement)
            for func in CONTENT:
                func(arrangement, users)
            db.session.flush()


def _demo_users(arrangement: Arrangement) -> dict[str, User]:
    users: dict[str, User] = {}
    orgs = db.session.scalars(select(Organisation).order_by(Organisation.id)).all()
    for org in orgs:
        hr_name, lead_name, emp_name, emp2_name = DEMO_NAMES.get(
            org.slug, ("P&O-adviseur", "Teamleider", "Medewerker", "Medewerker 2")
        )
        lead_title, emp_title, emp2_title = DEMO_TITLES.get(
            org.slug, ("Teamleider", "Medewerker", "Beleidsmedewerker")
        )
        department = db.session.scalar(
            select(Department).where(Department.organisation_id == org.id).order_by(Department.id)
        )
        dep_id = department.id if department else None
        users[f"hr@{org.slug}.example"] = _ensure_user(
            org, f"hr@{org.slug}.example", hr_name, is_hr=True, job_title="HR-adviseur"
        )
        lead = _ensure_user(
            org,
            f"teamleider@{org.slug}.example",
            lead_name,
            department_id=dep_id,
            job_title=lead_title,
        )
        lead.job_title = lead_title
        users[lead.email] = lead
        if (
            dep_id
            and db.session.scalar(
                select(DepartmentManager).where(
                    DepartmentManager.department_id == dep_id, DepartmentManager.user_id == lead.id
                )
            )
            is None
        ):
            db.session.add(DepartmentManager(department_id=dep_id, user_id=lead.id))
        for email, name, title in (
            (f"medewerker@{org.slug}.example", emp_name, emp_title),
            (f"medewerker2@{org.slug}.example", emp2_name, emp2_title),
        ):
            users[email] = _ensure_user(
                org, email, name, department_id=dep_id, job_title=title, contract_hours=36
            )
            users[email].job_title = title  # also where an older demo said "Medewerker zwembad"
    if orgs:
        email = f"coordinator@{arrangement.slug}.example"
        users[email] = _ensure_user(
            orgs[0],
            email,
            f"Coördinator {arrangement.name}",
            is_coordinator=True,
            job_title="Coördinator klussenbank",
        )
    db.session.flush()
    return users


def summary(base_url: str) -> str:
    """What a newcomer needs to log in: the demo's addresses per role, and the password."""
    lines = [f"Demo ready: {base_url}  (password for every demo user: {DEMO_PASSWORD})"]
    for arrangement in db.session.scalars(select(Arrangement).order_by(Arrangement.slug)):
        with use_arrangement(arrangement.id):
            slugs = db.session.scalars(select(Organisation.slug).order_by(Organisation.slug))
            orgs = ", ".join(slugs)
        lines.append(f"  {arrangement.name}: coordinator@{arrangement.slug}.example")
        lines.append(f"    organisations ORG = {orgs}")
    lines.append(
        "  per ORG: hr@ORG.example (P&O), teamleider@ORG.example (line manager), "
        "medewerker@ORG.example and medewerker2@ORG.example (employees)"
    )
    return "\n".join(lines)
