"""The office's document settings and holiday calendar are edited in the admin, each
change in the change log."""

from datetime import date

import pytest

from diaodu.core.models import CalendarDay, ChangeLog, DocumentSettings
from diaodu.test import client_for

pytestmark = pytest.mark.django_db


def test_the_administrator_edits_the_document_settings_and_the_change_is_logged(world):
    settings_ = DocumentSettings.load()

    response = client_for(world.admin).post(
        f"/admin/core/documentsettings/{settings_.pk}/change/",
        {
            "issuing_body": "滨江新区重点项目协调办公室",
            "minutes_code": "滨重协纪",
            "distribution": "各成员单位",
            "copy_to": "",
        },
    )

    assert response.status_code == 302
    settings_.refresh_from_db()
    assert settings_.issuer == "滨江新区重点项目协调办公室"
    change = ChangeLog.objects.for_object(settings_).get()
    assert change.actor == world.admin


def test_the_administrator_enters_an_adjusted_working_weekend(world):
    response = client_for(world.admin).post(
        "/admin/core/calendarday/add/",
        {"date": "2031-01-04", "is_working_day": "on", "name": "元旦调休"},
    )

    assert response.status_code == 302
    day = CalendarDay.objects.get(date=date(2031, 1, 4))
    assert day.is_working_day
    assert ChangeLog.objects.for_object(day).exists()
