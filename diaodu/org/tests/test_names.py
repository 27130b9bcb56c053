"""The one name resolver: organisations and people as an office writes them."""

import pytest
from django.utils import translation

from diaodu.accounts.models import User
from diaodu.factories import DepartmentFactory, LeaderFactory
from diaodu.org import names
from diaodu.org.models import Organisation


@pytest.fixture
def departments(db):
    return {
        "资规": DepartmentFactory(name="自然资源和规划局", short_name="区资规局"),
        "科经": DepartmentFactory(
            name="科技和经济发展局", short_name="区科经局", aliases="经发局、科技局"
        ),
        "审批": DepartmentFactory(name="行政审批服务局", short_name="区审批局"),
    }


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("区资规局", "资规"),
        ("资规局", "资规"),  # the district understood
        ("自然资源和规划局", "资规"),
        ("区自然资源和规划局", "资规"),
        ("區資規局", "资规"),  # Traditional
        ("  区资规局（牵头） ", "资规"),  # a remark in parentheses
        ("经发局", "科经"),  # another name
        ("区经发局", "科经"),
        ("行政审批服务局", "审批"),
    ],
)
def test_an_organisation_is_found_by_any_of_its_names(departments, written, key):
    assert names.organisations(Organisation.objects.all()).find(written) == departments[key]


def test_several_organisations_in_one_cell_keep_their_order(departments):
    found = names.organisations(Organisation.objects.all()).find_each("区科经局、区资规局，审批局")

    assert found == [departments["科经"], departments["资规"], departments["审批"]]
    assert names.split_names("区资规局 区科经局;区审批局") == ["区资规局", "区科经局", "区审批局"]


def test_an_unknown_name_lists_the_nearest(departments):
    with pytest.raises(names.NotFound) as caught:
        names.organisations(Organisation.objects.all()).find("区资源规划局")

    assert not caught.value.ambiguous
    assert caught.value.candidates[0] == "自然资源和规划局"
    with translation.override("zh-hans"):
        text = names.message(caught.value, "“%(value)s”不是已知单位。")
    assert text.startswith("“区资源规划局”不是已知单位。")
    assert "自然资源和规划局" in text


def test_a_name_two_organisations_share_lists_both(departments):
    other = DepartmentFactory(name="区资规局", short_name="资规")

    with pytest.raises(names.NotFound) as caught:
        names.organisations(Organisation.objects.all()).find("区资规局")

    assert caught.value.ambiguous
    assert set(caught.value.candidates) == {"自然资源和规划局", other.name}


def test_a_person_by_name_or_by_a_title_only_they_hold(db):
    secretary = LeaderFactory(display_name="王建国", title="党工委书记")
    deputy = LeaderFactory(display_name="李明", title="管委会副主任")
    LeaderFactory(display_name="赵刚", title="管委会副主任")
    people = names.people(User.objects.all())

    assert people.find("王建国") == secretary
    assert people.find("區黨工委書記") == secretary  # with the district, in Traditional
    assert people.find("王书记") == secretary
    assert people.find("管委会副主任李明") == deputy
    with pytest.raises(names.NotFound) as caught:
        people.find("管委会副主任")  # two people hold it
    assert caught.value.ambiguous


def test_a_form_of_a_name_found_in_too_many_rows_names_no_one(world, monkeypatch):
    DepartmentFactory(name="行政审批服务局东区窗口")
    departments = Organisation.objects.departments()
    assert names.named(departments, "区行政审批服务局") == [world.department_b]

    # Both keys hold 行政审批服务局: more rows than the limit, so none is read.
    monkeypatch.setattr(names, "NAMED_LIMIT", 1)
    assert names.named(departments, "区行政审批服务局") == []
