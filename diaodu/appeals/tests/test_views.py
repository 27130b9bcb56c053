"""The request pages: raising from the project's page, the list and its filters, the
request's page with its timeline, the triage in place, the rating, and all of it in the
zone's three languages."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from diaodu.appeals import services
from diaodu.appeals.choices import AppealStatus
from diaodu.appeals.models import Appeal
from diaodu.problems import services as problem_services
from diaodu.problems.choices import ProblemStatus
from diaodu.problems.models import Problem
from diaodu.problems.tests.helpers import upload
from diaodu.test import client_for

ENGLISH = "en"


def fresh(appeal):
    return Appeal.objects.get(pk=appeal.pk)


def detail(w, role, appeal=None, language=ENGLISH):
    appeal = appeal or w.appeal_x
    return client_for(getattr(w, role), language).get(appeal.get_absolute_url())


def test_the_owner_raises_a_request_from_its_projects_page_with_a_photo(world):
    browser = client_for(world.owner_x, ENGLISH)
    project_page = browser.get(world.project_x.get_absolute_url()).content.decode()
    raise_url = reverse("appeals:appeal_raise", args=[world.project_x.pk])
    assert raise_url in project_page

    response = browser.post(
        raise_url,
        {
            "title": "排污管网未接通",
            "description": "缺一段管网。",
            "category": "utilities",
            "files": [upload("现场.pdf")],
        },
    )

    appeal = Appeal.objects.latest("pk")
    assert response.status_code == 302
    assert response["Location"] == appeal.get_absolute_url()
    page = browser.get(appeal.get_absolute_url()).content.decode()
    assert "排污管网未接通" in page
    assert "现场.pdf" in page
    assert "Triage due" in page


@pytest.mark.parametrize("role", ["coordinator", "leader", "staff_a"])
def test_nobody_but_the_owner_is_offered_to_raise_a_request(world, role):
    page = client_for(getattr(world, role)).get(world.project_x.get_absolute_url())

    assert reverse("appeals:appeal_raise", args=[world.project_x.pk]) not in page.content.decode()


def test_a_request_without_a_description_shows_the_form_again_with_the_reason(world):
    response = client_for(world.owner_x, ENGLISH).post(
        reverse("appeals:appeal_raise", args=[world.project_x.pk]),
        {"title": "排污管网", "description": "", "category": "utilities"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["description"] == ["This field is required."]


def test_the_list_filters_by_status_project_and_overdue_triage(world, clock):
    services.answer_appeal(world.appeal_y, "已答复", actor=world.coordinator, version=1)
    clock.advance(days=4)
    late = world.appeal_x
    recent = services.raise_appeal(
        world.project_x,
        {"title": "新诉求", "description": "刚提出", "category": "other"},
        actor=world.owner_x,
    )
    browser = client_for(world.coordinator, ENGLISH)
    url = reverse("appeals:appeal_list")

    def listed(query):
        response = browser.get(url, query)
        assert response.status_code == 200
        return {a.pk for a in response.context["page"].object_list}

    assert listed({"overdue": "true"}) == {late.pk}
    assert listed({"status": "answered"}) == {world.appeal_y.pk}
    assert listed({"project": world.project_x.pk}) == {late.pk, recent.pk}
    assert listed({"to_rate": "true"}) == {world.appeal_y.pk}
    assert listed({"q": "新诉求"}) == {recent.pk}
    page = browser.get(url).content.decode()
    assert 'class="table table-hover align-middle table-cards"' in page
    assert 'data-label="Triage due"' in page
    assert "overdue" in page


def test_the_office_sees_the_triage_due_date_and_that_it_has_passed(world, clock):
    clock.advance(days=4)

    page = detail(world, "coordinator").content.decode()

    assert "triage overdue" in page
    assert "Accept as a problem" in page
    assert "Answer and close" in page


def test_a_request_triaged_after_its_due_date_says_it_was_late(world, clock):
    clock.advance(days=3)
    services.answer_appeal(world.appeal_x, "已答复", actor=world.coordinator, version=1)
    clock.advance(days=1)
    services.answer_appeal(world.appeal_y, "已答复", actor=world.coordinator, version=1)

    on_time = detail(world, "owner_x").content.decode()
    late = detail(world, "owner_y", world.appeal_y).content.decode()

    assert ">late<" not in on_time
    assert ">late<" in late


@pytest.mark.parametrize("role", ["leader", "owner_x"])
def test_only_the_office_is_offered_the_triage(world, role):
    page = detail(world, role).content.decode()

    assert reverse("appeals:appeal_accept", args=[world.appeal_x.pk]) not in page
    assert reverse("appeals:appeal_answer", args=[world.appeal_x.pk]) not in page


def test_the_office_accepts_a_request_in_place_and_the_owner_follows_the_problem(world):
    browser = client_for(world.coordinator, ENGLISH)

    response = browser.post(
        reverse("appeals:appeal_accept", args=[world.appeal_x.pk]),
        {
            "version": 1,
            "category": "utilities",
            "severity": "serious",
            "level": "city",
            "lead_department": world.department_a.pk,
            "cooperating_departments": [world.department_b.pk],
            "due_date": (world.today + timedelta(days=20)).isoformat(),
            "note": "请区资规局牵头",
        },
    )

    assert response.status_code == 302
    problem = fresh(world.appeal_x).problem
    assert (problem.severity, problem.level) == ("serious", "city")
    problem_services.transition_problem(
        problem, ProblemStatus.RESOLVED, actor=world.staff_a, resolution="供电公司已接电"
    )
    owner_page = detail(world, "owner_x").content.decode()
    assert problem.get_absolute_url() in owner_page
    assert "供电公司已接电" in owner_page
    assert "请区资规局牵头" in owner_page
    assert "How satisfied" not in owner_page, "resolved is not yet closed"


def test_a_triage_opened_from_the_inbox_goes_back_to_it_even_after_a_mistake(world):
    browser = client_for(world.coordinator, ENGLISH)
    inbox = browser.get(reverse("inbox:inbox")).content.decode()
    opened = f"{world.appeal_x.get_absolute_url()}?next=/inbox/"
    assert opened in inbox
    page = browser.get(opened).content.decode()
    assert page.count('name="next" value="/inbox/"') == 3, "each triage form goes back"
    accept = reverse("appeals:appeal_accept", args=[world.appeal_x.pk])
    data = {
        "version": 1,
        "category": "utilities",
        "severity": "normal",
        "level": "zone",
        "lead_department": world.department_a.pk,
        "due_date": (world.today + timedelta(days=20)).isoformat(),
        "next": "/inbox/",
    }

    mistaken = browser.post(accept, {**data, "cooperating_departments": [world.department_a.pk]})
    accepted = browser.post(accept, data)

    assert 'name="next" value="/inbox/"' in mistaken.content.decode()
    assert accepted["Location"] == "/inbox/"
    assert fresh(world.appeal_x).status == AppealStatus.ACCEPTED


def test_an_accepting_form_with_the_lead_among_the_cooperating_is_shown_again(world):
    response = client_for(world.coordinator, ENGLISH).post(
        reverse("appeals:appeal_accept", args=[world.appeal_x.pk]),
        {
            "version": 1,
            "category": "utilities",
            "severity": "normal",
            "level": "zone",
            "lead_department": world.department_a.pk,
            "cooperating_departments": [world.department_a.pk],
            "due_date": (world.today + timedelta(days=20)).isoformat(),
        },
    )

    assert response.status_code == 200
    assert response.context["open_tab"] == "accept"
    assert "cooperating_departments" in response.context["accept_form"].errors
    assert not Problem.objects.filter(title=world.appeal_x.title).exists()


def test_merging_offers_only_the_projects_open_problems(world):
    other = Problem.objects.filter(project=world.project_y)

    form = detail(world, "coordinator").context["merge_form"]

    assert list(form.fields["problem"].queryset) == [world.problem_x]
    assert not set(form.fields["problem"].queryset) & set(other)


def test_a_request_decided_meanwhile_says_so_instead_of_deciding_twice(world):
    services.answer_appeal(world.appeal_x, "已答复", actor=world.admin, version=1)
    browser = client_for(world.coordinator, ENGLISH)

    response = browser.post(
        reverse("appeals:appeal_answer", args=[world.appeal_x.pk]),
        {"version": 1, "answer": "另一个答复"},
        follow=True,
    )

    assert fresh(world.appeal_x).answer == "已答复"
    assert "Someone else changed this" in response.content.decode()


def test_the_owner_rates_the_answer_on_the_requests_page_and_once(world):
    services.answer_appeal(world.appeal_x, "已答复", actor=world.coordinator, version=1)
    browser = client_for(world.owner_x, ENGLISH)
    assert "How satisfied" in browser.get(world.appeal_x.get_absolute_url()).content.decode()

    response = browser.post(
        reverse("appeals:appeal_rate", args=[world.appeal_x.pk]),
        {"rating": "4", "comment": "答复及时"},
    )
    again = browser.post(
        reverse("appeals:appeal_rate", args=[world.appeal_x.pk]), {"rating": "1"}, follow=True
    )

    assert response.status_code == 302
    assert fresh(world.appeal_x).rating == 4
    assert "This request has already been rated." in again.content.decode()
    assert "4 – satisfied" in again.content.decode()


def test_rating_from_another_page_goes_back_there_but_never_off_site(world):
    services.answer_appeal(world.appeal_x, "已答复", actor=world.coordinator, version=1)
    services.answer_appeal(world.appeal_y, "已答复", actor=world.coordinator, version=1)
    url = reverse("appeals:appeal_rate", args=[world.appeal_x.pk])

    back = client_for(world.owner_x).post(url, {"rating": "5", "next": "/inbox/"})
    off_site = client_for(world.owner_y).post(
        reverse("appeals:appeal_rate", args=[world.appeal_y.pk]),
        {"rating": "5", "next": "https://example.com/"},
    )

    assert back["Location"] == "/inbox/"
    assert off_site["Location"] == world.appeal_y.get_absolute_url()


def test_the_timeline_shows_every_step_to_the_owner(world):
    problem = services.accept_appeal(
        world.appeal_x,
        {"lead_department": world.department_a, "due_date": world.today + timedelta(days=9)},
        actor=world.coordinator,
        version=1,
    )
    problem_services.transition_problem(
        problem, ProblemStatus.RESOLVED, actor=world.staff_a, resolution="已接电"
    )
    problem_services.transition_problem(problem, ProblemStatus.CLOSED, actor=world.coordinator)

    entries = detail(world, "owner_x").context["entries"]

    assert [e.kind for e in entries] == ["raised", "accepted", "problem_closed"]
    assert entries[1].to_status == AppealStatus.ACCEPTED


# A word of the page in each language, to know it was translated.
LANGUAGES = {"zh-hans": "企业诉求", "zh-hant": "企業訴求", "en": "Enterprise requests"}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("role", ["coordinator", "owner_x"])
def test_the_pages_render_in_each_language(world, language, role):
    browser = client_for(getattr(world, role), language)
    urls = [reverse("appeals:appeal_list"), world.appeal_x.get_absolute_url()]
    if role == "owner_x":
        urls.append(reverse("appeals:appeal_raise", args=[world.project_x.pk]))

    for url in urls:
        response = browser.get(url)

        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, url
        assert LANGUAGES[language] in html, url


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_the_pages_own_words_are_translated(world, language):
    html = detail(world, "coordinator", language=language).content.decode()

    for english in ("Accept as a problem", "Answer and close", "Triage due", "Timeline"):
        assert english not in html


def test_a_request_raised_now_is_stamped_now(world):
    appeal = services.raise_appeal(
        world.project_x,
        {"title": "t", "description": "d", "category": "other"},
        actor=world.owner_x,
    )

    assert appeal.raised_at == timezone.now()
