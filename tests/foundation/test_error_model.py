"""The one error model (issue 9): operations raise a DomainError, one handler answers it.

An operation's refusal must read exactly as the ``abort()`` it replaced did: the same status, the
same problem details under /api (RFC 9457: title, detail, code, invalidParams) and the same error
page elsewhere, which shows the status only, so that a page reveals nothing the operation knows
(the privacy tests rely on a refusal for a line manager looking like absence).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask import abort as flask_abort
from flask_smorest import abort as api_abort
from wtforms import Form, StringField

from app import errors
from app.errors import (
    Conflict,
    DomainError,
    FieldErrors,
    Forbidden,
    InvalidInput,
    NotFound,
    StateError,
    put_on_form,
)
from tests.api_helpers import problem_fields

APP = Path(__file__).resolve().parents[2] / "app"

#: Modules that may still call abort(): the request's edge (views, the API, authentication, the
#: metrics endpoint). Everything else is an operation and raises a DomainError.
EDGE = ("views.py", "api.py")
EDGE_MODULES = {"accounts/auth.py", "metrics.py"}

#: (raised by the operation, what the code did before, the same in the API)
PAIRS = {
    "not_found": (lambda: NotFound(), lambda: flask_abort(404), lambda: api_abort(404)),
    "forbidden": (lambda: Forbidden(), lambda: flask_abort(403), lambda: api_abort(403)),
    "conflict": (
        lambda: Conflict("Deze klus staat niet meer open voor reacties."),
        lambda: flask_abort(409),
        lambda: api_abort(409, message="Deze klus staat niet meer open voor reacties."),
    ),
    "state": (
        lambda: StateError(),
        lambda: flask_abort(409),
        lambda: api_abort(409),
    ),
}


@pytest.fixture
def refusing_app(make_app, app):
    """Routes that refuse with a DomainError, and with the abort() each one replaces."""
    refusing = make_app(PROPAGATE_EXCEPTIONS=False)
    for name, (raised, web_abort, json_abort) in PAIRS.items():

        def raise_it(make=raised):
            raise make()

        refusing.add_url_rule(f"/_test/{name}/new", f"test_{name}_new", raise_it)
        refusing.add_url_rule(f"/_test/{name}/old", f"test_{name}_old", web_abort)
        refusing.add_url_rule(f"/api/v1/_test/{name}/new", f"test_api_{name}_new", raise_it)
        refusing.add_url_rule(f"/api/v1/_test/{name}/old", f"test_api_{name}_old", json_abort)

    def invalid():
        raise FieldErrors({"end_date": ["De einddatum ligt vóór de begindatum."]})

    refusing.add_url_rule("/api/v1/_test/invalid", "test_api_invalid", invalid)
    return refusing


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_a_refusal_reads_as_the_abort_it_replaced(refusing_app, name):
    """Same status, same page, same problem details (the page's links back and the problem's
    ``instance`` hold the path, which differs only because the two test routes do)."""
    client = refusing_app.test_client()
    new, old = client.get(f"/_test/{name}/new"), client.get(f"/_test/{name}/old")
    assert new.status_code == old.status_code
    page = new.get_data(as_text=True).replace(f"/_test/{name}/new", f"/_test/{name}/old")
    assert page == old.get_data(as_text=True)
    new, old = client.get(f"/api/v1/_test/{name}/new"), client.get(f"/api/v1/_test/{name}/old")
    assert new.status_code == old.status_code
    assert new.mimetype == old.mimetype == "application/problem+json"
    new_body, old_body = new.get_json(), old.get_json()
    assert new_body.pop("instance").endswith("/new") and old_body.pop("instance").endswith("/old")
    assert new_body == old_body
    assert new.headers.get("WWW-Authenticate") == old.headers.get("WWW-Authenticate")


def test_an_error_page_shows_the_status_only(refusing_app):
    """The message of a refusal is for the form or the API caller; the page shows none of it."""
    page = refusing_app.test_client().get("/_test/conflict/new").get_data(as_text=True)
    assert "niet meer open" not in page


def test_invalid_input_names_the_fields_in_camel_case(refusing_app):
    response = refusing_app.test_client().get("/api/v1/_test/invalid")
    assert response.status_code == 400
    body = response.get_json()
    assert body["detail"] == "Ongeldige invoer / invalid input"
    assert body["code"] == "invalid"
    assert problem_fields(response) == {"endDate": ["De einddatum ligt vóór de begindatum."]}


class TermsForm(Form):
    end_date = StringField()
    contact = StringField()


def test_put_on_form_places_each_fields_messages_next_to_it():
    form = TermsForm()
    form.validate()
    put_on_form(form, InvalidInput("Controleer de voorwaarden.", {"end_date": ["Te vroeg."]}))
    assert form.end_date.errors == ["Te vroeg."]
    assert form.form_errors == []


def test_put_on_form_maps_the_operations_names_to_the_forms():
    form = TermsForm()
    form.validate()
    put_on_form(form, FieldErrors({"contact_id": ["Kies een collega."]}), {"contact_id": "contact"})
    assert form.contact.errors == ["Kies een collega."]


def test_put_on_form_sums_up_what_no_field_can_show():
    """With a message: the message above the form when no field took a message. Without one:
    the messages of the fields the form lacks."""
    form = TermsForm()
    form.validate()
    put_on_form(form, InvalidInput("Kies de klus.", {"job_id": ["Verplicht."]}))
    assert form.form_errors == ["Kies de klus."]
    form = TermsForm()
    form.validate()
    put_on_form(form, FieldErrors({"end_date": ["Te vroeg."], "skills": ["Te veel."]}))
    assert form.end_date.errors == ["Te vroeg."]
    assert form.form_errors == ["Te veel."]
    form = TermsForm()
    put_on_form(form, Conflict("Deze versie wordt nog gemaakt."))
    assert form.form_errors == ["Deze versie wordt nog gemaakt."]


def test_one_conflict_class():
    """The three Conflict classes (matches, workspace, pool) are one."""
    from app.matches import operations as matches
    from app.pool.applications import operations as applications
    from app.workspace import operations as workspace

    assert matches.Conflict is workspace.Conflict is applications.Conflict is Conflict


def test_the_domains_errors_are_one_family():
    """Each domain's refusal is a DomainError with the status it has always had."""
    from app.accounts import operations as accounts
    from app.accounts.passwords import WeakPassword
    from app.pool.jobs.operations import JobInputError, JobStateError
    from app.pool.saved_searches import SavedSearchError
    from app.pool.schema_fields import FieldError
    from app.pool.skills import SkillError
    from app.workspace.import_csv import CsvError
    from app.workspace.logo import LogoError
    from app.workspace.operations import FieldErrors as WorkspaceFieldErrors
    from app.workspace.staff_import import StalePlan

    statuses = {
        JobInputError: 400,
        FieldError: 400,
        WorkspaceFieldErrors: 400,
        SavedSearchError: 400,
        SkillError: 400,
        CsvError: 400,
        LogoError: 400,
        WeakPassword: 400,
        accounts.InvalidDepartment: 400,
        accounts.InvalidCredentials: 401,
        accounts.PasswordLoginOff: 403,
        accounts.NotAllowed: 403,
        JobStateError: 409,
        StalePlan: 409,
        accounts.AlreadyStaff: 409,
        accounts.Throttled: 429,
    }
    for error, status in statuses.items():
        assert issubclass(error, DomainError), error
        assert error.status == status, error


def _abort_calls(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) == "abort"
    ]


def test_operations_raise_and_never_abort():
    """abort() belongs to the request's edge; an operation raises a DomainError, which also
    works outside a request (the worker, the CLI) and can be caught by a view for its form."""
    found = {}
    for path in sorted(APP.rglob("*.py")):
        relative = path.relative_to(APP).as_posix()
        if "migrations" in relative or relative in EDGE_MODULES or relative.endswith(EDGE):
            continue
        if lines := _abort_calls(path):
            found[relative] = lines
    assert found == {}


def test_the_handler_is_registered_once_for_the_family(refusing_app):
    assert DomainError in refusing_app.error_handler_spec[None][None]
    assert errors.DomainError is DomainError
