"""The meeting on the big screen: a deck of the agenda for those who may see the meeting,
kept live by a one-second poll that costs one small query while nothing changes, and
following the item the clerk puts on screen. What the clerk records is the minutes' text."""

import pytest
from django.urls import reverse

from diaodu.core.models import ChangeLog
from diaodu.factories import AgendaItemFactory, ProjectFactory
from diaodu.meetings import services
from diaodu.meetings.models import Meeting
from diaodu.meetings.tests.helpers import discussion_data, docx_of, paragraphs, tables
from diaodu.test import client_for

pytestmark = pytest.mark.usefixtures("meetings")


def _url(name, obj, **query):
    url = reverse(f"meetings:{name}", args=[obj.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _version(meeting) -> int:
    return Meeting.objects.values_list("screen_version", flat=True).get(pk=meeting.pk)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator", 200),
        ("leader", 200),
        ("staff_a", 200),
        ("owner_x", 200),
        ("staff_b", 404),
        ("owner_y", 404),
    ],
)
def test_the_screen_is_for_those_who_may_see_the_meeting(meetings, persona, status):
    client = client_for(getattr(meetings, persona))
    assert client.get(_url("meeting_screen", meetings.meeting_x)).status_code == status
    assert client.get(_url("meeting_screen_live", meetings.meeting_x)).status_code == status


def test_the_screen_shows_a_title_then_one_slide_per_agenda_project(meetings):
    page = client_for(meetings.coordinator).get(_url("meeting_screen", meetings.meeting_x))
    html = page.content.decode()
    assert html.count('class="screen-slide') == 3
    assert 'data-slide="title"' in html
    assert f'data-slide="{meetings.item_x.pk}"' in html
    assert "水务产业园专题调度会议" in html
    assert html.count('class="project-site"') == 2, "each project's place and photos"


def test_an_owner_sees_no_slide_of_another_enterprises_project(meetings):
    AgendaItemFactory(meeting=meetings.meeting_x, project=meetings.project_y, order=30)
    html = client_for(meetings.owner_x).get(_url("meeting_screen", meetings.meeting_x)).content
    assert meetings.project_y.name not in html.decode()


def test_an_unchanged_screen_costs_one_query_and_an_empty_answer(
    meetings, django_assert_max_num_queries
):
    client = client_for(meetings.leader)
    version = _version(meetings.meeting_x)
    # 2 (session and user) + 1 (the meeting's screen version).
    with django_assert_max_num_queries(3):
        response = client.get(_url("meeting_screen_live", meetings.meeting_x, v=version))
    assert response.status_code == 204
    assert response["ETag"] == f'"{version}"'
    assert (
        client.get(
            _url("meeting_screen_live", meetings.meeting_x),
            headers={"if-none-match": f'"{version}"'},
        ).status_code
        == 204
    )


def test_a_decision_recorded_by_the_clerk_reaches_the_screen_and_the_minutes(meetings):
    clerk = client_for(meetings.coordinator)
    screen = client_for(meetings.leader)
    version = _version(meetings.meeting_x)
    clerk.post(
        _url("agenda_discussion", meetings.item_x),
        discussion_data(meetings.item_x, decisions="资规局6月底前完成供地。"),
        headers={"hx-request": "true"},
    )
    response = screen.get(_url("meeting_screen_live", meetings.meeting_x, v=version))
    assert response.status_code == 200
    assert "资规局6月底前完成供地。" in response.content.decode()
    assert f"?v={version + 1}" in response.content.decode()
    minutes = docx_of(clerk.get(_url("meeting_minutes", meetings.meeting_x)))
    text = "\n".join(paragraphs(minutes)) + str(tables(minutes))
    assert "资规局6月底前完成供地。" in text


def test_every_change_the_screen_shows_moves_its_version(meetings):
    meeting = meetings.meeting_x
    start = _version(meeting)
    services.record_discussion(meetings.item_x, {"summary": "进展顺利"}, actor=meetings.leader)
    services.move_agenda_item(meetings.item_x2, -1, actor=meetings.coordinator)
    services.update_meeting(meeting, {"place": "三楼会议室"}, actor=meetings.coordinator)
    assert _version(meeting) == start + 3


@pytest.mark.parametrize(("persona", "status"), [("coordinator", 302), ("leader", 302)])
def test_the_clerk_puts_an_item_on_screen_without_a_history_entry(meetings, persona, status):
    logged = ChangeLog.objects.count()
    response = client_for(getattr(meetings, persona)).post(_url("agenda_show", meetings.item_x2))
    assert response.status_code == status
    meeting = Meeting.objects.get(pk=meetings.meeting_x.pk)
    assert meeting.current_item == meetings.item_x2
    assert ChangeLog.objects.count() == logged
    html = client_for(meetings.staff_a).get(_url("meeting_screen", meeting)).content.decode()
    assert f'data-current="{meetings.item_x2.pk}"' in html


@pytest.mark.parametrize(
    ("persona", "status"), [("staff_a", 403), ("owner_x", 403), ("staff_b", 404)]
)
def test_only_those_running_the_meeting_choose_what_is_on_screen(meetings, persona, status):
    response = client_for(getattr(meetings, persona)).post(_url("agenda_show", meetings.item_x))
    assert response.status_code == status
    assert Meeting.objects.get(pk=meetings.meeting_x.pk).current_item is None


def test_the_clerks_button_answers_htmx_with_itself_marked_on_screen(meetings):
    response = client_for(meetings.coordinator).post(
        _url("agenda_show", meetings.item_x), headers={"hx-request": "true"}
    )
    assert "btn-success" in response.content.decode()


def test_the_meeting_page_offers_the_screen_and_the_clerk_the_show_button(meetings):
    clerk = client_for(meetings.coordinator).get(_url("meeting_detail", meetings.meeting_x))
    assert _url("meeting_screen", meetings.meeting_x) in clerk.content.decode()
    assert _url("agenda_show", meetings.item_x) in clerk.content.decode()
    reader = client_for(meetings.staff_a).get(_url("meeting_detail", meetings.meeting_x))
    assert _url("agenda_show", meetings.item_x) not in reader.content.decode()


@pytest.mark.parametrize("extra", [0, 6])
def test_the_deck_takes_the_same_queries_however_long_the_agenda(
    meetings, extra, django_assert_max_num_queries
):
    for n in range(extra):
        AgendaItemFactory(
            meeting=meetings.meeting_x,
            project=ProjectFactory(owner=meetings.enterprise_x, milestones=True),
            order=100 + n,
        )
    client = client_for(meetings.coordinator)
    # 3 (session, user, version) + 1 (meeting) + 6 (agenda with milestones, reports,
    # problems, action items, investment) + 1 (last meeting's action items) + 1 (latest
    # photos) + 3 (the projects' places, parcels and the zone's boundary).
    with django_assert_max_num_queries(16):
        response = client.get(_url("meeting_screen_live", meetings.meeting_x))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("language", "word"),
    [("zh-hans", "未解决问题"), ("zh-hant", "未解決問題"), ("en", "Open problems")],
)
def test_the_screen_speaks_three_languages(meetings, language, word):
    page = client_for(meetings.coordinator, language).get(
        _url("meeting_screen", meetings.meeting_x)
    )
    assert word in page.content.decode()
