"""The search finds organisations and people by the names an office writes, through the
same resolver as the ledger import and the drafting of meetings: other names, with or
without the district's 区/县/市, in Traditional, and a title only one person holds."""

import pytest

from diaodu.factories import DepartmentFactory, LeaderFactory
from diaodu.search.tests.helpers import api_groups, page_groups


@pytest.fixture
def named(world):
    world.science = DepartmentFactory(
        name="科技和经济发展局", short_name="区科经局", aliases="科技局"
    )
    world.secretary = LeaderFactory(display_name="王建国", title="党工委书记")
    world.deputy = LeaderFactory(display_name="陈副书记", title="党工委副书记")
    return world


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("资规局", "自然资源和规划局"),  # the short name without 区
        ("区资规局", "自然资源和规划局"),
        ("县资规局", "自然资源和规划局"),  # a county's office writes 县
        ("區資規局", "自然资源和规划局"),  # Traditional
        ("区行政审批服务局", "行政审批服务局"),  # the full name with 区, which no name holds
        ("市行政審批服務局", "行政审批服务局"),
        ("区科技局", "科技和经济发展局"),  # another name, with 区
    ],
)
def test_an_organisation_is_found_by_the_name_an_office_writes(named, query, found):
    for groups in (page_groups(named.coordinator, query), api_groups(named.coordinator, query)):
        assert groups["organisation"][0] == found


@pytest.mark.parametrize("query", ["区党工委书记", "党工委书记", "區黨工委書記"])
def test_a_title_only_one_person_holds_finds_that_person_first(named, query):
    for groups in (page_groups(named.coordinator, query), api_groups(named.coordinator, query)):
        assert groups["person"][0] == "王建国"
        assert "陈副书记" not in groups["person"]  # 党工委副书记 is another title


def test_a_title_two_people_hold_finds_both(named):
    LeaderFactory(display_name="赵建华", title="党工委书记")

    assert sorted(page_groups(named.coordinator, "区党工委书记")["person"]) == [
        "王建国",
        "赵建华",
    ]


def test_a_name_found_by_the_resolver_is_still_only_what_the_user_may_see(named):
    # An owner sees no other enterprise; the resolver looks only among what it may see.
    assert "绿源水务科技有限公司" in page_groups(named.owner_x, "綠源水務").get("organisation", [])
    assert "华材新材料股份有限公司" not in page_groups(named.owner_x, "华材新材").get(
        "organisation", []
    )
