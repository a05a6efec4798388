"""The organisation's details for agreements, its logo, and HR's overview of placements."""

from __future__ import annotations

import io
from decimal import Decimal

from PIL import Image

from app.accounts.models import User
from tenants.models import Organisation
from tests.ids import api_id
from tests.workspace import seed

DETAILS = {
    "legal_name": "Gemeente Ermelo",
    "address": "Stationsstraat 52, 3851 NM Ermelo",
    "kvk_number": "12345678",
    "oin": "00000001234567890000",
    "vat_number": "NL001234567B01",
    "signatory_name": "J. Jansen",
    "signatory_role": "gemeentesecretaris",
    "signatory_mandate": "Mandaatbesluit 2025, artikel 3",
    "cao": "Cao Gemeenten",
    "default_hourly_rate": "62,50",
}


def image(kind: str, size=(40, 20), **save) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (31, 95, 139)).save(out, kind, **save)
    return out.getvalue()


def test_hr_saves_the_details_for_agreements(client, world, login, in_arrangement):
    """Legal name, address, KvK, OIN, VAT, signatory, cao and a default hourly rate in euros
    (decimal comma) are stored for the own organisation."""
    login(client, world.meer.ermelo.hr)
    page = client.get("/organisatie/gegevens").get_data(as_text=True)
    assert 'href="/organisatie/instellingen"' in page  # privacy and job defaults live there
    response = client.post("/organisatie/gegevens", data=DETAILS)
    assert response.status_code == 302
    with in_arrangement(world.meer.arrangement) as s:
        org = s.get(Organisation, world.meer.ermelo.org.id)
        assert org.kvk_number == "12345678" and org.signatory_name == "J. Jansen"
        assert org.default_hourly_rate == Decimal("62.50")
        assert org.address == "Stationsstraat 52, 3851 NM Ermelo"


def test_bad_details_are_a_400_and_save_nothing(client, world, login, in_arrangement):
    """A KvK number, OIN, VAT number or rate in the wrong shape: 400 and nothing is saved."""
    login(client, world.meer.ermelo.hr)
    for field, value in (
        ("kvk_number", "1234"),
        ("oin", "12"),
        ("vat_number", "123"),
        ("default_hourly_rate", "veel"),
        ("default_hourly_rate", "-5"),
        ("legal_name", "x" * 201),
    ):
        response = client.post("/organisatie/gegevens", data={**DETAILS, field: value})
        assert response.status_code == 400, field
    with in_arrangement(world.meer.arrangement) as s:
        org = s.get(Organisation, world.meer.ermelo.org.id)
        assert org.kvk_number == "" and org.default_hourly_rate is None


def upload_logo(client, data: bytes, name="logo.png"):
    return client.post(
        "/organisatie/logo",
        data={"logo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_a_png_or_jpeg_logo_is_stored_cleaned(client, world, login, in_arrangement):
    """A PNG and a JPEG are accepted (type read from the image, metadata dropped) and served to
    HR; removing it works."""
    login(client, world.meer.ermelo.hr)
    exif = Image.Exif()
    exif[0x010F] = "Camera met GPS"
    jpeg = image("JPEG", exif=exif.tobytes())
    assert b"Camera met GPS" in jpeg
    assert upload_logo(client, jpeg, "logo.png").status_code == 302  # the name does not matter
    served = client.get("/organisatie/logo")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert b"Camera met GPS" not in served.data
    assert upload_logo(client, image("PNG")).status_code == 302
    with in_arrangement(world.meer.arrangement) as s:
        org = s.get(Organisation, world.meer.ermelo.org.id)
        assert org.logo_mime == "image/png" and org.logo.startswith(b"\x89PNG")
    assert client.post("/organisatie/logo/verwijderen").status_code == 302
    assert client.get("/organisatie/logo").status_code == 404


def test_other_files_are_refused_as_logo(client, world, login, in_arrangement):
    """GIF, text named .png, a broken PNG, a huge canvas and a file over 512 KB: 400, and the
    logo stays as it was."""
    login(client, world.meer.ermelo.hr)
    header_only = image("PNG")[:40]
    big = image("PNG", size=(450, 450), compress_level=0)
    assert len(big) > 512 * 1024
    for data, name in (
        (image("GIF"), "logo.gif"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.png"),
        (header_only, "logo.png"),
        (image("PNG", size=(5000, 10)), "wide.png"),
        (big, "big.png"),
    ):
        response = upload_logo(client, data, name)
        assert response.status_code == 400, name
    with in_arrangement(world.meer.arrangement) as s:
        assert s.get(Organisation, world.meer.ermelo.org.id).logo_mime is None


def test_placements_overview_shows_out_in_and_agreements(client, world, login, in_arrangement):
    """An Ermelo employee placed at Harderwijk is outgoing for Ermelo's HR and incoming for
    Harderwijk's HR, with a link to the agreement; Zeewolde's HR does not see it."""
    ermelo, harderwijk = world.meer.ermelo, world.meer.harderwijk
    with in_arrangement(world.meer.arrangement) as s:
        host_job = seed.job(s, harderwijk.org, s.get(User, harderwijk.lead.id))
        match = seed.placement(
            s,
            host_job,
            s.get(User, ermelo.emp.id),
            lending_approver=s.get(User, ermelo.hr.id),
            borrowing_approver=s.get(User, harderwijk.lead.id),
        )
        match_id = match.id
        s.commit()
    login(client, ermelo.hr)
    page = client.get("/organisatie/detacheringen").get_data(as_text=True)
    outgoing, incoming = page.split("Uitgaand", 1)[1].split("Inkomend", 1)
    assert ermelo.emp.name in outgoing and ermelo.emp.name not in incoming
    assert f"/detacheringen/{api_id('match', match_id)}/overeenkomst.pdf" in outgoing
    login(client, harderwijk.hr)
    page = client.get("/organisatie/detacheringen").get_data(as_text=True)
    outgoing, incoming = page.split("Uitgaand", 1)[1].split("Inkomend", 1)
    assert ermelo.emp.name in incoming and ermelo.emp.name not in outgoing
    login(client, world.meer.zeewolde.hr)
    assert ermelo.emp.name not in client.get("/organisatie/detacheringen").get_data(as_text=True)
