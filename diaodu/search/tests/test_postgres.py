"""On PostgreSQL, the search keys have trigram indexes that searches can use."""

import pytest
from django.db import connection

from diaodu.accounts.models import User
from diaodu.core.search import matching
from diaodu.meetings.models import Meeting
from diaodu.org.models import Organisation
from diaodu.problems.models import ActionItem, Problem
from diaodu.projects.models import Project

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="trigram indexes exist on PostgreSQL only"
)

SEARCHABLE = [Organisation, User, Project, Problem, ActionItem, Meeting]


@pytest.mark.parametrize("model", SEARCHABLE, ids=lambda model: model.__name__)
def test_every_searchable_table_has_a_trigram_index_that_a_search_can_use(db, model):
    with connection.cursor() as cursor:
        # Tables in tests are tiny, so the planner would rightly read them whole (or walk a
        # unique index); forbid both to see whether the trigram index can answer at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = matching(model.objects.all(), "水务产业").explain()

    assert f"{model._meta.db_table}_search_trgm" in plan, plan
