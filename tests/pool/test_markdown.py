"""Safe Markdown in job descriptions: formatting yes, raw HTML never."""

from __future__ import annotations

from markupsafe import Markup

from app.pool.markdown import excerpt, render


def test_plain_text_and_simple_formatting():
    """Plain text stays text; bold, lists and links render."""
    html = render("Hallo **wereld**\n\n- een\n- twee\n\n[site](https://example.org)")
    assert isinstance(html, Markup)
    assert "<strong>wereld</strong>" in html
    assert "<li>een</li>" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">site</a>' in html


def test_raw_html_and_scripts_are_shown_as_text():
    """Raw HTML in the source is escaped, never passed through."""
    html = render('<script>alert(1)</script> <b onclick="x()">vet</b> <img src=x onerror=y>')
    assert "<script" not in html and "<b " not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_dangerous_links_and_images_do_not_survive():
    """javascript: and data: links are dropped; images are not allowed at all."""
    html = render(
        "[a](javascript:alert(1)) [b](data:text/html;base64,xx) ![c](https://x.nl/p.png) "
        "<https://ok.example>"
    )
    assert 'href="javascript' not in html and 'href="data:' not in html
    assert "<img" not in html
    assert 'href="https://ok.example"' in html


def test_headings_sit_below_the_page_headings():
    """A description's # heading becomes h3: the page keeps its own h1 and h2."""
    html = render("# Titel\n\n## Sub")
    assert "<h3>Titel</h3>" in html and "<h4>Sub</h4>" in html and "<h1>" not in html


def test_empty_and_none():
    assert render("") == Markup("") and render(None) == Markup("")


def test_excerpt_is_plain_one_line_text():
    """The list's teaser drops Markdown punctuation and link targets, and is cut on a word."""
    text = excerpt("# Kop\n\n**Vet** en [link](https://x.nl)\n- punt", length=200)
    assert text == "Kop Vet en link punt"
    long = excerpt("woord " * 100, length=30)
    assert long.endswith("…") and len(long) <= 31
