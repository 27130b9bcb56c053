"""The demo zone's meetings: a special dispatch meeting with issued minutes about all seven
demo projects, and the weekly meeting that follows it up; loading twice changes nothing.
(Loading the demo takes about a second: one test.)"""

from diaodu import demo
from diaodu.meetings.briefing import follow_up
from diaodu.meetings.choices import MeetingStatus
from diaodu.meetings.models import AgendaItem, Meeting, Minutes
from diaodu.meetings.tests.helpers import paragraphs, read_docx, tables


def test_loading_the_demo_twice_leaves_one_special_meeting_with_minutes_and_its_follow_up(
    db, today, fast_password_hashing
):
    demo.load()
    demo.load()

    [special] = Meeting.objects.filter(kind="special")
    [weekly] = Meeting.objects.filter(kind="weekly")
    assert Meeting.objects.count() == 2
    assert special.status == MeetingStatus.ISSUED
    assert AgendaItem.objects.filter(meeting=special).count() == len(demo.PROJECTS) == 7
    assert (weekly.previous, weekly.status) == (special, MeetingStatus.UPCOMING)
    items = follow_up(weekly, weekly.created_by)
    assert {item.meeting_id for item in items} == {special.pk}
    assert {item.light for item in items} >= {"red", "done"}

    minutes = Minutes.objects.get()
    with minutes.document.open("rb") as stored:
        document = read_docx(stored.read())
    lines = paragraphs(document)
    headings = [line.split("、", 1) for line in lines if line[1:2] == "、"]
    assert minutes.meeting == special
    assert lines[0] == "重点项目协调办公室"
    assert lines[1] == f"〔{minutes.year}〕1号"
    assert lines[2] == "重点项目推进专题调度会议纪要"
    assert [number for number, _ in headings] == ["一", "二", "三", "四", "五", "六", "七"]
    assert [name for _, name in headings] == [
        spec.name for spec in sorted(demo.PROJECTS, key=lambda spec: spec.code)
    ]
    assert tables(document), "the assignments are tabled"
