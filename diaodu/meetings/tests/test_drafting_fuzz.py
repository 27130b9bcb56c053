"""Fuzzing the drafting parser: whatever text or file a report arrives as, reading it and
drafting from it raise nothing but the refusals they document (``ReportTextError`` from
the text, ``ValidationError`` from the upload), so the page and the API can always say
what is wrong instead of failing with a 500."""

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diaodu.lib import reporttext
from diaodu.meetings import drafting
from diaodu.meetings.tests.test_drafting import weekly_docx
from diaodu.projects.models import Project

FUZZ = settings(
    max_examples=60,
    deadline=None,
    # Drafting only reads the world: every example may share it.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Pieces of real reports: dates in every form, directive words, names, pinyin, numbers.
PIECES = [
    "2026年5月11日", "5月11日", "二〇二六年五月十一日", "2026-05-11", "2026年13月40日",
    "一要", "二要", "要求", "强调", "指出", "。", "，", "；", "\n", "项目", "产业园", "基地",
    "水务产业园", "区资规局", "項(xiàng)目", "調(diào)度", "主持召开", "调度会", "专题会议",
    "（", "）", "(", ")", "9" * 30, "\x0b", "\ufffe", "\u200b", " ",
]  # fmt: skip
REPORTS = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=40).map(
    "".join
)


@FUZZ
@given(raw=REPORTS, today=st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_drafting_any_text_raises_only_its_documented_refusal(world, raw, today):
    try:
        drafting.draft(raw, projects=Project.objects.all(), today=today)
    except reporttext.ReportTextError as refusal:
        code = refusal.code
    else:
        code = None
    assert code in {None, "empty", "too_long", "binary", "encoding", "docx", "not_chinese"}


def _docx_with(name: str, content: bytes) -> bytes:
    source, out = zipfile.ZipFile(io.BytesIO(weekly_docx())), io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            if member.filename != name:
                target.writestr(member, source.read(member))
        target.writestr(name, content)
    return out.getvalue()


PARTS = ["word/document.xml", "[Content_Types].xml", "_rels/.rels", "word/styles.xml"]
FILES = st.one_of(
    st.binary(max_size=400),
    st.tuples(st.sampled_from(PARTS), st.binary(max_size=200)).map(lambda p: _docx_with(*p)),
    st.tuples(st.sampled_from(PARTS), REPORTS).map(lambda p: _docx_with(p[0], p[1].encode())),
)


@FUZZ
@given(data=FILES, extension=st.sampled_from(["docx", "txt"]))
def test_reading_any_upload_raises_only_a_validation_error(db, data, extension):
    try:
        drafting.read_report(upload=SimpleUploadedFile(f"report.{extension}", data))
    except ValidationError as refusal:
        messages = refusal.messages
    else:
        messages = ["read"]
    assert messages


@pytest.mark.parametrize("raw", ["", " ", "\x00", "会议" * 60_000])
def test_the_documented_refusals_are_what_fuzzing_allows(world, raw):
    with pytest.raises(reporttext.ReportTextError):
        drafting.draft(raw, projects=Project.objects.all(), today=date(2026, 6, 10))
