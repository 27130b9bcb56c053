"""The project page's agreement card: how many agreements, and the commitments by
fulfilment, as far as the reader may see them."""

import pytest
from django.urls import reverse

from diaodu.agreements.choices import Fulfilment
from diaodu.test import client_for


def card(world, persona):
    response = client_for(getattr(world, persona), language="en").get(
        reverse("projects:project_detail", args=[world.project_x.pk])
    )
    summary = response.context["agreements"]
    return summary, {state: count for state, count, _css in summary.states if count}


def test_the_office_sees_every_commitment_of_the_project_by_fulfilment(world):
    summary, counts = card(world, "coordinator")

    assert (summary.agreements, summary.commitments) == (1, 3)
    assert counts == {Fulfilment.AT_RISK: 2, Fulfilment.BROKEN: 1}


@pytest.mark.parametrize(
    ("persona", "commitments", "counts"),
    [
        ("owner_x", 3, {Fulfilment.AT_RISK: 2, Fulfilment.BROKEN: 1}),
        ("staff_a", 1, {Fulfilment.BROKEN: 1}),  # only its own commitment
    ],
)
def test_others_see_what_they_may_of_it(world, persona, commitments, counts):
    summary, seen = card(world, persona)

    assert (summary.agreements, summary.commitments, seen) == (1, commitments, counts)


def test_each_state_links_to_the_ledger_of_the_project_in_that_state(world):
    response = client_for(world.coordinator, language="en").get(
        reverse("projects:project_detail", args=[world.project_x.pk])
    )

    html = response.content.decode()
    ledger = reverse("agreements:commitment_list")
    assert f'href="{ledger}?project={world.project_x.pk}&amp;state=broken">broken 1</a>' in html
    assert "1 agreement · 3 commitments" in html
