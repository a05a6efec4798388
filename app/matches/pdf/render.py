"""WeasyPrint set-up and the PDF itself: archival (PDF/A-2b) and accessible (tagged, PDF/UA-1).

WeasyPrint writes one variant per document (Kozea/WeasyPrint#2783), so we ask for PDF/A-2b with
tags (`pdf_tags=True`: StructTreeRoot, MarkInfo, DisplayDocTitle; the `<html lang>` gives /Lang)
and declare PDF/UA-1 ourselves in the same XMP packet, with the PDF/A extension schema that
describes the `pdfuaid` property (as the PDF Association's guide to conforming to both does).
PDF/A-2 forbids embedding non-PDF files and WeasyPrint drops them; we strip attachment links
beforehand anyway.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import threading
import zlib
from collections.abc import Mapping

from app.matches.pdf.assets import ASSET_SCHEME, fetcher_class

PDF_VARIANT = "pdf/a-2b"
PDF_LANGUAGE = "nl"
#: zlib's default level. pydyf compresses at 9, which on our text-heavy page streams costs
#: ~5x the time for ~5% fewer bytes (measured: 6 ms vs 1 ms a page).
ZLIB_LEVEL = 6

_local = threading.local()

_font_configs: list = []


@atexit.register
def _remove_font_folders() -> None:
    # A FontConfiguration kept for the life of the process would be collected during interpreter
    # shut-down, when its __del__ finds `rmtree` already gone ("Exception ignored in ...
    # FontConfiguration.__del__"). Remove its temporary font folder while that still works.
    for font_config in _font_configs:
        folder, font_config._folder = font_config._folder, None
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


def _render_setup():
    """Per thread: a FontConfiguration holding our @font-face fonts and the parsed CSS.

    Both are reused across renders (parsing the CSS and setting up fonts once); one per thread
    because Pango/Fontconfig objects are not meant to be shared across threads.
    """
    setup = getattr(_local, "setup", None)
    if setup is None:
        # deferred: heavy: WeasyPrint (Pango, fonts) only when rendering an agreement PDF
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        _font_configs.append(font_config)
        stylesheet = CSS(
            url=f"{ASSET_SCHEME}:agreement.css",
            url_fetcher=fetcher_class()(),
            font_config=font_config,
        )
        setup = _local.setup = (font_config, [stylesheet])
    return setup


def _fetcher(data_uris: Mapping | None):
    """The fetcher for one document: with a logo a fresh one that serves its data: URI, else
    this thread's shared one (building a URLFetcher builds a urllib opener: ~1% of a render)."""
    if data_uris:
        return fetcher_class()(data_uris)
    shared = getattr(_local, "fetcher", None)
    if shared is None:
        shared = _local.fetcher = fetcher_class()()
    return shared


def _strip_attachment_links(root) -> None:
    """Drop `rel=attachment` so no <link>/<a> can ask WeasyPrint to embed a file (the fetcher
    would refuse it anyway, see GHSA-35jj-wx47-4w8r)."""
    for element in root.iter():
        rel = element.get("rel") if isinstance(element.tag, str) else None
        if rel and "attachment" in rel.lower():
            tokens = [t for t in rel.split() if t.lower() != "attachment"]
            if tokens:
                element.set("rel", " ".join(tokens))
            else:
                del element.attrib["rel"]


# PDF/UA-1 identification (ISO 14289-1, 5) plus the PDF/A extension schema that PDF/A-2 needs
# for any property outside its predefined schemas (ISO 19005-2, 6.6.2.3).
PDFUA_XMP = b"""<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
<pdfuaid:part>1</pdfuaid:part>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" \
xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed\
</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
"""


def _declare_pdfua(pdf) -> None:
    """Add the PDF/UA-1 identification into the one rdf:RDF of the document's XMP packet."""
    number = int(pdf.catalog["Metadata"].split()[0])
    stream = pdf.objects[number]
    packet = b"".join(stream.stream)
    if b"</rdf:RDF>" not in packet:
        raise RuntimeError("the PDF/A metadata packet has no rdf:RDF element")
    stream.stream = [packet.replace(b"</rdf:RDF>", PDFUA_XMP + b"</rdf:RDF>", 1)]


@functools.cache
def _serialise_once(base: type) -> type | None:
    """`base` (a pydyf object class) whose serialised `data` is computed once; a stream's is
    compressed at ZLIB_LEVEL. None when pydyf no longer has what we mirror (then objects stay as
    they are, and the PDF is the same but slower to write).

    PDF/A needs a file identifier, and pydyf computes it by serialising every object a second
    time (`b"".join(obj.data ...)` before writing them): without this each stream would be
    compressed twice, and the structure tree of the tags serialised twice.
    """
    try:
        # deferred: optional: pydyf's private API (as in pydyf 0.11-0.13), else no speed-up
        from pydyf import Dictionary, Object, Stream, _to_bytes
    except ImportError:
        return None
    if not issubclass(base, Object) or not isinstance(getattr(base, "data", None), property):
        return None

    if issubclass(base, Stream):

        def data(self) -> bytes:  # pydyf's Stream.data, with our compression level
            body = b"\n".join(_to_bytes(item) for item in self.stream)
            extra = Dictionary(self.extra.copy())
            if self.compress:
                extra["Filter"] = "/FlateDecode"
                body = zlib.compress(body, ZLIB_LEVEL)
            extra["Length"] = len(body)
            return b"\n".join((extra.data, b"stream", body, b"endstream"))
    else:
        data = base.data.fget
    return type(base.__name__, (base,), {"data": functools.cached_property(data)})


def _finish(document, pdf) -> None:
    """WeasyPrint's finisher: runs after the PDF objects are built, before they are written."""
    _declare_pdfua(pdf)
    for item in pdf.objects:
        once = _serialise_once(type(item))
        if once is not None:
            item.__class__ = once


def html_to_pdf(
    html_source: str, data_uris: Mapping | None = None, *, title: str = "", archival: bool = True
) -> bytes:
    """HTML to PDF/A-2b + PDF/UA-1 bytes, resources only through our fetcher.

    `title` is the document title when the HTML has no <title> (an organisation's template):
    PDF/UA requires one; the language falls back to Dutch likewise. `archival=False` (a plain,
    untagged PDF) exists only for bench/agreement_pdf.py to measure what PDF/A and tags cost.
    """
    # deferred: heavy: WeasyPrint (Pango, fonts) only when rendering an agreement PDF
    from weasyprint import HTML

    font_config, stylesheets = _render_setup()
    html = HTML(string=html_source, url_fetcher=_fetcher(data_uris))
    _strip_attachment_links(html.etree_element)
    options = {
        "stylesheets": stylesheets,
        "attachments": None,
        "pdf_forms": False,
        "presentational_hints": False,
        "custom_metadata": False,
        "pdf_variant": PDF_VARIANT if archival else None,
        "pdf_tags": archival,
    }
    document = html.render(font_config=font_config, **options)
    metadata = document.metadata
    metadata.title = metadata.title or title or None
    metadata.lang = metadata.lang or PDF_LANGUAGE
    metadata.attachments = []
    return document.write_pdf(finisher=_finish if archival else None, **options)
