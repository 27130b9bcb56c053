"""The agreement pages as their readers use them: the office records an agreement and its
commitments, sees each commitment's state with its evidence, and is stopped from
overwriting a colleague's change; an owner reads their own agreement without buttons."""

from django.urls import reverse

from diaodu.agreements.models import Agreement
from diaodu.core.models import ChangeLog
from diaodu.problems.tests.helpers import upload
from diaodu.test import client_for


def test_the_office_records_an_agreement_with_its_scan_and_the_change_is_logged(world):
    url = reverse("agreements:agreement_create", args=[world.project_y.pk])

    response = client_for(world.coordinator).post(
        url,
        {
            "number": "XY-2026-010",
            "title": "新材料产业基地补充协议",
            "signed_on": "2026-04-01",
            "enterprise": world.enterprise_y.pk,
            "zone_party": world.leadership.pk,
            "notes": "",
            "files": [upload("补充协议.pdf")],
        },
    )

    agreement = Agreement.objects.get(number="XY-2026-010")
    assert response.url == agreement.get_absolute_url()
    assert agreement.recorded_by == world.coordinator
    page = client_for(world.coordinator).get(agreement.get_absolute_url())
    assert [f.name for f in page.context["documents"]] == ["补充协议.pdf"]
    assert ChangeLog.objects.for_object(world.project_y).filter(object_id=agreement.pk).exists()


def test_the_agreement_page_shows_each_commitments_state_reason_and_evidence(world):
    page = client_for(world.coordinator, "en").get(world.agreement_x.get_absolute_url())

    states = {c.description: c.fulfilment for c in page.context["commitments"]}
    assert states == {
        "完成固定资产投资1亿元": "at_risk",  # nothing approved yet, 160 of 364 days gone
        "净地交付": "broken",
        "核发施工许可证": "at_risk",
    }
    text = page.content.decode()
    assert "10 days overdue" in text
    assert "construction permit actual date: none yet" in text.lower()
    assert "How fulfilment is judged" in text


def test_an_owner_reads_their_agreement_without_edit_buttons(world):
    page = client_for(world.owner_x).get(world.agreement_x.get_absolute_url())

    text = page.content.decode()
    assert page.status_code == 200
    assert reverse("agreements:agreement_edit", args=[world.agreement_x.pk]) not in text
    assert reverse("agreements:commitment_edit", args=[world.land_a.pk]) not in text
    assert page.context["changes"] is None


def test_a_stale_edit_of_a_commitment_is_refused_and_shows_both_versions(world):
    url = reverse("agreements:commitment_edit", args=[world.land_a.pk])
    data = {
        "side": "department",
        "department": world.department_a.pk,
        "kind": "land_delivery",
        "description": "净地交付（含三通一平）",
        "target_amount": "",
        "unit": "",
        "due_date": "2026-05-31",
        "measure": "manual",
        "milestone_kind": "",
        "remedy": "",
        "version": world.land_a.version,
    }
    first, second = client_for(world.coordinator), client_for(world.admin)
    assert first.post(url, data).status_code == 302

    response = second.post(url, {**data, "description": "净地交付（旧版本）"})

    world.land_a.refresh_from_db()
    assert response.status_code == 200
    assert world.land_a.description == "净地交付（含三通一平）"
    form = response.context["form"]
    assert form["version"].value() == world.land_a.version
    [row] = [row for row in form.conflict if row["differs"]]
    assert (row["yours"], row["current"]) == ("净地交付（旧版本）", "净地交付（含三通一平）")


def test_the_project_page_links_to_its_agreements(world):
    page = client_for(world.coordinator).get(world.project_x.get_absolute_url())

    text = page.content.decode()
    assert f"{reverse('agreements:agreement_list')}?project={world.project_x.pk}" in text
    assert reverse("agreements:agreement_create", args=[world.project_x.pk]) in text


def test_the_agreement_list_filters_by_state_side_department_and_text(world):
    browser = client_for(world.coordinator)
    url = reverse("agreements:agreement_list")

    def numbers(**params):
        return {a.number for a in browser.get(url, params).context["page"].object_list}

    assert numbers(state="broken") == {"XY-2026-001"}
    assert numbers(department=world.department_b.pk) == {"XY-2026-001"}
    assert numbers(side="enterprise") == {"XY-2026-001", "XY-2026-002"}
    assert numbers(q="新材料") == {"XY-2026-002"}
    assert numbers(project=world.project_y.pk) == {"XY-2026-002"}


def test_a_department_does_not_learn_other_commitments_states_from_the_filter(world):
    browser = client_for(world.staff_b)

    response = browser.get(reverse("agreements:agreement_list"), {"state": "broken"})

    # Agreement X holds a broken commitment, but department A's, not B's.
    assert list(response.context["page"].object_list) == []
