"""Bulletin numbers (第N期) drawn at the same moment by several app processes: each
number once, a month issued once, and a refused issue's number given back. PostgreSQL
only: SQLite serialises writers, so nothing there ever overlaps."""

import threading
import time
from datetime import date

from django.core.exceptions import ValidationError
from django.db import connection, transaction

from diaodu.core import services as core
from diaodu.core.tests.conftest import needs_postgresql
from diaodu.factories import CoordinatorFactory
from diaodu.lib.periods import MONTH, Period
from diaodu.reports import services
from diaodu.reports.models import Bulletin

pytestmark = needs_postgresql


def _together(work, count: int) -> list:
    """Run ``work(index)`` in ``count`` threads (connections) released at once; return
    each one's result or exception, in index order."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as error:  # the test inspects what each one got
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def _slow_document(_issued) -> bytes:
    time.sleep(0.2)  # the others arrive while the first still holds its number
    return b"PK\x03\x04"


def test_numbers_drawn_at_once_are_each_given_once_even_for_a_new_year():
    def draw(_index):
        with transaction.atomic():
            number = core.next_number("bulletin", 2031)
            time.sleep(0.05)  # still holding the sequence while the others wait
            return number

    assert sorted(_together(draw, 6)) == [1, 2, 3, 4, 5, 6]


def test_one_month_issued_at_once_by_three_gets_one_bulletin_and_gives_the_numbers_back():
    actor = CoordinatorFactory()
    may = Period.containing(MONTH, date(2026, 5, 1))

    results = _together(lambda _i: services.issue_bulletin(may, _slow_document, actor=actor), 3)

    issued = [r for r in results if isinstance(r, Bulletin)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert (len(issued), len(refused)) == (1, 2), results
    assert issued[0].number == 1
    june = services.issue_bulletin(
        Period.containing(MONTH, date(2026, 6, 1)), lambda _b: b"PK", actor=actor
    )
    assert june.number == 2


def test_different_months_issued_at_once_take_consecutive_numbers():
    actor = CoordinatorFactory()
    months = [Period.containing(MONTH, date(2026, m, 1)) for m in (1, 2, 3, 4)]

    results = _together(
        lambda i: services.issue_bulletin(months[i], _slow_document, actor=actor), 4
    )

    assert all(isinstance(r, Bulletin) for r in results), results
    assert sorted(r.number for r in results) == [1, 2, 3, 4]
    assert sorted(Bulletin.objects.values_list("number", flat=True)) == [1, 2, 3, 4]
