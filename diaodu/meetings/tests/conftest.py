"""The meetings of the shared world (see ``diaodu.test``), and a private file store.

``meetings`` adds to ``world``:

- ``project_x2``: 水务产业园配套管网, a second project of enterprise X led by department A,
  so the roles that see project X see it too and nobody else does;
- ``meeting_x``: a special dispatch meeting on 15 June 2026 chaired by the leader, with
  project X then project X2 on its agenda (``item_x``, ``item_x2``);
- ``meeting_y``: the same for project Y (``item_y``);
- ``batch_x``: the second-quarter groundbreaking event (8 June 2026) with project X;
- ``batch_y``: a signing event with project Y.

Department B and owner Y therefore never see meeting X or batch X, and department A and
owner X never see meeting Y or batch Y.
"""

from datetime import UTC, datetime

import pytest

from diaodu.factories import AgendaItemFactory, EventBatchFactory, MeetingFactory, ProjectFactory
from diaodu.meetings.choices import BatchKind
from diaodu.test import TODAY, Clock


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Issued minutes are files: keep them out of the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def build_meetings(w) -> None:
    """Add the meetings and batches above to the world ``w``."""
    w.project_x2 = ProjectFactory(
        code="2026-003",
        name="水务产业园配套管网",
        owner=w.enterprise_x,
        lead_department=w.department_a,
        milestones=True,
    )
    w.meeting_x = MeetingFactory(
        title="水务产业园专题调度会议", chair=w.leader, created_by=w.coordinator
    )
    w.item_x = AgendaItemFactory(meeting=w.meeting_x, project=w.project_x, order=10)
    w.item_x2 = AgendaItemFactory(meeting=w.meeting_x, project=w.project_x2, order=20)
    w.meeting_y = MeetingFactory(
        title="新材料产业基地专题调度会议",
        starts_at=datetime(2026, 6, 16, 7, 0, tzinfo=UTC),
        chair=w.leader,
        created_by=w.coordinator,
    )
    w.item_y = AgendaItemFactory(meeting=w.meeting_y, project=w.project_y, order=10)
    w.batch_x = EventBatchFactory(projects=[w.project_x])
    w.batch_y = EventBatchFactory(
        name="2026年新材料产业集中签约活动", kind=BatchKind.SIGNING, projects=[w.project_y]
    )


@pytest.fixture(scope="module")
def _meetings_of_module(_world_of_module, django_db_blocker):
    """Adds the meetings to the module's world once, inside the transaction the world is
    built in (so they are rolled back with it after the module); ``world`` then hands each
    test its own copy, and each test's writes are rolled back as usual."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as monkeypatch:
        Clock(monkeypatch, TODAY)
        build_meetings(_world_of_module)
    return _world_of_module


@pytest.fixture
def meetings(_meetings_of_module, world):
    """``world`` with the meetings and batches above."""
    assert hasattr(world, "meeting_x"), "the module's world was copied before its meetings"
    return world
