"""The organisation's logo for the secondment agreement: PNG or JPEG, at most 512 KB.

The type is read from the image itself (never from the file name or the browser's content type),
its size is checked from the header before any decoding (a small file can claim a huge canvas),
and the image is decoded and written out again, which drops metadata such as EXIF (camera,
place) and anything appended after the image data.
"""

from __future__ import annotations

import io
import warnings

from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError

from app.errors import InvalidInput

MAX_BYTES = 512 * 1024
MAX_SIDE = 4000
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


class LogoError(InvalidInput, ValueError):
    """The upload is not a usable logo; the message says why, in Dutch."""


def clean_logo(data: bytes) -> tuple[bytes, str]:
    """(clean image bytes, MIME type), or :class:`LogoError`."""
    if not data:
        raise LogoError(_("Kies een afbeelding."))
    if len(data) > MAX_BYTES:
        raise LogoError(_("Het logo mag hoogstens 512 KB zijn."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                kind = probe.format
                width, height = probe.size
                if kind not in FORMATS:
                    raise LogoError(_("Het logo moet een PNG- of JPEG-afbeelding zijn."))
                if width < 1 or height < 1 or width > MAX_SIDE or height > MAX_SIDE:
                    raise LogoError(
                        _("Het logo mag hoogstens %(n)s pixels breed en hoog zijn.", n=MAX_SIDE)
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                out = io.BytesIO()
                if kind == "JPEG":
                    image.convert("RGB").save(out, "JPEG", quality=90)
                else:
                    image.save(out, "PNG", optimize=True)
    except LogoError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Warning,
        Image.DecompressionBombError,
    ):
        raise LogoError(_("Het logo moet een PNG- of JPEG-afbeelding zijn.")) from None
    return out.getvalue(), FORMATS[kind]
