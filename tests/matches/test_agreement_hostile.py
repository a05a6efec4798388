"""End to end through the database: hostile values in a job title and in the match's terms
reach the agreement as text. Nothing is fetched, read from disk or attached — also when an
organisation's own template prints them unescaped, where WeasyPrint's url_fetcher is the wall.
(tests/matches/test_pdf*.py cover the renderer itself.)"""

from __future__ import annotations

import io

from pypdf import PdfReader

from app.pool.models import Job
from tenants.models import Organisation
from tests.matches.helpers import approve_all, propose
from tests.matches.pdf_helpers import listener

__all__ = ["listener"]  # the fixture (a counting HTTP listener), shared with the PDF tests


def hostile(base: str) -> dict:
    return {
        "title": f'<img src="file:///etc/passwd"><link rel=attachment href="{base}/title">',
        "notes": (
            '<link rel="attachment" href="file:///etc/passwd">'
            f'<img src="{base}/notes.png"> <a rel=attachment href="{base}/a">x</a>'
        ),
        "place_of_work": f"{base}/place <img src='file:///etc/hostname'>",
        "supervisor_name": f'<object data="{base}/object"></object>',
        "vat_treatment": f"<style>@import url({base}/css);</style>",
    }


def _agreed_pdf(client, world, scene, api_token, in_arrangement, values) -> bytes:
    meer = world.meer
    with in_arrangement(meer.arrangement.id) as s:
        s.get(Job, scene.keys.job).title = values["title"]
        s.commit()
    match_id = propose(
        client,
        api_token(meer.ermelo.lead),
        application_id=scene.application,
        notes=values["notes"],
        place_of_work=values["place_of_work"],  # api-rules: keep
        supervisor_name=values["supervisor_name"],  # api-rules: keep
        vat_treatment=values["vat_treatment"][:300],  # api-rules: keep
    )
    body = approve_all(
        client, api_token, match_id, meer.harderwijk.emp, meer.harderwijk.hr, meer.ermelo.lead
    )
    assert body["agreement"]["status"] == "ready", body["agreement"]
    response = client.get(body["agreement"]["url"], headers=api_token(meer.harderwijk.emp))
    assert response.status_code == 200
    return response.data


def _assert_inert(data: bytes, hits: list[str]) -> str:
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "root:" not in text and "/bin/" not in text  # no /etc/passwd content
    assert reader.attachments == {}
    assert not any(page.images for page in reader.pages)
    assert b"/EmbeddedFile" not in data and b"/FileAttachment" not in data
    assert hits == []  # the local listener heard nothing
    return text


def test_hostile_values_render_as_text(client, world, scene, api_token, in_arrangement, listener):
    """The default template: every hostile value is printed as text, nothing is loaded."""
    base, hits = listener
    data = _agreed_pdf(client, world, scene, api_token, in_arrangement, hostile(base))
    text = _assert_inert(data, hits)
    squashed = " ".join(text.split())
    assert '<img src="file:///etc/passwd">' in squashed
    assert "rel=attachment" in squashed or 'rel="attachment"' in squashed


def test_hostile_values_printed_raw_by_an_override_template_fetch_nothing(
    client, world, scene, api_token, in_arrangement, listener
):
    """An organisation's own template that marks the values |safe puts real tags in the HTML;
    the fetcher still refuses file:, http: and attachments."""
    base, hits = listener
    with in_arrangement(world.meer.arrangement.id) as s:
        s.get(Organisation, world.meer.harderwijk.org.id).agreement_template = (
            "<html><body><h1>{{ job.title|safe }}</h1><p>{{ terms.notes|safe }}</p>"
            "<p>{{ job.place_of_work|safe }}</p><p>{{ job.supervisor.name|safe }}</p>"
            "<div>{{ terms.vat_treatment|safe }}</div>"
            f'<img src="{base}/template.png"><link rel="attachment" href="file:///etc/passwd">'
            "<p>{{ employee.name }}</p></body></html>"
        )
        s.commit()
    data = _agreed_pdf(client, world, scene, api_token, in_arrangement, hostile(base))
    text = _assert_inert(data, hits)
    assert "Emp Harderwijk" in text
