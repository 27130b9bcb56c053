"""A leader's project cards: one per project, with its light, its next time node, its open
problems and its latest report (the small zone of ``conftest``)."""

from datetime import date

from django.urls import reverse
from django.utils import translation

from diaodu.test import client_for

CARDS = reverse("dashboard:cards")


def test_each_card_shows_the_next_time_node_open_problems_and_the_last_report(scene):
    response = client_for(scene.leader, "en").get(CARDS)

    cards = {p.code: p for p in response.context["page"]}
    assert list(cards) == ["2026-001", "2026-002", "2026-003"]
    x, y, z = cards.values()
    with translation.override("en"):
        assert (x.health, str(x.next_milestone.kind), x.next_milestone.planned_date) == (
            "delayed",
            "Land supply",
            date(2026, 6, 1),
        )
        assert (y.health, str(y.next_milestone.kind), y.next_milestone.planned_date) == (
            "at_risk",
            "Construction permit",
            date(2026, 6, 20),
        )
    assert (z.health, z.next_milestone) == ("on_track", None)
    assert [x.open_problems, y.open_problems, z.open_problems] == [2, 1, 1]
    assert (x.last_period, x.last_narrative) == (date(2026, 5, 1), "完成场地平整。")
    assert z.last_period == date(2025, 12, 1)
    html = response.content.decode()
    assert html.count("overdue</span>") == 1  # X's land supply
    assert html.count("2 open problems</div>") == 1
    assert html.count("1 open problem</div>") == 2


def test_an_owner_gets_a_card_for_their_own_project_only(scene):
    response = client_for(scene.owner_y).get(CARDS)

    assert [p.code for p in response.context["page"]] == ["2026-002"]
