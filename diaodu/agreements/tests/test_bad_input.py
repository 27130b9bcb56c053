"""Bad input through the pages and the API: every refusal says what is wrong, and nothing
is half-saved."""

from decimal import Decimal

import pytest
from django.urls import reverse

from diaodu.agreements.models import Agreement, Commitment, FulfilmentRecord
from diaodu.core.models import Attachment, ChangeLog
from diaodu.problems.tests.helpers import EXE, upload
from diaodu.test import api_for, client_for, form_errors


def commitment_form(**overrides):
    data = {
        "side": "enterprise",
        "department": "",
        "kind": "investment",
        "description": "完成固定资产投资",
        "target_amount": "8000",
        "unit": "wan_yuan",
        "due_date": "2026-12-31",
        "measure": "investment",
        "milestone_kind": "",
        "remedy": "",
    }
    data.update(overrides)
    return data


def post_commitment(world, **overrides):
    url = reverse("agreements:commitment_create", args=[world.agreement_x.pk])
    return client_for(world.coordinator, "en").post(url, commitment_form(**overrides))


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"target_amount": ""}, "target_amount", "needs a target amount"),
        ({"unit": ""}, "unit", "Give the unit"),
        ({"target_amount": "一个亿"}, "target_amount", "is not an amount"),
        ({"target_amount": "300亩"}, "target_amount", "is not an amount"),
        ({"unit": "tce"}, "unit", "is compared in"),
        ({"due_date": "2025-12-31"}, "due_date", "before the agreement was signed (2026-01-01)"),
        ({"side": "department"}, "department", "Name the department"),
        ({"measure": "milestone"}, "milestone_kind", "Choose the milestone"),
        (
            {"kind": "land_delivery", "measure": "manual", "target_amount": "20", "unit": ""},
            "unit",
            "Give the unit",
        ),
    ],
    ids=[
        "no target",
        "no unit",
        "not a number",
        "an area for money",
        "energy units for investment",
        "due before signing",
        "department side without a department",
        "milestone measure without a milestone",
        "an amount without a unit",
    ],
)
def test_a_bad_commitment_is_refused_with_a_message_and_nothing_saved(
    world, overrides, field, words
):
    before = (Commitment.objects.count(), ChangeLog.objects.count())

    errors = form_errors(post_commitment(world, **overrides))

    assert any(words in message for message in errors[field]), errors
    assert (Commitment.objects.count(), ChangeLog.objects.count()) == before


def test_a_target_in_yi_yuan_is_stored_in_wan_yuan_and_the_user_is_told(world):
    response = post_commitment(world, target_amount="3.2亿元")

    commitment = Commitment.objects.latest("pk")
    assert response.status_code == 302
    assert commitment.target_amount == Decimal("32000.00")
    shown = [str(m) for m in response.wsgi_request._messages]
    assert any("3.2亿元" in m and "32,000" in m for m in shown), shown


def test_a_target_per_mu_may_be_typed_with_its_unit(world):
    post_commitment(world, kind="intensity", target_amount="350万元/亩", unit="wan_yuan_per_mu")

    assert Commitment.objects.latest("pk").target_amount == Decimal("350.00")


def test_moving_the_signing_date_after_a_commitments_due_date_is_refused(world):
    url = reverse("agreements:agreement_edit", args=[world.agreement_x.pk])
    data = {
        "number": "XY-2026-001",
        "title": "水务产业园投资协议",
        "signed_on": "2026-06-01",  # after department A's land delivery, due 31 May
        "enterprise": world.enterprise_x.pk,
        "zone_party": world.leadership.pk,
        "notes": "",
        "version": world.agreement_x.version,
    }

    response = client_for(world.coordinator, "en").post(url, data)

    assert "净地交付" in form_errors(response)["signed_on"][0]
    world.agreement_x.refresh_from_db()
    assert str(world.agreement_x.signed_on) == "2026-01-01"


def agreement_form(world, files):
    return {
        "number": "XY-2026-009",
        "title": "补充协议",
        "signed_on": "2026-03-01",
        "enterprise": world.enterprise_x.pk,
        "zone_party": world.leadership.pk,
        "notes": "",
        "files": files,
    }


@pytest.mark.parametrize(
    ("file", "words"),
    [
        (lambda: upload("协议.exe", EXE), "not accepted"),
        (lambda: upload("协议.pdf", EXE), "does not look like a .pdf"),
        (lambda: upload("协议.pdf", b"%PDF-" + b"0" * 2 * 1024 * 1024), "at most"),
    ],
    ids=["wrong type", "renamed executable", "too large"],
)
def test_a_bad_scan_refuses_the_whole_agreement(world, settings, file, words):
    settings.DIAODU_MAX_UPLOAD_MB = 1
    url = reverse("agreements:agreement_create", args=[world.project_x.pk])
    before = (Agreement.objects.count(), Attachment.objects.count(), ChangeLog.objects.count())

    response = client_for(world.coordinator, "en").post(url, agreement_form(world, [file()]))

    errors = form_errors(response)
    assert any(words in m for m in errors["files"]), errors
    after = (Agreement.objects.count(), Attachment.objects.count(), ChangeLog.objects.count())
    assert after == before


def test_a_fulfilment_without_evidence_is_refused(world):
    url = reverse("agreements:fulfilment_record", args=[world.land_a.pk])

    response = client_for(world.coordinator, "en").post(
        url, {"recorded_on": "2026-05-30", "fulfilled": "on", "note": "已交地"}
    )

    assert form_errors(response)["files"]
    assert not FulfilmentRecord.objects.exists()


def test_a_fulfilment_with_bad_evidence_leaves_no_record_and_no_file(world):
    url = reverse("agreements:fulfilment_record", args=[world.land_a.pk])
    before = (Attachment.objects.count(), ChangeLog.objects.count())

    response = client_for(world.coordinator, "en").post(
        url,
        {
            "recorded_on": "2026-05-30",
            "fulfilled": "on",
            "note": "已交地",
            "files": [upload("交地确认书.pdf"), upload("病毒.exe", EXE)],
        },
    )

    assert any("not accepted" in m for m in form_errors(response)["files"])
    assert not FulfilmentRecord.objects.exists()
    assert (Attachment.objects.count(), ChangeLog.objects.count()) == before


def test_a_fulfilment_in_the_future_or_before_signing_is_refused(world):
    url = reverse("agreements:fulfilment_record", args=[world.land_a.pk])
    client = client_for(world.coordinator, "en")
    data = {"fulfilled": "on", "note": "已交地", "files": [upload("交地确认书.pdf")]}

    future = form_errors(client.post(url, {**data, "recorded_on": "2026-06-11"}))
    data["files"] = [upload("交地确认书.pdf")]
    early = form_errors(client.post(url, {**data, "recorded_on": "2025-12-31"}))

    assert "future" in future["recorded_on"][0]
    assert "before the agreement was signed" in early["recorded_on"][0]
    assert not FulfilmentRecord.objects.exists()


def test_a_fulfilment_with_evidence_is_recorded_and_meets_the_commitment(world):
    url = reverse("agreements:fulfilment_record", args=[world.land_a.pk])

    response = client_for(world.coordinator, "en").post(
        url,
        {
            "recorded_on": "2026-05-30",
            "fulfilled": "on",
            "note": "已交地",
            "files": [upload("交地确认书.pdf")],
        },
    )

    assert response.status_code == 302
    record = FulfilmentRecord.objects.get()
    [attachment] = Attachment.objects.filter(object_id=record.pk)
    assert attachment.file.read().startswith(b"%PDF-")
    page = client_for(world.coordinator, "en").get(world.agreement_x.get_absolute_url())
    land = next(c for c in page.context["commitments"] if c.pk == world.land_a.pk)
    assert land.fulfilment == "met"


# --- the API ------------------------------------------------------------------------------


def api_commitment(world, **overrides):
    data = {
        "agreement": world.agreement_x.pk,
        "side": "enterprise",
        "kind": "investment",
        "description": "完成固定资产投资",
        "target_amount": "8000",
        "unit": "wan_yuan",
        "due_date": "2026-12-31",
        "measure": "investment",
    }
    data.update(overrides)
    return api_for(world.coordinator, "en").post("/api/commitments/", data)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"target_amount": None}, "target_amount"),
        ({"unit": ""}, "unit"),
        ({"target_amount": "3.2公顷"}, "target_amount"),
        ({"due_date": "2025-12-31"}, "due_date"),
        ({"side": "department"}, "department"),
    ],
    ids=["no target", "no unit", "wrong unit", "due before signing", "no department"],
)
def test_the_api_refuses_a_bad_commitment_with_field_errors(world, overrides, field):
    before = (Commitment.objects.count(), ChangeLog.objects.count())

    response = api_commitment(world, **overrides)

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert (Commitment.objects.count(), ChangeLog.objects.count()) == before


def test_the_api_converts_a_target_in_yi_yuan_and_says_so(world):
    response = api_commitment(world, target_amount="3.2亿元")

    assert response.status_code == 201, response.content
    body = response.json()
    assert Decimal(body["target_amount"]) == Decimal("32000")
    assert "3.2亿元" in body["target_note"]
    assert body["fulfilment"] == "at_risk"
