"""Bad input through the forms and the API: refused with field errors (a 400 for the API,
the form again for the pages), never a 500, nothing saved, in the request's language."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from diaodu.core.models import ChangeLog
from diaodu.projects import services
from diaodu.projects.models import Milestone, ProgressReport, Project
from diaodu.test import api_for, client_for, form_errors, project_api_data, project_form_data

HAN = re.compile(r"[\u4e00-\u9fff]")


def pk(name):
    """The id of ``world.<name>``, looked up when the case runs."""
    return lambda world: getattr(world, name).pk


# Each case: what is wrong, the fields to send (values may be functions of the world),
# and the field the error must be reported on.
PROJECT_CASES = [
    ("a negative total investment", {"total_investment": "-1"}, "total_investment"),
    ("a total investment above 1 万亿元", {"total_investment": "100000001"}, "total_investment"),
    ("a total investment with 16 digits", {"total_investment": "1" + "0" * 15}, "total_investment"),
    ("a total investment in words", {"total_investment": "一亿"}, "total_investment"),
    ("a negative annual plan", {"annual_plan": "-5"}, "annual_plan"),
    (
        "an annual plan above the total investment",
        {"total_investment": "100", "annual_plan": "100.01"},
        "annual_plan",
    ),
    ("a negative land area", {"land_area": "-1"}, "land_area"),
    ("a land area above 100,000 亩", {"land_area": "100001"}, "land_area"),
    ("a plan year before 2000", {"plan_year": "1999"}, "plan_year"),
    ("a national code too short", {"national_code": "2401-330106-04-01"}, "national_code"),
    ("a letter O for a zero", {"national_code": "2401-33O106-04-01-123456"}, "national_code"),
    ("an unknown owner", {"owner": 999_999}, "owner"),
    ("a department as owner", {"owner": pk("department_b")}, "owner"),
    ("an unknown lead department", {"lead_department": 999_999}, "lead_department"),
    ("an enterprise leading it", {"lead_department": pk("enterprise_y")}, "lead_department"),
    ("an unknown industry", {"industry": 999_999}, "industry"),
    ("an owner as leader", {"responsible_leader": pk("owner_x")}, "responsible_leader"),
    ("an unknown stage", {"stage": "demolished"}, "stage"),
    ("no name", {"name": ""}, "name"),
    ("a name of 201 characters", {"name": "园" * 201}, "name"),
    ("4001 characters of content", {"construction_content": "建" * 4001}, "construction_content"),
    ("the number of project X", {"code": "2026-001"}, "code"),
]  # fmt: skip


def _resolve(world, fields):
    return {name: value(world) if callable(value) else value for name, value in fields.items()}


def _new_project_fields(world, case_fields):
    return {
        "owner": world.enterprise_x.pk,
        "lead_department": world.department_a.pk,
        **_resolve(world, case_fields),
    }


@pytest.mark.parametrize(
    ("case_fields", "field"), [pytest.param(f, e, id=c) for c, f, e in PROJECT_CASES]
)
def test_the_project_form_refuses(world, case_fields, field):
    projects, changes = Project.objects.count(), ChangeLog.objects.count()

    response = client_for(world.coordinator).post(
        reverse("projects:project_create"),
        project_form_data(**_new_project_fields(world, case_fields)),
    )

    assert field in form_errors(response)
    assert (Project.objects.count(), ChangeLog.objects.count()) == (projects, changes)


@pytest.mark.parametrize(
    ("case_fields", "field"), [pytest.param(f, e, id=c) for c, f, e in PROJECT_CASES]
)
def test_the_project_api_refuses(world, case_fields, field):
    projects, changes = Project.objects.count(), ChangeLog.objects.count()

    response = api_for(world.coordinator).post(
        "/api/projects/", project_api_data(**_new_project_fields(world, case_fields))
    )

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert (Project.objects.count(), ChangeLog.objects.count()) == (projects, changes)


def test_changing_only_the_annual_plan_above_the_total_investment_is_refused_by_the_api(world):
    response = api_for(world.coordinator).patch(
        f"/api/projects/{world.project_x.pk}/",
        {"version": world.project_x.version, "annual_plan": "80000.01"},
    )

    assert response.status_code == 400
    assert list(response.json()) == ["annual_plan"]
    world.project_x.refresh_from_db()
    assert str(world.project_x.annual_plan) == "20000.00"


class TestNationalCode:
    CODE = "2401-330106-04-01-123456"

    @pytest.fixture
    def x_has_the_code(self, world):
        services.update_project(world.project_x, {"national_code": self.CODE}, actor=world.admin)

    def test_a_national_code_already_used_is_refused_by_the_form(self, world, x_has_the_code):
        response = client_for(world.coordinator).post(
            reverse("projects:project_create"),
            project_form_data(
                owner=world.enterprise_x.pk,
                lead_department=world.department_a.pk,
                national_code=self.CODE,
            ),
        )

        assert "national_code" in form_errors(response)

    def test_a_national_code_already_used_is_refused_by_the_api(self, world, x_has_the_code):
        api = api_for(world.coordinator)

        created = api.post(
            "/api/projects/",
            project_api_data(
                owner=world.enterprise_x.pk,
                lead_department=world.department_a.pk,
                national_code=self.CODE,
            ),
        )
        changed = api.patch(
            f"/api/projects/{world.project_y.pk}/",
            {"version": world.project_y.version, "national_code": self.CODE},
        )

        assert (created.status_code, changed.status_code) == (400, 400)
        assert "national_code" in created.json()
        assert "national_code" in changed.json()

    def test_many_projects_may_have_no_national_code_yet(self, world):
        form = client_for(world.coordinator).post(
            reverse("projects:project_create"),
            project_form_data(
                owner=world.enterprise_x.pk, lead_department=world.department_a.pk, code="A-1"
            ),
        )
        api_blank = api_for(world.coordinator).post(
            "/api/projects/",
            project_api_data(
                owner=world.enterprise_y.pk,
                lead_department=world.department_b.pk,
                code="A-2",
                national_code="",
            ),
        )
        api_null = api_for(world.coordinator).post(
            "/api/projects/",
            project_api_data(
                owner=world.enterprise_y.pk,
                lead_department=world.department_b.pk,
                code="A-3",
                national_code=None,
            ),
        )

        assert form.status_code == 302
        assert (api_blank.status_code, api_null.status_code) == (201, 201)
        assert Project.objects.filter(national_code__isnull=True).count() == 5


# --- Milestones --------------------------------------------------------------------------


def test_the_office_cannot_confirm_an_actual_date_in_the_future(world):
    form = client_for(world.coordinator).post(
        reverse("projects:milestone_edit", args=[world.milestone_x.pk]),
        {"planned_date": "2026-07-01", "actual_date": "2026-06-11"},
    )
    api = api_for(world.coordinator).patch(
        f"/api/milestones/{world.milestone_x.pk}/",
        {"version": world.milestone_x.version, "actual_date": "2026-06-11"},
    )

    assert "actual_date" in form_errors(form)
    assert api.status_code == 400
    assert "actual_date" in api.json()
    world.milestone_x.refresh_from_db()
    assert world.milestone_x.actual_date is None


def test_an_actual_date_of_today_is_accepted(world):
    api = api_for(world.coordinator).patch(
        f"/api/milestones/{world.milestone_x.pk}/",
        {"version": world.milestone_x.version, "actual_date": "2026-06-10"},
    )

    assert api.status_code == 200


def test_an_owner_cannot_report_a_milestone_achieved_tomorrow(world):
    form = client_for(world.owner_x).post(
        reverse("projects:milestone_report", args=[world.milestone_x.pk]),
        {"reported_date": "2026-06-11"},
    )
    api = api_for(world.owner_x).post(
        f"/api/milestones/{world.milestone_x.pk}/report/", {"reported_date": "2026-06-11"}
    )

    assert "reported_date" in form_errors(form)
    assert api.status_code == 400
    assert "reported_date" in api.json()
    world.milestone_x.refresh_from_db()
    assert str(world.milestone_x.reported_date) == "2026-06-01"


@pytest.mark.parametrize("value", ["2026-13-01", "yesterday", ""])
def test_an_owner_reporting_a_date_that_is_not_a_date_gets_a_field_error(world, value):
    form = client_for(world.owner_x).post(
        reverse("projects:milestone_report", args=[world.milestone_x.pk]),
        {"reported_date": value},
    )
    api = api_for(world.owner_x).post(
        f"/api/milestones/{world.milestone_x.pk}/report/", {"reported_date": value}
    )

    assert "reported_date" in form_errors(form)
    assert api.status_code == 400
    assert "reported_date" in api.json()


def test_a_milestone_kind_cannot_be_added_twice_to_one_project(world):
    kind = world.milestone_x.kind
    before = Milestone.objects.count()

    form = client_for(world.coordinator).post(
        reverse("projects:milestone_add", args=[world.project_x.pk]),
        {"kind": kind.pk, "planned_date": "2026-09-01"},
    )
    api = api_for(world.coordinator).post(
        "/api/milestones/", {"project": world.project_x.pk, "kind": kind.pk}
    )

    assert "kind" in form_errors(form)
    assert api.status_code == 400, api.content
    assert list(api.json()) == ["non_field_errors"]
    assert Milestone.objects.count() == before


def test_a_milestone_of_an_unknown_kind_or_with_an_over_long_note_is_refused(world):
    api = api_for(world.coordinator)

    unknown = api.post("/api/milestones/", {"project": world.project_x.pk, "kind": 999_999})
    long_note = api.patch(
        f"/api/milestones/{world.milestone_x.pk}/",
        {"version": world.milestone_x.version, "note": "注" * 201},
    )
    form = client_for(world.coordinator).post(
        reverse("projects:milestone_edit", args=[world.milestone_x.pk]),
        {"planned_date": "2026-07-01", "note": "注" * 201},
    )

    assert unknown.status_code == 400
    assert "kind" in unknown.json()
    assert long_note.status_code == 400
    assert "note" in long_note.json()
    assert "note" in form_errors(form)


def test_only_a_department_can_be_a_milestones_approving_department(world):
    enterprise = world.enterprise_y.pk

    form = client_for(world.coordinator).post(
        reverse("projects:milestone_edit", args=[world.milestone_x.pk]),
        {"planned_date": "2026-07-01", "approving_department": enterprise},
    )
    api = api_for(world.coordinator).patch(
        f"/api/milestones/{world.milestone_x.pk}/",
        {"version": world.milestone_x.version, "approving_department": enterprise},
    )
    department = api_for(world.coordinator).patch(
        f"/api/milestones/{world.milestone_x.pk}/",
        {"version": world.milestone_x.version, "approving_department": world.department_b.pk},
    )

    assert "approving_department" in form_errors(form)
    assert api.status_code == 400
    assert "approving_department" in api.json()
    assert department.status_code == 200


def test_confirming_a_milestone_nobody_reported_is_refused(world):
    signing = world.project_x.milestones.get(kind__code="signing")

    api = api_for(world.coordinator).post(f"/api/milestones/{signing.pk}/confirm/")
    page = client_for(world.coordinator).post(
        reverse("projects:milestone_confirm", args=[signing.pk]), follow=True
    )

    assert api.status_code == 400
    assert "non_field_errors" in api.json()
    assert page.status_code == 200
    assert [m.level_tag for m in page.context["messages"]] == ["error"]
    signing.refresh_from_db()
    assert signing.actual_date is None


# --- Progress reports ----------------------------------------------------------------------

REPORT = {
    "period_kind": "month",
    "period_start": "2026-06-01",
    "narrative": "施工",
    "investment": "10",
}

REPORT_CASES = [
    ("a negative investment", {"investment": "-0.01"}, "investment"),
    ("an investment above 1 万亿元", {"investment": "100000000.01"}, "investment"),
    ("an investment in words", {"investment": "五百万"}, "investment"),
    ("a period that has not begun", {"period_start": "2026-07-01"}, "period_start"),
    ("next week", {"period_kind": "week", "period_start": "2026-06-15"}, "period_start"),
    ("an unknown period kind", {"period_kind": "year"}, "period_kind"),
    ("no narrative", {"narrative": ""}, "narrative"),
    ("a narrative of 4001 characters", {"narrative": "进" * 4001}, "narrative"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case_fields", "field"), [pytest.param(f, e, id=c) for c, f, e in REPORT_CASES]
)
def test_the_report_form_refuses(world, case_fields, field):
    before = ProgressReport.objects.count()

    response = client_for(world.owner_x).post(
        reverse("projects:report_create", args=[world.project_x.pk]), {**REPORT, **case_fields}
    )

    assert field in form_errors(response)
    assert ProgressReport.objects.count() == before


@pytest.mark.parametrize(
    ("case_fields", "field"), [pytest.param(f, e, id=c) for c, f, e in REPORT_CASES]
)
def test_the_report_api_refuses(world, case_fields, field):
    before = ProgressReport.objects.count()

    response = api_for(world.owner_x).post(
        "/api/progress-reports/", {**REPORT, "project": world.project_x.pk, **case_fields}
    )

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert ProgressReport.objects.count() == before


def test_a_second_report_for_the_same_month_is_refused(world):
    may = {**REPORT, "period_start": "2026-05-20"}  # any day of May means May

    form = client_for(world.owner_x).post(
        reverse("projects:report_create", args=[world.project_x.pk]), may
    )
    api = api_for(world.owner_x).post(
        "/api/progress-reports/", {**may, "project": world.project_x.pk}
    )

    assert "__all__" in form_errors(form)
    assert api.status_code == 400
    assert "non_field_errors" in api.json()
    assert world.project_x.progress_reports.count() == 1


def test_returning_a_report_without_saying_why_is_refused(world):
    form = client_for(world.coordinator).post(
        reverse("projects:report_review", args=[world.report_x.pk]), {"approve": "0", "note": " "}
    )
    api = api_for(world.coordinator).post(
        f"/api/progress-reports/{world.report_x.pk}/review/", {"approve": False, "note": ""}
    )

    assert form_errors(form)
    assert api.status_code == 400
    assert "review_note" in api.json()
    world.report_x.refresh_from_db()
    assert world.report_x.status == "submitted"


def test_a_review_without_a_decision_is_refused(world):
    form = client_for(world.coordinator).post(
        reverse("projects:report_review", args=[world.report_x.pk]), {"note": "好"}
    )
    api = api_for(world.coordinator).post(
        f"/api/progress-reports/{world.report_x.pk}/review/", {"note": "好"}
    )

    assert "approve" in form_errors(form)
    assert api.status_code == 400
    assert "approve" in api.json()


def test_an_approved_report_cannot_be_reviewed_again(world):
    services.review_report(world.report_x, approve=True, actor=world.coordinator)

    api = api_for(world.coordinator).post(
        f"/api/progress-reports/{world.report_x.pk}/review/", {"approve": False, "note": "再看看"}
    )

    assert api.status_code == 400
    world.report_x.refresh_from_db()
    assert world.report_x.status == "approved"


# --- Language ------------------------------------------------------------------------------


def _in(language, message):
    with translation.override(language):
        return str(translation.gettext(message))


ANNUAL_PLAN_TOO_HIGH = "The annual plan cannot exceed the total investment."


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_the_api_explains_a_domain_rule_in_the_requests_language(world, language):
    response = api_for(world.coordinator, language=language).patch(
        f"/api/projects/{world.project_x.pk}/",
        {"version": world.project_x.version, "annual_plan": "90000"},
    )

    assert response.json() == {"annual_plan": [_in(language, ANNUAL_PLAN_TOO_HIGH)]}


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_the_form_explains_a_domain_rule_in_the_requests_language(world, language):
    response = client_for(world.coordinator, language=language).post(
        reverse("projects:project_edit", args=[world.project_x.pk]),
        project_form_data(world.project_x, annual_plan="90000"),
    )

    assert form_errors(response) == {"annual_plan": [_in(language, ANNUAL_PLAN_TOO_HIGH)]}


def test_in_english_the_api_says_what_is_wrong_in_english(world):
    api = api_for(world.owner_x, language="en")
    body = {**REPORT, "project": world.project_x.pk}

    negative = api.post("/api/progress-reports/", {**body, "investment": "-1"})
    future = api.post("/api/progress-reports/", {**body, "period_start": "2026-07-01"})

    assert negative.json() == {"investment": ["Ensure this value is greater than or equal to 0."]}
    assert future.json() == {
        "period_start": ["A report cannot be for a period that has not begun."]
    }


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_in_chinese_a_standard_validation_message_is_chinese(world, language):
    api = api_for(world.owner_x, language=language).post(
        "/api/progress-reports/", {**REPORT, "project": world.project_x.pk, "investment": "-1"}
    )
    form = client_for(world.owner_x, language=language).post(
        reverse("projects:report_create", args=[world.project_x.pk]), {**REPORT, "investment": "-1"}
    )

    for message in (api.json()["investment"][0], form_errors(form)["investment"][0]):
        assert HAN.search(message), message
        assert "Ensure" not in message


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_a_service_refuses_in_the_active_language(world, language):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        services.review_report(world.report_x, approve=False, note="", actor=world.coordinator)

    expected = _in(language, "Say what needs revising.")
    assert refused.value.message_dict == {"review_note": [expected]}
    if language == "en":
        assert expected == "Say what needs revising."
