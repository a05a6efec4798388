"""One way for a page to run an operation (app.web.submit): commit on success; on a refusal roll
back (nothing half-done is saved) and show why on the form; a 403/404 goes on to the error page."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from wtforms import Form, StringField

from app.errors import Conflict, FieldErrors, NotFound
from app.extensions import db
from app.web.submit import CHANGED_MEANWHILE, submit
from tenants.context import use_arrangement
from tenants.models import Department


class NameForm(Form):
    name = StringField()


def _departments(org_id: int) -> int:
    return db.session.scalar(
        select(func.count(Department.id)).where(Department.organisation_id == org_id)
    )


@pytest.fixture
def org(app, world):
    with app.test_request_context("/"), use_arrangement(world.meer.arrangement.id):
        yield world.meer.ermelo.org


def _add_then(org_id: int, slug: str, error: Exception | None = None) -> Department:
    """An operation that writes a row and then (maybe) refuses."""
    department = Department(organisation_id=org_id, slug=slug, name=slug.title())
    db.session.add(department)
    db.session.flush()
    if error is not None:
        raise error
    return department


def test_success_commits(org):
    before = _departments(org.id)
    department, failed = submit(_add_then, org.id, "nieuw")
    assert failed is None
    assert department.id is not None
    db.session.rollback()  # what was committed stays
    assert _departments(org.id) == before + 1


def test_bad_input_rolls_back_and_lands_on_the_field(org):
    before = _departments(org.id)
    form = NameForm()
    error = FieldErrors({"title": ["Vul een naam in."]})
    result, failed = submit(_add_then, org.id, "half", error, form=form, names={"title": "name"})
    assert (result, failed) == (None, 400)
    assert form.name.errors == ["Vul een naam in."]
    assert _departments(org.id) == before  # the row written before the refusal is gone


def test_a_conflict_without_a_field_goes_above_the_form(org):
    form = NameForm()
    result, failed = submit(
        _add_then, org.id, "bezet", Conflict("Deze naam is al in gebruik."), form=form
    )
    assert (result, failed) == (None, 409)
    assert form.form_errors == ["Deze naam is al in gebruik."]
    assert not form.name.errors


def test_not_found_is_not_caught_so_the_error_page_answers(org):
    before = _departments(org.id)
    with pytest.raises(NotFound):
        submit(_add_then, org.id, "geheim", NotFound(), form=NameForm())
    db.session.rollback()
    assert _departments(org.id) == before


def test_a_row_that_appeared_meanwhile_is_a_409_with_a_message_not_a_500(org, caplog):
    before = _departments(org.id)
    form = NameForm()
    # "team" exists in this organisation already: the unique (organisation, slug) refuses it.
    with caplog.at_level("WARNING", logger="app.web.submit"):
        result, failed = submit(_add_then, org.id, "team", form=form)
    assert (result, failed) == (None, 409)
    assert form.form_errors == [str(CHANGED_MEANWHILE)]
    assert _departments(org.id) == before
    # The log names the refusal (on PostgreSQL its constraint), never the row's values.
    [line] = [r.getMessage() for r in caplog.records if r.name == "app.web.submit"]
    assert line.startswith("submit: IntegrityError answered 409 (constraint ")
    assert "team" not in line
