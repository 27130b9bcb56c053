"""Two small zones worked out by hand, on the shared world (today is 10 June 2026).

``landing`` — landing speed. Targets: the zone-wide defaults of the data migration (land
120, approvals 180, groundbreaking 210, completion 570, production 660 days from signing);
for 高端装备 land is held to 90.

- X 水务产业园 (world; 新材料; owner X, department A): signed 10 Jan 2025, land 10 Apr 2025
  (90 days), construction permit 9 Jul 2025 (180), ground broken 18 Aug 2025 (220);
  completion not yet: 516 days so far, under its 570, so it does not count. Slowest:
  groundbreaking (220/210).
- Y 新材料产业基地 (world; 高端装备; owner Y, department B): signed 1 Mar 2024, land 1 Jul
  2024 (122, target 90); no construction-permit milestone, so approvals end with its last
  approval: 立项 1 May (61), 用地规划许可 1 Aug (153), 工程规划许可 10 Sep 2024 (193);
  ground broken 1 Oct 2024 (214), completed 1 Sep 2025 (549), producing 1 Dec 2025 (640).
  Slowest: land (122/90).
- Z 智能装备产业园 (新材料; enterprise Z, department B): signed 1 Nov 2025, nothing since:
  land 221 days so far, over its 120 — counted as the slowest, but in no average.
- V 光伏组件项目 (新材料; enterprise Z, department B): signed 1 Jun 2024, land 30 Aug 2024
  (90); construction permit still pending: 739 days so far, the slowest.
- U 未签约项目 (no industry): no signing date: not in the figures.

By industry — 新材料 (X, Z, V): land 90, 90 → mean 90.0, median 90.0, 100.0 % within;
approvals 180 (100.0 %); groundbreaking 220 (0.0 %). 高端装备 (Y): land 122 (0.0 %),
approvals 193, groundbreaking 214, completion 549 (100.0 %), production 640 (100.0 %).
All: land 90, 122, 90 → mean 100.7, median 90.0, 66.7 % within; approvals 180, 193 →
186.5 / 186.5, 50.0 %; groundbreaking 220, 214 → 217.0, 0.0 %.
By signing year — 2024 (Y, V): land 122, 90 → 106.0 / 106.0, 50.0 %; 2025 (X, Z): land 90.

``rated`` — the 2025 land-efficiency evaluation. Thresholds: zone-wide investment 300,
output 500, tax 30 (万元 per 亩) and energy 0.5 (tonnes of standard coal per 万元);
高端装备 investment 200, output 400, tax 20 and no energy threshold.

| project | land | invest. | output | tax | energy | indices (tax, output, energy, inv.) | score |
| X (新材料) | 100 | 30000 | 50000 | 3000 | 25000 | 1, 1, 1, 1 | 100.00 B |
| Y (高端装备) | 50 | 80000 | 30000 | 1500 | 900 | 1.5, 1.5, —, 2 (capped) | 156.25 A |
| R1 (新材料) | 200 | 60000 | 80000 | 4500 | 50000 | 0.75, 0.8, 0.8, 1 | 80.00 C |
| R2 (新材料) | 200 | 60000 | 80000 | 4498 | 50000 | 0.7497, 0.8, 0.8, 1 | 79.99 D |
| R3 (新材料) | 100 | 30000 | 50000 | 4500 | 25000 | 1.5, 1, 1, 1 | 120.00 A |
| R4 (新材料) | 50 | 15000 | 25000 | 1500 | 12500 | 1, 1, 1, 1 | 100.00 B |

Y's score leaves energy out: (40×1.5 + 30×1.5 + 10×2) / 80 × 100 = 156.25. Ranks: Y 1,
R3 2, X and R4 3 (equal), R1 5, R2 6. R5 (新材料, in production) has only a 2024 return,
so it is "not reported" for 2025.
"""

import copy
from datetime import date
from decimal import Decimal

import pytest

from diaodu.factories import EnterpriseFactory, IndustryFactory, ProjectFactory, template_kind
from diaodu.landing.models import StageTarget
from diaodu.projects.choices import Stage
from diaodu.projects.models import AnnualReturn, LandThreshold, Milestone, Project
from diaodu.test import TODAY, Clock

D = Decimal


def achieve(project, code, day):
    Milestone.objects.filter(project=project, kind__code=code).update(actual_date=day)


def build_landing(w):
    w.materials = IndustryFactory(name="新材料", name_en="New materials", sort_order=1)
    w.equipment = IndustryFactory(name="高端装备", name_en="Advanced equipment", sort_order=2)
    StageTarget.objects.create(stage="land", industry=w.equipment, days=90)
    Project.objects.filter(pk=w.project_x.pk).update(industry=w.materials)
    Project.objects.filter(pk=w.project_y.pk).update(industry=w.equipment)
    w.enterprise_z = EnterpriseFactory(name="智造装备有限公司", short_name="智造装备")

    def project(code, name, industry):
        return ProjectFactory(
            code=code,
            name=name,
            owner=w.enterprise_z,
            lead_department=w.department_b,
            industry=industry,
            milestones=True,
        )

    w.project_z = project("2026-003", "智能装备产业园", w.materials)
    w.project_v = project("2026-004", "光伏组件项目", w.materials)
    w.project_u = project("2026-005", "未签约项目", None)

    x, y = w.project_x, w.project_y
    achieve(x, "signing", date(2025, 1, 10))
    achieve(x, "land_supply", date(2025, 4, 10))
    achieve(x, "construction_permit", date(2025, 7, 9))
    achieve(x, "groundbreaking", date(2025, 8, 18))
    Milestone.objects.filter(project=y, kind=template_kind("construction_permit")).delete()
    for code, day in [
        ("signing", date(2024, 3, 1)),
        ("land_supply", date(2024, 7, 1)),
        ("project_approval", date(2024, 5, 1)),
        ("land_planning_permit", date(2024, 8, 1)),
        ("engineering_planning_permit", date(2024, 9, 10)),
        ("groundbreaking", date(2024, 10, 1)),
        ("completion", date(2025, 9, 1)),
        ("production", date(2025, 12, 1)),
    ]:
        achieve(y, code, day)
    achieve(w.project_z, "signing", date(2025, 11, 1))
    achieve(w.project_v, "signing", date(2024, 6, 1))
    achieve(w.project_v, "land_supply", date(2024, 8, 30))
    return w


def build_rated(w):
    w.materials = IndustryFactory(name="新材料", name_en="New materials", sort_order=1)
    w.equipment = IndustryFactory(name="高端装备", name_en="Advanced equipment", sort_order=2)
    LandThreshold.objects.create(
        investment_per_mu=D(300), output_per_mu=D(500), tax_per_mu=D(30), energy_per_output=D("0.5")
    )
    LandThreshold.objects.create(
        industry=w.equipment, investment_per_mu=D(200), output_per_mu=D(400), tax_per_mu=D(20)
    )
    w.enterprise_r = EnterpriseFactory(name="瑞丰制造有限公司", short_name="瑞丰制造")
    Project.objects.filter(pk=w.project_x.pk).update(
        industry=w.materials, land_area=D(100), total_investment=D(30000), stage=Stage.PRODUCTION
    )
    Project.objects.filter(pk=w.project_y.pk).update(
        industry=w.equipment, land_area=D(50), stage=Stage.PRODUCTION
    )
    w.rated = {"X": w.project_x, "Y": w.project_y}
    for name, land, invested in [
        ("R1", 200, 60000),
        ("R2", 200, 60000),
        ("R3", 100, 30000),
        ("R4", 50, 15000),
        ("R5", 80, 20000),
    ]:
        w.rated[name] = ProjectFactory(
            code=f"2025-{name}",
            name=f"亩均测评项目{name}",
            owner=w.enterprise_r,
            lead_department=w.department_b,
            industry=w.materials,
            land_area=D(land),
            total_investment=D(invested),
            annual_plan=D(0),
            stage=Stage.PRODUCTION,
        )
    for name, output, tax, energy in [
        ("X", 50000, 3000, 25000),
        ("Y", 30000, 1500, 900),
        ("R1", 80000, 4500, 50000),
        ("R2", 80000, 4498, 50000),
        ("R3", 50000, 4500, 25000),
        ("R4", 25000, 1500, 12500),
    ]:
        AnnualReturn.objects.create(
            project=w.rated[name], year=2025, output=D(output), tax=D(tax), energy=D(energy)
        )
    AnnualReturn.objects.create(
        project=w.rated["R5"], year=2024, output=D(40000), tax=D(2400), energy=D(20000)
    )
    return w


def _module_fixture(build):
    @pytest.fixture(scope="module")
    def built(_world_of_module, django_db_blocker):
        with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as monkeypatch:
            Clock(monkeypatch, TODAY)
            return build(copy.deepcopy(_world_of_module))

    return built


_landing_of_module = _module_fixture(build_landing)
_rated_of_module = _module_fixture(build_rated)


@pytest.fixture
def landing(world, _landing_of_module):
    """The world and the landing-speed zone above; rolled back after each test."""
    w = copy.deepcopy(_landing_of_module)
    w.today = world.today
    return w


@pytest.fixture
def rated(world, _rated_of_module):
    """The world and the 2025 evaluation above; rolled back after each test."""
    w = copy.deepcopy(_rated_of_module)
    w.today = world.today
    return w
