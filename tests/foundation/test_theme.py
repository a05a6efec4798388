"""The organisation's theme (issue 13, "Look"): the colour of the tenant file reaches WCAG AA on
white or the file is refused at apply time; the pages get it as CSS custom properties from
``/thema.css`` (a stylesheet of our own origin, as the Content-Security-Policy wants), and the
logo from ``/thema/logo``."""

from __future__ import annotations

from sqlalchemy import select

from app.cli import cli
from app.contrast import contrast_ratio
from tenants.models import Organisation
from tests.foundation.test_tenant_definitions import GOOD, _write

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
    b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00"
    b"\x00IEND\xaeB`\x82"
)


def test_contrast_ratio_follows_wcag():
    """WCAG's formula: black on white is 21:1, #767676 just reaches 4.5:1, #777777 not."""
    assert round(contrast_ratio("#000000", "#ffffff"), 2) == 21
    assert contrast_ratio("#ffffff", "#ffffff") == 1
    assert contrast_ratio("#767676", "#ffffff") >= 4.5 > contrast_ratio("#777777", "#ffffff")


def test_a_colour_below_aa_is_refused_with_its_ratio(app, in_arrangement, tmp_path):
    """The message says the ratio and what AA asks; nothing is created."""
    path = _write(tmp_path, "veluwe.toml", GOOD.replace('"#123abc"', '"#777777"'))
    result = app.test_cli_runner().invoke(cli, ["tenants", "apply", path])
    assert result.exit_code != 0
    assert "organisations.0.branding.colour" in result.output
    assert "(4,47:1)" in result.output and "4,5:1" in result.output, result.output
    with in_arrangement(None) as s:
        assert s.scalar(select(Organisation).where(Organisation.slug == "epe")) is None
    ok = _write(tmp_path, "veluwe.toml", GOOD.replace('"#123abc"', '"#767676"'))
    assert app.test_cli_runner().invoke(cli, ["tenants", "apply", ok]).exit_code == 0


def test_each_organisation_gets_its_own_colour_and_logo(app, world, in_arrangement, client, login):
    """/thema.css holds the caller's organisation's colour (and a darker shade); the layout links
    it. The logo is served to the organisation's own people with a sandboxing policy; without a
    logo it is a 404 and the header shows none."""
    meer = world.meer
    with in_arrangement(meer.arrangement.id) as s:
        ermelo = s.get(Organisation, meer.ermelo.org.id)
        ermelo.brand_colour = "#8a1538"
        ermelo.logo, ermelo.logo_mime = PNG, "image/png"
        s.commit()

    login(client, meer.ermelo.emp)
    css = client.get("/thema.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert "--deelkracht-brand: #8a1538;" in css.get_data(as_text=True)
    page = client.get("/start").get_data(as_text=True)
    assert 'href="/thema.css"' in page and 'src="/thema/logo"' in page
    logo = client.get("/thema/logo")
    assert logo.status_code == 200 and logo.mimetype == "image/png" and logo.data == PNG
    assert "sandbox" in logo.headers["Content-Security-Policy"]

    login(client, meer.harderwijk.emp)
    assert "#8a1538" not in client.get("/thema.css").get_data(as_text=True)
    assert client.get("/thema/logo").status_code == 404
    assert 'src="/thema/logo"' not in client.get("/start").get_data(as_text=True)

    assert app.test_client().get("/thema.css").status_code in (302, 401)  # not logged in
