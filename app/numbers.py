"""Numbers as the reader's language writes them, for pages that show thousands of them.

A five-year report of a 40-organisation arrangement shows a 40 × 40 matrix of counts and hours:
thousands of numbers, most of them the same few (0, 1, 2 ...). Babel's formatting costs ~0.1 ms
a number, so the result is kept per (value, locale). Equal values format alike (the pattern
decides, not the type), so ``1`` and ``Decimal("1.0")`` share an entry.
"""

from __future__ import annotations

from functools import lru_cache

from babel import numbers
from flask_babel import get_locale


@lru_cache(maxsize=8192)
def _formatted(value, locale: str) -> str:
    return numbers.format_decimal(value, locale=locale)


def format_number(value) -> str:
    """flask_babel.format_decimal(value), or "" for None."""
    if value is None:
        return ""
    return _formatted(value, str(get_locale()))
