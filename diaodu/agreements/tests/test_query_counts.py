"""Agreement and commitment pages, the ledger and the API make a fixed number of queries
however many commitments there are: each is measured with a little data and with ten
times as much, against the same bound (as in ``diaodu/projects/tests/test_query_counts.py``)."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from diaodu.agreements.choices import CommitmentKind, Measure, Side
from diaodu.agreements.models import Agreement, Commitment, FulfilmentRecord
from diaodu.core.models import Attachment
from diaodu.factories import AgreementFactory, CommitmentFactory, FulfilmentRecordFactory
from diaodu.test import api_for, client_for

SIZES = [3, 30]

# Every page pays 4: session, user, the user's organisation and the unread-notification
# count (the navigation bar).
AGREEMENT_LIST_QUERIES = 4 + 4  # count, page, the states of their commitments, the
#                                 departments menu
COMMITMENT_LIST_QUERIES = 4 + 3  # count, page (fulfilment in the same query), departments menu
AGREEMENT_DETAIL_QUERIES = 4 + 6  # the agreement, its commitments, their records, the
#                                   records' files, the agreement's files, its history
# Session, user, organisation (no navigation bar); the count that decides whether it runs
# in the background, the rows.
LEDGER_QUERIES = 3 + 2
API_LIST_QUERIES = 2  # count, page


def add_commitments(world, count):
    """``count`` agreements on project X and ``count`` commitments of department A on
    agreement X, each with a fulfilment record carrying a file (written in bulk)."""
    Agreement.objects.bulk_create(
        AgreementFactory.build(
            project=world.project_x,
            enterprise=world.enterprise_x,
            zone_party=world.leadership,
            recorded_by=world.coordinator,
        )
        for _ in range(count)
    )
    commitments = Commitment.objects.bulk_create(
        CommitmentFactory.build(
            agreement=world.agreement_x,
            side=Side.DEPARTMENT,
            department=world.department_a,
            kind=CommitmentKind.UTILITIES,
            target_amount=None,
            unit="",
            measure=Measure.MANUAL,
            due_date=world.today + timedelta(days=n - count // 2),
        )
        for n in range(count)
    )
    records = FulfilmentRecord.objects.bulk_create(
        FulfilmentRecordFactory.build(
            commitment=c, recorded_on=date(2026, 5, 1), recorded_by=world.coordinator
        )
        for c in commitments
    )
    kind = ContentType.objects.get_for_model(FulfilmentRecord)
    Attachment.objects.bulk_create(
        Attachment(
            content_type=kind,
            object_id=record.pk,
            file=f"attachments/2026/06/{record.pk:032x}",
            name=f"证明{record.pk}.pdf",
            size=1000,
            mime_type="application/pdf",
            uploaded_by=world.coordinator,
        )
        for record in records
    )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["coordinator", "staff_a", "owner_x"])
def test_the_agreement_list_makes_a_fixed_number_of_queries(
    world, size, role, django_assert_max_num_queries
):
    add_commitments(world, size)
    browser = client_for(getattr(world, role))

    with django_assert_max_num_queries(AGREEMENT_LIST_QUERIES):
        response = browser.get(reverse("agreements:agreement_list"), {"state": "broken"})

    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["coordinator", "staff_a"])
def test_the_commitment_list_makes_a_fixed_number_of_queries(
    world, size, role, django_assert_max_num_queries
):
    add_commitments(world, size)
    browser = client_for(getattr(world, role))

    with django_assert_max_num_queries(COMMITMENT_LIST_QUERIES):
        response = browser.get(reverse("agreements:commitment_list"), {"q": "投资"})

    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_the_agreement_page_makes_a_fixed_number_of_queries(
    world, size, django_assert_max_num_queries
):
    add_commitments(world, size)
    browser = client_for(world.coordinator)

    with django_assert_max_num_queries(AGREEMENT_DETAIL_QUERIES):
        response = browser.get(world.agreement_x.get_absolute_url())

    assert len(response.context["commitments"]) == size + 3
    assert sum(len(c.fulfilments) for c in response.context["commitments"]) == size


@pytest.mark.parametrize("size", SIZES)
def test_the_ledger_makes_a_fixed_number_of_queries(world, size, django_assert_max_num_queries):
    add_commitments(world, size)
    browser = client_for(world.coordinator)

    with django_assert_max_num_queries(LEDGER_QUERIES):
        response = browser.get(reverse("agreements:commitment_ledger"))

    assert response.status_code == 200


@pytest.mark.parametrize("size", SIZES)
def test_the_commitments_api_makes_a_fixed_number_of_queries(
    world, size, django_assert_max_num_queries
):
    add_commitments(world, size)
    api = api_for(world.coordinator)

    with django_assert_max_num_queries(API_LIST_QUERIES):
        response = api.get("/api/commitments/")

    assert response.json()["count"] == size + 4
