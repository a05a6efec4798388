"""The matches fixtures (``scene``) for the hardening tests of accounts and proposals."""

from tests.matches.conftest import scene  # noqa: F401  a fixture, used by name
