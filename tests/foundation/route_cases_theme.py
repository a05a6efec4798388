"""Cross-arrangement cases for the theme routes (tests/test_routes_cross_arrangement.py)."""

from __future__ import annotations

from tests.route_cases import OWN_DATA

OWN_DATA.update(
    {
        "web.theme_css": "the caller's own organisation's colour (tests/foundation/test_theme.py)",
        "web.theme_logo": "the caller's own organisation's logo (tests/foundation/test_theme.py)",
    }
)
