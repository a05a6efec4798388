"""Arrangement definitions as TOML files, applied idempotently.

A file describes one arrangement: its member organisations with their legal details for the
agreement, departments, privacy settings, defaults and branding. ``deelkracht tenants apply FILE``
validates the whole file first (errors name the line and the field) and applies it in one
transaction, so an invalid file changes nothing. Unknown keys are refused (a typo must not
silently fall back to a default). Organisations and departments that a file no longer lists are
left as they are: removing one is a deliberate platform action, not a side effect of an edit.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from marshmallow import ValidationError
from sqlalchemy import select

from app.accounts.models import SignInProvider
from app.extensions import db
from app.scim.groups import hr_members, settle_hr
from tenants.context import use_arrangement
from tenants.definition_schema import DefinitionSchema
from tenants.models import (
    Arrangement,
    Department,
    Organisation,
)


class DefinitionError(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


# --- locating a problem in the file --------------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*=")
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")


def _line_of(text: str, path: tuple) -> int | None:
    """Best line for a field path such as ('organisations', 1, 'privacy', 'retention_days')."""
    counters: dict[str, int] = {}
    table: tuple = ()
    best = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            parts = header.group(2).split(".")
            if header.group(1) == "[[":
                counters[header.group(2)] = counters.get(header.group(2), -1) + 1
                # Deeper array tables restart when their parent advances.
                for key in list(counters):
                    if key.startswith(header.group(2) + "."):
                        del counters[key]
            resolved: list = []
            for i, part in enumerate(parts):
                resolved.append(part)
                prefix = ".".join(parts[: i + 1])
                if prefix in counters:
                    resolved.append(counters[prefix])
            table = tuple(resolved)
            if table == path[: len(table)] and (best is None or len(table) > best[1]):
                best = (number, len(table))
            continue
        key = _KEY.match(line)
        if not key:
            continue
        # A dotted key (privacy.retention_days = 30) is a path of its own.
        full = (*table, *(part.strip() for part in key.group(1).split(".")))
        depth = min(len(full), len(path))
        if full[:depth] == path[:depth] and (best is None or depth >= best[1]):
            best = (number, depth)
    return best[0] if best else None


def _problems(messages, text: str, prefix: tuple = ()) -> list[str]:
    out: list[str] = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            key = int(key) if isinstance(key, int) or str(key).isdigit() else key
            if key == "_schema":
                out.extend(_problems(value, text, prefix))
            else:
                out.extend(_problems(value, text, (*prefix, key)))
    else:
        line = _line_of(text, prefix)
        where = f"regel {line}: " if line else ""
        name = ".".join(str(p) for p in prefix) or "bestand"
        for message in messages if isinstance(messages, list) else [messages]:
            out.append(f"{where}{name}: {message}")
    return out


def _syntax_problem(text: str, message: str) -> str:
    """tomllib's message, led by the line and (when the line has one) the key, as elsewhere."""
    position = _TOML_POSITION.search(message)
    if not position:
        return f"TOML-fout: {message}"
    number = int(position.group(1))
    lines = text.splitlines()
    key = _KEY.match(lines[number - 1]) if 0 < number <= len(lines) else None
    name = f"{key.group(1).replace(' ', '')}: " if key else ""
    return f"regel {number}: {name}TOML-fout: {_TOML_POSITION.sub('', message).strip()}"


@dataclass
class Definition:
    data: dict
    source: Path


def load(path: str | Path) -> Definition:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DefinitionError([f"{path}: {exc.strerror}"]) from exc
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DefinitionError([f"{path}: {_syntax_problem(text, str(exc))}"]) from exc
    try:
        data = DefinitionSchema().load(raw)
    except ValidationError as exc:
        raise DefinitionError([f"{path}: {p}" for p in _problems(exc.messages, text)]) from exc
    for index, org in enumerate(data["organisations"]):
        for key in ("agreement_template",):
            if org.get(key) and not (path.parent / org[key]).is_file():
                line = _line_of(text, ("organisations", index, key))
                raise DefinitionError(
                    [f"{path}: regel {line}: organisations.{index}.{key}: bestand niet gevonden"]
                )
        logo = org["branding"].get("logo")
        if logo and not (path.parent / logo).is_file():
            line = _line_of(text, ("organisations", index, "branding", "logo"))
            raise DefinitionError(
                [
                    f"{path}: regel {line}: organisations.{index}.branding.logo: "
                    "bestand niet gevonden"
                ]
            )
    return Definition(data, path)


def apply(definition: Definition) -> Arrangement:
    """Create or update the arrangement. Flushes only: the caller commits once."""
    data = definition.data
    session = db.session
    spec = data["arrangement"]
    arrangement = session.scalar(select(Arrangement).where(Arrangement.slug == spec["slug"]))
    if arrangement is None:
        arrangement = Arrangement(slug=spec["slug"], name=spec["name"])
        session.add(arrangement)
    arrangement.name = spec["name"]
    arrangement.external_hourly_rate = spec["external_hourly_rate"]
    session.flush()
    with use_arrangement(arrangement.id):
        for org_spec in data["organisations"]:
            _apply_organisation(definition.source, arrangement, org_spec)
        session.flush()
    return arrangement


def _apply_organisation(source: Path, arrangement: Arrangement, spec: dict) -> Organisation:
    session = db.session
    org = session.scalar(select(Organisation).where(Organisation.slug == spec["slug"]))
    if org is None:
        org = Organisation(slug=spec["slug"], arrangement_id=arrangement.id)
        session.add(org)
    privacy, defaults, branding, signatory = (
        spec["privacy"],
        spec["defaults"],
        spec["branding"],
        spec["signatory"],
    )
    org.name = spec["name"]
    org.legal_name = spec["legal_name"] or spec["name"]
    org.address = spec["address"]
    org.kvk_number = spec["kvk_number"]
    org.oin = spec["oin"]
    org.vat_number = spec["vat_number"]
    org.cao = spec["cao"]
    org.signatory_name = signatory["name"]
    org.signatory_role = signatory["role"]
    org.signatory_mandate = signatory["mandate"]
    org.capacity_visibility = privacy["capacity_visibility"]
    org.line_manager_sees_own_staff = privacy["line_manager_sees_own_staff"]
    org.registration_via_line_manager = privacy["registration_via_line_manager"]
    org.report_min_group_size = privacy["report_min_group_size"]
    org.retention_days = privacy["retention_days"]
    org.default_job_visibility = defaults["job_visibility"]
    org.job_expiry_days = defaults["job_expiry_days"]
    org.default_hourly_rate = defaults["hourly_rate"]
    org.brand_colour = branding["colour"]
    if spec.get("agreement_template"):
        org.agreement_template = (source.parent / spec["agreement_template"]).read_text("utf-8")
    if branding.get("logo"):
        logo = source.parent / branding["logo"]
        org.logo = logo.read_bytes()
        suffix = logo.suffix.lower().lstrip(".")
        org.logo_mime = {"svg": "image/svg+xml", "jpg": "image/jpeg"}.get(suffix, f"image/{suffix}")
    session.flush()
    existing = {
        d.slug: d
        for d in session.scalars(select(Department).where(Department.organisation_id == org.id))
    }
    for dep_spec in spec["departments"]:
        department = existing.get(dep_spec["slug"])
        if department is None:
            department = Department(organisation_id=org.id, slug=dep_spec["slug"])
            session.add(department)
        department.name = dep_spec["name"]
    _apply_sign_in(source, org, spec.get("sign_in"))
    _apply_scim(org, spec["scim"])
    return org


def _apply_scim(org: Organisation, spec: dict) -> None:
    """The HR groups as the file names them; HR follows at once for the groups' members
    (granted to who is in a named group now, taken from who was only through a group that is
    no longer named)."""

    names = spec["hr_groups"]
    if org.id is None or names == org.hr_group_names:
        org.scim_hr_groups = "\n".join(names)
        return
    before = hr_members(org.id, org.hr_group_names)
    org.scim_hr_groups = "\n".join(names)
    settle_hr(org.id, before, hr_members(org.id, names))


def _apply_sign_in(source: Path, org: Organisation, spec: dict | None) -> None:
    """Create, update or (when the table is gone from the file) remove the provider.

    Removing ``sign_in`` switches the organisation back to password login: the file is the
    whole truth about how its staff sign in.
    """

    session = db.session
    provider = session.scalar(
        select(SignInProvider).where(SignInProvider.organisation_id == org.id)
    )
    if spec is None:
        if provider is not None:
            session.delete(provider)
        return
    taken = session.scalars(
        select(SignInProvider).where(SignInProvider.organisation_id != org.id)
    ).all()
    for other in taken:
        clash = set(other.domains) & set(spec["email_domains"])
        if clash:
            raise DefinitionError(
                [
                    f"{source}: organisations.{org.slug}.sign_in.email_domains: "
                    f"{', '.join(sorted(clash))} hoort al bij een andere organisatie."
                ]
            )
    if provider is None:
        provider = SignInProvider(organisation_id=org.id, arrangement_id=org.arrangement_id)
        session.add(provider)
    provider.issuer = spec["issuer"]  # exactly as the provider names itself
    provider.client_id = spec["client_id"]
    provider.client_secret_env = spec["client_secret_env"]
    provider.email_domains = " ".join(spec["email_domains"])
    provider.password_login = spec["password_login"]
