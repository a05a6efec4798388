"""The report pages are accessible: charts are labelled images with the table of the same
figures right behind them, tables have captions and header scopes, nothing inline for the
CSP, and text (organisation names, job titles) is shown as text in pages and charts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from tests.reports.seed import seed

SVG = "{http://www.w3.org/2000/svg}"


def test_charts_are_labelled_images_with_their_table_behind_them(app, world, in_arrangement, login):
    """Each chart: role="img", aria-labelledby naming its <title> and <desc>, well-formed SVG;
    the next element after the chart's figure is a table whose caption is the chart's title."""
    from tenants.models import Organisation

    seed(world, in_arrangement)
    with in_arrangement(world.meer.arrangement.id) as s:
        s.get(Organisation, world.meer.zeewolde.org.id).name = '<script>alert("z")</script> & Co'
        s.commit()
    client = app.test_client()
    login(client, world.meer.coordinator)
    html = client.get("/rapportages?van=2023-03-01&tot=2023-06-30").get_data(as_text=True)
    assert "<script>" not in html and "style=" not in html
    figures = re.findall(
        r"<figure>\s*(<svg.*?</svg>)[^<]*(?:<figcaption.*?</figcaption>)?\s*</figure>"
        r"\s*<div class=\"table-scroll\"[^>]*>\s*<table class=\"report\">"
        r"\s*<caption[^>]*>(.*?)</caption>",
        html,
        re.S,
    )
    assert len(figures) == 3
    charts = [ET.fromstring(svg) for svg, _caption in figures]  # noqa: S314  our own output
    for svg, (_svg_text, caption) in zip(charts, figures, strict=True):
        assert svg.get("role") == "img"
        title_id, desc_id = svg.get("aria-labelledby").split()
        title = svg.find(f"{SVG}title")
        desc = svg.find(f"{SVG}desc")
        assert (title.get("id"), desc.get("id")) == (title_id, desc_id)
        assert title.text == caption.strip()
        assert "De tabel onder deze grafiek geeft dezelfde cijfers." in desc.text
    texts = [t.text for svg in charts for t in svg.iter(f"{SVG}text")]
    assert '<script>alert("z")</script> & Co' in texts  # shown as text, escaped in the markup


def test_tables_have_captions_and_header_scopes(app, world, in_arrangement, login):
    """Every table has a caption, column headers with scope="col" and row headers with
    scope="row"; the period form has labelled date fields."""
    seed(world, in_arrangement)
    client = app.test_client()
    login(client, world.meer.ermelo.hr)
    for url in ("/rapportages?van=2023-03-01&tot=2023-06-30", "/rapportages/deelname"):
        html = client.get(url).get_data(as_text=True)
        tables = re.findall(r"<table.*?</table>", html, re.S)
        assert tables, url
        for table in tables:
            assert "<caption" in table
            assert re.findall(r"<th(?=[\s>])(?![^>]*scope=)", table) == []
            assert 'scope="col"' in table and 'scope="row"' in table
        assert '<label for="van">' in html and '<label for="tot">' in html
        assert 'id="organisatie"' not in html  # HR has no organisation choice


def test_the_overview_in_english(app, world, in_arrangement, login):
    """The page renders in the other language too (numbers and dates in its format)."""
    seed(world, in_arrangement)
    client = app.test_client()
    login(client, world.meer.coordinator)
    client.post("/taal", data={"locale": "en"})
    response = client.get("/rapportages?van=2023-03-01&tot=2023-06-30")
    assert response.status_code == 200
    assert "318.9" in response.get_data(as_text=True)
