"""Helpers for the dashboard tests: following a figure's link to the list behind it."""

from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

DASHBOARD = reverse("dashboard:dashboard")
API = "/api/dashboard/"


def rows_behind(browser, url: str) -> int:
    """How many rows the list at ``url`` holds (over all its pages)."""
    response = browser.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.context["page"].paginator.count


def by_link(figures, parameter: str) -> dict:
    """``{value of parameter in the link: figure}`` of a list of figures (objects or API
    dicts), zeros left out: stable whatever language the labels are in."""
    result = {}
    for figure in figures:
        url, value = (
            (figure["url"], figure["value"])
            if isinstance(figure, dict)
            else (
                figure.url,
                figure.value,
            )
        )
        if value:
            result[parse_qs(urlsplit(url).query)[parameter][0]] = value
    return result


def by_label(figures) -> dict:
    """``{label: value}`` of a list of figures (objects or API dicts), zeros left out."""
    pairs = (
        (str(f["label"]), f["value"]) if isinstance(f, dict) else (str(f.label), f.value)
        for f in figures
    )
    return {label: value for label, value in pairs if value}


def money(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))
