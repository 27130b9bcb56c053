"""Enterprise requests on top of the coordination loop (see ``diaodu.problems.tests``).

In this package ``world`` also holds, built once per module:

- ``appeal_x``: 施工用电报装慢, raised by owner X on project X on :data:`~diaodu.test.TODAY`,
  awaiting triage (due three days later);
- ``appeal_y``: 员工子女入学, raised by owner Y on project Y the same day;

and the loop's problems X and Y (open, led by departments A and B), into which a request
can be merged.
"""

import copy

import pytest

from diaodu.appeals import services
from diaodu.problems.choices import Category
from diaodu.problems.tests.conftest import build_loop
from diaodu.test import ORGANISATIONS, PEOPLE, TODAY, Clock


def build_appeals(w) -> None:
    w.appeal_x = services.raise_appeal(
        w.project_x,
        {
            "title": "施工用电报装慢",
            "description": "临时用电申请已提交一个月，供电公司尚未接电。",
            "category": Category.UTILITIES,
        },
        actor=w.owner_x,
    )
    w.appeal_y = services.raise_appeal(
        w.project_y,
        {
            "title": "员工子女入学",
            "description": "引进的技术骨干子女需在片区小学就读。",
            "category": Category.POLICY,
        },
        actor=w.owner_y,
    )


@pytest.fixture(scope="module")
def _appeals_of_module(_world_of_module, django_db_blocker):
    w = copy.copy(_world_of_module)
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as monkeypatch:
        Clock(monkeypatch, TODAY)
        build_loop(w)
        build_appeals(w)
    return w


@pytest.fixture
def world(request, _appeals_of_module, db, today):
    """The shared world, the loop and the requests, fresh for each test."""
    twins = set(request.fixturenames) & {*ORGANISATIONS, *PEOPLE, "project_x", "project_y"}
    if twins:
        pytest.fail(f"use world.{min(twins)} instead of the {min(twins)} fixture next to world")
    w = copy.deepcopy(_appeals_of_module)
    w.today = today
    return w


@pytest.fixture(scope="session")
def _media_of_session(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def media_root(settings, _media_of_session):
    settings.MEDIA_ROOT = _media_of_session
    return settings.MEDIA_ROOT
