"""Fixtures shared with other test packages."""

from tests.foundation.test_outbox_mail import smtp_server  # noqa: F401  (a fixture)
