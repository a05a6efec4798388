"""Where a ``next`` parameter may send the browser: only to a path of this site.

Rule: a target is used only when it is a plain local path: it starts with one ``/``, has no
scheme and no host, and holds no control character, backslash or whitespace. Anything else
goes to the fallback (the start page).

Why: browsers remove tabs and newlines from a URL and read ``\\`` as ``/`` (WHATWG URL
standard), so ``/\\t/evil.example`` or ``/\\evil.example`` become ``//evil.example`` — another
site — once the ``Location`` header is followed: an open redirect (issue 10, finding 1). CR/LF
in a header value also made Werkzeug raise *after* the login session was made (a 500). So we
refuse every such character instead of trying to strip them, and parse what is left the way
the standard does.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from flask import url_for

#: Longer than any page of ours with its query string; a longer ``next`` is not ours.
MAX_LENGTH = 2000

#: Characters left as they are when percent-encoding a target (RFC 3986 reserved ones and "%").
URL_SAFE = "/?#[]@!$&'()*+,;=:%~-._"


def is_safe_local(target: str | None) -> bool:
    """True when ``target`` is a path on this site that no browser reads as another host."""
    if not target or len(target) > MAX_LENGTH:
        return False
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F or ch == "\\" for ch in target):
        return False
    if not target.startswith("/") or target.startswith("//"):
        return False
    try:
        parts = urlsplit(target)
    except ValueError:
        return False
    return not (parts.scheme or parts.netloc)


def safe_next(target: str | None, fallback_endpoint: str = "web.home") -> str:
    """``target`` when :func:`is_safe_local`, else the URL of ``fallback_endpoint``.

    Non-ASCII text (a search for "café") is percent-encoded for the header; a lone surrogate
    cannot be encoded and falls back too.
    """
    if not is_safe_local(target):
        return url_for(fallback_endpoint)
    try:
        return quote(target, safe=URL_SAFE)
    except UnicodeEncodeError:
        return url_for(fallback_endpoint)
