"""The coordination loop on top of the shared world (see ``diaodu.test``).

In this package ``world`` also holds, built once per module like the rest of the world:

- ``problem_x``: 用地指标不足, raised by owner X on project X, led by department A,
  due 30 June 2026 (twenty days after :data:`~diaodu.test.TODAY`);
- ``problem_y``: 环评批复滞后, raised by owner Y on project Y, led by department B, due the
  same day;
- ``item_a``: an action item on project X (for problem X) led by department A, assigned by
  the coordinator, due 30 June;
- ``item_b``: the same on project Y (for problem Y), led by department B.

So department A, owner X and the office see problem X and item A; department B and
owner Y never do (and the reverse for Y). Nothing cooperates on anything: tests that need
a cooperating department add one.

Uploaded files go to a temporary directory, never into the checkout.
"""

import copy

import pytest

from diaodu.problems import services
from diaodu.problems.choices import Category
from diaodu.problems.tests.helpers import DUE
from diaodu.test import ORGANISATIONS, PEOPLE, TODAY, Clock


def build_loop(w) -> None:
    w.problem_x = services.raise_problem(
        w.project_x,
        {
            "title": "用地指标不足",
            "description": "二期用地缺少建设用地指标，需调整控制性详细规划。",
            "category": Category.LAND,
            "lead_department": w.department_a,
            "due_date": DUE,
        },
        actor=w.owner_x,
    )
    w.problem_y = services.raise_problem(
        w.project_y,
        {
            "title": "环评批复滞后",
            "description": "环评报告书尚未批复，影响施工许可办理。",
            "category": Category.APPROVAL,
            "lead_department": w.department_b,
            "due_date": DUE,
        },
        actor=w.owner_y,
    )
    w.item_a = services.assign_action_item(
        {
            "title": "协调落实二期用地指标",
            "project": w.project_x,
            "problem": w.problem_x,
            "lead_department": w.department_a,
            "due_date": DUE,
        },
        actor=w.coordinator,
    )
    w.item_b = services.assign_action_item(
        {
            "title": "加快环评批复",
            "project": w.project_y,
            "problem": w.problem_y,
            "lead_department": w.department_b,
            "due_date": DUE,
        },
        actor=w.coordinator,
    )


@pytest.fixture(scope="module")
def _loop_of_module(_world_of_module, django_db_blocker):
    """Adds the loop inside the world's module transaction, which rolls it back."""
    w = copy.copy(_world_of_module)
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as monkeypatch:
        Clock(monkeypatch, TODAY)
        build_loop(w)
    return w


@pytest.fixture
def world(request, _loop_of_module, db, today):
    """The shared world and the loop's problems and action items, fresh for each test.

    Does what ``diaodu.test.world`` does (which it replaces here), copying the world once
    rather than twice per test."""
    twins = set(request.fixturenames) & {*ORGANISATIONS, *PEOPLE, "project_x", "project_y"}
    if twins:
        pytest.fail(f"use world.{min(twins)} instead of the {min(twins)} fixture next to world")
    w = copy.deepcopy(_loop_of_module)
    w.today = today
    return w


@pytest.fixture(scope="session")
def _media_of_session(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def media_root(settings, _media_of_session):
    """Uploads land in a temporary directory (tests that look at the files on disk set
    their own ``tmp_path``)."""
    settings.MEDIA_ROOT = _media_of_session
    return settings.MEDIA_ROOT
