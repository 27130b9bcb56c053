"""Every dashboard page renders for a leader in each language the zone works in (how they
look on a phone is the browser suite's to check)."""

import pytest
from django.urls import reverse

from diaodu.test import client_for

PAGES = [
    reverse("dashboard:dashboard"),
    reverse("dashboard:cards"),
    reverse("dashboard:timeline"),
    reverse("dashboard:timeline") + "?scale=quarter",
    reverse("dashboard:departments"),
    reverse("dashboard:approvals"),
    reverse("dashboard:land"),
]

# A word of the navigation in each language, to know the page was translated.
LANGUAGES = {"zh-hans": "项目", "zh-hant": "項目", "en": "Project cards"}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_renders_for_a_leader_in_each_language(scene, language):
    browser = client_for(scene.leader, language)

    for url in PAGES:
        response = browser.get(url)

        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, url
        assert LANGUAGES[language] in html, url


@pytest.mark.parametrize("language", ["zh-hans", "zh-hant"])
def test_the_dashboard_s_own_words_are_translated(world, language):
    html = client_for(world.leader, language).get(PAGES[0]).content.decode()

    for english in ("Project cards", "Milestone timeline", "Land efficiency", "Dashboard"):
        assert english not in html
