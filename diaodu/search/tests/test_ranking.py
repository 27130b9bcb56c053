"""Results come best first: a whole name, then names starting with the query, then the
rest; each kind a few at a time with a link to all of them."""

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from diaodu.factories import ProjectFactory
from diaodu.search import services
from diaodu.search.tests.helpers import api_groups, page_groups
from diaodu.test import api_for, client_for


def make_parks(found):
    """Three projects whose codes run opposite to how well they match 智慧园."""
    for code, name in [
        ("2026-201", "东区智慧园"),
        ("2026-202", "智慧园区配套"),
        ("2026-203", "智慧园"),
    ]:
        ProjectFactory(code=code, name=name, owner=found.enterprise_x)


def test_a_whole_name_comes_first_then_a_name_starting_with_it_then_the_rest(found):
    make_parks(found)

    assert page_groups(found.coordinator, "智慧园")["project"] == [
        "智慧园",
        "智慧园区配套",
        "东区智慧园",
    ]


def test_ranking_holds_for_traditional_and_pinyin_queries(found):
    make_parks(found)

    assert page_groups(found.coordinator, "智慧園")["project"][0] == "智慧园"
    assert page_groups(found.coordinator, "zhy")["project"][:2] == ["智慧园", "智慧园区配套"]
    assert page_groups(found.coordinator, "zhihuiyuan")["project"][0] == "智慧园"


def test_a_whole_short_name_or_alias_counts_as_a_whole_name(found):
    assert page_groups(found.coordinator, "审批局")["organisation"][0] == "行政审批服务局"
    assert page_groups(found.coordinator, "区资规局")["organisation"][0] == "自然资源和规划局"


def test_each_kind_shows_a_few_and_links_to_the_list_with_the_same_search(found):
    for n in range(services.GROUP_LIMIT + 1):
        ProjectFactory(code=f"2026-3{n:02}", name=f"智慧园{n}号", owner=found.enterprise_x)

    response = client_for(found.coordinator).get(reverse("search:search"), {"q": "智慧園"})

    [group] = response.context["groups"]
    assert (group.count, len(group.hits)) == (services.GROUP_LIMIT + 1, services.GROUP_LIMIT)
    url = urlsplit(group.more_url)
    assert url.path == reverse("projects:project_list")
    assert parse_qs(url.query) == {"q": ["智慧園"]}
    assert group.more_url in response.content.decode().replace("&amp;", "&")
    listed = client_for(found.coordinator).get(group.more_url)
    assert listed.context["page"].paginator.count == group.count


def test_one_kind_is_listed_a_page_at_a_time(found):
    for n in range(services.PAGE_SIZE + 2):
        ProjectFactory(code=f"2026-4{n:02}", name=f"物流园{n}号", owner=found.enterprise_x)
    params = {"q": "物流园", "kind": "project"}

    first = client_for(found.coordinator).get(reverse("search:search"), params)
    second = client_for(found.coordinator).get(reverse("search:search"), {**params, "page": 2})

    assert first.context["page"].paginator.count == services.PAGE_SIZE + 2
    assert len(first.context["groups"][0].hits) == services.PAGE_SIZE
    assert [h.title for h in second.context["groups"][0].hits] == ["物流园30号", "物流园31号"]
    assert page_groups(found.coordinator, "物流园", kind="project", page=2) == api_groups(
        found.coordinator, "物流园", kind="project", page=2
    )


def test_the_api_links_to_more_results_and_to_the_next_page(found):
    for n in range(services.PAGE_SIZE + 2):
        ProjectFactory(code=f"2026-4{n:02}", name=f"物流园{n}号", owner=found.enterprise_x)
    api = api_for(found.coordinator)

    overview = api.get(reverse("api:search"), {"q": "物流园"}).json()
    [group] = overview["groups"]
    assert (group["count"], len(group["results"])) == (services.PAGE_SIZE + 2, 5)
    first = api.get(group["next"]).json()["groups"][0]
    assert len(first["results"]) == services.PAGE_SIZE
    second = api.get(first["next"]).json()["groups"][0]
    assert [hit["title"] for hit in second["results"]] == ["物流园30号", "物流园31号"]
    assert second["next"] is None


def test_a_result_links_to_its_page(found):
    response = api_for(found.coordinator).get(reverse("api:search"), {"q": "用地指标不足"})

    groups = {group["kind"]: group for group in response.json()["groups"]}
    [problem] = groups["problem"]["results"]
    assert problem == {
        "kind": "problem",
        "id": found.problem_x.pk,
        "title": "用地指标不足",
        "detail": "水务产业园 · " + found.problem_x.get_status_display(),
        "url": found.problem_x.get_absolute_url(),
    }
