"""Demo data modelled on a real zone's key-project dispatch work.

Loading is idempotent: organisations, people and projects are found by their natural keys,
and a project's milestones and reports are only written when the project is new. Dates are
relative to the day of loading, so the demo always shows some projects late and some on
time.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from diaodu.accounts.choices import Role
from diaodu.accounts.models import User
from diaodu.agreements import demo as agreements
from diaodu.appeals import demo as appeals
from diaodu.core import derived
from diaodu.lib.periods import Period
from diaodu.org.choices import OrganisationKind as Kind
from diaodu.org.models import Organisation
from diaodu.projects import services
from diaodu.projects.choices import ListLevel, ProjectType, Stage
from diaodu.projects.models import Industry, MilestoneKind, ProjectList
from diaodu.sites import demo as sites

DEMO_PASSWORD = "diaodu-demo-2026"

ORGANISATIONS = [
    # kind, full name, short name
    (Kind.LEADERSHIP, "临江经济开发区党工委管委会", "开发区管委会"),
    (Kind.COORDINATION, "临江经济开发区重点项目协调办公室", "项目协调办"),
    (Kind.DEPARTMENT, "临江经济开发区自然资源和规划局", "区资规局"),
    (Kind.DEPARTMENT, "临江经济开发区行政审批服务局", "区行政审批局"),
    (Kind.DEPARTMENT, "临江经济开发区科技和经济发展局", "区科经局"),
    (Kind.DEPARTMENT, "临江经济开发区住房和城乡建设局", "区住建局"),
    (Kind.DEPARTMENT, "临江经济开发区生态环境分局", "区生态环境分局"),
    (Kind.DEPARTMENT, "临江经济开发区财政金融局", "区财政局"),
    (Kind.TOWNSHIP, "临江街道办事处", "临江街道"),
    (Kind.TOWNSHIP, "新塘镇人民政府", "新塘镇"),
    (Kind.ENTERPRISE, "临江水务产业发展有限公司", "临江水务"),
    (Kind.ENTERPRISE, "华锂新能源材料股份有限公司", "华锂新能源"),
    (Kind.ENTERPRISE, "精工智能装备(临江)有限公司", "精工智能"),
    (Kind.ENTERPRISE, "康源生物医药科技有限公司", "康源生物"),
    (Kind.ENTERPRISE, "临江冷链物流有限公司", "临江冷链"),
    (Kind.ENTERPRISE, "芯联半导体封测有限公司", "芯联封测"),
    (Kind.ENTERPRISE, "数智科技产业园运营有限公司", "数智科技"),
]

# username, display name, title, organisation short name, role. The first of each role
# is the demo log-in printed by ``make run``.
PEOPLE = [
    ("admin", "系统管理员", "信息中心", "项目协调办", Role.ADMIN),
    ("xietiaoban", "陈晓琳", "项目协调办主任", "项目协调办", Role.COORDINATOR),
    ("zhoujie", "周杰", "项目协调办科员", "项目协调办", Role.COORDINATOR),
    ("lingdao", "王建国", "管委会主任", "开发区管委会", Role.LEADER),
    ("liming", "李明", "管委会副主任", "开发区管委会", Role.LEADER),
    ("zigui", "赵海峰", "区资规局副局长", "区资规局", Role.DEPARTMENT),
    ("shenpi", "孙丽", "区行政审批局科长", "区行政审批局", Role.DEPARTMENT),
    ("kejing", "吴涛", "区科经局科长", "区科经局", Role.DEPARTMENT),
    ("zhujian", "郑伟", "区住建局科长", "区住建局", Role.DEPARTMENT),
    ("shengtai", "钱敏", "区生态环境分局科长", "区生态环境分局", Role.DEPARTMENT),
    ("caizheng", "冯刚", "区财政局科长", "区财政局", Role.DEPARTMENT),
    ("xintang", "陈立", "新塘镇副镇长", "新塘镇", Role.DEPARTMENT),
    ("yezhu", "刘洋", "项目经理", "临江水务", Role.OWNER),
    ("huali", "黄磊", "基建部部长", "华锂新能源", Role.OWNER),
    ("jinggong", "何静", "项目负责人", "精工智能", Role.OWNER),
    ("kangyuan", "马超", "项目负责人", "康源生物", Role.OWNER),
    ("lengliang", "林峰", "项目负责人", "临江冷链", Role.OWNER),
    ("xinlian", "许强", "项目总监", "芯联封测", Role.OWNER),
    ("shuzhi", "高雪", "运营总监", "数智科技", Role.OWNER),
]

INDUSTRIES = [
    ("节能环保", "Energy saving & environment"),
    ("新能源新材料", "New energy & materials"),
    ("高端装备", "High-end equipment"),
    ("生物医药", "Biomedicine"),
    ("现代物流", "Modern logistics"),
    ("集成电路", "Integrated circuits"),
    ("数字经济", "Digital economy"),
]

APPROVING = {
    "land_supply": "区资规局",
    "project_approval": "区行政审批局",
    "land_planning_permit": "区资规局",
    "engineering_planning_permit": "区资规局",
    "construction_permit": "区行政审批局",
}


@dataclass
class DemoProject:
    code: str
    name: str
    owner: str
    industry: str
    stage: str
    total: int
    plan: int
    land: int
    lead: str
    leader: str
    township: str
    location: str
    content: str
    # milestone code → (planned offset, actual offset or None), in days from today
    milestones: dict
    monthly: list  # investment of each approved month, oldest first (万元)
    national_code: str | None = None
    project_type: str = ProjectType.NEW


D = timedelta


PROJECTS = [
    DemoProject(
        "2026-001",
        "水务产业园",
        "临江水务",
        "节能环保",
        Stage.CONSTRUCTION,
        120000,
        36000,
        350,
        "区科经局",
        "lingdao",
        "临江街道",
        "临江大道与滨江路交叉口东北侧",
        "建设水处理装备研发制造中心、膜材料生产线、智慧水务运营中心及配套用房，"
        "总建筑面积约18万平方米。",
        {
            "signing": (-420, -420),
            "land_supply": (-330, -318),
            "project_approval": (-300, -296),
            "land_planning_permit": (-280, -265),
            "engineering_planning_permit": (-230, -222),
            "construction_permit": (-200, -198),
            "groundbreaking": (-190, -185),
            "topping_out": (9, None),
            "completion": (220, None),
            "production": (300, None),
        },
        [2600, 3100, 3400, 3900, 4200, 4800],
        national_code="2503-330106-04-01-582931",
    ),
    DemoProject(
        "2026-002",
        "年产5万吨新能源电池材料项目",
        "华锂新能源",
        "新能源新材料",
        Stage.PREPARATION,
        180000,
        25000,
        420,
        "区资规局",
        "liming",
        "新塘镇",
        "新塘镇工业功能区B-12地块",
        "新建正极材料生产线4条及仓储、研发楼，年产磷酸铁锂正极材料5万吨。",
        {
            "signing": (-200, -200),
            "land_supply": (-40, None),
            "project_approval": (-60, -58),
            "land_planning_permit": (-20, None),
            "engineering_planning_permit": (30, None),
            "construction_permit": (50, None),
            "groundbreaking": (60, None),
            "completion": (480, None),
            "production": (540, None),
        },
        [600, 900, 1200],
        national_code="2509-330106-04-01-117364",
    ),
    DemoProject(
        "2026-003",
        "智能装备制造基地",
        "精工智能",
        "高端装备",
        Stage.CONSTRUCTION,
        85000,
        30000,
        200,
        "区科经局",
        "lingdao",
        "临江街道",
        "智造大道88号",
        "建设工业机器人及智能产线装备生产厂房、检测中心，购置数控加工设备320台（套）。",
        {
            "signing": (-500, -500),
            "land_supply": (-420, -425),
            "project_approval": (-400, -402),
            "land_planning_permit": (-380, -381),
            "engineering_planning_permit": (-350, -352),
            "construction_permit": (-330, -331),
            "groundbreaking": (-320, -320),
            "topping_out": (-60, -66),
            "completion": (75, None),
            "production": (130, None),
        },
        [3800, 4100, 4300, 4600, 5000, 5200],
    ),
    DemoProject(
        "2026-004",
        "生物医药产业园二期",
        "康源生物",
        "生物医药",
        Stage.SIGNED,
        65000,
        8000,
        150,
        "区行政审批局",
        "liming",
        "新塘镇",
        "生命健康小镇C区",
        "建设GMP标准化厂房、中试车间及研发中心，承接一期创新药产业化。",
        {
            "signing": (-45, -45),
            "land_supply": (50, None),
            "project_approval": (12, None),
            "land_planning_permit": (70, None),
            "groundbreaking": (150, None),
            "completion": (600, None),
        },
        [],
    ),
    DemoProject(
        "2026-005",
        "冷链物流中心",
        "临江冷链",
        "现代物流",
        Stage.COMPLETED,
        42000,
        6000,
        120,
        "区住建局",
        "liming",
        "临江街道",
        "港口物流园区5号地块",
        "建设10万吨级冷库、分拣中心及冷链配送信息平台。",
        {
            "signing": (-700, -700),
            "land_supply": (-620, -610),
            "project_approval": (-600, -600),
            "construction_permit": (-560, -555),
            "groundbreaking": (-540, -540),
            "topping_out": (-300, -290),
            "completion": (-30, -25),
            "production": (20, None),
        },
        [900, 1100, 1000, 1200, 800, 600],
        project_type=ProjectType.EXPANSION,
    ),
    DemoProject(
        "2026-006",
        "半导体封装测试项目",
        "芯联封测",
        "集成电路",
        Stage.CONSTRUCTION,
        150000,
        45000,
        260,
        "区资规局",
        "lingdao",
        "新塘镇",
        "芯谷产业园北区",
        "建设先进封装测试厂房及洁净车间，形成年封装测试芯片12亿颗能力。",
        {
            "signing": (-360, -360),
            "land_supply": (-250, -236),
            "project_approval": (-240, -237),
            "land_planning_permit": (-200, -180),
            "engineering_planning_permit": (-150, -118),
            "construction_permit": (-120, -96),
            "groundbreaking": (-90, -88),
            "topping_out": (-12, None),
            "completion": (200, None),
            "production": (260, None),
        },
        [1500, 2000, 2600, 2400, 2900, 3100],
        national_code="2504-330106-04-01-903311",
    ),
    DemoProject(
        "2026-007",
        "数字经济产业园",
        "数智科技",
        "数字经济",
        Stage.PRODUCTION,
        38000,
        3000,
        80,
        "区科经局",
        "lingdao",
        "临江街道",
        "科创走廊6号",
        "改造提升标准厂房为数字产业载体，建设数据中心机房及企业孵化空间。",
        {
            "signing": (-800, -800),
            "land_supply": (-760, -760),
            "construction_permit": (-700, -702),
            "groundbreaking": (-690, -690),
            "completion": (-200, -205),
            "production": (-150, -150),
        },
        [500, 450, 600],
        project_type=ProjectType.RENOVATION,
    ),
]


def _organisations() -> dict[str, Organisation]:
    by_short = {}
    for order, (kind, name, short) in enumerate(ORGANISATIONS, start=1):
        org, _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "short_name": short, "sort_order": order}
        )
        by_short[short] = org
    return by_short


def _people(orgs) -> dict[str, User]:
    people = {}
    for username, name, title, org, role in PEOPLE:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                display_name=name,
                title=title,
                organisation=orgs[org],
                role=role,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        people[username] = user
    return people


def _month_starts(count: int, today: date) -> list[date]:
    period = Period.containing("month", today).previous()
    starts = []
    for _ in range(count):
        starts.append(period.start)
        period = period.previous()
    return list(reversed(starts))


NARRATIVES = [
    "完成桩基工程{pct}%，主体结构施工稳步推进，现场作业人员{workers}人。",
    "主体结构施工至第{floor}层，钢结构构件进场，设备采购招标完成。",
    "完成月度投资计划，重点推进屋面及外立面施工，同步开展设备基础施工。",
    "施工许可手续办结，土方开挖完成{pct}%，临时水电接入到位。",
]


def _project(spec: DemoProject, orgs, people, industries, lists, today, coordinator):
    from diaodu.projects.models import Project

    if Project.objects.filter(code=spec.code).exists():
        return
    project = services.create_project(
        {
            "code": spec.code,
            "national_code": spec.national_code,
            "name": spec.name,
            "owner": orgs[spec.owner],
            "industry": industries[spec.industry],
            "project_type": spec.project_type,
            "lists": lists,
            "township": orgs[spec.township],
            "location": spec.location,
            "total_investment": Decimal(spec.total),
            "plan_year": today.year,
            "annual_plan": Decimal(spec.plan),
            "land_area": Decimal(spec.land),
            "construction_content": spec.content,
            "responsible_leader": people[spec.leader],
            "lead_department": orgs[spec.lead],
            "stage": spec.stage,
        },
        actor=coordinator,
    )
    for milestone in project.milestones.select_related("kind"):
        if milestone.kind.code not in spec.milestones:
            # Not on this project's path (a renovation needs no new land).
            services.remove_milestone(milestone, actor=coordinator)
            continue
        planned, actual = spec.milestones[milestone.kind.code]
        dates = {
            "planned_date": today + D(days=planned),
            "actual_date": today + D(days=actual) if actual is not None else None,
        }
        if milestone.kind.is_approval and (actual is not None or planned < 0):
            # Applications accepted some weeks before the approval (or the plan): a few
            # take longer than the statutory limit, as real ones do.
            end = actual if actual is not None else planned
            dates["applied_date"] = today + D(
                days=end - milestone.kind.statutory_days - (len(spec.name) % 4) * 4 + 4
            )
        services.plan_milestone(milestone, dates, actor=coordinator)
    owner = next(p for p in people.values() if p.organisation_id == project.owner_id)
    for index, (start, amount) in enumerate(
        zip(_month_starts(len(spec.monthly), today), spec.monthly, strict=True)
    ):
        report = services.submit_report(
            project,
            {
                "period_kind": "month",
                "period_start": start,
                "narrative": NARRATIVES[index % len(NARRATIVES)].format(
                    pct=40 + index * 10, workers=120 + index * 15, floor=index + 2
                ),
                "investment": Decimal(amount),
            },
            actor=owner,
        )
        if index < len(spec.monthly) - 1:
            services.review_report(report, approve=True, actor=coordinator)
    return project


@transaction.atomic
def load(today: date | None = None) -> None:
    today = today or timezone.localdate()
    orgs = _organisations()
    people = _people(orgs)
    industries = {
        name: Industry.objects.get_or_create(name=name, defaults={"name_en": en})[0]
        for name, en in INDUSTRIES
    }
    for code, short in APPROVING.items():
        MilestoneKind.objects.filter(code=code, approving_department=None).update(
            approving_department=orgs[short]
        )
    lists = [
        ProjectList.objects.get_or_create(
            name=f"{today.year}年开发区重点项目",
            defaults={"year": today.year, "level": ListLevel.ZONE},
        )[0],
    ]
    city_list = ProjectList.objects.get_or_create(
        name=f"{today.year}年市级重点项目", defaults={"year": today.year, "level": ListLevel.CITY}
    )[0]
    coordinator = people["xietiaoban"]
    for spec in PROJECTS:
        on_lists = lists + ([city_list] if spec.total >= 80000 else [])
        _project(spec, orgs, people, industries, on_lists, today, coordinator)
    _land(industries, people, today)
    problems = _problems(orgs, people, today)
    if problems:
        _meetings(orgs, people, problems, today)
    _round(people, today)
    agreements.load(orgs, people, today)
    appeals.load(orgs, people, today)
    sites.load(people, today)


def logins() -> list[tuple[str, str, str]]:
    """(role, username, password) of the first demo account of each role."""
    seen, rows = set(), []
    for username, _name, _title, _org, role in PEOPLE:
        if role not in seen:
            seen.add(role)
            rows.append((str(Role(role).label), username, DEMO_PASSWORD))
    return rows


@dataclass
class DemoProblem:
    project: str
    title: str
    description: str
    category: str
    lead: str
    cooperating: list
    raised: int  # days from today
    due: int
    status: str = "open"
    level: str = "zone"
    severity: str = "normal"
    resolution: str = ""
    root_cause: str = ""
    updates: list = field(default_factory=list)  # (username, text)


PROBLEMS = [
    DemoProblem(
        "2026-001",
        "二期用地指标不足，需调整控制性详细规划",
        "水务产业园二期规划用地约120亩，现有建设用地指标仅能保障80亩，且部分地块控规为"
        "仓储用地，需调整为工业用地后方可供地。",
        "land",
        "区资规局",
        ["区科经局"],
        -40,
        -5,
        status="in_progress",
        level="city",
        severity="serious",
        root_cause="年度新增建设用地计划指标不足，控规调整需报市政府审批。",
        updates=[("zigui", "已向市资规局报送控规调整申请，正在征求意见。")],
    ),
    DemoProblem(
        "2026-002",
        "环评批复尚未取得，影响施工许可办理",
        "项目环境影响报告书已于上月报送，专家评审提出补充地下水影响专章，企业正在修改。",
        "approval",
        "区生态环境分局",
        ["区行政审批局"],
        -12,
        10,
    ),
    DemoProblem(
        "2026-006",
        "双回路供电接入滞后，影响设备调试",
        "洁净车间需双回路供电，供电公司配套变电站扩容工程尚未开工，预计影响设备进场调试"
        "两个月以上。",
        "utilities",
        "区科经局",
        ["区住建局"],
        -50,
        -20,
        severity="critical",
        level="city",
    ),
    DemoProblem(
        "2026-003",
        "厂区外规划道路未贯通，大型设备无法进场",
        "智造大道东延段约600米尚未施工，大型数控设备运输车辆无法进场。",
        "utilities",
        "区住建局",
        [],
        -20,
        2,
        status="in_progress",
        updates=[("zhujian", "道路施工单位已进场，完成路基施工约40%。")],
    ),
    DemoProblem(
        "2026-004",
        "二期用地涉及12户房屋征收，拆迁进度缓慢",
        "生命健康小镇C区地块内尚有12户农户房屋未签约，影响供地时间。",
        "relocation",
        "新塘镇",
        ["区资规局"],
        -15,
        30,
    ),
    DemoProblem(
        "2026-005",
        "竣工验收消防备案手续办理",
        "冷库区消防设施验收需补充检测报告。",
        "approval",
        "区住建局",
        [],
        -60,
        -30,
        status="resolved",
        resolution="企业补充第三方消防检测报告，区住建局开辟绿色通道，3个工作日内完成备案。",
        root_cause="企业对冷库消防规范理解不到位，检测报告缺项。",
    ),
    DemoProblem(
        "2026-007",
        "技改补助资金拨付",
        "企业申请的技术改造专项补助资金尚未拨付到位。",
        "funding",
        "区财政局",
        ["区科经局"],
        -90,
        -60,
        status="closed",
        resolution="补助资金480万元已于本月拨付到位。",
    ),
]


@dataclass
class DemoAction:
    problem: int  # index in PROBLEMS
    title: str
    lead: str
    cooperating: list
    assigned: int
    due: int
    moves: list  # (status, username, text) applied in order
    feedback: list = field(default_factory=list)  # (username, text)


ACTIONS = [
    DemoAction(
        0,
        "协调市资规局，加快水务产业园二期控规调整报批",
        "区资规局",
        ["区科经局"],
        -30,
        -3,
        [("acknowledged", "zigui", "")],
        [("zigui", "已与市资规局对接，控规调整方案进入公示阶段。")],
    ),
    DemoAction(1, "督促企业补充环评专章，3日内反馈进展", "区生态环境分局", [], -2, 3, []),
    DemoAction(2, "对接供电公司，明确双回路接入时间表", "区科经局", ["区住建局"], -30, -10, []),
    DemoAction(
        3,
        "完成智造大道东延段道路施工",
        "区住建局",
        [],
        -20,
        14,
        [
            ("acknowledged", "zhujian", ""),
            ("submitted", "zhujian", "道路已完成沥青摊铺，具备通车条件。"),
        ],
    ),
    DemoAction(
        5,
        "开辟消防备案绿色通道",
        "区住建局",
        [],
        -45,
        -32,
        [
            ("acknowledged", "zhujian", ""),
            ("submitted", "zhujian", "已完成消防备案。"),
            ("done", "xietiaoban", ""),
        ],
    ),
    DemoAction(
        4,
        "制定征收安置方案并启动入户签约",
        "新塘镇",
        ["区资规局"],
        -14,
        20,
        [
            ("acknowledged", None, ""),
            ("submitted", None, "已制定安置方案。"),
            ("acknowledged", "xietiaoban", "方案未明确签约时间节点，请补充后重新报送。"),
        ],
    ),
    DemoAction(
        6,
        "协调财政资金提前拨付技改补助",
        "区财政局",
        [],
        -80,
        -50,
        [("cancelled", "xietiaoban", "补助资金已按原计划拨付，本事项不再单独交办。")],
    ),
]


def _problems(orgs, people, today):
    from diaodu.problems import services as problem_services
    from diaodu.problems.models import Problem
    from diaodu.projects.models import Project

    if Problem.objects.exists():
        return
    coordinator = people["xietiaoban"]
    department_staff = {p.organisation_id: p for p in people.values() if p.role == Role.DEPARTMENT}
    created = []
    for spec in PROBLEMS:
        project = Project.objects.get(code=spec.project)
        owner = next(p for p in people.values() if p.organisation_id == project.owner_id)
        problem = problem_services.raise_problem(
            project,
            {
                "title": spec.title,
                "description": spec.description,
                "category": spec.category,
                "severity": spec.severity,
                "level": spec.level,
                "lead_department": orgs[spec.lead],
                "cooperating_departments": [orgs[o] for o in spec.cooperating],
                "raised_on": today + D(days=spec.raised),
                "due_date": today + D(days=spec.due),
            },
            actor=owner,
        )
        for username, text in spec.updates:
            problem_services.add_problem_update(problem, text, actor=people[username])
        lead_staff = department_staff.get(problem.lead_department_id, coordinator)
        if spec.status in ("in_progress", "resolved", "closed"):
            problem_services.transition_problem(problem, "in_progress", actor=lead_staff)
        if spec.status in ("resolved", "closed"):
            problem_services.transition_problem(
                problem,
                "resolved",
                actor=lead_staff,
                resolution=spec.resolution,
                root_cause=spec.root_cause,
            )
        if spec.status == "closed":
            problem_services.transition_problem(problem, "closed", actor=coordinator)
        if spec.root_cause and spec.status == "in_progress":
            problem_services.edit_problem(
                problem,
                {"root_cause": spec.root_cause},
                version=problem.version,
                actor=coordinator,
            )
        created.append(problem)

    # Nobody has written on the power-supply problem for weeks: it shows as silent.
    Problem.objects.filter(pk=created[2].pk).update(last_activity_at=timezone.now() - D(days=30))
    derived.changed(created[2])
    return created


def _round(people, today):
    from diaodu.projects.models import Project, ReportingRound

    if ReportingRound.objects.exists():
        return
    period = Period.containing("month", today)
    services.open_round(
        {
            "title": f"{period.start.year}年{period.start.month}月重点项目进展填报",
            "period_kind": "month",
            "period_start": period.start,
            "due_date": today + D(days=3),
            "projects": list(Project.objects.all()),
        },
        actor=people["xietiaoban"],
    )
    for code, username in (("2026-003", "jinggong"), ("2026-007", "shuzhi")):
        services.submit_report(
            Project.objects.get(code=code),
            {
                "period_kind": "month",
                "period_start": period.start,
                "narrative": "本月按计划推进，无新增问题。",
                "investment": Decimal("800"),
            },
            actor=people[username],
        )


DISCUSSION = {
    "2026-001": (
        "主体结构施工进度符合计划，二期用地指标缺口约40亩。",
        "区资规局牵头，积极向市资规局争取用地指标，同步推进控规调整；区科经局做好二期招商项目"
        "储备。",
    ),
    "2026-002": (
        "项目环评尚在修改，供地滞后于计划节点。",
        "区生态环境分局主动上门指导，压缩环评审批时限；区行政审批局提前介入施工许可预审。",
    ),
    "2026-003": ("设备进场受厂区外道路制约。", "区住建局加快智造大道东延段施工，确保月底前通车。"),
    "2026-004": ("征收工作进度偏慢。", "新塘镇制定征收安置方案，区资规局做好供地准备。"),
    "2026-005": ("已竣工，正在办理投产前各项手续。", "区住建局开辟绿色通道，加快消防备案。"),
    "2026-006": (
        "双回路供电是当前最大堵点，直接影响设备调试。",
        "区科经局牵头对接供电公司，明确接入时间表，必要时提请市级协调。",
    ),
    "2026-007": ("已投产运营，亩均效益良好。", "区科经局跟踪企业技改补助资金兑现情况。"),
}


def _meetings(orgs, people, problems, today):
    from diaodu.meetings import briefing, documents
    from diaodu.meetings import services as meeting_services
    from diaodu.meetings.choices import MeetingStatus
    from diaodu.problems import services as problem_services
    from diaodu.projects.models import Project

    coordinator, leader = people["xietiaoban"], people["lingdao"]
    held = timezone.make_aware(
        timezone.datetime.combine(today - D(days=14), timezone.datetime.min.time())
    ) + D(hours=15)
    special = meeting_services.create_meeting(
        {
            "kind": "special",
            "title": "重点项目推进专题调度会议",
            "starts_at": held,
            "place": "管委会三楼第一会议室",
            "chair": leader,
            "status": MeetingStatus.HELD,
            "attendees": [
                people["liming"],
                coordinator,
                people["zigui"],
                people["shenpi"],
                people["kejing"],
                people["zhujian"],
            ],
            "organisations": [
                orgs[o]
                for o in (
                    "区资规局",
                    "区行政审批局",
                    "区科经局",
                    "区住建局",
                    "区生态环境分局",
                    "新塘镇",
                )
            ],
            "preamble": "会议听取了7个重点项目推进情况汇报，研究解决项目推进中存在的问题和困难。"
            "会议强调，各部门要强化部门联动，对上积极争取，找准堵点症结，确保项目落得了、落得快、"
            "落得好。现将会议议定事项纪要如下：",
            "closing": "各责任单位要按照时间节点抓好落实，项目协调办跟踪督办，"
            "下次调度会通报落实情况。",
        },
        actor=coordinator,
    )
    projects = list(Project.objects.order_by("code"))
    agenda = meeting_services.add_to_agenda(special, projects, actor=coordinator)
    for item in agenda:
        summary, decisions = DISCUSSION[item.project.code]
        meeting_services.record_discussion(
            item, {"summary": summary, "decisions": decisions}, actor=coordinator
        )
    by_project = {item.project_id: item for item in agenda}
    department_staff = {p.organisation_id: p for p in people.values() if p.role == Role.DEPARTMENT}
    for spec in ACTIONS:
        problem = problems[spec.problem]
        item = meeting_services.assign_in_meeting(
            by_project[problem.project_id],
            {
                "title": spec.title,
                "problem": problem,
                "lead_department": orgs[spec.lead],
                "cooperating_departments": [orgs[o] for o in spec.cooperating],
                "assigned_on": today + D(days=spec.assigned),
                "due_date": today + D(days=spec.due),
            },
            actor=leader,
        )
        lead_staff = department_staff.get(item.lead_department_id, coordinator)
        for username, text in spec.feedback:
            problem_services.give_feedback(item, text, actor=people[username])
        for status, username, text in spec.moves:
            actor = people[username] if username else lead_staff
            problem_services.move_action_item(item, status, actor=actor, text=text)
    briefs = briefing.briefs(special, special.agenda.all(), coordinator, today)
    meeting_services.issue_minutes(
        special,
        lambda minutes: documents.minutes_document(special, briefs, minutes),
        actor=coordinator,
    )

    weekly = meeting_services.create_meeting(
        {
            "kind": "weekly",
            "title": "重点项目周调度会",
            "starts_at": timezone.make_aware(
                timezone.datetime.combine(today + D(days=2), timezone.datetime.min.time())
            )
            + D(hours=9),
            "place": "项目协调办会议室",
            "chair": people["liming"],
            "previous": special,
            "attendees": [coordinator],
            "organisations": [orgs["区资规局"], orgs["区科经局"], orgs["区住建局"]],
        },
        actor=coordinator,
    )
    meeting_services.add_to_agenda(
        weekly, meeting_services.projects_needing_attention(), actor=coordinator
    )


def _land(industries, people, today):
    """Zone-wide land-efficiency thresholds and the production project's annual returns."""
    from diaodu.projects.models import LandThreshold, Project

    LandThreshold.objects.get_or_create(
        industry=None,
        defaults={
            "investment_per_mu": Decimal("300"),
            "output_per_mu": Decimal("500"),
            "tax_per_mu": Decimal("30"),
            "energy_per_output": Decimal("0.3"),
        },
    )
    LandThreshold.objects.get_or_create(
        industry=industries["数字经济"],
        defaults={
            "investment_per_mu": Decimal("400"),
            "output_per_mu": Decimal("800"),
            "tax_per_mu": Decimal("50"),
            "energy_per_output": Decimal("0.1"),
        },
    )
    producing = Project.objects.filter(code="2026-007").first()
    owner = people["shuzhi"]
    if producing is not None and not producing.returns.exists():
        # energy in tonnes of standard coal
        for back, output, tax, energy in ((2, 21000, 1180, 1900), (1, 36500, 2270, 3100)):
            services.record_annual_return(
                producing,
                {
                    "year": today.year - back,
                    "output": Decimal(output),
                    "tax": Decimal(tax),
                    "energy": Decimal(energy),
                },
                actor=owner,
            )
