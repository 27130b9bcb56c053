"""The vocabulary of columns: every header our files write, and every synonym offices
use, names one column only, in every language."""

from collections import defaultdict

import pytest

from diaodu.factories import template_kind
from diaodu.reports import columns as c
from diaodu.reports.importing import (
    ImportKind,
    Vocabulary,
    _in_every_language,
    _milestone_vocabulary,
    _static_vocabulary,
    milestone_key,
    text_key,
)


@pytest.mark.parametrize(
    "fields", [c.PROJECT_FIELDS, c.PROBLEM_FIELDS], ids=["projects", "problems"]
)
def test_no_header_names_two_columns(fields):
    names = defaultdict(set)
    for f in fields:
        for label in (f.label, *f.also):
            for text in _in_every_language(label):
                names[text_key(text)].add(f.key)
        for synonym in f.synonyms:
            names[text_key(synonym)].add(f.key)

    assert {key: keys for key, keys in names.items() if len(keys) > 1} == {}


def test_milestone_headers_do_not_shadow_the_fixed_columns(db):
    fixed = _static_vocabulary(ImportKind.PROJECTS)
    from diaodu.projects.models import MilestoneKind

    dated = _milestone_vocabulary(MilestoneKind.objects.all())

    assert set(fixed) & set(dated) == set()


@pytest.mark.parametrize(
    ("group", "header", "field"),
    [
        ("", "总投资（万元）", "total_investment"),
        ("", "總投資（萬元）", "total_investment"),  # Traditional
        ("", "Total investment (10k yuan)", "total_investment"),
        ("", "项目名称*", "name"),  # templates mark required columns
        ("", "牵 头 单 位", "lead_department"),  # spaced out to fill a wide cell
        ("投资情况（万元）", "年度计划", "annual_plan"),
        ("下一节点", "计划时间", "next_milestone_date"),
        ("下一节点", "节点", "next_milestone_kind"),
        ("", "计划时间", None),  # alone it says nothing
    ],
)
def test_a_header_is_recognised_with_its_group(db, group, header, field):
    assert Vocabulary(ImportKind.PROJECTS).match(group, header) == field


@pytest.mark.parametrize(
    ("group", "header", "which"),
    [
        ("", "计划开工时间", "planned"),
        ("", "开工（计划）", "planned"),
        ("", "開工時間", "planned"),
        ("", "实际开工时间", "actual"),
        ("开工", "计划", "planned"),
        ("开工", "实际", "actual"),
        ("Groundbreaking", "Actual date", "actual"),
    ],
)
def test_a_milestone_column_is_recognised_however_offices_word_it(db, group, header, which):
    from diaodu.projects.models import MilestoneKind

    kind = template_kind("groundbreaking")
    vocabulary = Vocabulary(ImportKind.PROJECTS, MilestoneKind.objects.all())

    assert vocabulary.match(group, header) == milestone_key(kind.pk, which)
