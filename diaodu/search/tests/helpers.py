from django.urls import reverse

from diaodu.test import api_for, client_for


def page_groups(user, text: str, **params) -> dict[str, list[str]]:
    """The search page's results for ``user``: titles by kind, in the order shown."""
    response = client_for(user).get(reverse("search:search"), {"q": text, **params})
    assert response.status_code == 200
    return {
        group.kind.value: [hit.title for hit in group.hits]
        for group in response.context.get("groups") or []
    }


def api_groups(user, text: str, **params) -> dict[str, list[str]]:
    """The search API's results for ``user``, in the same shape as ``page_groups``."""
    response = api_for(user).get(reverse("api:search"), {"q": text, **params})
    assert response.status_code == 200, response.content.decode()[:500]
    return {
        group["kind"]: [hit["title"] for hit in group["results"]]
        for group in response.json()["groups"]
    }
