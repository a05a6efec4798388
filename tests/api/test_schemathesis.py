"""Black-box: requests generated from our own OpenAPI document against the running app
(schemathesis over WSGI, the real database), as an employee, a line manager, HR and a
coordinator. Bounded (``SCHEMATHESIS_EXAMPLES`` per operation; default 25 on PostgreSQL and 10 on
SQLite, the embedded default of the demo and a small pilot) so it runs in CI on both backends.

Every answer must: not be a server error; have a status the document lists for the operation;
the content type it lists; the headers it lists (API-Version); a body that matches the listed
schema (problem details for errors). The number of requests is printed (``-s``).
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.support.environment import BACKEND

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10" if BACKEND == "sqlite" else "25"))


def _roles(world) -> dict:
    meer = world.meer
    return {
        "employee": meer.ermelo.emp,
        "line_manager": meer.ermelo.lead,
        "hr": meer.ermelo.hr,
        "coordinator": meer.coordinator,
    }


@pytest.mark.sqlite
def test_generated_requests_match_the_document(app, world, api_token):
    """0 server errors, 0 statuses / content types / headers / bodies the document does not
    list, for every operation and every role."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = {role: api_token(user) for role, user in _roles(world).items()}
    sent: Counter = Counter()
    statuses: Counter = Counter()
    failures: list[str] = []
    errors: list[str] = []

    for result in schema.get_all_operations():
        operation = result.ok()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def run(case):
            for role, auth in headers.items():
                response = case.call(headers=auth)
                sent[role] += 1
                statuses[response.status_code] += 1
                try:
                    case.validate_response(response, checks=CHECKS)
                except (Exception, BaseExceptionGroup) as exc:  # a failure (group)
                    failures.append(f"{case.operation.label} as {role}: {str(exc)[:600]}")
                    raise

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # every operation is tried
            errors.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:600]}")

    total = sum(sent.values())
    print(f"\nschemathesis: {total} requests ({dict(sent)}); statuses {dict(statuses)}")
    assert total >= EXAMPLES, (total, errors[:5])
    assert not failures, "\n\n".join(failures[:20])
    assert not errors, "\n\n".join(errors[:20])
