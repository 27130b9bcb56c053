"""The demo zone's investment agreements: one for four of the demo projects, with the
enterprise's and the departments' commitments in every state (met, on track, at risk,
broken), dated relative to the day of loading. Idempotent: an agreement whose number
exists is left alone. The daily check then opens the problems and flags the breaches."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from diaodu.agreements import services
from diaodu.agreements.choices import CommitmentKind as K
from diaodu.agreements.choices import Measure as M
from diaodu.agreements.choices import Side, Unit
from diaodu.agreements.models import Agreement

D = timedelta
# A one-page PDF, as a scanned agreement or a piece of evidence stands in the demo.
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@dataclass
class DemoCommitment:
    description: str
    kind: str
    measure: str
    due: int  # days from today
    department: str | None = None  # short name; None: the enterprise
    target: str | None = None
    unit: str = ""
    milestone: str | None = None
    remedy: str = ""
    fulfilled: int | None = None  # days from today, recorded by hand with evidence
    evidence: str = ""


@dataclass
class DemoAgreement:
    project: str
    number: str
    title: str
    signed: int  # days from today
    commitments: list


AGREEMENTS = [
    DemoAgreement(
        "2026-001",
        "LJKF-TZXY-2025-011",
        "水务产业园项目投资协议书",
        -400,
        [
            DemoCommitment(
                "固定资产投资不低于1.5亿元",
                K.INVESTMENT,
                M.INVESTMENT,
                200,
                target="15000",
                unit=Unit.WAN_YUAN,
                remedy="按比例收回土地出让金优惠",
            ),
            DemoCommitment("项目开工", K.DATE, M.MILESTONE, -180, milestone="groundbreaking"),
            DemoCommitment(
                "项目竣工验收",
                K.DATE,
                M.MILESTONE,
                220,
                milestone="completion",
                remedy="每逾期一月扣减奖励资金10%",
            ),
            DemoCommitment(
                "净地交付",
                K.LAND_DELIVERY,
                M.MILESTONE,
                -315,
                department="区资规局",
                milestone="land_supply",
            ),
            DemoCommitment(
                "施工许可证20个工作日内核发",
                K.APPROVAL,
                M.MILESTONE,
                -195,
                department="区行政审批局",
                milestone="construction_permit",
            ),
            DemoCommitment(
                "厂区外道路、供水、供电接入红线", K.UTILITIES, M.MANUAL, 20, department="区住建局"
            ),
        ],
    ),
    DemoAgreement(
        "2026-002",
        "LJKF-TZXY-2026-003",
        "锂电新材料项目投资合作协议",
        -120,
        [
            DemoCommitment(
                "总投资不低于5亿元",
                K.INVESTMENT,
                M.INVESTMENT,
                400,
                target="5亿元",
                unit=Unit.WAN_YUAN,
                remedy="取消设备投资补助",
            ),
            DemoCommitment(
                "土地挂牌出让并交付",
                K.LAND_DELIVERY,
                M.MILESTONE,
                -30,
                department="区资规局",
                milestone="land_supply",
            ),
            DemoCommitment(
                "能评、环评并联审批", K.APPROVAL, M.MANUAL, 60, department="区行政审批局"
            ),
            DemoCommitment(
                "兑现首期招商奖励500万元",
                K.INCENTIVE,
                M.MANUAL,
                -10,
                department="区财政局",
                target="500",
                unit=Unit.WAN_YUAN,
                fulfilled=-15,
                evidence="首期奖励资金拨付凭证",
            ),
        ],
    ),
    DemoAgreement(
        "2026-003",
        "LJKF-TZXY-2024-027",
        "智能装备制造基地投资协议书",
        -500,
        [
            DemoCommitment(
                "累计完成投资3亿元",
                K.INVESTMENT,
                M.INVESTMENT,
                -20,
                target="3亿元",
                unit=Unit.WAN_YUAN,
                remedy="暂停兑现设备购置补助，直至投资到位",
            ),
            DemoCommitment(
                "智造大道东延段建成通车",
                K.UTILITIES,
                M.MANUAL,
                -5,
                department="区住建局",
                fulfilled=-2,
                evidence="道路交工验收证明",
            ),
        ],
    ),
    DemoAgreement(
        "2026-007",
        "LJKF-TZXY-2023-009",
        "数字经济产业园入园协议",
        -800,
        [
            DemoCommitment(
                "达产后年产值不低于3亿元",
                K.OUTPUT,
                M.OUTPUT,
                -30,
                target="3亿元",
                unit=Unit.WAN_YUAN,
            ),
            DemoCommitment(
                "年纳税不低于2500万元",
                K.TAX,
                M.TAX,
                100,
                target="2500",
                unit=Unit.WAN_YUAN,
                remedy="按协议退还已享受的租金减免",
            ),
            DemoCommitment(
                "年综合能耗不超过3000吨标准煤",
                K.ENERGY,
                M.ENERGY,
                -10,
                target="3000",
                unit=Unit.TCE,
            ),
        ],
    ),
]


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"{name}.pdf", PDF, content_type="application/pdf")


def _signing_date(project) -> date | None:
    """The signing milestone's date: an agreement is signed the day its project is, so the
    agreement and the landing-speed figures count from one day."""
    return (
        project.milestones.filter(kind__code="signing", actual_date__isnull=False)
        .values_list("actual_date", flat=True)
        .first()
    )


def load(orgs, people, today: date) -> None:
    from diaodu.agreements.targets import normalise
    from diaodu.projects.models import MilestoneKind, Project

    coordinator = people["xietiaoban"]
    kinds = {kind.code: kind for kind in MilestoneKind.objects.all()}
    for spec in AGREEMENTS:
        project = Project.objects.filter(code=spec.project).first()
        if project is None or Agreement.objects.filter(number=spec.number).exists():
            continue
        agreement = services.create_agreement(
            project,
            {
                "number": spec.number,
                "title": spec.title,
                "signed_on": _signing_date(project) or today + D(days=spec.signed),
                "enterprise": project.owner,
                "zone_party": orgs["开发区管委会"],
            },
            actor=coordinator,
            files=[_pdf(spec.title)],
        )
        for c in spec.commitments:
            commitment = services.add_commitment(
                agreement,
                {
                    "side": Side.DEPARTMENT if c.department else Side.ENTERPRISE,
                    "department": orgs[c.department] if c.department else None,
                    "kind": c.kind,
                    "description": c.description,
                    "target_amount": normalise(c.target, c.unit)[0] if c.target else None,
                    "unit": c.unit,
                    "due_date": today + D(days=c.due),
                    "measure": c.measure,
                    "milestone_kind": kinds[c.milestone] if c.milestone else None,
                    "remedy": c.remedy,
                },
                actor=coordinator,
            )
            if c.fulfilled is not None:
                services.record_fulfilment(
                    commitment,
                    {"recorded_on": today + D(days=c.fulfilled), "note": c.evidence},
                    actor=coordinator,
                    files=[_pdf(c.evidence)],
                )
    services.check_commitments(today)
