"""Cross-arrangement cases for the HR workspace (tests/route_cases.py): every page about one
staff member, department or import batch of arrangement "meer" is a 404 for HR and the
coordinator of "elders"; the pages about the caller's own organisation or own data are listed in
OWN_DATA (tests/workspace/test_cross_organisation.py checks that nothing of another organisation
shows on them)."""

from __future__ import annotations

from app.workspace.models import ImportBatch
from tests.ids import public_id
from tests.route_cases import OWN_DATA, Req, route_case

OWN_DATA.update(
    {
        "workspace.staff": "HR's own organisation's staff list",
        "workspace.departments": "HR's own organisation's departments",
        "workspace.staff_import_upload": "HR uploads into its own organisation",
        "workspace.organisation_details": "HR's own organisation's details",
        "workspace.organisation_logo": "HR's own organisation's logo",
        "workspace.organisation_logo_remove": "HR's own organisation's logo",
        "workspace.organisation_placements": "HR's own organisation's placements",
        "workspace.organisation_participation": "HR's own organisation's staff's offers",
        "workspace.my_data": "the caller's own data",
        "workspace.my_data_json": "the caller's own data",
    }
)


def meer_batch(ctx) -> int:
    """An import batch of Ermelo (arrangement "meer") waiting for confirmation."""
    ermelo = ctx.world.meer.ermelo
    with ctx.in_arrangement(ctx.world.meer.arrangement) as s:
        batch = ImportBatch(
            organisation_id=ermelo.org.id,
            created_by_id=ermelo.hr.id,
            status="mapped",
            headers=["email", "naam"],
            rows=[["geheim@ermelo.test", "Geheime Nieuwe"]],
            mapping={"email": "email", "name": "naam"},
            upload_sha256="0" * 64,
        )
        s.add(batch)
        s.commit()
        return public_id(batch)


def _secrets(ctx) -> None:
    emp = ctx.world.meer.ermelo.emp
    ctx.extra["secrets"] = [emp.email, emp.name, "geheim@ermelo.test", "Geheime Nieuwe"]


@route_case(
    "workspace.staff_detail",
    "workspace.staff_deactivate",
    "workspace.staff_reactivate",
    "workspace.staff_erase",
)
def staff_member(ctx):
    _secrets(ctx)
    emp = ctx.world.meer.ermelo.emp
    url = f"/medewerkers/{public_id('user', emp.id)}"
    return [
        Req("GET", url),
        Req("POST", url, data={"name": "Overgenomen", "department": 0}),
        Req("POST", f"{url}/deactiveren"),
        Req("POST", f"{url}/activeren"),
        Req("GET", f"{url}/gegevens-wissen"),
        Req("POST", f"{url}/gegevens-wissen", data={"confirm": "y"}),
    ]


@route_case(
    "workspace.department",
    "workspace.department_add_manager",
    "workspace.department_remove_manager",
)
def department(ctx):
    _secrets(ctx)
    ermelo = ctx.world.meer.ermelo
    base = f"/afdelingen/{public_id('department', ermelo.team.id)}"
    return [
        Req("GET", base),
        Req("POST", base, data={"name": "Overgenomen"}),
        Req("POST", f"{base}/leidinggevenden", data={"user": public_id("user", ermelo.emp.id)}),
        Req("POST", f"{base}/leidinggevenden/{public_id('user', ermelo.lead.id)}/verwijderen"),
    ]


@route_case(
    "workspace.staff_import_mapping",
    "workspace.staff_import_preview",
    "workspace.staff_import_confirm",
    "workspace.staff_import_discard",
)
def import_batch(ctx):
    _secrets(ctx)
    batch_id = meer_batch(ctx)
    base = f"/medewerkers/importeren/{batch_id}"
    return [
        Req("GET", f"{base}/kolommen"),
        Req("POST", f"{base}/kolommen", data={"email": "email", "name": "naam"}),
        Req("GET", base),
        Req("POST", f"{base}/bevestigen", data={"digest": "0" * 64}),
        Req("POST", f"{base}/annuleren"),
    ]
