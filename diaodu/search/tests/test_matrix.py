"""The search matrix: what each way of writing a name finds, and who finds what.

Every row is checked through the page and through the API, which must agree."""

import pytest

from diaodu.search.choices import SearchKind
from diaodu.search.tests.helpers import api_groups, page_groups
from diaodu.test import ROLES

P, ORG, PERSON, PROBLEM, ACTION, MEETING = (
    SearchKind.PROJECT,
    SearchKind.ORGANISATION,
    SearchKind.PERSON,
    SearchKind.PROBLEM,
    SearchKind.ACTION_ITEM,
    SearchKind.MEETING,
)

# (query, kind, a title it must find): what the writing finds, as the office sees it.
MATCHES = {
    "Simplified finds a name stored in Traditional": ("水务", P, "水務產業園二期"),
    "Traditional finds a name stored in Simplified": ("水務產業", P, "水务产业园"),
    "Traditional finds a Simplified short name": ("項目協調", ORG, "重点项目协调办公室"),
    "pinyin initials find a name": ("swcyy", P, "水务产业园"),
    "upper-case initials find a name": ("SWCYY", P, "水务产业园"),
    "full pinyin finds a name": ("shuiwu", P, "水务产业园"),
    "pinyin typed with spaces finds a name": ("shui wu chan", P, "水务产业园"),
    "initials find a Traditional name": ("swcyyeq", P, "水務產業園二期"),
    "a project code finds its project": ("2026-001", P, "水务产业园"),
    "a short name finds its organisation": ("资规局", ORG, "自然资源和规划局"),
    "the short name's initials find it": ("zgj", ORG, "自然资源和规划局"),
    "an alias finds its organisation": ("政务服务中心", ORG, "行政审批服务局"),
    "an alias in Traditional finds it": ("政務服務", ORG, "行政审批服务局"),
    "an alias's initials find it": ("zwfwzx", ORG, "行政审批服务局"),
    "a person's name finds them": ("周协调", PERSON, "周协调"),
    "a person's name in pinyin finds them": ("zhouxietiao", PERSON, "周协调"),
    "a person's job title finds them": ("科长", PERSON, "资规局小王"),
    "a person's user name finds them": ("staff_a", PERSON, "资规局小王"),
    "a problem's title finds it": ("用地指标", PROBLEM, "用地指标不足"),
    "a problem's initials find it": ("ydzb", PROBLEM, "用地指标不足"),
    "an action item's title finds it": ("环评批复", ACTION, "加快环评批复"),
    "an action item's title in Traditional finds it": ("環評批復", ACTION, "加快环评批复"),
    "a meeting's title finds it": ("专题调度", MEETING, "水务产业园专题调度会议"),
    "a meeting's place finds it": ("滨江片区", MEETING, "水务产业园专题调度会议"),
}


@pytest.mark.parametrize(("query", "kind", "title"), MATCHES.values(), ids=MATCHES.keys())
def test_each_way_of_writing_finds_the_name(found, query, kind, title):
    on_page = page_groups(found.coordinator, query)

    assert title in on_page.get(kind, []), on_page
    assert api_groups(found.coordinator, query) == on_page


def test_a_query_finds_nothing_it_does_not_contain(found):
    assert page_groups(found.coordinator, "水务产业园区") == {}


# (query, kind, title) and, per role in ROLES order, whether that role finds it.
VISIBILITY = {
    "project X": (("水务产业园", P, "水务产业园"), (1, 1, 1, 1, 0, 1, 0)),
    "project Y": (("新材料", P, "新材料产业基地"), (1, 1, 1, 0, 1, 0, 1)),
    "problem X": (("用地指标", PROBLEM, "用地指标不足"), (1, 1, 1, 1, 0, 1, 0)),
    "problem Y": (("环评", PROBLEM, "环评批复滞后"), (1, 1, 1, 0, 1, 0, 1)),
    "action item X": (("二期用地", ACTION, "协调落实二期用地指标"), (1, 1, 1, 1, 0, 1, 0)),
    "action item Y": (("加快环评", ACTION, "加快环评批复"), (1, 1, 1, 0, 1, 0, 1)),
    "meeting X": (("水务产业园专题", MEETING, "水务产业园专题调度会议"), (1, 1, 1, 1, 0, 1, 0)),
    "meeting Y": (("xcl", MEETING, "新材料产业基地专题调度会议"), (1, 1, 1, 0, 1, 0, 1)),
    "enterprise Y": (("华材", ORG, "华材新材料股份有限公司"), (1, 1, 1, 0, 1, 0, 1)),
    "owner Y": (("华材刘经理", PERSON, "华材刘经理"), (1, 1, 1, 0, 1, 0, 1)),
    "department A": (("资规局", ORG, "自然资源和规划局"), (1, 1, 1, 1, 1, 1, 1)),
    "staff of department B": (("审批局小赵", PERSON, "审批局小赵"), (1, 1, 1, 1, 1, 1, 1)),
}


@pytest.mark.parametrize(
    ("thing", "role", "finds"),
    [
        pytest.param(thing, role, bool(cell), id=f"{role} - {thing} - {bool(cell)}")
        for thing, (_, row) in VISIBILITY.items()
        for role, cell in zip(ROLES, row, strict=True)
    ],
)
def test_people_find_only_what_they_may_see(found, thing, role, finds):
    (query, kind, title), _ = VISIBILITY[thing]
    user = getattr(found, role)

    on_page = page_groups(user, query)

    assert (title in on_page.get(kind, [])) is finds, on_page
    assert api_groups(user, query) == on_page


@pytest.mark.parametrize("query", ["新材料", "xcl", "环评", "華材", "刘经理", "2026-002"])
def test_owner_x_never_finds_anything_of_project_y(found, query):
    """Nothing about project Y, its owner, problems, action items or meetings, however
    it is asked for."""
    on_page = page_groups(found.owner_x, query)

    titles = {title for titles in on_page.values() for title in titles}
    assert titles.isdisjoint(
        {
            "新材料产业基地",
            "新材料产业基地专题调度会议",
            "环评批复滞后",
            "加快环评批复",
            "华材新材料股份有限公司",
            "华材刘经理",
        }
    ), on_page


def test_department_staff_find_only_their_scope_of_projects(found):
    """Staff of department A find department A's projects among all the zone's."""
    assert page_groups(found.staff_a, "2026")["project"] == [
        "水务产业园",
        "水務產業園二期",
        "滨江水务产业园配套",
    ]
    assert page_groups(found.staff_b, "2026")["project"] == ["新材料产业基地"]
