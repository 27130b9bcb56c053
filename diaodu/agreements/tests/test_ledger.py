"""The commitments ledger (.xlsx), read back: the rows the list shows the same user with
the same filters, fulfilment coloured, amounts as numbers."""

from datetime import date
from decimal import Decimal
from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from diaodu.test import client_for

HEADER_ROWS = 4  # title, note, grouped headers, headers


def read(response):
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    return rows[2:HEADER_ROWS], rows[HEADER_ROWS:]


def test_the_office_ledger_holds_every_commitment_with_its_fulfilment(world):
    response = client_for(world.coordinator, "en").get(reverse("agreements:commitment_ledger"))

    headers, rows = read(response)
    by_text = {row[8]: row for row in rows}
    assert set(by_text) == {"完成固定资产投资1亿元", "净地交付", "核发施工许可证", "年纳税2000万元"}
    land = by_text["净地交付"]
    assert land[1:4] == ("2026-001", "水务产业园", "XY-2026-001")
    assert land[4].date() == date(2026, 1, 1)
    assert land[5:8] == ("department", "区资规局", "land delivery")
    assert land[13] == "broken"
    assert by_text["核发施工许可证"][13] == "at risk"
    assert Decimal(str(by_text["完成固定资产投资1亿元"][9])) == Decimal("10000")
    assert by_text["完成固定资产投资1亿元"][16] == "扣回已兑现的招商奖励"
    assert "fulfilment" in headers[0]
    assert "commitment" in headers[1]


def test_a_departments_ledger_holds_only_the_commitments_naming_it(world):
    response = client_for(world.staff_b).get(reverse("agreements:commitment_ledger"))

    _, rows = read(response)
    assert [row[8] for row in rows] == ["核发施工许可证"]


def test_the_ledger_applies_the_lists_filters(world):
    response = client_for(world.coordinator).get(
        reverse("agreements:commitment_ledger"), {"state": "broken"}
    )

    _, rows = read(response)
    assert [row[8] for row in rows] == ["净地交付"]
