"""Organisations: who sees which, and searching them by any name."""

from diaodu.factories import EnterpriseFactory
from diaodu.lib.chinese import normalise_query
from diaodu.org.access import can_manage_organisations, visible_organisations
from diaodu.org.models import Organisation


def test_owners_see_every_public_body_and_only_their_own_enterprise(world):
    EnterpriseFactory(name="无关企业有限公司")

    seen = set(visible_organisations(world.owner_x))

    assert world.enterprise_x in seen
    assert world.enterprise_y not in seen
    assert {world.office, world.leadership, world.department_a, world.department_b} <= seen
    assert not any(o.name == "无关企业有限公司" for o in seen)


def test_department_staff_see_the_enterprises_whose_projects_they_work_on(world):
    assert world.enterprise_x in visible_organisations(world.staff_a)
    assert world.enterprise_y not in visible_organisations(world.staff_a)


def test_the_office_and_leaders_see_every_enterprise(world):
    for person in (world.coordinator, world.leader, world.admin):
        assert set(visible_organisations(person)) == set(Organisation.objects.all())


def test_a_deactivated_person_sees_no_organisation(world):
    world.owner_x.is_active = False

    assert not visible_organisations(world.owner_x).exists()


def test_only_administrators_manage_organisations(world):
    assert can_manage_organisations(world.admin)
    assert not can_manage_organisations(world.coordinator)


def test_an_organisation_is_found_by_full_name_short_name_or_initials(world):
    for query in ("自然资源", "区资规局", "區資規局", "qzgj", "zrzyhghj"):
        found = Organisation.objects.filter(search_key__icontains=normalise_query(query))
        assert list(found) == [world.department_a], query


def test_renaming_with_update_fields_refreshes_the_search_key(world):
    world.department_b.short_name = "区政务办"
    world.department_b.save(update_fields=["short_name"])

    assert Organisation.objects.filter(search_key__icontains="qzwb").get() == world.department_b
