"""Investment agreements on top of the shared world (see ``diaodu.test``).

In this package ``world`` also holds, built once per module:

- ``agreement_x``: 水务产业园投资协议 (XY-2026-001), signed 1 January 2026 between
  enterprise X and the leadership, on project X, with three commitments:
  - ``invest_x``: enterprise X invests 10,000 万元 by 31 December 2026 (measured by
    reported investment);
  - ``land_a``: department A delivers the land by 31 May 2026 (recorded by hand): broken
    on :data:`~diaodu.test.TODAY`;
  - ``permit_b``: department B grants the construction permit by 30 June 2026 (the
    milestone): at risk;
- ``agreement_y``: on project Y, with ``tax_y``: enterprise Y pays 2,000 万元 tax a year
  by 31 March 2027.

So department B sees agreement X through its one commitment, though not project X;
department A does not see agreement Y; owners see their own agreement only.
"""

import copy
from datetime import date
from decimal import Decimal

import pytest

from diaodu.agreements import services
from diaodu.agreements.choices import CommitmentKind, Measure, Side, Unit
from diaodu.factories import template_kind
from diaodu.test import ORGANISATIONS, PEOPLE, TODAY, Clock


def build_agreements(w) -> None:
    w.agreement_x = services.create_agreement(
        w.project_x,
        {
            "number": "XY-2026-001",
            "title": "水务产业园投资协议",
            "signed_on": date(2026, 1, 1),
            "enterprise": w.enterprise_x,
            "zone_party": w.leadership,
        },
        actor=w.coordinator,
    )
    w.invest_x = services.add_commitment(
        w.agreement_x,
        {
            "side": Side.ENTERPRISE,
            "kind": CommitmentKind.INVESTMENT,
            "description": "完成固定资产投资1亿元",
            "target_amount": Decimal("10000"),
            "unit": Unit.WAN_YUAN,
            "due_date": date(2026, 12, 31),
            "measure": Measure.INVESTMENT,
            "remedy": "扣回已兑现的招商奖励",
        },
        actor=w.coordinator,
    )
    w.land_a = services.add_commitment(
        w.agreement_x,
        {
            "side": Side.DEPARTMENT,
            "department": w.department_a,
            "kind": CommitmentKind.LAND_DELIVERY,
            "description": "净地交付",
            "due_date": date(2026, 5, 31),
            "measure": Measure.MANUAL,
        },
        actor=w.coordinator,
    )
    w.permit_b = services.add_commitment(
        w.agreement_x,
        {
            "side": Side.DEPARTMENT,
            "department": w.department_b,
            "kind": CommitmentKind.APPROVAL,
            "description": "核发施工许可证",
            "due_date": date(2026, 6, 30),
            "measure": Measure.MILESTONE,
            "milestone_kind": template_kind("construction_permit"),
        },
        actor=w.coordinator,
    )
    w.agreement_y = services.create_agreement(
        w.project_y,
        {
            "number": "XY-2026-002",
            "title": "新材料产业基地投资协议",
            "signed_on": date(2026, 2, 1),
            "enterprise": w.enterprise_y,
            "zone_party": w.leadership,
        },
        actor=w.coordinator,
    )
    w.tax_y = services.add_commitment(
        w.agreement_y,
        {
            "side": Side.ENTERPRISE,
            "kind": CommitmentKind.TAX,
            "description": "年纳税2000万元",
            "target_amount": Decimal("2000"),
            "unit": Unit.WAN_YUAN,
            "due_date": date(2027, 3, 31),
            "measure": Measure.TAX,
        },
        actor=w.coordinator,
    )


@pytest.fixture(scope="module")
def _agreements_of_module(_world_of_module, django_db_blocker):
    w = copy.copy(_world_of_module)
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as monkeypatch:
        Clock(monkeypatch, TODAY)
        build_agreements(w)
    return w


@pytest.fixture
def world(request, _agreements_of_module, db, today):
    """The shared world with the agreements above, fresh for each test."""
    twins = set(request.fixturenames) & {*ORGANISATIONS, *PEOPLE, "project_x", "project_y"}
    if twins:
        pytest.fail(f"use world.{min(twins)} instead of the {min(twins)} fixture next to world")
    w = copy.deepcopy(_agreements_of_module)
    w.today = today
    return w


@pytest.fixture(scope="session")
def _media_of_session(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def media_root(settings, _media_of_session):
    """Uploads land in a temporary directory."""
    settings.MEDIA_ROOT = _media_of_session
    return settings.MEDIA_ROOT
