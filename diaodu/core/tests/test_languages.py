"""The Traditional and English interfaces: catalogue, dates, menu, admin."""

import datetime
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.utils import formats, translation

from diaodu.lib.chinese import simplified_only, to_traditional_interface

TRADITIONAL = Path(settings.BASE_DIR) / "locale/zh_Hant/LC_MESSAGES/django.po"


def test_the_traditional_catalogue_has_no_simplified_only_character():
    catalogue = polib.pofile(str(TRADITIONAL))
    wrong = {
        entry.msgid: found
        for entry in catalogue
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if (found := simplified_only(text))
    }
    assert wrong == {}


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        ("9天后到期", "9天後到期"),
        ("请登录", "請登入"),
        ("重点项目调度", "重點項目調度"),  # the office's words, not 專案 or 排程
        ("项目代码", "項目代碼"),
    ],
)
def test_the_interface_is_converted_with_taiwan_words(simplified, traditional):
    assert to_traditional_interface(simplified) == traditional


def test_english_dates_name_the_month():
    with translation.override("en"):
        assert formats.date_format(datetime.date(2026, 5, 11)) == "11 May 2026"
        assert formats.date_format(datetime.date(2026, 5, 11), "SHORT_DATE_FORMAT") == "11 May 2026"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["zh-hans", "zh-hant", "en"])
def test_the_menu_names_each_language_in_its_own_script(coordinator, language):
    client = Client()
    client.force_login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    html = client.get("/notifications/").content.decode()

    for name in ["简体中文", "繁體中文", "English"]:
        assert name in html
    assert "英语" not in html
    assert "英語" not in html


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_the_admin_sections_are_translated(language):
    sections = {model._meta.app_label for model in admin.site._registry}
    with translation.override(language):
        untranslated = [
            config.label
            for config in apps.get_app_configs()
            if config.label in sections and str(config.verbose_name).isascii()
        ]
    assert untranslated == []
