"""Notifications are stored as messages and read in each reader's language."""

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext_noop

from diaodu.factories import DepartmentFactory, DepartmentStaffFactory
from diaodu.lib.chinese import simplified_only
from diaodu.notifications.messages import count, join, message, render_in
from diaodu.notifications.models import Delivery, Preference
from diaodu.notifications.services import notify
from diaodu.test import reader_text

pytestmark = pytest.mark.django_db


def reader(language: str, user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


@pytest.fixture
def people():
    # Script-neutral names: what the test reads is the interface, not the data.
    department = DepartmentFactory(name="区規劃局", short_name="規劃局")
    return [
        DepartmentStaffFactory(
            username=f"reader{n}", display_name=f"王{n}", organisation=department
        )
        for n in range(2)
    ]


def notify_in_simplified(people):
    with translation.override("zh-hans"):
        notify(
            event="problem_assigned",
            title=message(gettext_noop("Problem assigned to you: %(title)s"), title="协调电力接入"),
            body=join(
                "\n",
                message(gettext_noop("Your organisation has assignments in these minutes.")),
                count(
                    gettext_noop("%(count)d item overdue"),
                    gettext_noop("%(count)d items overdue"),
                    3,
                ),
            ),
            users=people,
        )


@pytest.mark.parametrize(
    ("language", "title", "overdue"),
    [
        ("zh-hant", "新交辦問題：協調電力接入", "3項已逾期"),
        ("en", "Problem assigned to you: 协调电力接入", "3 items overdue"),
    ],
)
def test_a_notification_written_in_simplified_reads_in_the_readers_language(
    people, language, title, overdue
):
    notify_in_simplified(people)

    html = reader(language, people[0]).get("/notifications/").content.decode()

    text = reader_text(html, language)
    assert title in text
    assert overdue in text
    # English readers see the data as it was written, and nothing else in Chinese.
    interface = text.replace("协调电力接入", "")
    assert simplified_only(interface) == ""


def test_e_mails_are_written_in_each_recipients_language(people):
    Preference.objects.create(user=people[1], language="en")

    notify_in_simplified(people)

    written = {
        d.notification.recipient.username: (d.language, render_in(d.title_message, d.language))
        for d in Delivery.objects.select_related("notification__recipient")
    }
    assert written == {
        "reader0": ("", "新交办问题：协调电力接入"),  # no preference: the site's language
        "reader1": ("en", "Problem assigned to you: 协调电力接入"),
    }
    # In the log, each reader reads the title in their own language.
    titles = {
        d.notification.recipient.username: render_in(d.title_message, "en")
        for d in Delivery.objects.select_related("notification__recipient")
    }
    assert titles == {
        "reader0": "Problem assigned to you: 协调电力接入",
        "reader1": "Problem assigned to you: 协调电力接入",
    }


def test_switching_language_remembers_it_for_e_mails(people):
    client = reader("zh-hans", people[0])

    client.post("/i18n/setlang/", {"language": "zh-hant", "next": "/"})

    assert Preference.objects.get(user=people[0]).language == "zh-hant"
    assert mail.outbox == []
