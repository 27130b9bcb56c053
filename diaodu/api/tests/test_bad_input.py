"""Malformed requests get a clear 400, never a 500, whether or not the caller is known."""

import pytest
from rest_framework.test import APIClient

from diaodu.test import api_for


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [33, 100_000])
def test_deeply_nested_json_to_the_token_endpoint_is_a_400(db, depth):
    response = APIClient(headers={"accept-language": "en"}).post(
        "/api/token/",
        f'{{"username": "a", "password": {_nested(depth)}}}',
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "nested more than 32 levels" in response.json()["detail"]


def test_deeply_nested_json_to_any_endpoint_is_a_400(world):
    response = api_for(world.coordinator, language="en").post(
        "/api/problems/", f'{{"title": {_nested(50_000)}}}', content_type="application/json"
    )

    assert response.status_code == 400
    assert response.json() == {"detail": "JSON nested more than 32 levels deep is not accepted."}


def test_json_as_deep_as_the_limit_is_parsed(world):
    response = api_for(world.coordinator, language="en").post(
        "/api/problems/", f'{{"title": {_nested(31)}}}', content_type="application/json"
    )

    assert response.status_code == 400
    assert "title" in response.json()
