"""The columns of the offices' ledgers: what our files call them, what the offices' own
files call them, and how a cell of each is read.

Exports write the ``label`` (in the reader's language); imports recognise a column by its
label in any of the site's languages *and* by the ``synonyms`` offices use in their own
ledgers. The synonyms are Chinese because they are data: the words found in the files
people bring, whatever language the page is shown in.
"""

from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from diaodu.problems.choices import Category, Level, Severity
from diaodu.problems.models import Problem
from diaodu.projects.choices import ProjectType, Stage
from diaodu.projects.models import Project

# How a cell is read (see ``importing``).
TEXT = "text"
DATE = "date"
AMOUNT = "amount"
AREA = "area"
INTEGER = "integer"
CHOICE = "choice"
ENTERPRISE = "enterprise"
DEPARTMENT = "department"
DEPARTMENTS = "departments"
TOWNSHIP = "township"
LEADER = "leader"
INDUSTRY = "industry"
MILESTONE_KIND = "milestone_kind"
PROJECT = "project"


def _label(model, name):
    return capfirst(model._meta.get_field(name).verbose_name)


@dataclass(frozen=True)
class Field:
    """A column. ``label`` heads it in our files; ``also`` are other headers our own
    files use for it (the dispatch table's shorter ones); ``group`` is the merged header
    above it in our files. ``imported=False`` columns are recognised but derived (health,
    year-to-date investment): an import reads past them."""

    key: str
    label: object
    synonyms: tuple[str, ...] = ()
    kind: str = TEXT
    imported: bool = True
    also: tuple = ()
    group: object = None
    choices: type | None = None
    help: object = ""
    example: object = ""


INDEX = Field("index", _("No."), ("序号", "序", "no"), INTEGER, imported=False)

# --- projects ----------------------------------------------------------------------------

PROJECT_FIELDS = [
    INDEX,
    Field(
        "code",
        _label(Project, "code"),
        ("项目编号", "编号", "项目号", "项目序号"),
        help=_("The office's own number. Rows are matched to existing projects by it."),
    ),
    Field(
        "national_code",
        _label(Project, "national_code"),
        (
            "项目代码",
            "国家项目代码",
            "统一项目代码",
            "投资项目代码",
            "项目统一代码",
            "备案代码",
            "审批代码",
        ),
        help=_(
            "The code from the investment project approval platform; matches the project "
            "when the project number is empty."
        ),
    ),
    Field(
        "name",
        _("Project"),
        ("项目名称", "名称", "项目", "项目全称"),
        also=(_label(Project, "name"),),
    ),
    Field(
        "owner",
        _label(Project, "owner"),
        (
            "业主单位",
            "建设单位",
            "项目单位",
            "业主",
            "项目业主",
            "实施主体",
            "投资主体",
            "建设主体",
        ),
        ENTERPRISE,
        help=_("The enterprise's full or short name; an enterprise not yet known is added."),
    ),
    Field(
        "industry",
        _label(Project, "industry"),
        ("产业类别", "所属产业", "产业", "行业", "行业类别", "产业分类", "所属行业"),
        INDUSTRY,
    ),
    Field(
        "project_type",
        _label(Project, "project_type"),
        ("建设性质", "建设类型"),
        CHOICE,
        choices=ProjectType,
    ),
    Field(
        "township",
        _label(Project, "township"),
        ("所属街道", "所在乡镇", "属地", "乡镇街道", "所属区域", "镇街", "所在镇街", "所属镇街"),
        TOWNSHIP,
    ),
    Field(
        "location",
        _label(Project, "location"),
        ("建设地点", "项目地址", "地点", "选址", "项目选址", "建设地址"),
    ),
    Field(
        "total_investment",
        _label(Project, "total_investment"),
        ("总投资", "计划总投资", "项目总投资", "总投资额", "投资总额"),
        AMOUNT,
    ),
    Field("plan_year", _label(Project, "plan_year"), ("计划年度", "年度", "计划年份"), INTEGER),
    Field(
        "annual_plan",
        _label(Project, "annual_plan"),
        (
            "年度计划",
            "年度计划投资",
            "本年计划投资",
            "年计划投资",
            "年度投资计划",
            "本年度计划投资",
            "当年计划投资",
        ),
        AMOUNT,
        also=(_("Annual plan"),),
        group=_("Investment (10k yuan)"),
    ),
    Field(
        "year_to_date",
        _("Completed this year"),
        ("本年完成", "本年完成投资", "年度完成投资", "今年完成投资", "本年累计完成投资"),
        AMOUNT,
        imported=False,
        group=_("Investment (10k yuan)"),
    ),
    Field(
        "plan_rate",
        _("Completion rate"),
        ("完成率", "年度完成率", "投资完成率", "年度投资完成率"),
        imported=False,
        group=_("Investment (10k yuan)"),
    ),
    Field(
        "land_area",
        _label(Project, "land_area"),
        ("用地面积", "用地", "占地面积", "用地规模", "土地面积", "供地面积"),
        AREA,
    ),
    Field(
        "construction_content",
        _label(Project, "construction_content"),
        ("建设内容", "建设规模及内容", "建设内容及规模", "主要建设内容", "建设规模"),
    ),
    Field(
        "responsible_leader",
        _label(Project, "responsible_leader"),
        ("挂钩领导", "联系领导", "分管领导", "责任领导", "包抓领导", "挂联领导", "包联领导"),
        LEADER,
    ),
    Field(
        "lead_department",
        _label(Project, "lead_department"),
        ("责任单位", "牵头单位", "责任部门", "牵头部门", "主管部门"),
        DEPARTMENT,
        help=_(
            "A department's full or short name; several in one cell (区资规局、区科经局): "
            "the first leads, the others cooperate."
        ),
    ),
    Field(
        "cooperating_departments",
        _label(Project, "cooperating_departments"),
        ("配合单位", "协办单位", "配合部门", "协同单位", "协助单位"),
        DEPARTMENTS,
        help=_("Several departments separated by commas or enumeration commas."),
    ),
    Field(
        "stage",
        _label(Project, "stage"),
        ("建设阶段", "项目阶段", "阶段", "进展阶段", "推进阶段"),
        CHOICE,
        choices=Stage,
    ),
    Field("health", _("Health"), ("运行状态", "预警状态"), imported=False),
    Field("health_reason", _("Health reason"), ("状态说明", "预警原因"), imported=False),
    Field(
        "next_milestone_kind",
        _("Milestone"),
        ("下一节点", "下个节点", "下一个节点"),
        MILESTONE_KIND,
        group=_("Next milestone"),
    ),
    Field(
        "next_milestone_date",
        _("Planned date"),
        ("下一节点计划时间", "下一节点时间", "下一节点计划日期", "下个节点时间"),
        DATE,
        group=_("Next milestone"),
    ),
    Field(
        "open_problems",
        _("Open problems"),
        ("未解决问题", "未解决问题数", "问题数"),
        INTEGER,
        imported=False,
    ),
]

# Sub-headers that make the next-milestone group's columns out of two-row headers:
# 下一节点 above 节点 / 计划时间.
NEXT_MILESTONE_SUBHEADERS = {
    "next_milestone_kind": ("节点", "节点名称", "名称"),
    "next_milestone_date": ("计划时间", "计划日期", "时间", "日期"),
}

# Words that, with a milestone kind's name, make a column of planned or actual dates:
# 计划开工时间, 开工（计划）, 实际开工日期, or 开工 above 计划 / 实际.
PLANNED_WORDS = ("计划", "计划时间", "计划日期", "预计", "预计时间", "时间", "日期")
ACTUAL_WORDS = ("实际", "实际时间", "实际日期", "完成时间", "实际完成时间", "完成日期")
PLANNED_LABELS = (_("planned date"), _("Planned"), _("planned"))
ACTUAL_LABELS = (_("actual date"), _("Actual"), _("actual"))

# --- problems ----------------------------------------------------------------------------

PROBLEM_FIELDS = [
    INDEX,
    Field(
        "project_code",
        _label(Project, "code"),
        ("项目编号", "编号", "项目号"),
        help=_("The project's number; or leave it empty and give the project's name."),
    ),
    Field("project_name", _("Project"), ("项目名称", "项目", "所属项目"), PROJECT),
    Field(
        "title",
        _("Problem"),
        (
            "问题",
            "存在问题",
            "问题名称",
            "问题标题",
            "存在问题和困难",
            "问题及困难",
            "困难问题",
            "主要问题",
            "存在的问题",
        ),
        help=_("A problem already on the project with the same title is updated."),
    ),
    Field(
        "description",
        _label(Problem, "description"),
        ("问题描述", "具体情况", "问题详情", "详细描述", "情况说明", "具体问题"),
    ),
    Field(
        "category",
        _label(Problem, "category"),
        ("问题类别", "类别", "问题类型", "类型", "分类", "问题分类"),
        CHOICE,
        choices=Category,
    ),
    Field(
        "severity",
        _label(Problem, "severity"),
        ("严重程度", "紧急程度", "程度"),
        CHOICE,
        choices=Severity,
    ),
    Field(
        "lead_department",
        _label(Problem, "lead_department"),
        ("牵头单位", "责任单位", "牵头部门", "责任部门", "主办单位"),
        DEPARTMENT,
    ),
    Field(
        "cooperating_departments",
        _label(Problem, "cooperating_departments"),
        ("配合单位", "协办单位", "配合部门", "协同单位", "协助单位"),
        DEPARTMENTS,
        help=_("Several departments separated by commas or enumeration commas."),
    ),
    Field(
        "level",
        _label(Problem, "level"),
        ("层级", "协调层级", "解决层级", "级别", "对上争取层级"),
        CHOICE,
        choices=Level,
    ),
    Field(
        "raised_on",
        _label(Problem, "raised_on"),
        ("提出时间", "提出日期", "反映时间", "登记时间", "收集时间"),
        DATE,
    ),
    Field(
        "due_date",
        _label(Problem, "due_date"),
        (
            "办结时限",
            "完成时限",
            "解决时限",
            "截止日期",
            "要求完成时间",
            "时限",
            "办结期限",
            "计划解决时间",
            "完成时间",
        ),
        DATE,
    ),
    Field("status", _label(Problem, "status"), ("状态", "办理状态", "是否解决"), imported=False),
    Field("light", _("Light"), ("亮灯", "灯色", "预警"), imported=False),
    Field("days_overdue", _("Days overdue"), ("逾期天数", "超期天数"), INTEGER, imported=False),
    Field(
        "root_cause",
        _label(Problem, "root_cause"),
        ("症结", "问题症结", "原因分析", "症结所在", "根本原因"),
    ),
    Field(
        "resolution",
        _label(Problem, "resolution"),
        ("解决措施", "解决方案", "办理情况", "解决情况", "处理结果"),
        imported=False,
    ),
]

# Values offices write for choices, beyond the labels (which are recognised in every
# language) and the stored values.
CHOICE_SYNONYMS = {
    Stage: {
        Stage.SIGNED: ("签约", "已签约", "签约阶段", "招商签约"),
        Stage.PREPARATION: ("前期", "前期准备", "前期阶段", "前期工作", "筹建"),
        Stage.CONSTRUCTION: ("在建", "施工", "建设中", "在建阶段", "新开工", "续建", "开工建设"),
        Stage.COMPLETED: ("竣工", "已竣工", "完工", "建成"),
        Stage.PRODUCTION: ("投产", "已投产", "运营", "投产运营", "达产"),
    },
    ProjectType: {
        ProjectType.NEW: ("新建",),
        ProjectType.EXPANSION: ("扩建", "改扩建"),
        ProjectType.RENOVATION: ("技改", "技术改造", "改建"),
        ProjectType.OTHER: ("其他", "其它"),
    },
    Category: {
        Category.LAND: ("用地", "土地", "空间", "用地空间", "要素保障", "用地保障"),
        Category.APPROVAL: ("审批", "手续", "审批手续", "前期手续", "流程", "报批"),
        Category.FUNDING: ("资金", "融资", "资金保障"),
        Category.UTILITIES: ("水电", "配套", "基础设施", "水电气", "供电", "市政配套"),
        Category.RELOCATION: ("拆迁", "征迁", "征地拆迁", "搬迁", "征收"),
        Category.LABOUR: ("用工", "劳动力", "招工"),
        Category.POLICY: ("政策", "政策支持"),
        Category.OTHER: ("其他", "其它"),
    },
    Level: {
        Level.ZONE: ("区级", "区", "园区", "开发区", "本级"),
        Level.CITY: ("市级", "市"),
        Level.PROVINCE: ("省级", "省"),
    },
    Severity: {
        Severity.NORMAL: ("一般", "普通"),
        Severity.SERIOUS: ("较重", "严重", "重要"),
        Severity.CRITICAL: ("紧急", "特别严重", "重大"),
    },
}

# Rows offices add under a table that are not records.
TOTAL_ROWS = ("合计", "总计", "小计", "共计")
