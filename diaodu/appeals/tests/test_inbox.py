"""The requests' inbox sources: a request appears for whoever must act on it, oldest
first, and leaves as soon as anyone entitled has done it; nobody else has the source."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from diaodu.appeals import services
from diaodu.appeals.inbox import INBOX_SOURCES
from diaodu.problems import services as problem_services
from diaodu.problems.choices import ProblemStatus
from diaodu.test import ROLES

SOURCES = {source.key: source for source in INBOX_SOURCES}
TO_TRIAGE, TO_RATE = SOURCES["appeals_to_triage"], SOURCES["appeals_to_rate"]


def waiting(source, user) -> list:
    return list(source.queryset(user))


@pytest.mark.parametrize(
    ("source", "entitled"),
    [(TO_TRIAGE, {"admin", "coordinator"}), (TO_RATE, {"owner_x", "owner_y"})],
    ids=["to triage", "to rate"],
)
def test_each_source_applies_only_to_those_who_act_on_it(world, source, entitled):
    assert {role for role in ROLES if source.applies_to(getattr(world, role))} == entitled


def test_the_office_sees_requests_to_triage_oldest_first_since_their_raising(world, clock):
    clock.advance(days=1)
    newer = services.raise_appeal(
        world.project_y,
        {"title": "新诉求", "description": "说明", "category": "other"},
        actor=world.owner_y,
    )

    rows = waiting(TO_TRIAGE, world.coordinator)

    assert rows == [world.appeal_x, world.appeal_y, newer]
    assert rows[0].waiting_since == world.appeal_x.raised_at
    assert rows[2].waiting_since == clock.now


@pytest.mark.parametrize("step", ["accept", "merge", "answer"])
def test_a_triaged_request_leaves_the_office_inbox_whoever_triaged_it(world, step):
    steps = {
        "accept": lambda: services.accept_appeal(
            world.appeal_x,
            {"lead_department": world.department_a, "due_date": world.today + timedelta(9)},
            actor=world.admin,
            version=1,
        ),
        "merge": lambda: services.merge_appeal(
            world.appeal_x, world.problem_x, actor=world.admin, version=1
        ),
        "answer": lambda: services.answer_appeal(
            world.appeal_x, "已答复", actor=world.admin, version=1
        ),
    }

    steps[step]()

    assert waiting(TO_TRIAGE, world.coordinator) == [world.appeal_y]


def test_an_answered_request_waits_for_its_owners_rating_and_leaves_when_rated(world):
    assert waiting(TO_RATE, world.owner_x) == []
    services.answer_appeal(world.appeal_x, "已答复", actor=world.coordinator, version=1)

    assert waiting(TO_RATE, world.owner_x) == [world.appeal_x]
    assert waiting(TO_RATE, world.owner_y) == [], "another enterprise's answer is not its"

    services.rate_appeal(world.appeal_x, 5, actor=world.owner_x)

    assert waiting(TO_RATE, world.owner_x) == []


def test_a_request_whose_problem_closes_waits_for_a_rating_until_it_is_reopened(world):
    services.merge_appeal(world.appeal_x, world.problem_x, actor=world.coordinator, version=1)
    problem_services.transition_problem(
        world.problem_x, ProblemStatus.RESOLVED, actor=world.staff_a, resolution="已解决"
    )
    assert waiting(TO_RATE, world.owner_x) == []

    problem_services.transition_problem(
        world.problem_x, ProblemStatus.CLOSED, actor=world.coordinator
    )
    [row] = waiting(TO_RATE, world.owner_x)
    assert row.waiting_since == row.finished_at

    problem_services.transition_problem(
        world.problem_x, ProblemStatus.OPEN, actor=world.coordinator, text="未彻底解决"
    )
    assert waiting(TO_RATE, world.owner_x) == []


@pytest.mark.parametrize("role", ["leader", "staff_a", "owner_x", "owner_y"])
def test_nobody_else_finds_requests_to_triage(world, role):
    assert waiting(TO_TRIAGE, getattr(world, role)) == []


@pytest.mark.parametrize("role", ["admin", "coordinator", "leader", "staff_a"])
def test_nobody_but_the_owner_finds_answers_to_rate(world, role):
    services.answer_appeal(world.appeal_x, "已答复", actor=world.coordinator, version=1)

    assert waiting(TO_RATE, getattr(world, role)) == []


@pytest.mark.parametrize(("source", "role"), [(TO_TRIAGE, "coordinator"), (TO_RATE, "owner_x")])
def test_each_row_renders_with_its_action_in_place(world, source, role, clock):
    services.answer_appeal(world.appeal_y, "已答复", actor=world.coordinator, version=1)
    services.answer_appeal(world.appeal_x, "已答复", actor=world.coordinator, version=1)
    if source is TO_TRIAGE:
        services.raise_appeal(
            world.project_x,
            {"title": "逾期诉求", "description": "说明", "category": "other"},
            actor=world.owner_x,
        )
        clock.advance(days=4)
    user = getattr(world, role)
    request = RequestFactory().get("/inbox/")
    request.user = user
    [item] = source.queryset(user)

    html = render_to_string(
        source.template, {"item": item, "source": source, "request": request, "user": user}
    )

    assert item.get_absolute_url() in html
    if source is TO_RATE:
        assert 'name="rating"' in html
        assert 'value="/inbox/"' in html
    else:
        assert "badge text-bg-danger" in html, "its triage is overdue"
