"""Text pasted from Word carries characters that XML (and so .docx) cannot hold, such as
U+000B, Word's manual line break. They are cleaned where text enters, on pages and in the
API, and rows that already hold them still make documents."""

import json

import pytest
from django.urls import reverse

from diaodu.factories import ProblemFactory
from diaodu.meetings.tests.helpers import all_text, docx_of, read_docx
from diaodu.problems.models import Problem
from diaodu.projects.choices import ReportStatus
from diaodu.projects.models import ProgressReport
from diaodu.test import api_for, client_for

pytestmark = pytest.mark.usefixtures("meetings")


def _problem(w, title):
    return {
        "title": title,
        "description": "需新建开关站。",
        "category": "utilities",
        "severity": "normal",
        "level": "zone",
        "lead_department": w.department_a.pk,
        "due_date": "2026-07-15",
    }


def _documents_of(w):
    """The briefing, the draft minutes and the issued minutes of meeting X."""
    coordinator = client_for(w.coordinator)
    briefing = coordinator.get(
        reverse("meetings:meeting_briefing", args=[w.meeting_x.pk]) + "?format=docx"
    )
    minutes = reverse("meetings:meeting_minutes", args=[w.meeting_x.pk])
    draft = coordinator.get(minutes)
    issued = coordinator.post(reverse("meetings:meeting_issue", args=[w.meeting_x.pk]))
    assert issued.status_code == 302, issued.status_code
    return docx_of(briefing), docx_of(draft), read_docx(b"".join(coordinator.get(minutes)))


def test_a_word_line_break_in_a_problem_title_is_cleaned_on_the_page(world):
    response = client_for(world.owner_x).post(
        reverse("problems:problem_raise", args=[world.project_x.pk]),
        _problem(world, "施工用电\x0b容量不足\ufffe"),
    )

    assert response.status_code == 302
    assert Problem.objects.latest("pk").title == "施工用电\n容量不足"


def test_control_characters_in_a_problem_title_are_cleaned_by_the_api(world):
    body = {**_problem(world, "施工用电\x0b容量\x00不足\ud800"), "project": world.project_x.pk}

    response = api_for(world.owner_x).post(
        "/api/problems/", json.dumps(body), content_type="application/json"
    )

    assert response.status_code == 201, response.content
    assert Problem.objects.get(pk=response.json()["id"]).title == "施工用电\n容量不足"


def test_documents_are_made_from_rows_that_already_hold_control_characters(world):
    ProblemFactory(project=world.project_x, title="用地\x0b指标\x1f不足", raised_by=world.owner_x)
    ProgressReport.objects.filter(project=world.project_x).update(
        narrative="完成场地\x0b平整。", status=ReportStatus.APPROVED
    )

    briefing, draft, issued = _documents_of(world)

    assert "用地\n指标不足" in all_text(briefing)
    assert "完成场地\n平整。" in all_text(briefing)
    assert all_text(draft) == all_text(issued)
    assert ProgressReport.objects.filter(narrative__contains="\x0b").exists()
