"""People: roles, organisations, and who may enter the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from diaodu.accounts.access import visible_people
from diaodu.accounts.choices import Role
from diaodu.accounts.models import User
from diaodu.factories import DepartmentFactory, EnterpriseFactory, UserFactory
from diaodu.test import client_for


def test_an_owner_must_belong_to_an_enterprise(db):
    owner = UserFactory.build(role=Role.OWNER, organisation=DepartmentFactory())

    with pytest.raises(ValidationError) as refused:
        owner.full_clean()

    assert "organisation" in refused.value.message_dict


@pytest.mark.parametrize("role", [Role.OWNER, Role.DEPARTMENT])
def test_department_staff_and_owners_need_an_organisation(db, role):
    with pytest.raises(ValidationError) as refused:
        UserFactory.build(role=role, organisation=None).full_clean()

    assert "organisation" in refused.value.message_dict


def test_an_owner_of_an_enterprise_is_valid(db):
    UserFactory.build(role=Role.OWNER, organisation=EnterpriseFactory()).full_clean(
        exclude=["password"]
    )


@pytest.mark.parametrize(
    ("role", "admin_flags"),
    [(Role.ADMIN, True), (Role.COORDINATOR, False), (Role.LEADER, False), (Role.OWNER, False)],
)
def test_only_administrators_get_djangos_staff_and_superuser_flags(db, role, admin_flags):
    person = UserFactory(
        role=role,
        organisation=EnterpriseFactory() if role == Role.OWNER else None,
        is_staff=True,
        is_superuser=role == Role.ADMIN,
    )

    person.refresh_from_db()
    assert (person.is_staff, person.is_superuser) == (admin_flags, admin_flags)


def test_a_superuser_made_on_the_command_line_is_an_administrator(db):
    person = User.objects.create_superuser("root", "root@example.com", None, display_name="根")

    assert person.role == Role.ADMIN
    assert person.is_admin
    assert person.sees_everything


def test_an_administrator_can_be_given_another_role(db):
    person = UserFactory(role=Role.ADMIN)

    person.role = Role.LEADER
    person.save(update_fields=["role"])

    person.refresh_from_db()
    assert person.role == Role.LEADER
    assert (person.is_staff, person.is_superuser) == (False, False)


def test_an_administrator_is_given_another_role_in_the_admin(world):
    url = reverse("admin:accounts_user_change", args=[world.coordinator.pk])
    world.coordinator.role = Role.ADMIN
    world.coordinator.save(update_fields=["role"])

    response = client_for(world.admin).post(
        url,
        {
            "username": "coordinator",
            "display_name": "周协调",
            "title": "",
            "organisation": world.office.pk,
            "role": Role.LEADER,
            "email": "",
            "phone": "",
            "is_active": "on",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    world.coordinator.refresh_from_db()
    assert world.coordinator.role == Role.LEADER
    assert not world.coordinator.is_superuser


def test_a_leader_cannot_enter_the_admin_even_with_the_staff_flag_forced(world):
    User.objects.filter(pk=world.leader.pk).update(is_staff=True)

    response = client_for(world.leader).get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_people_of_invisible_enterprises_are_invisible(world):
    assert set(visible_people(world.owner_x)) >= {world.owner_x, world.coordinator, world.staff_b}
    assert world.owner_y not in visible_people(world.owner_x)
    assert world.owner_x not in visible_people(world.staff_b)


def test_deactivated_people_are_not_listed(world):
    world.staff_a.is_active = False
    world.staff_a.save(update_fields=["is_active"])

    assert world.staff_a not in visible_people(world.coordinator)
