"""A project page shows its latest ten changes; "earlier changes" loads ten more at a time."""

from django.urls import reverse

from diaodu.projects import services
from diaodu.test import client_for

HTMX = {"HX-Request": "true"}


def test_the_history_comes_ten_at_a_time_newest_first(world):
    project = world.project_x
    for n in range(25):
        services.update_project(project, {"location": f"地块{n}"}, actor=world.coordinator)
    total = services.history_of(project).count()
    newest = list(services.history_of(project).values_list("pk", flat=True))
    browser = client_for(world.owner_x, language="en")
    more = reverse("projects:project_history", args=[project.pk])

    page = browser.get(project.get_absolute_url())
    second = browser.get(f"{more}?start=10", headers=HTMX)
    last_start = (total - 1) // 10 * 10
    last = browser.get(f"{more}?start={last_start}", headers=HTMX)

    assert [c.pk for c in page.context["changes"]] == newest[:10]
    assert f'hx-get="{more}?start=10"' in page.content.decode()
    assert [c.pk for c in second.context["changes"]] == newest[10:20]
    assert f'hx-get="{more}?start=20"' in second.content.decode()
    assert "<html" not in second.content.decode(), "a fragment for the list"
    assert [c.pk for c in last.context["changes"]] == newest[last_start:]
    assert "hx-get" not in last.content.decode(), "nothing earlier"


def test_without_javascript_earlier_changes_are_a_page(world):
    url = reverse("projects:project_history", args=[world.project_x.pk])

    response = client_for(world.owner_x, language="en").get(f"{url}?start=x")

    assert response.status_code == 200
    assert "<html" in response.content.decode()
    assert response.context["changes"][0] == services.history_of(world.project_x).first()


def test_the_history_of_a_project_one_may_not_see_is_not_found(world):
    url = reverse("projects:project_history", args=[world.project_x.pk])

    assert client_for(world.owner_y).get(url).status_code == 404


def test_a_change_made_in_simplified_reads_in_each_reader_s_language(world):
    """A milestone's name carries its kind, which has an English name: the history shows
    it in the reader's language, whoever made the change, and names in Traditional script
    to Traditional readers."""
    from datetime import date

    from django.utils import translation

    from diaodu.factories import template_kind

    signing = world.project_x.milestones.get(kind=template_kind("signing"))
    with translation.override("zh-hans"):
        services.plan_milestone(
            signing, {"planned_date": date(2026, 7, 1)}, actor=world.coordinator
        )
    url = reverse("projects:project_history", args=[world.project_x.pk])

    english = client_for(world.leader, "en").get(url).content.decode()
    traditional = client_for(world.leader, "zh-hant").get(url).content.decode()

    assert "«水务产业园 · Signing»" in english
    assert "水务产业园 · 签约" not in english
    assert "「水務產業園 · 簽約」" in traditional
