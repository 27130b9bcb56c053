"""The API as a whole: authentication, the schema, and the interactive documentation."""

from rest_framework.test import APIClient

from diaodu.accounts.services import issue_token
from diaodu.factories import OwnerFactory
from diaodu.test import api_for


def test_a_client_gets_a_token_with_a_password_and_uses_it(world, fast_password_hashing):
    world.owner_x.set_password("correct-horse-battery")
    world.owner_x.save(update_fields=["password"])
    client = APIClient()

    refused = client.post("/api/token/", {"username": "owner_x", "password": "wrong"})
    token = client.post(
        "/api/token/", {"username": "owner_x", "password": "correct-horse-battery"}
    ).json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    projects = client.get("/api/projects/").json()

    assert refused.status_code == 400
    assert [p["name"] for p in projects["results"]] == ["水务产业园"]


def test_a_username_longer_than_any_account_is_a_field_error_not_a_crash(db):
    response = APIClient().post("/api/token/", {"username": "x" * 300, "password": "wrong"})

    assert response.status_code == 400
    assert "username" in response.json()


def test_a_bad_token_is_refused(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    assert client.get("/api/projects/").status_code == 401


def test_a_deactivated_persons_token_stops_working(db):
    person = OwnerFactory()
    _token, key = issue_token(person)
    person.is_active = False
    person.save(update_fields=["is_active"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    assert client.get("/api/projects/").status_code == 401


def test_without_credentials_every_endpoint_says_401(db):
    client = APIClient()

    for url in ("/api/projects/", "/api/milestones/", "/api/progress-reports/",
                "/api/organisations/", "/api/people/", "/api/milestone-kinds/"):  # fmt: skip
        assert client.get(url).status_code == 401, url


def test_the_openapi_schema_describes_every_endpoint(db, client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {
        "/api/projects/",
        "/api/projects/{id}/",
        "/api/projects/{id}/investment/",
        "/api/milestones/{id}/report/",
        "/api/milestones/{id}/confirm/",
        "/api/progress-reports/{id}/review/",
        "/api/organisations/",
        "/api/people/",
        "/api/requests/",
        "/api/requests/{id}/accept/",
        "/api/requests/{id}/rate/",
    } <= paths


def test_the_interactive_documentation_needs_no_internet(db, client):
    html = client.get("/api/docs/").content.decode()

    assert "swagger-ui" in html
    assert "cdn." not in html
    assert "unpkg" not in html


def test_an_address_under_api_that_names_nothing_is_answered_in_json(world):
    api = api_for(world.coordinator)
    for method, url in [
        ("get", "/api/problems/abc/"),
        ("post", "/api/problems/0.5/transition/"),
        ("get", "/api/no-such-thing/"),
    ]:
        response = getattr(api, method)(url)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert "detail" in response.json()
    # Without the slash, Django still redirects to the address with it.
    assert api.get("/api/projects").status_code == 301
