"""Tenant definitions as TOML files: ``deelkracht tenants apply FILE`` through the real CLI group.

A valid file creates or updates the arrangement idempotently; an invalid one is refused with a
message naming the line and the field, and nothing changes, also when only the second of two
files is wrong.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli import cli
from tenants.models import Arrangement, Department, Organisation

GOOD = textwrap.dedent(
    """\
    # Test arrangement
    [arrangement]
    slug = "veluwe"
    name = "Samenwerking Veluwe"
    external_hourly_rate = 99.50

    [[organisations]]
    slug = "epe"
    name = "Gemeente Epe"
    legal_name = "Het college van burgemeester en wethouders van Epe"
    address = "Hoofdstraat 28, 8162 AK Epe"
    kvk_number = "12345678"
    cao = "Cao Gemeenten"

    [organisations.signatory]
    name = "J. Jansen"
    role = "gemeentesecretaris"
    mandate = "Mandaatbesluit Epe 2025, art. 1"

    [organisations.privacy]
    capacity_visibility = "hr"
    line_manager_sees_own_staff = true
    registration_via_line_manager = false
    report_min_group_size = 7
    retention_days = 180

    [organisations.defaults]
    job_visibility = "organisation"
    job_expiry_days = 30
    hourly_rate = 61.25

    [organisations.branding]
    colour = "#123abc"

    [[organisations.departments]]
    slug = "burgerzaken"
    name = "Burgerzaken"

    [[organisations.departments]]
    slug = "ict"
    name = "ICT"

    [[organisations]]
    slug = "heerde"
    name = "Gemeente Heerde"

    [[organisations.departments]]
    slug = "ruimte"
    name = "Ruimte"
    """
)

SECOND = textwrap.dedent(
    """\
    [arrangement]
    slug = "noord"
    name = "Noord"

    [[organisations]]
    slug = "noorddorp"
    name = "Gemeente Noorddorp"
    """
)


def _write(tmp_path: Path, name: str, content: str) -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


def _apply(app, *paths: str):
    return app.test_cli_runner().invoke(cli, ["tenants", "apply", *paths])


def _state(app, in_arrangement) -> dict:
    """Everything tenant definitions write, with ids, for before/after comparisons."""
    state: dict = {}
    with in_arrangement(None) as s:
        arrangements = s.scalars(select(Arrangement).order_by(Arrangement.id)).all()
        state["arrangements"] = [
            (a.id, a.slug, a.name, str(a.external_hourly_rate)) for a in arrangements
        ]
        ids = [a.id for a in arrangements]
    orgs, departments = [], []
    for arrangement_id in ids:
        with in_arrangement(arrangement_id) as s:
            for org in s.scalars(select(Organisation).order_by(Organisation.id)):
                orgs.append(
                    (
                        org.id,
                        org.arrangement_id,
                        org.slug,
                        org.name,
                        org.legal_name,
                        org.address,
                        org.signatory_name,
                        org.signatory_role,
                        org.signatory_mandate,
                        org.capacity_visibility,
                        org.line_manager_sees_own_staff,
                        org.report_min_group_size,
                        org.retention_days,
                        org.default_job_visibility,
                        org.job_expiry_days,
                        str(org.default_hourly_rate),
                        org.brand_colour,
                    )
                )
            for dep in s.scalars(select(Department).order_by(Department.id)):
                departments.append((dep.id, dep.organisation_id, dep.slug, dep.name))
    state["organisations"] = orgs
    state["departments"] = departments
    return state


def test_apply_creates_arrangement_organisations_and_departments(app, in_arrangement, tmp_path):
    """A file creates the arrangement with its organisations: legal name, address, signatory,
    privacy settings, defaults, branding, and departments."""
    result = _apply(app, _write(tmp_path, "veluwe.toml", GOOD))
    assert result.exit_code == 0, result.output
    assert "veluwe" in result.output
    with in_arrangement(None) as s:
        arrangement = s.scalar(select(Arrangement).where(Arrangement.slug == "veluwe"))
        assert arrangement.name == "Samenwerking Veluwe"
        assert str(arrangement.external_hourly_rate) == "99.50"
        arrangement_id = arrangement.id
    with in_arrangement(arrangement_id) as s:
        epe = s.scalar(select(Organisation).where(Organisation.slug == "epe"))
        assert epe.legal_name == "Het college van burgemeester en wethouders van Epe"
        assert epe.address == "Hoofdstraat 28, 8162 AK Epe"
        assert epe.kvk_number == "12345678"
        assert (epe.signatory_name, epe.signatory_role, epe.signatory_mandate) == (
            "J. Jansen",
            "gemeentesecretaris",
            "Mandaatbesluit Epe 2025, art. 1",
        )
        assert epe.capacity_visibility == "hr"
        assert epe.line_manager_sees_own_staff is True
        assert epe.registration_via_line_manager is False
        assert (epe.report_min_group_size, epe.retention_days) == (7, 180)
        assert (epe.default_job_visibility, epe.job_expiry_days) == ("organisation", 30)
        assert str(epe.default_hourly_rate) == "61.25"
        assert epe.brand_colour == "#123abc"
        assert sorted(d.slug for d in epe.departments) == ["burgerzaken", "ict"]
        heerde = s.scalar(select(Organisation).where(Organisation.slug == "heerde"))
        # Defaults apply where the file says nothing (CONTRACT.md).
        assert heerde.legal_name == "Gemeente Heerde"
        assert heerde.capacity_visibility == "hr_coordinators"
        assert heerde.line_manager_sees_own_staff is False
        assert (heerde.report_min_group_size, heerde.retention_days) == (5, 365)
        assert [d.slug for d in heerde.departments] == ["ruimte"]


def test_applying_twice_changes_nothing(app, in_arrangement, tmp_path):
    """Applying the same file again keeps the same ids and adds no duplicates."""
    path = _write(tmp_path, "veluwe.toml", GOOD)
    assert _apply(app, path).exit_code == 0
    first = _state(app, in_arrangement)
    result = _apply(app, path)
    assert result.exit_code == 0, result.output
    assert _state(app, in_arrangement) == first
    assert len(first["organisations"]) == 2 and len(first["departments"]) == 3


def test_applying_a_changed_file_updates_in_place(app, in_arrangement, tmp_path):
    """A changed file updates the rows it names (same ids) and adds new departments."""
    path = _write(tmp_path, "veluwe.toml", GOOD)
    assert _apply(app, path).exit_code == 0
    before = _state(app, in_arrangement)
    changed = GOOD.replace('name = "Gemeente Heerde"', 'name = "Gemeente Heerde (nieuw)"')
    changed += '\n[[organisations.departments]]\nslug = "sport"\nname = "Sport"\n'
    assert _apply(app, _write(tmp_path, "veluwe.toml", changed)).exit_code == 0
    after = _state(app, in_arrangement)
    assert [o[0] for o in after["organisations"]] == [o[0] for o in before["organisations"]]
    assert after["organisations"][1][3] == "Gemeente Heerde (nieuw)"
    assert [d[0] for d in after["departments"][:3]] == [d[0] for d in before["departments"]]
    assert after["departments"][3][2] == "sport"


BAD_FILES = {
    # name: (edit of GOOD, where the named line is (a text whose *first* line it is; a text may
    # span lines to be unique), the field to be named)
    "toml_syntax": (
        lambda t: t.replace("retention_days = 180", "retention_days = 180 dagen"),
        "retention_days = 180 dagen",
        "retention_days",
    ),
    "unknown_capacity_visibility": (
        lambda t: t.replace('capacity_visibility = "hr"', 'capacity_visibility = "iedereen"'),
        'capacity_visibility = "iedereen"',
        "organisations.0.privacy.capacity_visibility",
    ),
    "min_group_size_2": (
        lambda t: t.replace("report_min_group_size = 7", "report_min_group_size = 2"),
        "report_min_group_size = 2",
        "organisations.0.privacy.report_min_group_size",
    ),
    "duplicate_department_slug": (
        lambda t: t.replace('slug = "ict"', 'slug = "burgerzaken"'),
        'slug = "burgerzaken"\nname = "ICT"',  # the second department with that slug
        "organisations.0.departments.1.slug",
    ),
    "missing_organisation_name": (
        lambda t: t.replace('name = "Gemeente Heerde"\n', ""),
        '[[organisations]]\nslug = "heerde"',  # no line of its own: the table it belongs in
        "organisations.1.name",
    ),
    "missing_arrangement_name": (
        lambda t: t.replace('name = "Samenwerking Veluwe"\n', ""),
        "[arrangement]",
        "arrangement.name",
    ),
    "unknown_key": (
        lambda t: t.replace('colour = "#123abc"', 'colour = "#123abc"\nkleur = "blauw"'),
        'kleur = "blauw"',
        "organisations.0.branding.kleur",
    ),
    "unknown_top_level_key": (
        lambda t: t.replace("[arrangement]", "versie = 2\n\n[arrangement]"),
        "versie = 2",
        "versie",
    ),
    "bad_colour": (
        lambda t: t.replace('colour = "#123abc"', 'colour = "blauw"'),
        'colour = "blauw"',
        "organisations.0.branding.colour",
    ),
    "colour_below_wcag_aa_on_white": (
        lambda t: t.replace('colour = "#123abc"', 'colour = "#7a9cc6"'),
        'colour = "#7a9cc6"',
        "organisations.0.branding.colour",
    ),
    "wrong_type": (
        lambda t: t.replace("job_expiry_days = 30", 'job_expiry_days = "dertig"'),
        'job_expiry_days = "dertig"',
        "organisations.0.defaults.job_expiry_days",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_an_invalid_file_is_refused_names_line_and_field_and_changes_nothing(
    case, app, in_arrangement, tmp_path
):
    """An invalid file (syntax, a value out of range or not allowed, a duplicate, a missing or
    unknown field) exits non-zero, names the line and the field, and changes nothing, not even
    the valid parts of the file."""
    assert _apply(app, _write(tmp_path, "veluwe.toml", GOOD)).exit_code == 0
    before = _state(app, in_arrangement)
    edit, where, field = BAD_FILES[case]
    content = edit(GOOD).replace("Samenwerking Veluwe", "Samenwerking Veluwe (gewijzigd)")
    assert content.count(where) == 1
    line = content[: content.index(where)].count("\n") + 1
    result = _apply(app, _write(tmp_path, "veluwe.toml", content))
    assert result.exit_code != 0
    message = result.output
    assert re.search(rf"\bregel {line}\b", message), (line, message)
    assert field in message, message
    assert "veluwe.toml" in message
    assert _state(app, in_arrangement) == before


def test_when_the_second_file_is_bad_the_first_is_not_applied(app, in_arrangement, tmp_path):
    """Several files are all applied or none: a bad second file leaves the first unapplied."""
    first = _write(tmp_path, "noord.toml", SECOND)
    bad = _write(
        tmp_path,
        "veluwe.toml",
        GOOD.replace("report_min_group_size = 7", "report_min_group_size = 2"),
    )
    before = _state(app, in_arrangement)
    result = _apply(app, first, bad)
    assert result.exit_code != 0
    assert "veluwe.toml" in result.output and "report_min_group_size" in result.output
    assert _state(app, in_arrangement) == before
    with in_arrangement(None) as s:
        assert s.scalar(select(Arrangement).where(Arrangement.slug == "noord")) is None


def test_a_missing_file_is_refused(app, in_arrangement, tmp_path):
    """A path that does not exist is refused, and nothing is applied."""
    result = _apply(app, _write(tmp_path, "noord.toml", SECOND), str(tmp_path / "weg.toml"))
    assert result.exit_code != 0
    assert "weg.toml" in result.output
    assert _state(app, in_arrangement)["arrangements"] == []


def test_the_demo_definitions_are_valid(app, in_arrangement):
    """The demo's own tenant files apply cleanly (CONTRACT.md's arrangements and organisations)."""
    demo = sorted(str(p) for p in (Path(__file__).parents[2] / "tenants" / "demo").glob("*.toml"))
    result = _apply(app, *demo)
    assert result.exit_code == 0, result.output
    state = _state(app, in_arrangement)
    assert {a[1] for a in state["arrangements"]} == {"meerinzicht", "dewolden-hoogeveen"}
    assert {o[2] for o in state["organisations"]} == {
        "ermelo",
        "harderwijk",
        "zeewolde",
        "de-wolden",
        "hoogeveen",
    }
