"""The API's filters that take an organisation or a person take a name as well as an id,
resolved as the ledger import and the search resolve names; a name that matches nothing
or several is a 400 that lists the nearest names, in the caller's language."""

import pytest

from diaodu.factories import (
    ActionItemFactory,
    AgreementFactory,
    CommitmentFactory,
    DepartmentFactory,
    LeaderFactory,
    ProblemFactory,
    TownshipFactory,
)
from diaodu.notifications.choices import ChannelKind
from diaodu.notifications.models import Channel
from diaodu.test import api_for

# (list, filter, the name as an office writes it, the persona the name means)
BY_NAME = [
    ("/api/projects/", "lead_department", "资规局", "department_a"),
    ("/api/projects/", "lead_department", "區審批局", "department_b"),
    ("/api/projects/", "lead_department", "区行政审批服务局", "department_b"),
    ("/api/projects/", "responsible_leader", "区党工委书记", "secretary"),
    ("/api/projects/", "township", "城东街道", "township"),
    ("/api/problems/", "department", "县资规局", "department_a"),
    ("/api/problems/", "lead_department", "區資規局", "department_a"),
    ("/api/problems/", "project_lead_department", "区审批局", "department_b"),
    ("/api/action-items/", "department", "资规局", "department_a"),
    ("/api/agreements/", "department", "资规局", "department_a"),
    ("/api/commitments/", "department", "区自然资源和规划局", "department_a"),
    ("/api/people/", "organisation", "资规局", "department_a"),
]


@pytest.fixture
def named(world):
    w = world
    w.township = TownshipFactory(name="城东街道办事处", short_name="城东街道")
    w.secretary = LeaderFactory(display_name="王建国", title="党工委书记")
    w.project_x.responsible_leader = w.secretary
    w.project_x.township = w.township
    w.project_x.save(update_fields=["responsible_leader", "township"])
    for project, department in ((w.project_x, w.department_a), (w.project_y, w.department_b)):
        problem = ProblemFactory(project=project, lead_department=department, raised_by=w.owner_x)
        ActionItemFactory(project=project, lead_department=department, assigned_by=w.coordinator)
        CommitmentFactory(agreement=AgreementFactory(project=project), department=department)
        assert problem.lead_department == department
    return w


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content.decode()[:300]
    return response.json()["results"]


@pytest.mark.parametrize(("url", "name", "written", "means"), BY_NAME)
def test_a_name_filters_as_the_id_does(named, url, name, written, means):
    api = api_for(named.coordinator)
    target = getattr(named, means)

    by_id = rows(api.get(url, {name: target.pk}))
    by_name = rows(api.get(url, {name: written}))

    assert by_id  # the filter keeps something, so the comparison says something
    assert [row["id"] for row in by_name] == [row["id"] for row in by_id]


def test_a_name_matching_nothing_lists_the_nearest_in_the_caller_s_language(named):
    response = api_for(named.coordinator).get(
        "/api/projects/", {"lead_department": "区资源规划局"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json()["lead_department"] == [
        "No organisation is called “区资源规划局”. Nearest: 自然资源和规划局."
    ]


def test_a_name_matching_several_says_which_it_may_mean(named):
    DepartmentFactory(name="自然资源和规划分局", short_name="资规分局", aliases="区资规局")

    response = api_for(named.coordinator).get(
        "/api/problems/", {"department": "资规局"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    [message] = response.json()["department"]
    assert message.startswith("“资规局” matches more than one (")
    assert message.endswith("); write the full name.")
    assert "自然资源和规划局" in message
    assert "自然资源和规划分局" in message


def test_a_title_several_people_hold_is_not_a_person(named):
    LeaderFactory(display_name="赵建华", title="党工委书记")

    response = api_for(named.coordinator).get(
        "/api/projects/", {"responsible_leader": "党工委书记"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert "王建国" in response.json()["responsible_leader"][0]
    assert "赵建华" in response.json()["responsible_leader"][0]


def test_an_unknown_id_is_refused_as_before(named):
    response = api_for(named.coordinator).get(
        "/api/projects/", {"lead_department": 999999}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json()["lead_department"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]


def test_a_name_never_suggests_what_the_caller_may_not_see(named):
    # Owner X sees enterprise Y nowhere: not as a match, not as the nearest name.
    response = api_for(named.owner_x).get(
        "/api/people/", {"organisation": "华材新材料"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response.json()["organisation"] == ["No organisation is called “华材新材料”."]
    # The office sees it, so it is the office's nearest name.
    response = api_for(named.coordinator).get(
        "/api/people/", {"organisation": "华材新材料"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json() == {"organisation": [
        "No organisation is called “华材新材料”. Nearest: 华材新材料股份有限公司."
    ]}  # fmt: skip


def test_chat_robots_are_filtered_by_their_organisation_s_name(world):
    for organisation in (world.department_a, world.department_b):
        Channel.objects.create(
            organisation=organisation,
            kind=ChannelKind.WEBHOOK,
            name=f"{organisation}工作群",
            url="https://hooks.example.com/a",
        )
    api = api_for(world.admin)

    found = rows(api.get("/api/channels/", {"organisation": "區審批局"}))

    assert [row["name"] for row in found] == ["区审批局工作群"]
