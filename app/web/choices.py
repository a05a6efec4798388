"""Options for select and radio fields.

WTForms 3.3 deprecates choices given as ``(value, label)`` tuples (removed in 3.4) in favour of
``SelectChoice``. Forms and views write their options as pairs, as before, and pass them through
``select_choices`` so the conversion lives in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms.fields.choices import SelectChoice

__all__ = ["SelectChoice", "select_choices"]


def select_choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """``[(value, label), ...]`` as WTForms ``SelectChoice`` options, in the same order."""
    return [SelectChoice(value, label) for value, label in pairs]
