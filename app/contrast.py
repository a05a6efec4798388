"""WCAG 2.1 contrast between two sRGB colours (``#rrggbb``), for the organisation's theme colour
(tenant file ``[organisations.branding] colour``): it is the background of the header and the
buttons under white text and the colour of links on white, so it must reach 4.5:1 on white
(WCAG 1.4.3, level AA, normal text)."""

from __future__ import annotations

WHITE = "#ffffff"
AA_NORMAL_TEXT = 4.5


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: str) -> float:
    """WCAG's relative luminance of ``#rrggbb`` (0 black … 1 white)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05), the lighter over the darker: 1 … 21."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def darker(colour: str, factor: float = 0.8) -> str:
    """The colour with each channel scaled by ``factor`` (hover and pressed states)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(c * factor) for c in (red, green, blue)))
