"""A project's cooperating departments (配合单位): kept beside its lead department, shown on
its page and by the API, and a reason for the department's staff to see the project."""

from django.urls import reverse

from diaodu.factories import DepartmentFactory, DepartmentStaffFactory
from diaodu.projects.access import visible_projects
from diaodu.test import api_for, client_for


def test_a_cooperating_department_sees_the_project(world):
    science = DepartmentFactory(name="科技和经济发展局", short_name="区科经局")
    clerk = DepartmentStaffFactory(organisation=science)
    assert world.project_y not in visible_projects(clerk)

    world.project_y.cooperating_departments.set([science])

    assert list(visible_projects(clerk)) == [world.project_y]


def test_the_page_and_the_api_show_the_cooperating_departments(world):
    world.project_x.cooperating_departments.set([world.department_b])

    page = client_for(world.coordinator).get(
        reverse("projects:project_detail", args=[world.project_x.pk])
    )
    body = api_for(world.coordinator).get(f"/api/projects/{world.project_x.pk}/").json()

    assert [str(o) for o in page.context["cooperating"]] == ["区审批局"]
    assert "行政审批服务局" in page.content.decode()
    assert body["cooperating_departments"] == [world.department_b.pk]


def test_the_api_sets_them_but_never_the_lead_among_them(world):
    x = world.project_x
    api = api_for(world.coordinator, language="en")

    refused = api.patch(
        f"/api/projects/{x.pk}/",
        {"cooperating_departments": [world.department_a.pk], "version": x.version},
        format="json",
    )
    accepted = api.patch(
        f"/api/projects/{x.pk}/",
        {"cooperating_departments": [world.department_b.pk], "version": x.version},
        format="json",
    )

    assert refused.status_code == 400
    assert refused.json()["cooperating_departments"] == [
        "The lead department cannot also be a cooperating department."
    ]
    assert accepted.status_code == 200, accepted.content
    assert list(x.cooperating_departments.all()) == [world.department_b]
