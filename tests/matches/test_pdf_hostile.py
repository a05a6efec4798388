"""The agreement PDF against hostile input: context values and template overrides render as
text and fetch, attach or read nothing (a real listener counts every request); the sandbox refuses
unsafe template code; the URL fetcher serves our own assets only."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import TemplateNotFound
from jinja2.exceptions import SecurityError

from app.matches import pdf
from tests.matches.pdf_helpers import (
    PASSWD_MARKER,
    embedded_files,
    hostile_values,
    listener,
    page_texts,
    sample_context,
    squash,
)

__all__ = ["listener"]  # the fixture, imported for the tests below


def test_unguarded_weasyprint_would_reach_the_listener(listener):
    """Control for the tests below: WeasyPrint's default fetcher does contact the listener, so a
    zero count there means our guard held, not that the listener was deaf."""
    import weasyprint

    base, hits = listener
    weasyprint.HTML(string=f'<img src="{base}/control">').write_pdf()
    assert hits == ["/control"]


def test_hostile_context_values_render_as_text_and_fetch_nothing(listener):
    """Rule: every context value is autoescaped: markup in a field is printed as text, never
    fetched, never attached, and no local file is read into the PDF."""
    assert Path("/etc/passwd").is_file()
    base, hits = listener
    data = pdf.render_agreement_pdf(sample_context(**hostile_values(base)))
    text = squash(" ".join(page_texts(data)))
    assert hits == []
    assert embedded_files(data) == []
    assert PASSWD_MARKER not in text
    assert squash('<img src="file:///etc/passwd">') in text
    assert squash("<link rel=attachment") in text
    assert squash(f'<img src="{base}/title">') in text


def test_sandboxed_override_cannot_fetch_attach_or_read_files(listener):
    """Rule: an organisation's own template may hold any markup, yet WeasyPrint fetches nothing
    outside our assets: no http(s), no file:, no foreign data: URI, no attachments."""
    base, hits = listener
    svg = f"<svg xmlns='http://www.w3.org/2000/svg'><image href='{base}/svg'/></svg>"
    override = f"""<!doctype html><html lang="nl"><head>
<link rel="stylesheet" href="{base}/style.css">
<link rel="attachment" href="file:///etc/passwd" title="passwd">
<link rel="attachment" href="deelkracht-asset:agreement.css">
<style>@import url("{base}/import.css"); body {{ background: url("file:///etc/passwd"); }}</style>
</head><body>
<h1>Detacheringsovereenkomst {{{{ reference }}}}</h1>
<p>{{{{ job.title }}}} — {{{{ job.tasks }}}} — {{{{ terms.notes }}}}</p>
<img src="file:///etc/passwd"><img src="{base}/img">
<a rel="attachment" href="file:///etc/passwd">bijlage</a>
<a rel="attachment" href="{base}/attachment">bijlage 2</a>
<img src="data:image/svg+xml,{svg}">
<object data="{base}/object"></object>
<iframe src="file:///etc/passwd"></iframe>
</body></html>"""
    data = pdf.render_agreement_pdf(
        sample_context(**hostile_values(base)), template_source=override
    )
    text = squash(" ".join(page_texts(data)))
    assert hits == []
    assert embedded_files(data) == []
    assert PASSWD_MARKER not in text
    assert squash('<img src="file:///etc/passwd">') in text
    assert squash(f'<img src="{base}/title">') in text
    assert squash("Detacheringsovereenkomst DK-2026-0107") in text


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ reference.__class__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ lending.signatory.__class__.__subclasses__() }}",
        "{{ ''.format.__globals__ }}",
    ],
)
def test_sandbox_refuses_unsafe_template_code(source):
    """Rule: an override cannot reach Python internals: the sandbox raises SecurityError."""
    with pytest.raises(SecurityError):
        pdf.render_agreement_pdf(sample_context(), template_source=source)


@pytest.mark.parametrize(
    "source",
    [
        "{% include '/etc/passwd' %}",
        "{% include '../../../../etc/passwd' %}",
        "{% import '/etc/passwd' as secrets %}",
        "{% extends 'agreement.html' %}",
    ],
)
def test_sandbox_override_cannot_load_templates_or_files(source):
    """Rule: an override has no template loader: include/import/extends find nothing."""
    with pytest.raises(TemplateNotFound):
        pdf.render_agreement_pdf(sample_context(), template_source=source)


def test_override_output_is_autoescaped():
    """Rule: autoescape is on in the sandbox too: a value cannot become markup."""
    html = pdf.render_agreement_html(
        sample_context(job__title="<b>baas</b>"), template_source="<p>{{ job.title }}</p>"
    )
    assert html == "<p>&lt;b&gt;baas&lt;/b&gt;</p>"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://127.0.0.1/x",
        "https://example.org/x.css",
        "ftp://example.org/x",
        "data:text/plain,hallo",
        "deelkracht-asset:../../pyproject.toml",
        "deelkracht-asset:%2e%2e/%2e%2e/pyproject.toml",
        "deelkracht-asset:/etc/passwd",
        "deelkracht-asset://agreement.css",
        "deelkracht-asset:agreement.html",
        "deelkracht-asset:missing.css",
        "agreement.css",
    ],
)
def test_fetcher_refuses_everything_but_our_assets(url):
    """Rule: the URL fetcher serves only the agreement's own assets: any other scheme, path
    traversal or file outside the whitelist raises, so WeasyPrint skips it."""
    with pytest.raises(pdf.ForbiddenResourceError):
        pdf.safe_url_fetcher(url)


def test_fetcher_serves_our_css_and_the_data_uris_we_made():
    """Rule: the agreement CSS comes through our scheme; a data: URI only when we created it."""
    response = pdf.safe_url_fetcher("deelkracht-asset:agreement.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"
    uri = "data:image/png;base64,AAAA"
    served = pdf.safe_url_fetcher(uri, data_uris={uri: ("image/png", b"png-bytes")})
    assert served.read() == b"png-bytes"
