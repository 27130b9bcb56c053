"""An enterprise request from its raising to its rating: every step, its timeline entry,
its change-log row, who is told, and every step refused with its reason."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from diaodu.appeals import services
from diaodu.appeals.choices import AppealEntryKind, AppealStatus
from diaodu.appeals.models import Appeal
from diaodu.core.models import ChangeLog
from diaodu.core.services import Conflict
from diaodu.notifications.models import Notification
from diaodu.problems import services as problem_services
from diaodu.problems.choices import Level, ProblemStatus
from diaodu.problems.models import Problem
from diaodu.problems.tests.helpers import newest_pk, notified_since, upload
from diaodu.test import client_for

OFFICE = {"admin", "coordinator"}
DEPARTMENT_A = {"staff_a"}
ENTERPRISE_X = {"owner_x"}


@pytest.fixture(autouse=True)
def english():
    """Refusals are read in English here (the pages' languages: ``test_views``)."""
    with translation.override("en"):
        yield


def fresh(appeal) -> Appeal:
    return Appeal.objects.get(pk=appeal.pk)


def kinds(appeal) -> list[str]:
    return list(fresh(appeal).entries.values_list("kind", flat=True))


def accept(w, appeal=None, **overrides):
    appeal = appeal or w.appeal_x
    return services.accept_appeal(
        appeal,
        {
            "lead_department": w.department_a,
            "cooperating_departments": [w.department_b],
            "due_date": date(2026, 7, 10),
            "level": Level.CITY,
            **overrides,
        },
        actor=w.coordinator,
        version=fresh(appeal).version,
        text="转区资规局牵头办理",
    )


def close(w, problem):
    problem_services.transition_problem(
        problem, ProblemStatus.RESOLVED, actor=w.staff_a, resolution="已协调供电公司接电"
    )
    problem_services.transition_problem(problem, ProblemStatus.CLOSED, actor=w.coordinator)


# --- raising ---------------------------------------------------------------------------------


def test_a_raised_request_awaits_triage_by_a_due_date_the_setting_states(world, settings):
    settings.DIAODU_APPEAL_TRIAGE_DAYS = 5
    mark = newest_pk(Notification)

    appeal = services.raise_appeal(
        world.project_x,
        {"title": "排污管网未接通", "description": "园区污水管网缺一段。", "category": "utilities"},
        actor=world.owner_x,
        files=[upload("现场照片.pdf")],
    )

    assert (appeal.status, appeal.raised_by, appeal.triage_due) == (
        AppealStatus.RAISED,
        world.owner_x,
        world.today + timedelta(days=5),
    )
    assert not appeal.triage_overdue(world.today + timedelta(days=5))
    assert appeal.triage_overdue(world.today + timedelta(days=6))
    [entry] = appeal.entries.all()
    assert (entry.kind, entry.text) == (AppealEntryKind.RAISED, "园区污水管网缺一段。")
    assert ChangeLog.objects.for_object(world.project_x).filter(object_id=appeal.pk).exists()
    assert notified_since(mark, "appeal_raised") == OFFICE


def test_a_request_needs_a_subject_a_description_and_a_category(world):
    with pytest.raises(ValidationError) as refused:
        services.raise_appeal(
            world.project_x, {"title": "", "description": "", "category": ""}, actor=world.owner_x
        )

    assert set(refused.value.message_dict) == {"title", "description", "category"}


# --- accepting as a problem ------------------------------------------------------------------


def test_accepting_a_request_makes_a_problem_for_the_departments_in_its_words(world):
    mark = newest_pk(Notification)

    problem = accept(world)

    appeal = fresh(world.appeal_x)
    assert (appeal.status, appeal.problem, appeal.triaged_by) == (
        AppealStatus.ACCEPTED,
        problem,
        world.coordinator,
    )
    assert (problem.project, problem.title, problem.description, problem.category) == (
        world.project_x,
        "施工用电报装慢",
        "临时用电申请已提交一个月，供电公司尚未接电。",
        "utilities",
    )
    assert (problem.lead_department, problem.level, problem.due_date) == (
        world.department_a,
        Level.CITY,
        date(2026, 7, 10),
    )
    assert list(problem.cooperating_departments.all()) == [world.department_b]
    assert kinds(appeal) == ["raised", "accepted"]
    assert appeal.entries.last().text == "转区资规局牵头办理"
    assert notified_since(mark, "appeal_accepted") == ENTERPRISE_X
    assert notified_since(mark, "problem_raised") == {"staff_a", "staff_b", "admin"}
    assert not appeal.awaits_rating


def test_a_request_cannot_become_a_problem_due_before_today(world):
    problems_before = Problem.objects.count()

    with pytest.raises(ValidationError) as refused:
        accept(world, due_date=world.today - timedelta(days=1))

    assert "due_date" in refused.value.message_dict
    assert Problem.objects.count() == problems_before
    assert fresh(world.appeal_x).status == AppealStatus.RAISED


# --- merging ---------------------------------------------------------------------------------


def test_merging_a_request_follows_an_open_problem_whose_departments_hear_of_it(world):
    mark = newest_pk(Notification)

    services.merge_appeal(
        world.appeal_x,
        world.problem_x,
        actor=world.coordinator,
        version=world.appeal_x.version,
        text="与用地指标问题一并协调",
    )

    appeal = fresh(world.appeal_x)
    assert (appeal.status, appeal.problem) == (AppealStatus.MERGED, world.problem_x)
    assert kinds(appeal) == ["raised", "merged"]
    update = world.problem_x.entries.last()
    assert "施工用电报装慢" in update.text
    assert notified_since(mark, "appeal_merged") == ENTERPRISE_X
    assert notified_since(mark, "problem_update") == DEPARTMENT_A


def test_a_request_is_not_merged_into_another_projects_problem(world):
    with pytest.raises(ValidationError) as refused:
        services.merge_appeal(world.appeal_x, world.problem_y, actor=world.coordinator, version=1)

    assert refused.value.message_dict["problem"] == ["This problem belongs to another project."]
    assert fresh(world.appeal_x).status == AppealStatus.RAISED


def test_a_request_is_not_merged_into_a_finished_problem(world):
    close(world, world.problem_x)

    with pytest.raises(ValidationError) as refused:
        services.merge_appeal(world.appeal_x, world.problem_x, actor=world.coordinator, version=1)

    assert "finished" in refused.value.message_dict["problem"][0]


# --- answering -------------------------------------------------------------------------------


def test_answering_a_request_closes_it_for_the_owner_to_rate(world):
    mark = newest_pk(Notification)

    services.answer_appeal(
        world.appeal_x, "已协调供电公司，本周五前接电。", actor=world.coordinator, version=1
    )

    appeal = fresh(world.appeal_x)
    assert (appeal.status, appeal.answer, appeal.problem) == (
        AppealStatus.ANSWERED,
        "已协调供电公司，本周五前接电。",
        None,
    )
    assert appeal.awaits_rating
    assert kinds(appeal) == ["raised", "answered"]
    assert notified_since(mark, "appeal_answered") == ENTERPRISE_X


def test_an_empty_answer_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        services.answer_appeal(world.appeal_x, "  ", actor=world.coordinator, version=1)

    assert refused.value.message_dict == {"answer": ["Write the answer to the enterprise."]}


@pytest.mark.parametrize("first", ["accept", "merge", "answer"])
@pytest.mark.parametrize("then", ["accept", "merge", "answer"])
def test_a_request_is_triaged_once(world, first, then):
    steps = {
        "accept": lambda version: accept(world),
        "merge": lambda version: services.merge_appeal(
            world.appeal_x, world.problem_x, actor=world.coordinator, version=version
        ),
        "answer": lambda version: services.answer_appeal(
            world.appeal_x, "已答复", actor=world.coordinator, version=version
        ),
    }
    steps[first](1)
    problems_before = Problem.objects.count()

    with pytest.raises(ValidationError) as refused:
        steps[then](fresh(world.appeal_x).version)

    assert refused.value.messages == ["This request has already been triaged."]
    assert Problem.objects.count() == problems_before


def test_a_triage_based_on_a_stale_version_is_a_conflict(world):
    services.answer_appeal(world.appeal_x, "已答复", actor=world.admin, version=1)

    with pytest.raises(Conflict):
        services.merge_appeal(world.appeal_x, world.problem_x, actor=world.coordinator, version=1)


# --- following the problem to its end --------------------------------------------------------


def test_the_owner_hears_when_the_problem_is_closed_and_may_rate_then(world):
    problem = accept(world)
    problem_services.transition_problem(
        problem, ProblemStatus.RESOLVED, actor=world.staff_a, resolution="已协调供电公司接电"
    )
    assert not fresh(world.appeal_x).awaits_rating, "resolved is not yet the end"
    mark = newest_pk(Notification)

    problem_services.transition_problem(problem, ProblemStatus.CLOSED, actor=world.coordinator)

    appeal = fresh(world.appeal_x)
    assert appeal.awaits_rating
    assert kinds(appeal)[-1] == AppealEntryKind.PROBLEM_CLOSED
    assert appeal.entries.last().text == "已协调供电公司接电"
    assert notified_since(mark, "appeal_closed") == ENTERPRISE_X


def test_reopening_the_problem_takes_the_end_back(world):
    problem = accept(world)
    close(world, problem)

    problem_services.transition_problem(
        problem, ProblemStatus.OPEN, actor=world.coordinator, text="接电后仍频繁跳闸"
    )

    appeal = fresh(world.appeal_x)
    assert not appeal.awaits_rating
    assert kinds(appeal)[-1] == AppealEntryKind.PROBLEM_REOPENED


def test_every_request_merged_into_a_problem_ends_with_it(world):
    other = services.raise_appeal(
        world.project_x,
        {"title": "用地指标", "description": "同一问题", "category": "land"},
        actor=world.owner_x,
    )
    for appeal in (world.appeal_x, other):
        services.merge_appeal(appeal, world.problem_x, actor=world.coordinator, version=1)

    close(world, world.problem_x)

    assert fresh(world.appeal_x).awaits_rating
    assert fresh(other).awaits_rating


# --- rating ----------------------------------------------------------------------------------


def test_the_owner_rates_an_answer_once_and_the_office_hears_of_it(world):
    services.answer_appeal(world.appeal_x, "已答复", actor=world.coordinator, version=1)
    mark = newest_pk(Notification)

    services.rate_appeal(world.appeal_x, 4, " 答复及时 ", actor=world.owner_x)

    appeal = fresh(world.appeal_x)
    assert (appeal.rating, appeal.rating_comment, appeal.awaits_rating) == (4, "答复及时", False)
    assert kinds(appeal)[-1] == AppealEntryKind.RATED
    rated = appeal.entries.get(kind=AppealEntryKind.RATED)
    assert rated.text == "答复及时"  # the owner's words only: the rating is named when shown
    assert notified_since(mark, "appeal_rated") == OFFICE
    with pytest.raises(ValidationError) as refused:
        services.rate_appeal(appeal, 5, actor=world.owner_x)
    assert refused.value.messages == ["This request has already been rated."]
    for language, label in (("en", "4 – satisfied"), ("zh-hant", "4 – 滿意")):
        page = client_for(world.owner_x, language).get(appeal.get_absolute_url())
        assert f'<div class="fw-semibold">{label}</div>' in page.content.decode(), language


@pytest.mark.parametrize("state", ["raised", "accepted", "merged"])
def test_a_request_without_its_final_word_cannot_be_rated(world, state):
    if state == "accepted":
        accept(world)
    elif state == "merged":
        services.merge_appeal(world.appeal_x, world.problem_x, actor=world.coordinator, version=1)

    with pytest.raises(ValidationError) as refused:
        services.rate_appeal(fresh(world.appeal_x), 5, actor=world.owner_x)

    assert refused.value.messages == [
        "A request can be rated once it is answered or its problem is closed."
    ]


@pytest.mark.parametrize("rating", [0, 6])
def test_a_rating_is_from_one_to_five(world, rating):
    services.answer_appeal(world.appeal_x, "已答复", actor=world.coordinator, version=1)

    with pytest.raises(ValidationError) as refused:
        services.rate_appeal(fresh(world.appeal_x), rating, actor=world.owner_x)

    assert refused.value.message_dict == {"rating": ["Choose a satisfaction from 1 to 5."]}
