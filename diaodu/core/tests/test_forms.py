"""What every form of ours does for the person filling it in (``core.forms.BootstrapMixin``
and ``includes/form_fields.html``): "please choose" rather than dashes, people and
organisations searchable with each person told apart, counters on limited text, amounts
that cannot go below zero, and a summary of what to correct at the top."""

import re

import pytest
from django.urls import reverse

from diaodu.meetings.forms import MeetingForm
from diaodu.projects.forms import ProjectForm
from diaodu.test import client_for

pytestmark = pytest.mark.django_db


def test_no_select_offers_dashes_but_please_choose_in_the_readers_language(world):
    pages = [
        reverse("projects:project_create"),
        reverse("meetings:meeting_create"),
        reverse("problems:problem_raise", args=[world.project_x.pk]),
        reverse("problems:action_create"),
    ]
    for language, text in [("zh-hans", "请选择"), ("zh-hant", "請選擇"), ("en", "Please choose")]:
        client = client_for(world.coordinator, language)
        for url in pages:
            html = client.get(url).content.decode()
            assert "---------" not in html, url
            assert f'<option value="" selected>{text}</option>' in html, (url, language)


def test_people_and_organisations_are_searchable_and_people_told_apart(world):
    form = MeetingForm()

    attendees = str(form["attendees"])
    assert "data-searchable" in attendees
    assert "data-searchable" in str(form["organisations"])
    assert "data-searchable" in str(form["chair"])
    world.staff_a.title = "副局长"
    world.staff_a.save(update_fields=["title"])
    assert ">资规局小王 · 区资规局 · 副局长</option>" in str(MeetingForm()["attendees"])
    assert ">李主任 · 管委会" in attendees, "no title: no trailing dot"


def test_the_people_of_a_choice_come_with_their_organisations_in_one_query(
    world, django_assert_num_queries
):
    field = MeetingForm()["attendees"]

    with django_assert_num_queries(1):
        str(field)


def test_filters_stay_plain_menus(world):
    html = client_for(world.coordinator, "en").get(reverse("projects:project_list")).content
    assert b"data-searchable" not in html


def test_limited_text_gets_a_counter_and_amounts_cannot_go_below_zero():
    form = ProjectForm()

    assert re.search(
        r'<input type="text" name="name" maxlength="\d+"[^>]* data-counter', str(form["name"])
    )
    assert "data-counter" in str(form["construction_content"])
    for name in ["total_investment", "annual_plan", "land_area"]:
        html = str(form[name])
        assert 'min="0"' in html, name
        assert 'step="0.01"' in html, name


def test_the_progress_report_investment_cannot_go_below_zero(world):
    url = reverse("projects:report_create", args=[world.project_x.pk])
    html = client_for(world.owner_x, "en").get(url).content.decode()

    assert re.search(r'<input type="number" name="investment"[^>]* min="0"', html)


def test_a_form_sent_with_mistakes_lists_them_at_the_top_linking_to_each_field(world):
    response = client_for(world.coordinator, "en").post(
        reverse("projects:project_create"), {"name": "x", "total_investment": "-5"}
    )

    html = response.content.decode()
    summary = html.split('id="form-errors"', 1)[1].split("</div>", 1)[0]
    assert "Please correct" in summary
    assert '<a class="alert-link" href="#id_total_investment">' in summary
    assert '<a class="alert-link" href="#id_code">' in summary
    assert html.index('id="form-errors"') < html.index('name="code"'), "at the top of the form"


def test_a_form_without_mistakes_has_no_summary(world):
    html = client_for(world.coordinator, "en").get(reverse("projects:project_create")).content
    assert b'id="form-errors"' not in html
