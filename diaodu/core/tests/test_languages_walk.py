"""Every main page of every role, read in Traditional Chinese and in English, shows no
Simplified text but the data people wrote (names, titles, descriptions); in English, its
headings and labels start with a capital.

The demo zone is loaded as a Simplified-reading office works it, with each role's
notifications and the projects' history written in Simplified. What code writes and
stores (notifications, the change log, deliveries) is not taken for data: it must read in
the reader's language. ``test_the_walk_finds_simplified_text_planted_in_the_interface``
proves the walk can fail.
"""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext_noop

from diaodu import demo
from diaodu.accounts.models import User
from diaodu.core.choices import ChangeAction
from diaodu.core.models import ChangeLog
from diaodu.core.tests.test_main_pages_browser import MAIN_PAGES, ROLES
from diaodu.lib.chinese import simplified_only, to_traditional
from diaodu.meetings.models import Meeting
from diaodu.notifications.messages import message
from diaodu.notifications.models import Delivery, Notification
from diaodu.notifications.services import notify
from diaodu.projects import services as project_services
from diaodu.projects.access import visible_projects
from diaodu.test import reader_text

pytestmark = pytest.mark.django_db

SEARCHED = "水务"  # what the search page's query echoes
# Text that code writes and stores, to be shown in the reader's language: never data.
WRITTEN_BY_CODE = {Notification, ChangeLog, Delivery}


def data_texts(language: str) -> list[str]:
    """Every text people wrote in the zone (and its Traditional form), longest first, so
    a name inside a longer title goes with the title. Vocabulary with an English name (a
    milestone kind, an industry) is not data to an English reader: it must show in English."""
    texts = set()
    for model in apps.get_models():
        if not model.__module__.startswith("diaodu.") or model in WRITTEN_BY_CODE:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        rows = model.objects.all()
        if language == "en" and "name_en" in fields:
            rows = rows.filter(name_en="")
        for row in rows.values_list(*fields) if fields else ():
            texts.update(value for value in row if value and not value.isascii())
    texts |= {line for text in texts for line in text.splitlines()}  # <br> splits them
    texts |= {to_traditional(text) for text in texts}
    texts.add(SEARCHED)
    return sorted(texts, key=len, reverse=True)


_LABEL = re.compile(r"<(th|h[1-6]|label|legend|dt)\b[^>]*>(.*?)</\1>", re.S)


def labels(html: str) -> list[str]:
    found = (re.sub(r"<[^>]+>", " ", inner).strip() for _tag, inner in _LABEL.findall(html))
    return [label for label in found if label]


def without(text: str, texts: list[str]) -> str:
    for data in texts:
        text = text.replace(data, " ")
    return text


def zone_worked_in_simplified():
    """The demo zone, and what a day of the office adds: every role notified, a time node
    re-planned on each project (its history names the node's kind)."""
    demo.load()
    with translation.override("zh-hans"):
        notify(
            event="minutes_issued",
            title=message(
                gettext_noop("Minutes issued: %(meeting)s"), meeting=Meeting.objects.first()
            ),
            body=message(gettext_noop("Your organisation has assignments in these minutes.")),
            users=User.objects.filter(username__in=ROLES.values()),
        )
        office = User.objects.get(username=ROLES["coordinator"])
        for project in visible_projects(office):
            node = project.milestones.filter(
                actual_date__isnull=True, planned_date__isnull=False
            ).first()
            if node:
                later = node.planned_date + timedelta(days=7)
                project_services.plan_milestone(node, {"planned_date": later}, actor=office)


def walk(language: str, roles=tuple(ROLES), pages=MAIN_PAGES):
    """Visit ``pages`` as each of ``roles``; return the Simplified-only characters found
    outside data (page: excerpts) and the English labels not in sentence case."""
    texts, found, lowercase = data_texts(language), {}, []
    for role in roles:
        user = User.objects.get(username=ROLES[role])
        client = Client()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for page in pages:
            if role not in page.roles:
                continue
            response = client.get(page.url(user), follow=True)
            assert response.status_code == page.status, page.name
            html = response.content.decode()
            text = without(reader_text(html, language), texts)
            if language == "en":
                lowercase += [f"{page.name}: {x}" for x in labels(html) if x[0].islower()]
            if chars := simplified_only(text):
                found[f"{role} {page.name}"] = [
                    text[max(i - 12, 0) : i + 12] for i, char in enumerate(text) if char in chars
                ][:5]
    return found, lowercase


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_the_main_pages_show_no_simplified_interface_text(language):
    zone_worked_in_simplified()
    for username in ROLES.values():  # what the walk reads is there to be read
        assert Notification.objects.filter(recipient__username=username).exists()
    office = User.objects.get(username=ROLES["coordinator"])
    first = visible_projects(office).order_by("pk").first()  # the project page's
    assert project_services.history_of(first).filter(object_label__isnull=False).exists()

    found, lowercase = walk(language)

    assert sorted(set(lowercase)) == []  # headings, column titles and labels: sentence case
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_the_walk_finds_simplified_text_planted_in_the_interface(language):
    """A message the catalogue lacks, and a change to a field the log cannot name in the
    reader's language, are interface text: the walk must report both, however much data
    it sets aside."""
    zone_worked_in_simplified()
    office = User.objects.get(username=ROLES["coordinator"])
    Notification.objects.create(
        recipient=office, event="reminder", title_message={"key": "计划节点已调整", "params": {}}
    )
    project = visible_projects(office).order_by("pk").first()
    change = project_services.history_of(project).filter(action=ChangeAction.UPDATE).first()
    ChangeLog.objects.filter(pk=change.pk).update(
        before={"筹备仪式": "1"}, after={"筹备仪式": "2"}, timestamp=timezone.now()
    )
    pages = [page for page in MAIN_PAGES if page.name in ("notifications", "project")]

    found, _lowercase = walk(language, ("coordinator",), pages)

    assert set(found) == {"coordinator notifications", "coordinator project"}
    assert any("节" in excerpt for excerpt in found["coordinator notifications"])
    assert any("筹备仪式"[1:3] in excerpt for excerpt in found["coordinator project"])
