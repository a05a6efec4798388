"""The matches fixtures (``scene``) and SCIM tokens for the input-hardening tests."""

from tests.matches.conftest import scene  # noqa: F401  a fixture, used by name
from tests.scim.conftest import scim_token  # noqa: F401  a fixture, used by name
