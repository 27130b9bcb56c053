"""Directives drafted from reports written every way an office writes them: in Simplified
or Traditional, with the pinyin a web page showed copied inline, numbered directives
(一要…二要…) inline, one a paragraph, or as headings followed by what to do, from two
speakers, among statements of fact and an enterprise's pledge. The decisions proposed and
ticked are exactly the directives, each with its speaker; the draft notes how many
projects the report speaks of; quotations are as the report wrote them."""

from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypinyin import Style, pinyin

from diaodu.lib import reporttext
from diaodu.lib.chinese import chinese_numeral, to_traditional
from diaodu.meetings import drafting
from diaodu.meetings.models import Meeting
from diaodu.meetings.tests.test_drafting import read
from diaodu.meetings.tests.test_drafting_pages import API_DRAFT, CONFIRM, DRAFT, as_posted
from diaodu.projects.access import visible_projects
from diaodu.test import api_for, client_for

pytestmark = pytest.mark.usefixtures("meetings")

SPEAKERS = ["李主任", "区资规局王局长", "管委会主任王建国", "张书记", "管委会副主任陈主任"]
# What to do, as one clause: no directive word of its own, and the same after a round trip
# through Traditional.
CLAUSES = [
    "压实工作责任，各部门要强化部门联动",
    "强化要素保障，做好空间保障",
    "优化审批流程，实行并联审批",
    "加快项目建设进度",
    "抓好安全生产工作",
    "做好土地集约利用",
    "加强沟通协调，形成工作合力",
]
# A heading, and the sentence after it that says what to do.
HEADINGS = [
    ("术业有专攻", "各部门要各司其职，把专业的事交给专业的人做"),
    ("主动作为", "靠前服务，及时协调解决项目建设中的困难"),
    ("压实责任", "区资规局务必在6月底前完成供地"),
]
STATEMENT = "今年以来全区重点项目完成投资12亿元，总体进展平稳。"
PLEDGE = "绿源水务负责人表示，将全力加快建设，确保6月底前完成主体工程。"


@dataclass(frozen=True)
class Speech:
    speaker: str
    layout: str  # inline, paragraphs, headings, single
    directives: tuple  # clauses, or (heading, what to do) pairs for "headings"

    def text(self) -> str:
        numbered = [chinese_numeral(n) + "要" for n in range(1, len(self.directives) + 1)]
        if self.layout == "inline":
            body = "；".join(n + d for n, d in zip(numbered, self.directives, strict=True))
            return f"{self.speaker}强调，{body}。"
        if self.layout == "paragraphs":
            lines = [f"{n}{d}。" for n, d in zip(numbered, self.directives, strict=True)]
            return "\n".join([f"{self.speaker}强调：", *lines])
        if self.layout == "headings":
            lines = [f"{n}{h}。{w}。" for n, (h, w) in zip(numbered, self.directives, strict=True)]
            return "\n".join([f"{self.speaker}强调：", *lines])
        return f"{self.speaker}要求，{self.directives[0]}。"

    def expected(self) -> list[tuple[str, str]]:
        """(speaker, decision) for each directive, as the draft should propose it."""
        if self.layout == "headings":
            return [(self.speaker, f"{h}。{w}。") for h, w in self.directives]
        return [(self.speaker, f"{d}。") for d in self.directives]


def speeches(speaker):
    layout = st.sampled_from(["inline", "paragraphs", "headings", "single"])

    def build(layout):
        if layout == "headings":
            items = st.lists(st.sampled_from(HEADINGS), min_size=1, max_size=3, unique=True)
        elif layout == "single":
            items = st.lists(st.sampled_from(CLAUSES), min_size=1, max_size=1)
        else:
            items = st.lists(st.sampled_from(CLAUSES), min_size=1, max_size=4, unique=True)
        return items.map(lambda found: Speech(speaker, layout, tuple(found)))

    return layout.flatmap(build)


@st.composite
def reports(draw):
    """(the report as Simplified text, the speeches in it, the projects it counts)."""
    first, second = draw(st.lists(st.sampled_from(SPEAKERS), min_size=2, max_size=2, unique=True))
    count = draw(st.integers(min_value=2, max_value=30))
    written = str(count) if draw(st.booleans()) else chinese_numeral(count)
    opening = (
        f"5月11日上午，管委会召开重点项目工作调度专题会议，听取了{written}个重点项目推进情况汇报。"
    )
    said = [draw(speeches(first)), draw(speeches(second))]
    # Statements of fact and the enterprise's pledge sit between the speeches: context.
    paragraphs = [opening, f"{first}指出，{STATEMENT}", said[0].text(), PLEDGE, said[1].text()]
    return "\n\n".join(paragraphs), said, count


def with_inline_pinyin(text: str, every: int) -> str:
    """Pinyin with tone marks after every ``every``-th Chinese character, as a web page's
    ruby text is copied: 項(xiàng)目."""
    out = []
    for index, char in enumerate(text):
        out.append(char)
        if "\u4e00" <= char <= "\u9fff" and index % every == 0:
            out.append(f"({pinyin(char, style=Style.TONE)[0][0]})")
    return "".join(out)


def draft_of(world, text):
    return drafting.draft(text, projects=visible_projects(world.coordinator), today=world.today)


def ticked(draft) -> list[tuple[str, str]]:
    return [(d.speaker, d.text) for d in draft.decisions if d.required]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    report=reports(),
    traditional=st.booleans(),
    pinyin_every=st.sampled_from([0, 1, 3, 7]),
)
def test_the_ticked_decisions_are_exactly_the_directives_with_their_speakers(
    world, report, traditional, pinyin_every
):
    text, said, count = report
    written = to_traditional(text) if traditional else text
    if pinyin_every:
        written = with_inline_pinyin(written, pinyin_every)

    draft = draft_of(world, written)

    assert ticked(draft) == [pair for speech in said for pair in speech.expected()]
    # The statement is offered for context, unticked; the pledge not at all.
    assert [d.text for d in draft.decisions if not d.required] == [STATEMENT]
    assert draft.project_count == count
    # Quoted as written: a Traditional report in Traditional, its pinyin left out.
    opening = text.split("\n")[0]
    assert draft.project_count_sentence == (to_traditional(opening) if traditional else opening)


def test_a_traditional_report_with_pinyin_drafts_a_meeting_of_its_directives(world):
    browser = client_for(world.coordinator, "en")
    response = browser.post(DRAFT, {"text": read("traditional_two_speakers.txt")})
    form = response.context["form"]
    proposed = [
        (row["proposal"].speaker, row["text"].value(), row["keep"].value())
        for row in form.decision_rows()
    ]

    assert proposed == [
        ("管委会副主任李主任", "今年以来全区重点项目完成投资12亿元，总体进展平稳。", False),
        ("李主任", "术业有专攻。各部门要各司其职，把专业的事交给专业的人做。", True),
        ("李主任", "压实责任。区资规局务必在6月底前完成水务产业园供地。", True),
        ("区资规局王局长", "各单位要抓紧梳理用地需求，限期报送。", True),
    ]
    html = response.content.decode()
    assert "The report speaks of 7 projects; 2 recognised" in html  # 水务产业园, 主体工程
    assert "聽取了七個重點項目推進情況彙報" in html  # its sentence, as written

    browser.post(CONFIRM, as_posted(form))

    meeting = Meeting.objects.latest("pk")
    decided = [item.decisions for item in meeting.agenda.all()] + [meeting.closing]
    assert "\n".join(filter(None, decided)).split("\n") == [
        "压实责任。区资规局务必在6月底前完成水务产业园供地。",
        "术业有专攻。各部门要各司其职，把专业的事交给专业的人做。",
        "各单位要抓紧梳理用地需求，限期报送。",
    ]


@pytest.mark.parametrize(
    ("sentence", "count"),
    [
        ("会议听取了七个重点项目推进情况汇报。", 7),
        ("会议调度了7个项目。", 7),
        ("全区十二个省市重点项目集中开工。", 12),
        ("会议研究了两个在建项目的用地问题。", 2),
        ("二十三个新开工项目进展顺利。", 23),
        ("会议听取了水务产业园项目推进情况汇报。", None),
    ],
)
def test_the_projects_a_report_counts_are_found(sentence, count):
    found = reporttext.find_project_count(reporttext.parse(sentence))

    assert (found.count if found else None) == count


def test_the_api_notes_the_count_and_quotes_as_written(world):
    response = api_for(world.coordinator).post(
        API_DRAFT, {"text": read("traditional_two_speakers.txt")}
    )

    assert response.status_code == 200
    body = response.json()
    assert (body["project_count"], body["recognised_count"]) == (7, 2)
    assert body["project_count_sentence"] == (
        "5月11日上午，管委會召開重點項目工作調度專題會議，聽取了七個重點項目推進情況彙報。"
    )
    assert body["decisions"][1]["sentence"] == (
        "一要術業有專攻。各部門要各司其職，把專業的事交給專業的人做。"
    )
    assert (
        body["decisions"][1]["text"] == "术业有专攻。各部门要各司其职，把专业的事交给专业的人做。"
    )
