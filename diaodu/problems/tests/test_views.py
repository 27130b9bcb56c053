"""The pages of the coordination loop: desks, the supervision page, problem and action
pages, and the quick actions on desk rows, which answer htmx with the refreshed row and
a plain form post with a redirect."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from diaodu.factories import ActionItemFactory, DepartmentFactory, ProblemFactory
from diaodu.notifications.models import Notification
from diaodu.problems import services
from diaodu.problems.choices import ActionStatus, ProblemStatus
from diaodu.problems.tests.helpers import newest_pk, notified_since
from diaodu.test import api_for, client_for

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(name, obj):
    return reverse(f"problems:{name}", args=[obj.pk])


def _in(language, message):
    with translation.override(language):
        return str(translation.gettext(message))


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


# --- The desk ----------------------------------------------------------------------------


def test_the_desk_puts_overdue_work_first_then_by_due_date(world):
    late = ProblemFactory(
        project=world.project_x,
        lead_department=world.department_a,
        title="拆迁补偿未到位",
        due_date=world.today - timedelta(days=2),
    )
    soon = ProblemFactory(
        project=world.project_x,
        lead_department=world.department_a,
        title="临时用电",
        due_date=world.today + timedelta(days=1),
    )

    response = client_for(world.staff_a).get(reverse("problems:desk"))

    assert [p.pk for p in response.context["problems"]] == [late.pk, soon.pk, world.problem_x.pk]
    assert [p.light for p in response.context["problems"]] == ["red", "yellow", "green"]
    html = response.content.decode()
    assert html.index("拆迁补偿未到位") < html.index("临时用电") < html.index("用地指标不足")


def test_the_desk_includes_work_where_the_department_cooperates(world):
    world.item_b.cooperating_departments.set([world.department_a])

    response = client_for(world.staff_a).get(reverse("problems:desk"))

    assert {i.pk for i in response.context["actions"]} == {world.item_a.pk, world.item_b.pk}
    # ... but cooperating gives no move on it: only the lead acknowledges.
    row = next(i for i in response.context["actions"] if i.pk == world.item_b.pk)
    assert (row.moves, row.can_write) == ([], True)


def test_the_desk_leaves_out_finished_work(world):
    services.transition_problem(
        world.problem_x, ProblemStatus.RESOLVED, actor=world.staff_a, resolution="已解决"
    )
    services.acknowledge(world.item_a, actor=world.staff_a)
    services.submit_result(world.item_a, "已办结", actor=world.staff_a)

    response = client_for(world.staff_a).get(reverse("problems:desk"))

    assert list(response.context["problems"]) == []
    # Submitted items still wait for the office's acceptance: they stay, "awaiting".
    assert [(i.pk, i.light) for i in response.context["actions"]] == [(world.item_a.pk, "awaiting")]


@pytest.mark.parametrize("role", ["coordinator", "leader"])
def test_the_office_and_leaders_may_open_any_departments_desk(world, role):
    response = client_for(getattr(world, role)).get(
        reverse("problems:desk"), {"organisation": world.department_b.pk}
    )

    assert response.context["organisation"] == world.department_b
    assert [p.pk for p in response.context["problems"]] == [world.problem_y.pk]
    assert [i.pk for i in response.context["actions"]] == [world.item_b.pk]


def test_an_owners_desk_has_their_problems_and_no_action_items_section(world):
    response = client_for(world.owner_x, language="en").get(reverse("problems:desk"))

    html = response.content.decode()
    assert "用地指标不足" in html
    assert "No open action items." not in html
    assert "协调落实二期用地指标" not in html


def test_the_desk_offers_each_row_only_the_moves_its_reader_may_make(world):
    response = client_for(world.staff_a, language="en").get(reverse("problems:desk"))

    [problem] = response.context["problems"]
    [item] = response.context["actions"]
    # Always in the same order, whatever the process.
    assert [s for s, _ in problem.moves] == [ProblemStatus.IN_PROGRESS, ProblemStatus.RESOLVED]
    assert [s for s, _ in item.moves] == [ActionStatus.ACKNOWLEDGED]
    client = client_for(world.staff_a, language="en")
    html = "".join(
        client.get(url(name, obj), **HTMX).content.decode()
        for name, obj in [
            ("problem_quick_actions", world.problem_x),
            ("action_quick_actions", world.item_a),
        ]
    )
    assert "Acknowledge" in html
    assert "Start work" in html
    assert "Accept as done" not in html
    assert "Close" not in html


def test_the_desk_carries_no_forms_until_a_row_is_opened(world):
    """Each row's forms come when its Handle button opens it: the page has a button and a
    link to the item (for a browser without scripts) per row, and no form."""
    response = client_for(world.staff_a, language="en").get(reverse("problems:desk"))

    html = response.content.decode()
    assert "hx-post" not in html
    assert 'name="version"' not in html
    assert html.count(">Handle</summary>") == 2
    assert f'hx-get="{url("problem_quick_actions", world.problem_x)}"' in html
    assert f'hx-get="{url("action_quick_actions", world.item_a)}"' in html


@pytest.mark.parametrize("role", ["staff_a", "coordinator"])
def test_opening_a_row_brings_its_forms(world, role):
    response = client_for(getattr(world, role), language="en").get(
        url("problem_quick_actions", world.problem_x), HTTP_HX_CURRENT_URL="/desk/", **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert [t.name for t in response.templates] == ["problems/_quick_actions.html"]
    assert f'hx-post="{url("problem_update", world.problem_x)}"' in html
    assert 'name="next" value="/desk/"' in html
    assert f'name="version" value="{world.problem_x.version}"' in html


def test_a_department_cannot_open_the_forms_of_another_department_s_work(world):
    """Department B leads a problem on project X too, so it reads project X's problems;
    it handles none of department A's, and does not even see A's action item."""
    ProblemFactory(project=world.project_x, lead_department=world.department_b)
    client = client_for(world.staff_b)

    assert client.get(url("problem_quick_actions", world.problem_x), **HTMX).status_code == 403
    assert client.get(url("action_quick_actions", world.item_a), **HTMX).status_code == 404


@pytest.mark.parametrize(("role", "status"), [("owner_y", 404), ("leader", 403)])
def test_nobody_else_opens_a_department_s_forms(world, role, status):
    """Owner Y does not see project X; the leader reads it all but handles nothing on a
    desk (instructions are written on the problem's page)."""
    client = client_for(getattr(world, role))

    assert client.get(url("problem_quick_actions", world.problem_x), **HTMX).status_code == status
    assert client.get(url("action_quick_actions", world.item_a), **HTMX).status_code == status


# --- Quick actions: htmx gets the row, a plain post a redirect ---------------------------------


def test_a_quick_update_with_htmx_returns_the_refreshed_row(world):
    response = client_for(world.staff_a, language="en").post(
        url("problem_update", world.problem_x), {"text": "已完成规划调整公示"}, **HTMX
    )

    assert response.status_code == 200
    assert [t.name for t in response.templates] == ["problems/_desk_row.html"]
    html = response.content.decode()
    assert html.lstrip().startswith(f'<tr id="problem-{world.problem_x.pk}"')
    assert "<html" not in html
    assert "Update added." in html
    assert world.problem_x.entries.last().text == "已完成规划调整公示"


def test_a_quick_update_without_htmx_redirects_back_to_the_desk(world):
    desk = reverse("problems:desk")
    client = client_for(world.staff_a, language="en")

    response = client.post(url("problem_update", world.problem_x), {"text": "已公示", "next": desk})

    assert (response.status_code, response.url) == (302, desk)
    assert "Update added." in messages_of(client.get(desk))


def test_a_plain_post_never_redirects_off_the_site(world):
    response = client_for(world.staff_a).post(
        url("problem_update", world.problem_x), {"text": "已公示", "next": "https://evil.example/"}
    )

    assert response.url == world.problem_x.get_absolute_url()


def test_a_quick_move_with_htmx_returns_the_row_in_its_new_state(world):
    response = client_for(world.staff_a, language="en").post(
        url("action_transition", world.item_a),
        {"to_status": "acknowledged", "version": world.item_a.version, "text": ""},
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="action-{world.item_a.pk}"' in html
    assert "in hand" in html  # the new status
    forms = client_for(world.staff_a, language="en").get(
        url("action_quick_actions", world.item_a), **HTMX
    )
    assert "Submit result" in forms.content.decode()  # the next move, with the new version
    assert 'name="version" value="2"' in forms.content.decode()
    world.item_a.refresh_from_db()
    assert world.item_a.status == ActionStatus.ACKNOWLEDGED


def test_a_refused_quick_move_with_htmx_shows_why_in_the_row(world):
    response = client_for(world.staff_a, language="en").post(
        url("problem_transition", world.problem_x),
        {"to_status": "resolved", "version": world.problem_x.version, "resolution": " "},
        **HTMX,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'role="alert"' in html
    assert "Say how the problem was resolved." in html
    world.problem_x.refresh_from_db()
    assert world.problem_x.status == ProblemStatus.OPEN


def test_a_refused_move_without_htmx_redirects_with_the_reason(world):
    services.acknowledge(world.item_a, actor=world.staff_a)
    client = client_for(world.staff_a, language="en")

    response = client.post(
        url("action_transition", world.item_a),
        {"to_status": "acknowledged", "version": world.item_a.version, "text": ""},
    )

    assert (response.status_code, response.url) == (302, world.item_a.get_absolute_url())
    [message] = messages_of(client.get(response.url))
    assert message == "A action item cannot go from “in hand” to “in hand”."


def test_feedback_by_htmx_and_by_a_plain_form_lands_on_the_timeline(world):
    client = client_for(world.staff_a)

    htmx = client.post(url("action_feedback", world.item_a), {"text": "第一次反馈"}, **HTMX)
    plain = client.post(url("action_feedback", world.item_a), {"text": "第二次反馈"})

    assert (htmx.status_code, plain.status_code) == (200, 302)
    assert list(world.item_a.entries.filter(kind="feedback").values_list("text", flat=True)) == [
        "第一次反馈",
        "第二次反馈",
    ]


def test_quick_actions_take_only_posts(world):
    client = client_for(world.coordinator)

    for name, obj in [
        ("problem_update", world.problem_x),
        ("problem_transition", world.problem_x),
        ("action_feedback", world.item_a),
        ("action_transition", world.item_a),
    ]:
        assert client.get(url(name, obj)).status_code == 405


# --- The supervision page ------------------------------------------------------------------


@pytest.fixture
def late_work(world):
    """Two overdue problems and one overdue action item led by department A; one overdue
    problem led by B; a finished overdue problem, which counts for nobody."""
    for days in (1, 5):
        ProblemFactory(
            project=world.project_x,
            lead_department=world.department_a,
            due_date=world.today - timedelta(days=days),
        )
    ActionItemFactory(
        project=world.project_x,
        lead_department=world.department_a,
        due_date=world.today - timedelta(days=1),
    )
    ProblemFactory(
        project=world.project_y,
        lead_department=world.department_b,
        due_date=world.today - timedelta(days=3),
    )
    ProblemFactory(
        project=world.project_y,
        lead_department=world.department_b,
        due_date=world.today - timedelta(days=3),
        status=ProblemStatus.CLOSED,
    )
    return world


def test_supervision_counts_open_and_overdue_work_per_lead_department(late_work):
    w = late_work
    quiet = DepartmentFactory(name="科技和经济局", short_name="区科经局")
    ProblemFactory(project=w.project_x, lead_department=quiet, status=ProblemStatus.CLOSED)

    response = client_for(w.leader).get(reverse("problems:supervision"))

    counts = {
        org.short_name: (
            org.problems_open,
            org.problems_overdue,
            org.actions_open,
            org.actions_overdue,
        )
        for org in response.context["counts"]
    }
    # Most overdue first; a department with nothing open is not listed.
    assert list(counts) == ["区资规局", "区审批局"]
    assert counts == {"区资规局": (3, 2, 2, 1), "区审批局": (2, 1, 1, 0)}


def test_supervision_lists_problems_or_action_items_overdue_first(late_work):
    client = client_for(late_work.coordinator)

    problems = client.get(reverse("problems:supervision"), {"open": "true"})
    actions = client.get(reverse("problems:supervision"), {"tab": "actions", "open": "true"})

    assert problems.context["tab"] == "problems"
    assert [p.light for p in problems.context["page"]] == ["red", "red", "red", "green", "green"]
    assert actions.context["tab"] == "actions"
    assert [i.light for i in actions.context["page"]] == ["red", "green", "green"]


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({"overdue": "true"}, 3),
        ({"overdue": "false", "open": "true"}, 2),
        ({"light": "red"}, 3),
        ({"light": "done"}, 1),
        ({"department": "a", "overdue": "true"}, 2),
        ({"department": "b"}, 3),
        ({"status": "closed"}, 1),
        ({"q": "环评"}, 1),
    ],
)
def test_supervision_filters(late_work, query, count):
    query = dict(query)
    if "department" in query:
        query["department"] = getattr(late_work, f"department_{query['department']}").pk

    response = client_for(late_work.coordinator).get(reverse("problems:supervision"), query)

    assert response.context["page"].paginator.count == count


def test_supervision_filters_by_lead_department_alone_or_with_the_cooperating_ones(late_work):
    w = late_work
    client = client_for(w.coordinator)

    def counts():
        return [
            client.get(reverse("problems:supervision"), query).context["page"].paginator.count
            for query in (
                {"department": w.department_a.pk},
                {"lead_department": w.department_a.pk},
                {"lead_department": w.department_b.pk},
            )
        ]

    before = counts()
    ProblemFactory(
        project=w.project_y,
        lead_department=w.department_b,
        cooperating_departments=[w.department_a],
    )

    # A cooperates on the new problem: it is among A's, and not among those A leads.
    assert [after - then for after, then in zip(counts(), before, strict=True)] == [1, 0, 1]


def test_supervision_turns_the_page_and_keeps_the_filters(world):
    for _ in range(31):
        ProblemFactory(project=world.project_x, lead_department=world.department_a)

    response = client_for(world.coordinator).get(
        reverse("problems:supervision"), {"open": "true", "page": 2}
    )

    assert len(response.context["page"]) == 3
    assert response.context["query"] == "open=true"


# --- Detail pages ------------------------------------------------------------------------------


def test_the_problem_page_shows_the_timeline_with_authors_and_their_organisations(world, clock):
    clock.advance(days=1)
    services.add_problem_update(world.problem_x, "已召开协调会", actor=world.staff_a)
    services.add_problem_update(world.problem_x, "请抓紧办理", actor=world.leader, instruction=True)

    response = client_for(world.owner_x, language="en").get(url("problem_detail", world.problem_x))

    html = response.content.decode()
    assert [e.kind for e in response.context["entries"]] == ["raised", "update", "instruction"]
    assert "资规局小王</strong> (区资规局)" in html
    assert "李主任</strong> (管委会)" in html
    assert html.index("已召开协调会") < html.index("请抓紧办理")


def test_a_leader_gets_an_instruction_box_and_no_status_buttons(world):
    response = client_for(world.leader, language="en").get(url("problem_detail", world.problem_x))

    html = response.content.decode()
    assert response.context["transitions"] == []
    assert "Give instruction" in html
    assert 'name="instruction" value="1"' in html


@pytest.mark.parametrize(
    ("status", "role", "moves"),
    [
        (ProblemStatus.OPEN, "staff_a", {"in_progress", "resolved"}),
        (ProblemStatus.OPEN, "coordinator", {"in_progress", "resolved"}),
        (ProblemStatus.RESOLVED, "staff_a", set()),
        (ProblemStatus.RESOLVED, "coordinator", {"closed", "open"}),
        (ProblemStatus.CLOSED, "coordinator", {"open"}),
        (ProblemStatus.OPEN, "owner_x", set()),
    ],
)
def test_the_problem_page_offers_the_moves_its_reader_may_make(world, status, role, moves):
    type(world.problem_x).objects.filter(pk=world.problem_x.pk).update(status=status)

    response = client_for(getattr(world, role)).get(url("problem_detail", world.problem_x))

    assert {s for s, _ in response.context["transitions"]} == moves


def test_the_action_page_offers_the_office_acceptance_and_return_of_a_result(world):
    services.acknowledge(world.item_a, actor=world.staff_a)
    services.submit_result(world.item_a, "指标已下达", actor=world.staff_a)

    as_office = client_for(world.coordinator, language="en").get(url("action_detail", world.item_a))
    as_lead = client_for(world.staff_a).get(url("action_detail", world.item_a))

    assert {s for s, _ in as_office.context["transitions"]} == {"done", "acknowledged"}
    html = as_office.content.decode()
    assert "Accept as done" in html
    assert "Return for rework" in html
    assert as_lead.context["transitions"] == []
    assert as_lead.context["can_feedback"] is True


def test_the_project_page_lists_its_problems_and_action_items_with_their_lights(world):
    ProblemFactory(
        project=world.project_x,
        lead_department=world.department_a,
        title="拆迁补偿未到位",
        due_date=world.today - timedelta(days=2),
    )

    response = client_for(world.staff_a, language="en").get(
        reverse("projects:project_detail", args=[world.project_x.pk])
    )

    html = response.content.decode()
    assert "拆迁补偿未到位" in html
    assert "用地指标不足" in html
    assert "协调落实二期用地指标" in html
    assert "light-red" in html
    assert "2 days overdue" in html


# --- Forms ------------------------------------------------------------------------------------


def test_an_owner_raises_a_problem_from_the_form(world):
    mark = newest_pk(Notification)

    response = client_for(world.owner_x).post(
        reverse("problems:problem_raise", args=[world.project_x.pk]),
        {
            "title": "施工用电容量不足",
            "description": "需新建开关站。",
            "category": "utilities",
            "severity": "serious",
            "level": "city",
            "lead_department": world.department_a.pk,
            "cooperating_departments": [world.department_b.pk],
            "due_date": "2026-07-15",
        },
    )

    problem = world.project_x.problems.get(title="施工用电容量不足")
    assert response.url == problem.get_absolute_url()
    assert (problem.raised_by, problem.severity, problem.level) == (
        world.owner_x,
        "serious",
        "city",
    )
    assert list(problem.cooperating_departments.all()) == [world.department_b]
    assert notified_since(mark) == {"admin", "coordinator", "staff_a", "staff_b"}


def test_reassigning_a_problem_on_the_edit_page_tells_the_new_lead_department(world):
    problem = world.problem_x
    mark = newest_pk(Notification)

    response = client_for(world.coordinator).post(
        url("problem_edit", problem),
        {
            "title": problem.title,
            "description": problem.description,
            "category": problem.category,
            "severity": problem.severity,
            "level": problem.level,
            "lead_department": world.department_b.pk,
            "due_date": problem.due_date.isoformat(),
            "root_cause": "",
            "version": problem.version,
        },
    )

    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.lead_department == world.department_b
    assert notified_since(mark, "problem_assigned") == {"staff_b"}


def test_an_action_item_is_assigned_from_a_problems_page(world):
    form = client_for(world.leader).get(
        reverse("problems:action_create"),
        {"project": world.project_x.pk, "problem": world.problem_x.pk},
    )
    assert form.context["form"].initial == {
        "project": str(world.project_x.pk),
        "problem": str(world.problem_x.pk),
    }

    response = client_for(world.leader).post(
        reverse("problems:action_create"),
        {
            "title": "三日内报送指标申请",
            "project": world.project_x.pk,
            "problem": world.problem_x.pk,
            "lead_department": world.department_a.pk,
            "due_date": (world.today + timedelta(days=3)).isoformat(),
        },
    )

    item = world.problem_x.action_items.get(title="三日内报送指标申请")
    assert response.url == item.get_absolute_url()
    assert (item.source, item.assigned_by) == ("leader", world.leader)


def test_finished_work_takes_no_updates_or_feedback_from_the_pages_or_the_api(world):
    services.cancel(world.item_a, "不再需要", actor=world.coordinator)
    services.transition_problem(
        world.problem_x, ProblemStatus.RESOLVED, actor=world.staff_a, resolution="已解决"
    )
    browser, api = client_for(world.staff_a), api_for(world.staff_a)
    entries = (world.problem_x.entries.count(), world.item_a.entries.count())

    answers = [
        browser.post(url("action_feedback", world.item_a), {"text": "补充"}, **HTMX),
        browser.post(url("problem_update", world.problem_x), {"text": "补充"}),
        api.post(f"/api/action-items/{world.item_a.pk}/timeline/", {"text": "补充"}),
        api.post(f"/api/problems/{world.problem_x.pk}/timeline/", {"text": "补充"}),
    ]

    assert [a.status_code for a in answers] == [403, 403, 403, 403]
    assert (world.problem_x.entries.count(), world.item_a.entries.count()) == entries


def test_a_closed_problem_says_when_it_closed_and_its_light_says_so(world, clock):
    services.transition_problem(
        world.problem_x, ProblemStatus.RESOLVED, actor=world.staff_a, resolution="已解决"
    )
    resolved = client_for(world.coordinator, language="en").get(
        reverse("problems:problem_detail", args=[world.problem_x.pk])
    )
    clock.advance(days=2)
    services.transition_problem(world.problem_x, ProblemStatus.CLOSED, actor=world.coordinator)
    closed = client_for(world.coordinator, language="en").get(
        reverse("problems:problem_detail", args=[world.problem_x.pk])
    )

    assert "light-awaiting" in resolved.content.decode()
    assert "awaiting closing" in resolved.content.decode()
    html = closed.content.decode()
    assert "light-done" in html
    due = re.search(r"Due</dt><dd[^>]*>(.*?)</dd>", html).group(1)
    assert due.endswith(f"· closed on {clock.today.day} {clock.today:%b %Y}")
    assert "days" not in due
    listed = client_for(world.coordinator, language="en").get(reverse("problems:supervision"))
    row = listed.content.decode().split(f'id="problem-{world.problem_x.pk}"', 1)[1]
    assert f"closed on {clock.today.day} {clock.today:%b %Y}" in row.split("</tr>", 1)[0]
