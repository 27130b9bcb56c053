"""Fuzzing the ledger import: whatever workbook or bytes it is given, ``plan_import``
answers with a plan (refused, or with issues per row), never an exception. Anything it
would raise would be a 500 on the import page and the API."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from diaodu.reports.importing import ImportKind, plan_import
from diaodu.reports.tests.helpers import LEDGER_HEADER, xlsx

pytestmark = pytest.mark.urls("diaodu.reports.tests.urls")

FUZZ = settings(
    max_examples=40,
    deadline=None,
    # The world is only read: every example may share it.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# What ledgers hold: the header words, names Diaodu knows, amounts and dates as offices
# write them, and the odd thing pasted in.
WORDS = [
    *LEDGER_HEADER,
    "牵头单位", "计划开工", "建设阶段", "年度计划投资", "问题描述", "问题类别", "办结时限",
    "水务产业园", "区资规局", "区审批局", "绿源水务", "1.2亿", "3,000", "-5", "1e309",
    "2026年5月11日", "2026-02-30", "五月", "已开工", "=SUM(A1:A2)", "'=1+1", "\x0b", "",
]  # fmt: skip
CELLS = st.one_of(
    st.sampled_from(WORDS),
    st.text(max_size=20),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.none(),
)
ROWS = st.lists(st.lists(CELLS, max_size=9), max_size=6)


def _workbook(header: bool, rows) -> bytes | None:
    try:
        return xlsx(*([LEDGER_HEADER] if header else []), *rows)
    except (IllegalCharacterError, ValueError, TypeError, OverflowError):
        return None  # openpyxl cannot even write it: no office could send it


@FUZZ
@given(kind=st.sampled_from(ImportKind.values), header=st.booleans(), rows=ROWS)
def test_any_workbook_gets_a_plan(world, kind, header, rows):
    data = _workbook(header, rows)

    if data is not None:
        plan = plan_import(kind, data, actor=world.coordinator)
        assert plan.ok or plan.issues


@FUZZ
@given(data=st.one_of(st.binary(max_size=300), st.binary(max_size=300).map(b"PK\x03\x04".__add__)))
def test_any_bytes_get_a_plan(world, data):
    plan = plan_import(ImportKind.PROJECTS, data, actor=world.coordinator)

    assert not plan.ok
    assert plan.issues
