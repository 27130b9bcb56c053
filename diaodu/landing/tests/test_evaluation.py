"""The 2025 land-efficiency evaluation of ``conftest.build_rated``: scores, grades at their
boundaries, ranks, the page, the API and the .xlsx read back."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from diaodu.landing import evaluation, views
from diaodu.landing.choices import Grade
from diaodu.projects.models import Project
from diaodu.test import api_for, client_for

EVALUATION = reverse("landing:evaluation")
EXPORT = reverse("landing:evaluation_export")
D = Decimal


def ranked(rows):
    return [(r.project.code, r.score, r.grade, r.rank) for r in rows]


def test_projects_are_scored_graded_and_ranked_as_worked_out_by_hand(rated):
    rows = evaluation.evaluation(Project.objects.all(), 2025)

    assert ranked(rows) == [
        ("2026-002", D("156.25"), Grade.A, 1),
        ("2025-R3", D("120.00"), Grade.A, 2),
        ("2025-R4", D("100.00"), Grade.B, 3),
        ("2026-001", D("100.00"), Grade.B, 3),
        ("2025-R1", D("80.00"), Grade.C, 5),
        ("2025-R2", D("79.99"), Grade.D, 6),
    ]


def test_the_figures_per_mu_and_per_output_are_those_of_the_return(rated):
    rows = {r.project.code: r for r in evaluation.evaluation(Project.objects.all(), 2025)}

    r2 = rows["2025-R2"]
    assert (r2.investment_per_mu, r2.output_per_mu, r2.tax_per_mu, r2.energy_per_output) == (
        D("300.00"),
        D("400.00"),
        D("22.49"),
        D("0.6250"),
    )
    assert [i.key for i in r2.shortfalls] == ["tax_per_mu", "output_per_mu", "energy_per_output"]
    # 高端装备 has no energy threshold: Y's energy is shown but neither judged nor scored.
    y = rows["2026-002"]
    assert (y.energy_per_output, y.meets("energy_per_output")) == (D("0.0300"), None)


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        (D("120.00"), Grade.A),
        (D("119.99"), Grade.B),
        (D("100.00"), Grade.B),
        (D("99.99"), Grade.C),
        (D("80.00"), Grade.C),
        (D("79.99"), Grade.D),
        (None, Grade.D),
    ],
)
def test_grades_start_at_their_floor(score, grade):
    assert evaluation.grade_of(score) == grade


def test_an_index_is_capped_and_energy_is_better_the_lower_it_is():
    assert evaluation.index_of(D(900), D(300)) == D(2)
    assert evaluation.index_of(D("0.25"), D("0.5"), lower_is_better=True) == D(2)
    assert evaluation.index_of(D("0.4"), D("0.5"), lower_is_better=True) == D("1.25")
    assert evaluation.index_of(D(0), D("0.5"), lower_is_better=True) == D(2)
    assert evaluation.index_of(None, D(300)) is None
    assert evaluation.index_of(D(300), None) is None


def test_a_project_in_production_without_a_return_for_the_year_is_listed_as_not_reported(rated):
    response = client_for(rated.coordinator).get(EVALUATION + "?year=2025")

    assert [p.code for p in response.context["not_reported"]] == ["2025-R5"]
    assert response.context["years"] == [2025, 2024]


def test_the_page_defaults_to_the_latest_year_and_can_show_another(rated):
    latest = client_for(rated.leader).get(EVALUATION).context
    earlier = client_for(rated.leader).get(EVALUATION + "?year=2024").context

    assert latest["year"] == 2025
    assert len(latest["rows"]) == 6
    assert [r.project.code for r in earlier["rows"]] == ["2025-R5"]


def test_the_page_shows_a_page_of_the_ranking_and_counts_grades_over_all(rated, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 4)

    page = client_for(rated.leader).get(EVALUATION + "?year=2025&page=2").context

    assert [(r.project.code, r.rank) for r in page["rows"]] == [("2025-R1", 5), ("2025-R2", 6)]
    assert page["grades"] == {Grade.A: 2, Grade.B: 2, Grade.C: 1, Grade.D: 1}


def test_the_page_filters_by_industry(rated):
    rows = client_for(rated.leader).get(f"{EVALUATION}?industry={rated.equipment.pk}")

    assert [r.project.code for r in rows.context["rows"]] == ["2026-002"]


def test_an_owner_sees_only_their_own_projects_in_the_evaluation(rated):
    page = client_for(rated.owner_x).get(EVALUATION).context["rows"]
    api = api_for(rated.owner_x).get("/api/landing/evaluation/").json()

    assert [(r.project.code, r.rank) for r in page] == [("2026-001", 1)]
    assert [(r["code"], r["score"], r["grade"]) for r in api["rows"]] == [
        ("2026-001", "100.00", "B")
    ]


def test_the_api_gives_the_ranked_rows_of_the_year(rated):
    data = api_for(rated.leader).get("/api/landing/evaluation/?year=2025").json()

    assert data["year"] == 2025
    first = data["rows"][0]
    assert (first["rank"], first["code"], first["score"], first["grade"]) == (
        1,
        "2026-002",
        "156.25",
        "A",
    )
    assert data["rows"][-1]["shortfalls"] == ["tax_per_mu", "output_per_mu", "energy_per_output"]


@pytest.mark.parametrize("year", ["1999", "twenty"])
def test_the_api_refuses_a_year_it_cannot_evaluate(rated, year):
    response = api_for(rated.leader).get(f"/api/landing/evaluation/?year={year}")

    assert response.status_code == 400
    assert "year" in response.json()


def read_back(content: bytes):
    book = load_workbook(BytesIO(content))
    return book.worksheets[0]


def test_the_export_is_the_ranked_table_in_the_house_style(rated):
    response = client_for(rated.leader, language="en").get(EXPORT + "?year=2025")

    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        'attachment; filename="2025 land-efficiency evaluation 2026-06-10.xlsx"'
    )
    sheet = read_back(b"".join(response.streaming_content))
    assert sheet["A1"].value == "2025 land-efficiency evaluation"
    assert sheet["A1"].font.bold
    assert sheet["A2"].value.startswith("Generated")
    assert sheet.freeze_panes == "D5"  # below the two header rows, right of the name
    assert [sheet.cell(3, c).value for c in (1, 2, 3, 8, 11, 14, 15, 16)] == [
        "Rank",
        "Project number",
        "Project",
        "Reported",
        "Per mu (10k yuan)",
        "Energy per 10k yuan of output",
        "Score",
        "Grade",
    ]
    assert [sheet.cell(4, c).value for c in (8, 9, 10, 11, 12, 13)] == [
        "Output (10k yuan)",
        "Tax (10k yuan)",
        "Energy (tonnes of standard coal)",
        "Investment",
        "Output",
        "Tax",
    ]
    body = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5)]
    assert [(r[0], r[1], r[14], r[15]) for r in body] == [
        (1, "2026-002", 156.25, "A: leading"),
        (2, "2025-R3", 120, "A: leading"),
        (3, "2025-R4", 100, "B: meets the thresholds"),
        (3, "2026-001", 100, "B: meets the thresholds"),
        (5, "2025-R1", 80, "C: to improve"),
        (6, "2025-R2", 79.99, "D: to be rectified"),
    ]
    last = 5 + len(body) - 1
    assert body[-1][10:14] == [300, 400, 22.49, 0.625]
    assert sheet.cell(last, 13).number_format == "#,##0.00"
    assert sheet.cell(last, 13).fill.fgColor.rgb.endswith("FFC7CE")  # tax per mu below: red
    assert sheet.cell(last, 11).fill.fgColor.rgb in (None, "00000000")  # investment meets it
    assert sheet.cell(last, 16).fill.fgColor.rgb.endswith("FFC7CE")  # grade D: red


def test_the_export_holds_only_what_the_reader_may_see(rated):
    response = client_for(rated.owner_y).get(EXPORT)

    sheet = read_back(b"".join(response.streaming_content))
    assert [row[1] for row in sheet.iter_rows(min_row=5, values_only=True)] == ["2026-002"]


def test_the_api_export_reads_back_the_same_rows(rated):
    response = api_for(rated.leader).get(
        "/api/landing/evaluation/export/?year=2025", HTTP_ACCEPT="application/octet-stream, */*"
    )

    assert response.status_code == 200
    sheet = read_back(b"".join(response.streaming_content))
    assert [row[1] for row in sheet.iter_rows(min_row=5, values_only=True)] == [
        "2026-002",
        "2025-R3",
        "2025-R4",
        "2026-001",
        "2025-R1",
        "2025-R2",
    ]
