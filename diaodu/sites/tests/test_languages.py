"""The map and the site pages in the three languages."""

import pytest
from django.urls import reverse

from diaodu.test import client_for

pytestmark = pytest.mark.django_db

TITLES = {"en": "Zone map", "zh-hans": "园区一张图", "zh-hant": "園區一張圖"}
LAYERS = {"en": "Approvals pending", "zh-hans": "待审批事项", "zh-hant": "待審批事項"}
SITE = {"en": "Location and parcels", "zh-hans": "位置与地块", "zh-hant": "位置與地塊"}


@pytest.mark.parametrize("language", TITLES)
def test_the_map_and_the_site_page_speak_the_reader_s_language(world, language):
    client = client_for(world.coordinator, language)

    map_page = client.get(reverse("sites:map")).content.decode()
    site_page = client.get(
        reverse("sites:project_site", args=[world.project_x.pk])
    ).content.decode()

    assert TITLES[language] in map_page
    # The layer names reach the map's script as JSON (escaped), in the reader's language.
    assert (
        LAYERS[language].encode("unicode_escape").decode() in map_page
        or LAYERS[language] in map_page
    )
    assert SITE[language] in site_page
