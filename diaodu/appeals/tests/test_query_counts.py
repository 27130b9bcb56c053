"""The request pages and endpoints make a fixed number of queries however many requests
and timeline entries there are: measured with a little data and ten times as much,
against the same bound."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from diaodu.appeals.choices import AppealEntryKind, AppealStatus
from diaodu.appeals.inbox import INBOX_SOURCES
from diaodu.appeals.models import Appeal, AppealEntry
from diaodu.core.models import Attachment
from diaodu.test import api_for, client_for

SIZES = [3, 30]

# Every page pays 4: session, user, the user's organisation and the unread-notification
# count (the navigation bar).
LIST_QUERIES = 4 + 3  # count, page (with project and problem), the project filter's check
DETAIL_QUERIES = 4 + 7  # the request, its entries, their files; for the office the accept
#                         form's two department menus and the merge menu's check and
#                         options (for the owner of an accepted request: the problem's
#                         cooperating departments instead)
API_LIST_QUERIES = 2  # count, page (with project and problem)
INBOX_QUERIES = 1  # one source's rows, with their project


def add_requests(world, count):
    """``count`` requests on project X, half answered and half merged into problem X, in
    bulk: only their number matters."""
    now = timezone.now()
    Appeal.objects.bulk_create(
        Appeal(
            project=world.project_x,
            title=f"诉求{n}",
            description="说明",
            category="other",
            raised_by=world.owner_x,
            raised_at=now,
            triage_due=world.today,
            status=AppealStatus.ANSWERED if n % 2 else AppealStatus.MERGED,
            problem=None if n % 2 else world.problem_x,
            finished_at=now if n % 2 else None,
        )
        for n in range(count)
    )


def add_entries(appeal, author, count):
    entries = AppealEntry.objects.bulk_create(
        AppealEntry(appeal=appeal, kind=AppealEntryKind.RAISED, author=author, text=f"第{n}条")
        for n in range(count)
    )
    kind = ContentType.objects.get_for_model(AppealEntry)
    Attachment.objects.bulk_create(
        Attachment(
            content_type=kind,
            object_id=entry.pk,
            file=f"attachments/2026/06/{entry.pk:032x}",
            name=f"附件{entry.pk}.pdf",
            size=1000,
            mime_type="application/pdf",
            uploaded_by=author,
        )
        for entry in entries
    )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["coordinator", "owner_x"])
def test_the_list_makes_a_fixed_number_of_queries(world, size, role, django_assert_max_num_queries):
    add_requests(world, size)
    browser = client_for(getattr(world, role))

    with django_assert_max_num_queries(LIST_QUERIES):
        response = browser.get(reverse("appeals:appeal_list"), {"project": world.project_x.pk})

    assert response.context["page"].paginator.count >= size


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("role", ["coordinator", "owner_x"])
def test_the_request_page_makes_a_fixed_number_of_queries(
    world, size, role, django_assert_max_num_queries
):
    add_entries(world.appeal_x, world.owner_x, size)
    browser = client_for(getattr(world, role))

    with django_assert_max_num_queries(DETAIL_QUERIES):
        response = browser.get(world.appeal_x.get_absolute_url())

    assert len(response.context["entries"]) > size


@pytest.mark.parametrize("size", SIZES)
def test_the_api_list_makes_a_fixed_number_of_queries(world, size, django_assert_max_num_queries):
    add_requests(world, size)
    client = api_for(world.coordinator)
    client.get("/api/requests/")  # the token's and the user's queries, once

    with django_assert_max_num_queries(API_LIST_QUERIES + 2):
        response = client.get("/api/requests/")

    assert response.json()["count"] >= size


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("source", INBOX_SOURCES, ids=lambda s: s.key)
def test_each_inbox_source_is_one_query(world, size, source, django_assert_max_num_queries):
    add_requests(world, size)
    user = world.coordinator if source.key == "appeals_to_triage" else world.owner_x

    with django_assert_max_num_queries(INBOX_QUERIES):
        rows = list(source.queryset(user))

    for row in rows:
        str(row.project)
