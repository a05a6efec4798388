"""Safe Markdown for job descriptions: plain text works, a little formatting is allowed.

Two layers: markdown-it-py renders with raw HTML *disabled* (``<script>`` in the source comes out
as the text ``<script>``), then nh3 cleans the result against a small allow-list, so nothing
markdown-it might let through reaches the page. Links get ``rel="nofollow noopener noreferrer"``
and only http(s) and mailto targets; there are no images, styles or classes.
"""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer"
#: A description's headings sit below the page's own h1 and h2.
HEADING_OFFSET = 2

# "js-default": CommonMark plus tables and strikethrough, with html=False (raw HTML is text).
_md = MarkdownIt("js-default", {"html": False, "linkify": False, "typographer": False})


def _shift_headings(tokens) -> None:
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + HEADING_OFFSET, 6)
            token.tag = f"h{level}"


def render(source: str | None) -> Markup:
    """Markdown (or plain text) to sanitised HTML, safe to put in a template as is."""
    if not source:
        return Markup("")
    tokens = _md.parse(source)
    _shift_headings(tokens)
    html = _md.renderer.render(tokens, _md.options, {})
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return Markup(clean)  # noqa: S704  sanitised by nh3 just above


_MARKUP_CHARS = re.compile(r"\]\([^)]*\)|[*_`#>\[\]|~]+|^\s*[-+]\s+", re.MULTILINE)
_SPACES = re.compile(r"\s+")


def excerpt(source: str | None, length: int = 200) -> str:
    """A plain-text teaser of a description for lists: Markdown punctuation dropped, one line.

    The result is text: templates escape it like any other string.
    """
    if not source:
        return ""
    text = _SPACES.sub(" ", _MARKUP_CHARS.sub(" ", source)).strip()
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0]
    return cut + "…"
