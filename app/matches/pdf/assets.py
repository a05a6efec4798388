"""What the agreement renderer may load: its own assets, the data: URIs it made, nothing else.

WeasyPrint fetches every resource (stylesheets, fonts, images) through `AssetURLFetcher`, which
serves the files of `templates/agreements/` by the `deelkracht-asset:` scheme, the generated
agreement fonts, and the data: URIs of the logo, and refuses everything else: no `file:`,
`http(s):`, `ftp:`, unknown scheme, foreign data: URI or path traversal.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

TEMPLATES_DIR = Path(__file__).resolve().parents[3] / "templates"
AGREEMENT_DIR = TEMPLATES_DIR / "agreements"
ASSET_SCHEME = "deelkracht-asset"
# Only flat file names with these extensions: no sub-folders, no dots beyond the extension, no
# escapes, so no traversal, and the Jinja templates themselves are never served.
_ASSET_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*\.(css|woff2?|ttf|otf|png|jpe?g)")
_ASSET_TYPES = {
    "css": "text/css",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}

# Known WeasyPrint advisories on url_fetcher bypasses, and why they do not reach us:
# - CVE-2025-68616 (GHSA-983w-rhvv-gwmv): HTTP redirects were followed past a custom fetcher's
#   checks; fixed in 68.0. Our fetcher does no network I/O at all, so there is nothing to
#   redirect.
# - CVE-2026-49452 (GHSA-jhhc-3hcp-qhm5): CSS injection through presentational hints; fixed in
#   69.0. We never enable `presentational_hints`.
# - CVE-2026-55073 (GHSA-jf6q-chmf-3h3v; the 70.0 notes also list GHSA-r543-q48m-4c9j):
#   `stylesheets=`/`xmp_metadata=` given as URLs used a fresh default URLFetcher instead of the
#   document's; also EPS images were rendered (through Ghostscript); both fixed in 70.0. We pass
#   a parsed CSS object built with our own fetcher, XMP metadata as bytes (never a URL), and
#   accept only PNG/JPEG logos - but 70.0 is the first release where the fetcher is
#   authoritative everywhere, and this module needs the `URLFetcher` class API (68.0+).


class ForbiddenResourceError(ValueError):
    """Raised for any resource the agreement may not load; WeasyPrint skips the resource."""


def safe_url_fetcher(url: str, headers: Any = None, *, data_uris: Mapping | None = None):
    """Serve the agreement's own assets and the data: URIs we created; refuse everything else.

    `data_uris` maps a data: URI this module built (the logo) to `(mime_type, bytes)`. No other
    data: URI, no `file:`, `http(s):`, `ftp:` or unknown scheme, no traversal, is ever served.
    """
    # deferred: heavy: WeasyPrint (Pango, fonts) only when rendering an agreement PDF
    from weasyprint.urls import URLFetcherResponse

    if data_uris and url in data_uris:
        mime_type, body = data_uris[url]
        return URLFetcherResponse(url, body, {"Content-Type": mime_type})
    scheme, sep, name = url.partition(":")
    if not sep or scheme.lower() != ASSET_SCHEME:
        raise ForbiddenResourceError(f"resource not allowed in an agreement: {url[:80]!r}")
    if not _ASSET_NAME.fullmatch(name):
        raise ForbiddenResourceError(f"not an agreement asset: {name[:80]!r}")
    body = _subset_font(name) if name in _FONT_SOURCES else _read_asset(name)
    return URLFetcherResponse(url, body, {"Content-Type": _ASSET_TYPES[name.rsplit(".", 1)[1]]})


@functools.cache
def _read_asset(name: str) -> bytes:
    path = (AGREEMENT_DIR / name).resolve()
    if path.parent != AGREEMENT_DIR.resolve() or not path.is_file():
        raise ForbiddenResourceError(f"no such agreement asset: {name!r}")
    return path.read_bytes()


@functools.cache
def fetcher_class():
    """The URLFetcher subclass WeasyPrint gets for every document and stylesheet."""
    # WeasyPrint 70 requires a URLFetcher (sub)class: a bare function is no longer accepted.
    # deferred: heavy: WeasyPrint (Pango, fonts) only when rendering an agreement PDF
    from weasyprint.urls import URLFetcher

    class AssetURLFetcher(URLFetcher):
        def __init__(self, data_uris: Mapping | None = None):
            # Defence in depth: should WeasyPrint ever reach the base class's urllib opener,
            # no protocol is allowed and redirects are not followed.
            super().__init__(allowed_protocols=(), allow_redirects=False)
            self._data_uris = dict(data_uris or {})

        def fetch(self, url, headers=None):
            return safe_url_fetcher(url, headers, data_uris=self._data_uris)

    return AssetURLFetcher


# --- Fonts ----------------------------------------------------------------------------------------

# WeasyPrint subsets every embedded font on every render. Without HarfBuzz-subset (Debian's
# libharfbuzz-subset0; .ci/run installs it, not every host has it) it falls back to fontTools,
# which needs ~200 ms per face of the 750 KB DejaVu Sans: more than the whole layout of the
# agreement; with it, the full font still costs ~5% of a render. So once per process we cut
# DejaVu Sans down to the Latin ranges (kerning kept, hinting dropped, ~50 KB) and serve that as
# an @font-face asset; characters outside it fall back to the system fonts.
_FONT_SOURCES = {
    "agreement-sans.ttf": "DejaVuSans.ttf",
    "agreement-sans-bold.ttf": "DejaVuSans-Bold.ttf",
}
_FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
_FONT_UNICODES = [
    *range(0x20, 0x7F),  # Basic Latin
    *range(0xA0, 0x250),  # Latin-1 Supplement, Latin Extended-A and -B
    *range(0x2010, 0x2028),  # dashes, quotes, bullet, ellipsis
    *(0x2030, 0x2039, 0x203A, 0x20AC, 0x2122, 0x2212),  # per mille, angle quotes, €, ™, minus
]


@functools.cache
def _subset_font(name: str) -> bytes:
    """One of the generated agreement fonts, built from the system's DejaVu Sans."""
    # deferred: heavy: fontTools only when the agreement fonts are first built
    from fontTools import subset
    from fontTools.ttLib import TTFont

    source = next(
        (path for folder in _FONT_DIRS for path in Path(folder).rglob(_FONT_SOURCES[name])),
        None,
    )
    if source is None:
        raise ForbiddenResourceError(f"system font {_FONT_SOURCES[name]} not found")
    options = subset.Options(
        hinting=False, desubroutinize=True, notdef_outline=True, layout_features=["kern"]
    )
    options.name_IDs = ["*"]
    options.drop_tables += ["FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_FONT_UNICODES)
    font = TTFont(source)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
