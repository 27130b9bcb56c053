"""The demo zone's enterprise requests: one in each state the office and the owners meet
(awaiting triage, overdue for triage, accepted as a problem, merged into one, answered and
rated), dated relative to the day of loading. Idempotent: a request whose subject exists
on its project is left alone."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from diaodu.appeals import services
from diaodu.appeals.models import Appeal

D = timedelta


@dataclass
class DemoAppeal:
    project: str
    owner: str  # username
    title: str
    description: str
    category: str
    raised: int  # days from today
    outcome: str = ""  # "", "accept", "merge" or "answer"
    lead: str = ""  # short name of the lead department, when accepted
    cooperating: tuple[str, ...] = ()
    text: str = ""  # the office's note or answer
    rating: int | None = None
    comment: str = ""


APPEALS = [
    DemoAppeal(
        "2026-001",
        "yezhu",
        "施工临时用电接入进度慢",
        "二期厂房临时用电申请已提交三周，供电公司尚未现场勘查，影响桩基施工进场。",
        "utilities",
        -1,
    ),
    DemoAppeal(
        "2026-002",
        "huali",
        "外地技术骨干子女入学",
        "公司引进的12名技术骨干子女需在片区学校就读，希望协调学位。",
        "policy",
        -6,
    ),
    DemoAppeal(
        "2026-001",
        "yezhu",
        "二期用地指标何时能落实",
        "二期项目用地指标迟迟未能落实，希望了解控规调整进度和预计供地时间。",
        "land",
        -2,
        outcome="merge",
        text="与二期用地指标问题一并协调，进展请在问题页查看。",
    ),
    DemoAppeal(
        "2026-004",
        "kangyuan",
        "园区污水管网未接通",
        "厂区东侧市政污水管网缺约300米，试生产废水无法纳管。",
        "utilities",
        -3,
        outcome="accept",
        lead="区住建局",
        cooperating=("区生态环境分局",),
        text="已转区住建局牵头、区生态环境分局配合办理。",
    ),
    DemoAppeal(
        "2026-003",
        "jinggong",
        "高新技术企业认定政策咨询",
        "企业今年拟申报高新技术企业，想了解区级配套奖励政策及申报时间。",
        "policy",
        -1,
        outcome="answer",
        text="区级配套奖励按《开发区科技创新扶持办法》执行，认定后一次性奖励20万元；"
        "申报通知预计下月由区科经局发布，届时将推送贵公司。",
        rating=5,
        comment="答复清楚及时。",
    ),
]


def load(orgs, people, today: date) -> None:
    from diaodu.problems.models import OPEN_PROBLEM, Problem
    from diaodu.projects.models import Project

    coordinator = people["xietiaoban"]
    for spec in APPEALS:
        project = Project.objects.filter(code=spec.project).first()
        if project is None or Appeal.objects.filter(project=project, title=spec.title).exists():
            continue
        raised_at = timezone.make_aware(datetime.combine(today + D(days=spec.raised), time(9)))
        appeal = services.raise_appeal(
            project,
            {
                "title": spec.title,
                "description": spec.description,
                "category": spec.category,
                "raised_at": raised_at,
            },
            actor=people[spec.owner],
        )
        if spec.outcome == "accept":
            services.accept_appeal(
                appeal,
                {
                    "lead_department": orgs[spec.lead],
                    "cooperating_departments": [orgs[o] for o in spec.cooperating],
                    "due_date": today + D(days=20),
                },
                actor=coordinator,
                version=appeal.version,
                text=spec.text,
            )
        elif spec.outcome == "merge":
            problem = Problem.objects.filter(project=project, status__in=OPEN_PROBLEM).first()
            if problem is not None:
                services.merge_appeal(
                    appeal, problem, actor=coordinator, version=appeal.version, text=spec.text
                )
        elif spec.outcome == "answer":
            services.answer_appeal(appeal, spec.text, actor=coordinator, version=appeal.version)
        if spec.rating:
            services.rate_appeal(appeal, spec.rating, spec.comment, actor=people[spec.owner])
