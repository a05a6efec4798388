"""HR manages its own organisation's staff: list and search, edit, roles, departments and line
managers."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from tenants.models import Department, DepartmentManager
from tests.ids import api_id, key_of, public_id


def test_hr_lists_and_searches_its_own_staff_only(client, world, login):
    """The list holds the own organisation's people; search finds by name, e-mail, department."""
    ermelo = world.meer.ermelo
    login(client, ermelo.hr)
    page = client.get("/medewerkers").get_data(as_text=True)
    for person in (ermelo.hr, ermelo.lead, ermelo.emp, ermelo.emp2, ermelo.emp_other):
        assert person.email in page
    assert world.meer.harderwijk.emp.email not in page
    assert world.elders.andere.emp.email not in page
    found = client.get("/medewerkers?q=Emp2").get_data(as_text=True)
    assert ermelo.emp2.email in found and ermelo.emp_other.email not in found
    by_mail = client.get("/medewerkers?q=empother@ermelo").get_data(as_text=True)
    assert ermelo.emp_other.email in by_mail and ermelo.emp.email not in by_mail
    by_department = client.get("/medewerkers?q=beleid").get_data(as_text=True)
    assert ermelo.emp_other.email in by_department and ermelo.emp2.email not in by_department
    other = public_id("department", ermelo.other.id)
    filtered = client.get(f"/medewerkers?department={other}").get_data(as_text=True)
    assert ermelo.lead_other.email in filtered and ermelo.emp.email not in filtered
    # A search for someone of another organisation finds nobody.
    assert "0 medewerkers gevonden" in client.get("/medewerkers?q=harderwijk").get_data(
        as_text=True
    )


def test_the_staff_pages_are_for_hr_only(client, world, login):
    """An employee or line manager gets 403 on the list and 403 on a colleague's page."""
    ermelo = world.meer.ermelo
    for person in (ermelo.emp, ermelo.lead):
        login(client, person)
        assert client.get("/medewerkers").status_code == 403
        assert client.get(f"/medewerkers/{public_id('user', ermelo.emp2.id)}").status_code == 403
        assert client.get("/afdelingen").status_code == 403
        assert client.get("/medewerkers/importeren").status_code == 403
        assert client.get("/organisatie/gegevens").status_code == 403


def test_hr_edits_a_record_and_the_hr_role(client, world, login, in_arrangement):
    """HR changes name, department, job title, number, hours and gives the HR role."""
    ermelo = world.meer.ermelo
    login(client, ermelo.hr)
    response = client.post(
        f"/medewerkers/{public_id('user', ermelo.emp.id)}",
        data={
            "name": "Emma de Vries",
            "department": public_id("department", ermelo.other.id),
            "job_title": "Adviseur",
            "personnel_number": "E-100",
            "contract_hours": "32",
            "is_hr": "y",
            "is_coordinator": "y",
            "organisation_id": world.meer.harderwijk.org.id,
        },
    )
    assert response.status_code == 302
    with in_arrangement(world.meer.arrangement) as s:
        user = s.get(User, ermelo.emp.id)
        assert (user.name, user.department_id, user.job_title) == (
            "Emma de Vries",
            ermelo.other.id,
            "Adviseur",
        )
        assert (user.personnel_number, user.contract_hours, user.is_hr) == ("E-100", 32, True)
        # Fields not in the form change nothing.
        assert user.is_coordinator is False and user.organisation_id == ermelo.org.id


def test_bad_input_on_a_record_is_a_400_and_saves_nothing(client, world, login, in_arrangement):
    """A department of another organisation, a taken number, silly hours: 400, nothing saved;
    HR cannot take its own HR role away."""
    ermelo = world.meer.ermelo
    login(client, ermelo.hr)
    with in_arrangement(world.meer.arrangement) as s:
        s.get(User, ermelo.emp2.id).personnel_number = "TAKEN"
        s.commit()
    base = {"name": "Nieuw", "job_title": "", "personnel_number": "", "contract_hours": ""}
    cases = [
        {**base, "department": world.meer.harderwijk.team.id},
        {**base, "personnel_number": "TAKEN"},
        {**base, "contract_hours": "99"},
        {**base, "contract_hours": "veel"},
        {**base, "name": ""},
    ]
    for data in cases:
        response = client.post(f"/medewerkers/{public_id('user', ermelo.emp.id)}", data=data)
        assert response.status_code == 400, data
    own = client.post(
        f"/medewerkers/{public_id('user', ermelo.hr.id)}", data={**base, "name": "Ik"}
    )
    assert own.status_code == 400
    assert "eigen P&amp;O-rol" in own.get_data(as_text=True)
    with in_arrangement(world.meer.arrangement) as s:
        assert s.get(User, ermelo.emp.id).name == ermelo.emp.name
        assert s.get(User, ermelo.hr.id).is_hr is True


def test_hr_creates_and_renames_departments_and_assigns_line_managers(
    client, world, login, in_arrangement
):
    """Departments are created and renamed (no two with one name); a line manager is added
    and removed, and only staff of the own organisation can be one."""
    ermelo = world.meer.ermelo
    login(client, ermelo.hr)
    created = client.post("/afdelingen", data={"name": "Team Dienstverlening"})
    assert created.status_code == 302
    with in_arrangement(world.meer.arrangement) as s:
        department = s.scalar(select(Department).where(Department.name == "Team Dienstverlening"))
        assert (
            department.organisation_id == ermelo.org.id
            and department.slug == "team-dienstverlening"
        )
        department_id = department.id
    assert client.post("/afdelingen", data={"name": "team dienstverlening"}).status_code == 400
    assert client.post("/afdelingen", data={"name": ""}).status_code == 400
    renamed = client.post(
        f"/afdelingen/{api_id('department', department_id)}", data={"name": "Team KCC"}
    )
    assert renamed.status_code == 302
    assert (
        client.post(
            f"/afdelingen/{api_id('department', department_id)}", data={"name": "Team Beleid"}
        ).status_code
        == 400
    )

    url = f"/afdelingen/{api_id('department', department_id)}/leidinggevenden"
    assert client.post(url, data={"user": public_id("user", ermelo.emp2.id)}).status_code == 302
    assert (
        client.post(url, data={"user": public_id("user", ermelo.emp2.id)}).status_code == 400
    )  # already
    assert (
        client.post(url, data={"user": public_id("user", world.meer.harderwijk.emp.id)}).status_code
        == 400
    )
    assert client.post(url, data={"user": "x"}).status_code == 400
    with in_arrangement(world.meer.arrangement) as s:
        managers = s.scalars(
            select(DepartmentManager.user_id).where(
                DepartmentManager.department_id == key_of("department", department_id)
            )
        ).all()
        assert managers == [ermelo.emp2.id]
        assert s.get(Department, key_of("department", department_id)).name == "Team KCC"
    page = client.get(f"/afdelingen/{api_id('department', department_id)}").get_data(as_text=True)
    assert ermelo.emp2.name in page
    removed = client.post(f"{url}/{public_id('user', ermelo.emp2.id)}/verwijderen")
    assert removed.status_code == 302
    assert client.post(f"{url}/{public_id('user', ermelo.emp2.id)}/verwijderen").status_code == 404
    with in_arrangement(world.meer.arrangement) as s:
        assert (
            s.scalar(
                select(DepartmentManager).where(
                    DepartmentManager.department_id == key_of("department", department_id)
                )
            )
            is None
        )


def test_html_in_names_is_shown_as_text(client, world, login):
    """A name with markup is escaped on the staff pages."""
    ermelo = world.meer.ermelo
    login(client, ermelo.hr)
    client.post(
        f"/medewerkers/{public_id('user', ermelo.emp.id)}",
        data={"name": "<script>alert(1)</script>", "department": 0},
    )
    page = client.get("/medewerkers").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
