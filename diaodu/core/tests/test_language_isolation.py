"""A request in one test must not leave its language active for the next: these two run in
this order, the second outside any request."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from diaodu.test import client_for


def test_an_english_request(world):
    response = client_for(world.coordinator, language="en").get(reverse("projects:project_list"))

    assert response.status_code == 200
    assert translation.get_language() == "en"


def test_the_next_test_runs_in_the_sites_language(db):
    assert translation.get_language() == settings.LANGUAGE_CODE
