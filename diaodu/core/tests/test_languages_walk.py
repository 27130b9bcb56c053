"""Every main page of every role, read in Traditional Chinese and in English, shows no
Simplified text but the data people wrote (names, titles, descriptions); in English, its
headings and labels start with a capital."""

import re

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.test import Client

from diaodu import demo
from diaodu.accounts.models import User
from diaodu.core.tests.test_main_pages_browser import MAIN_PAGES, ROLES
from diaodu.lib.chinese import simplified_only, to_traditional
from diaodu.notifications.models import Notification
from diaodu.test import reader_text

pytestmark = pytest.mark.django_db

SEARCHED = "水务"  # what the search page's query echoes


def data_texts() -> list[str]:
    """Every text people wrote in the zone (and its Traditional form), longest first, so
    a name inside a longer title goes with the title."""
    texts = set()
    for model in apps.get_models():
        if not model.__module__.startswith("diaodu.") or model is Notification:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        for row in model.objects.values_list(*fields) if fields else ():
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


@pytest.mark.parametrize("language", ["zh-hant", "en"])
def test_the_main_pages_show_no_simplified_interface_text(language):
    demo.load()
    texts, found, lowercase = data_texts(), {}, []
    for role, username in ROLES.items():
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for page in MAIN_PAGES:
            if role not in page.roles:
                continue
            response = client.get(page.url(user), follow=True)
            assert response.status_code == page.status, page.name
            text = without(reader_text(response.content.decode(), language), texts)
            if language == "en":
                lowercase += [
                    f"{page.name}: {label}"
                    for label in labels(response.content.decode())
                    if label[0].islower()
                ]
            if chars := simplified_only(text):
                found[f"{role} {page.name}"] = [
                    text[max(i - 12, 0) : i + 12] for i, char in enumerate(text) if char in chars
                ][:5]
    assert sorted(set(lowercase)) == []  # headings, column titles and labels: sentence case
    assert found == {}, "\n".join(f"{k}: {v}" for k, v in found.items())
