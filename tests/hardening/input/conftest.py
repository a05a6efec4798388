"""The matches fixtures (``scene``) for the input-hardening tests."""

from tests.matches.conftest import scene  # noqa: F401  a fixture, used by name
