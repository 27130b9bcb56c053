"""SQL wildcards, quotes and very long text are plain text: found literally, refused
with a message when too long, never an error page."""

import pytest
from django.urls import reverse

from diaodu.core.search import MAX_QUERY_LENGTH
from diaodu.factories import MeetingFactory
from diaodu.search.tests.helpers import api_groups, page_groups
from diaodu.test import api_for, client_for

TOO_LONG = "水" * 500


@pytest.mark.parametrize("query", ["%", "%%", "水_", "\\", "'", '"', "' OR 1=1 --", "水%务"])
def test_wildcards_and_quotes_match_only_themselves(found, query):
    """No name in the world contains these; a wildcard would have matched everything."""
    on_page = page_groups(found.coordinator, query)

    assert on_page == {}
    assert api_groups(found.coordinator, query) == on_page


def test_an_underscore_finds_the_names_that_contain_one(found):
    """User names such as staff_a contain an underscore; display names do not."""
    assert page_groups(found.coordinator, "_") == {
        "person": ["华材刘经理", "审批局小赵", "绿源张经理", "资规局小王"]
    }


def test_quotes_in_a_name_are_found_by_quotes(found):
    MeetingFactory(title='"三个一批"推进会', chair=found.leader, created_by=found.coordinator)

    assert page_groups(found.coordinator, '"三个一批"') == {"meeting": ['"三个一批"推进会']}
    assert page_groups(found.coordinator, "'三个一批'") == {}


def test_a_too_long_query_is_refused_with_a_message_on_the_page(found):
    response = client_for(found.coordinator).get(reverse("search:search"), {"q": TOO_LONG})

    assert response.status_code == 200
    assert response.context["form"].errors["q"]
    assert str(MAX_QUERY_LENGTH) in response.content.decode()
    assert "groups" not in response.context


def test_a_query_of_the_longest_length_is_searched(found):
    assert page_groups(found.coordinator, "水" * MAX_QUERY_LENGTH) == {}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": TOO_LONG}, "q"),
        ({"q": ""}, "q"),
        ({}, "q"),
        ({"q": "水务", "kind": "everything"}, "kind"),
    ],
)
def test_the_api_says_what_is_wrong_with_a_query(found, params, field):
    response = api_for(found.coordinator).get(reverse("api:search"), params)

    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_an_empty_query_shows_the_search_box_and_what_it_finds(found):
    response = client_for(found.owner_x).get(reverse("search:search"), {"q": "   "})

    assert response.status_code == 200
    assert "groups" not in response.context


def test_an_unknown_kind_on_the_page_is_a_message_not_an_error(found):
    response = client_for(found.coordinator).get(
        reverse("search:search"), {"q": "水务", "kind": "secrets"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["kind"]


@pytest.mark.parametrize("page", ["0", "-1", "x", "99999"])
def test_any_page_number_shows_a_page(found, page):
    response = client_for(found.coordinator).get(
        reverse("search:search"), {"q": "水务", "kind": "project", "page": page}
    )

    assert response.status_code == 200
    assert response.context["groups"][0].hits


def test_the_search_page_asks_visitors_to_log_in(client):
    response = client.get(reverse("search:search"), {"q": "水务"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_search_api_refuses_visitors(client):
    assert client.get(reverse("api:search"), {"q": "水务"}).status_code in (401, 403)
