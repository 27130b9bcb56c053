"""Every list takes the same ``q`` as the search box, matched the same way; a query too
long for it is refused with a message (a 400 from the API), never an error page."""

import pytest
from django.urls import reverse

from diaodu.search.tests.test_bad_input import TOO_LONG
from diaodu.test import api_for, client_for


def page_titles(response, key, attribute):
    assert response.status_code == 200
    return sorted(getattr(row, attribute) for row in response.context[key])


def test_the_project_list_finds_traditional_and_pinyin(found):
    client = client_for(found.coordinator)

    for query in ("水務產業", "swcyy"):
        response = client.get(reverse("projects:project_list"), {"q": query})
        assert page_titles(response, "page", "name") == [
            "水务产业园",
            "水務產業園二期",
            "滨江水务产业园配套",
        ]


def test_the_supervision_lists_find_problems_and_action_items(found):
    client = client_for(found.coordinator)
    url = reverse("problems:supervision")

    problems = client.get(url, {"tab": "problems", "q": "用地"})
    actions = client.get(url, {"tab": "actions", "q": "環評"})

    assert page_titles(problems, "page", "title") == ["用地指标不足"]
    assert page_titles(actions, "page", "title") == ["加快环评批复"]


def test_the_desk_finds_within_its_own_work(found):
    client = client_for(found.staff_a)

    matching = client.get(reverse("problems:desk"), {"q": "ydzb"})
    other = client.get(reverse("problems:desk"), {"q": "环评"})

    assert page_titles(matching, "problems", "title") == ["用地指标不足"]
    assert page_titles(matching, "actions", "title") == ["协调落实二期用地指标"]
    assert page_titles(other, "problems", "title") == []
    assert page_titles(other, "actions", "title") == []


def test_the_desk_keeps_the_search_when_paging(found):
    response = client_for(found.coordinator).get(
        reverse("problems:desk"), {"organisation": found.department_a.pk, "q": "用地"}
    )

    assert response.context["query"] == f"organisation={found.department_a.pk}&q=%E7%94%A8%E5%9C%B0"


def test_the_meeting_list_finds_by_title_and_place(found):
    client = client_for(found.coordinator)

    by_title = client.get(reverse("meetings:meeting_list"), {"q": "新材料"})
    by_place = client.get(reverse("meetings:meeting_list"), {"q": "滨江片区"})

    assert page_titles(by_title, "meetings", "title") == ["新材料产业基地专题调度会议"]
    assert page_titles(by_place, "meetings", "title") == ["水务产业园专题调度会议"]


def test_the_meeting_list_finds_only_what_the_user_may_see(found):
    response = client_for(found.owner_x).get(reverse("meetings:meeting_list"), {"q": "专题调度"})

    assert page_titles(response, "meetings", "title") == ["水务产业园专题调度会议"]


@pytest.mark.parametrize(
    ("endpoint", "query", "field", "expected"),
    [
        (
            "api:project-list",
            "shuiwu",
            "name",
            ["水务产业园", "水務產業園二期", "滨江水务产业园配套"],
        ),
        ("api:problem-list", "用地", "title", ["用地指标不足"]),
        ("api:actionitem-list", "環評", "title", ["加快环评批复"]),
        ("api:meeting-list", "xcl", "title", ["新材料产业基地专题调度会议"]),
        ("api:organisation-list", "政务服务", "name", ["行政审批服务局"]),
        ("api:organisation-list", "资规局", "name", ["自然资源和规划局"]),
        ("api:person-list", "kezhang", "display_name", ["资规局小王"]),
        ("api:person-list", "_a", "display_name", ["资规局小王"]),
    ],
)
def test_every_api_list_takes_the_search(found, endpoint, query, field, expected):
    response = api_for(found.coordinator).get(reverse(endpoint), {"q": query})

    assert response.status_code == 200
    assert sorted(row[field] for row in response.json()["results"]) == expected


@pytest.mark.parametrize(
    "endpoint",
    [
        "api:project-list",
        "api:problem-list",
        "api:actionitem-list",
        "api:meeting-list",
        "api:organisation-list",
        "api:person-list",
    ],
)
def test_every_api_list_refuses_a_too_long_search(found, endpoint):
    response = api_for(found.coordinator).get(reverse(endpoint), {"q": TOO_LONG})

    assert response.status_code == 400
    assert "q" in response.json()


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("projects:project_list", {}),
        ("problems:supervision", {"tab": "problems"}),
        ("problems:supervision", {"tab": "actions"}),
        ("problems:desk", {}),
        ("meetings:meeting_list", {}),
    ],
)
def test_every_list_page_says_a_search_is_too_long(found, url, params):
    response = client_for(found.coordinator if url != "problems:desk" else found.staff_a).get(
        reverse(url), {**params, "q": TOO_LONG}
    )

    assert response.status_code == 200
    assert "500" in response.content.decode()  # "… at most 200 characters (it has 500)"
