"""What the search tests look for, on top of the shared world (see ``diaodu.test``).

``world`` here also holds, built once per module:

- ``project_x2``: 水務產業園二期, a second project of enterprise X led by department A,
  named in Traditional characters;
- ``project_x3``: 滨江水务产业园配套, the same again, whose name only contains 水务产业园;
- ``problem_x`` / ``problem_y``: 用地指标不足 on project X, 环评批复滞后 on project Y, led by
  departments A and B;
- ``item_x`` / ``item_y``: 协调落实二期用地指标 for problem X, 加快环评批复 for problem Y;
- ``meeting_x`` / ``meeting_y``: dispatch meetings with only project X or project Y on
  the agenda;
- department B's aliases (审批局, 政务服务中心) and staff A's title (规划科科长).

So department A and owner X find project X's things and never project Y's; department B
and owner Y the reverse; the office and the leader find everything.
"""

from datetime import UTC, datetime

import pytest

from diaodu.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    MeetingFactory,
    ProblemFactory,
    ProjectFactory,
)
from diaodu.test import TODAY, Clock


def build_search_world(w) -> None:
    w.project_x2 = ProjectFactory(
        code="2026-011", name="水務產業園二期", owner=w.enterprise_x, lead_department=w.department_a
    )
    w.project_x3 = ProjectFactory(
        code="2026-012",
        name="滨江水务产业园配套",
        owner=w.enterprise_x,
        lead_department=w.department_a,
    )
    w.problem_x = ProblemFactory(
        project=w.project_x,
        title="用地指标不足",
        lead_department=w.department_a,
        raised_by=w.owner_x,
    )
    w.problem_y = ProblemFactory(
        project=w.project_y,
        title="环评批复滞后",
        lead_department=w.department_b,
        raised_by=w.owner_y,
    )
    w.item_x = ActionItemFactory(
        title="协调落实二期用地指标",
        project=w.project_x,
        problem=w.problem_x,
        lead_department=w.department_a,
        assigned_by=w.coordinator,
    )
    w.item_y = ActionItemFactory(
        title="加快环评批复",
        project=w.project_y,
        problem=w.problem_y,
        lead_department=w.department_b,
        assigned_by=w.coordinator,
    )
    w.meeting_x = MeetingFactory(
        title="水务产业园专题调度会议",
        place="滨江片区现场",
        chair=w.leader,
        created_by=w.coordinator,
    )
    AgendaItemFactory(meeting=w.meeting_x, project=w.project_x, order=10)
    w.meeting_y = MeetingFactory(
        title="新材料产业基地专题调度会议",
        starts_at=datetime(2026, 6, 16, 7, 0, tzinfo=UTC),
        chair=w.leader,
        created_by=w.coordinator,
    )
    AgendaItemFactory(meeting=w.meeting_y, project=w.project_y, order=10)
    w.department_b.aliases = "审批局\n政务服务中心"
    w.department_b.save(update_fields=["aliases"])
    w.staff_a.title = "规划科科长"
    w.staff_a.save(update_fields=["title"])


@pytest.fixture(scope="module")
def _search_world_of_module(_world_of_module, django_db_blocker):
    """Adds the above inside the transaction the world is built in, which rolls it back
    after the module; ``world`` then hands each test its own copy."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as monkeypatch:
        Clock(monkeypatch, TODAY)
        build_search_world(_world_of_module)
    return _world_of_module


@pytest.fixture
def found(_search_world_of_module, world):
    """``world`` with the things above to find."""
    assert hasattr(world, "problem_x"), "the module's world was copied before its additions"
    return world
