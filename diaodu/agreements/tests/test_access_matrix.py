"""Who may do what to agreements and commitments, through the pages and the API: every
role against agreement X (project X; commitments of enterprise X, department A and
department B) and agreement Y (project Y; enterprise Y's commitment only).

Read a row as "<role> tries to <action>": 200/201/302 done (or shown), 403 visible but not
the user's to do, 404 invisible. Every refused request leaves the change log as it was;
every allowed write adds to it.
"""

import pytest
from django.urls import reverse

from diaodu.agreements.models import Agreement
from diaodu.core.attachments import attach
from diaodu.core.models import ChangeLog
from diaodu.problems.tests.helpers import upload
from diaodu.test import api_for, check_api_rule, client_for, role_cells

GET, POST, PATCH = "get", "post", "patch"


def _page(name, *args):
    return reverse(f"agreements:{name}", args=args)


def _commitment_form(w):
    return {
        "side": "department",
        "department": w.department_a.pk,
        "kind": "utilities",
        "description": "三通一平",
        "target_amount": "",
        "unit": "",
        "due_date": "2026-09-30",
        "measure": "manual",
        "milestone_kind": "",
        "remedy": "",
    }


def _agreement_form(w, agreement):
    return {
        "number": agreement.number,
        "title": "投资协议（修订）",
        "signed_on": agreement.signed_on.isoformat(),
        "enterprise": agreement.enterprise_id,
        "zone_party": agreement.zone_party_id,
        "notes": "",
        "version": agreement.version,
    }


def _scan(w):
    [attachment] = attach(w.agreement_x, [upload("协议扫描件.pdf")], actor=w.coordinator)
    return reverse("core:attachment_download", args=[attachment.pk])


PAGE_REQUESTS = {
    "see the agreement list": lambda w: (GET, _page("agreement_list"), None),
    "see the commitments list": lambda w: (GET, _page("commitment_list"), None),
    "download the commitments ledger": lambda w: (GET, _page("commitment_ledger"), None),
    "view agreement X": lambda w: (GET, _page("agreement_detail", w.agreement_x.pk), None),
    "view agreement Y": lambda w: (GET, _page("agreement_detail", w.agreement_y.pk), None),
    "download agreement X's scan": lambda w: (GET, _scan(w), None),
    "open the new-agreement form (X)": lambda w: (
        GET,
        _page("agreement_create", w.project_x.pk),
        None,
    ),
    "record an agreement on project X": lambda w: (
        POST,
        _page("agreement_create", w.project_x.pk),
        {
            "number": "XY-2026-099",
            "title": "补充协议",
            "signed_on": "2026-03-01",
            "enterprise": w.enterprise_x.pk,
            "zone_party": w.leadership.pk,
            "notes": "",
        },
    ),
    "edit agreement X": lambda w: (
        POST,
        _page("agreement_edit", w.agreement_x.pk),
        _agreement_form(w, w.agreement_x),
    ),
    "add a commitment to agreement X": lambda w: (
        POST,
        _page("commitment_create", w.agreement_x.pk),
        _commitment_form(w),
    ),
    "edit department A's commitment": lambda w: (
        POST,
        _page("commitment_edit", w.land_a.pk),
        {**_commitment_form(w), "version": w.land_a.version},
    ),
    "record department A's fulfilment": lambda w: (
        POST,
        _page("fulfilment_record", w.land_a.pk),
        {
            "recorded_on": "2026-05-30",
            "fulfilled": "on",
            "note": "已交地",
            "files": [upload("交地确认书.pdf")],
        },
    ),
}

# fmt: off
PAGE_RULES = {
    #                                            admin  coord  leader dep_A  dep_B  own_X  own_Y
    "see the agreement list":                   (200,   200,   200,   200,   200,   200,   200),
    "see the commitments list":                 (200,   200,   200,   200,   200,   200,   200),
    "download the commitments ledger":          (200,   200,   200,   200,   200,   200,   200),
    "view agreement X":                         (200,   200,   200,   200,   200,   200,   404),
    "view agreement Y":                         (200,   200,   200,   404,   404,   404,   200),
    "download agreement X's scan":              (200,   200,   200,   404,   404,   200,   404),
    "open the new-agreement form (X)":          (200,   200,   403,   403,   404,   403,   404),
    "record an agreement on project X":         (302,   302,   403,   403,   404,   403,   404),
    "edit agreement X":                         (302,   302,   403,   403,   403,   403,   404),
    "add a commitment to agreement X":          (302,   302,   403,   403,   403,   403,   404),
    "edit department A's commitment":           (302,   302,   403,   403,   404,   403,   404),
    "record department A's fulfilment":         (302,   302,   403,   403,   404,   403,   404),
}
# fmt: on


def test_every_page_action_has_a_rule():
    assert set(PAGE_REQUESTS) == set(PAGE_RULES)


@pytest.mark.parametrize(("action", "role", "expected"), role_cells(PAGE_RULES))
def test_page_permissions(world, action, role, expected):
    method, url, data = PAGE_REQUESTS[action](world)
    changes_before = ChangeLog.objects.count()

    client = client_for(getattr(world, role))
    response = client.get(url) if method == GET else client.post(url, data)

    errors = (
        response.context.get("form").errors
        if response.context and response.context.get("form")
        else ""
    )
    assert response.status_code == expected, errors
    if method == POST and expected == 302:
        assert ChangeLog.objects.count() > changes_before, "an allowed write leaves a log row"
    else:
        assert ChangeLog.objects.count() == changes_before, "a refused request changes nothing"


# --- what each role sees ---------------------------------------------------------------------

X_ENTERPRISE, LAND_A, PERMIT_B, TAX_Y = (
    "完成固定资产投资1亿元",
    "净地交付",
    "核发施工许可证",
    "年纳税2000万元",
)
ON_X = {X_ENTERPRISE, LAND_A, PERMIT_B}
SEEN = {
    # role: (agreements, commitments)
    "admin": ({"XY-2026-001", "XY-2026-002"}, {*ON_X, TAX_Y}),
    "coordinator": ({"XY-2026-001", "XY-2026-002"}, {*ON_X, TAX_Y}),
    "leader": ({"XY-2026-001", "XY-2026-002"}, {*ON_X, TAX_Y}),
    "staff_a": ({"XY-2026-001"}, {LAND_A}),
    "staff_b": ({"XY-2026-001"}, {PERMIT_B}),
    "owner_x": ({"XY-2026-001"}, ON_X),
    "owner_y": ({"XY-2026-002"}, {TAX_Y}),
}


@pytest.mark.parametrize("role", SEEN)
def test_each_role_sees_its_own_agreements_and_commitments_on_pages_and_the_api(world, role):
    user = getattr(world, role)
    agreements, commitments = SEEN[role]
    client, api = client_for(user), api_for(user)

    listed = client.get(_page("agreement_list")).context["page"].object_list
    on_page = client.get(_page("commitment_list")).context["page"].object_list
    detail = client.get(_page("agreement_detail", world.agreement_x.pk))
    from_api = api.get("/api/agreements/").json()["results"]
    commitments_api = api.get("/api/commitments/").json()["results"]

    assert {a.number for a in listed} == agreements
    assert {c.description for c in on_page} == commitments
    assert {a["number"] for a in from_api} == agreements
    assert {c["description"] for c in commitments_api} == commitments
    if detail.status_code == 200:
        shown = {c.description for c in detail.context["commitments"]}
        assert shown == commitments & ON_X


def test_a_department_sees_its_commitments_but_not_the_agreements_scan(world):
    attach(world.agreement_x, [upload("协议扫描件.pdf")], actor=world.coordinator)

    response = client_for(world.staff_b).get(_page("agreement_detail", world.agreement_x.pk))

    assert response.context["documents"] is None
    assert "协议扫描件.pdf" not in response.content.decode()


# --- API -------------------------------------------------------------------------------------

API_REQUESTS = {
    "read agreement X": lambda w: (GET, f"/api/agreements/{w.agreement_x.pk}/", None),
    "read agreement Y": lambda w: (GET, f"/api/agreements/{w.agreement_y.pk}/", None),
    "read department A's commitment": lambda w: (GET, f"/api/commitments/{w.land_a.pk}/", None),
    "record an agreement": lambda w: (
        POST,
        "/api/agreements/",
        {
            "project": w.project_x.pk,
            "number": "XY-2026-098",
            "title": "补充协议",
            "signed_on": "2026-03-01",
            "enterprise": w.enterprise_x.pk,
            "zone_party": w.leadership.pk,
        },
    ),
    "change agreement X": lambda w: (
        PATCH,
        f"/api/agreements/{w.agreement_x.pk}/",
        {"version": w.agreement_x.version, "title": "投资协议（修订）"},
    ),
    "add a commitment": lambda w: (
        POST,
        "/api/commitments/",
        {**_commitment_form(w), "agreement": w.agreement_x.pk, "target_amount": None},
    ),
    "change department A's commitment": lambda w: (
        PATCH,
        f"/api/commitments/{w.land_a.pk}/",
        {"version": w.land_a.version, "due_date": "2026-06-15"},
    ),
    "record department A's fulfilment": lambda w: (
        POST,
        f"/api/commitments/{w.land_a.pk}/fulfil/",
        {"recorded_on": "2026-05-30", "note": "已交地", "files": [upload("交地确认书.pdf")]},
    ),
}

# fmt: off
API_RULES = {
    #                                            admin  coord  leader dep_A  dep_B  own_X  own_Y
    "read agreement X":                         (200,   200,   200,   200,   200,   200,   404),
    "read agreement Y":                         (200,   200,   200,   404,   404,   404,   200),
    "read department A's commitment":           (200,   200,   200,   200,   404,   200,   404),
    "record an agreement":                      (201,   201,   403,   403,   403,   403,   403),
    "change agreement X":                       (200,   200,   403,   403,   403,   403,   403),
    "add a commitment":                         (201,   201,   403,   403,   403,   403,   403),
    "change department A's commitment":         (200,   200,   403,   403,   403,   403,   403),
    "record department A's fulfilment":         (201,   201,   403,   403,   404,   403,   404),
}
# fmt: on


def test_every_api_action_has_a_rule():
    assert set(API_REQUESTS) == set(API_RULES)


@pytest.mark.parametrize(("action", "role", "expected"), role_cells(API_RULES))
def test_api_permissions(world, action, role, expected):
    method, url, data = API_REQUESTS[action](world)
    if method == POST and "fulfil" in url:
        # Files go as multipart, as a browser or a script would send them.
        api = api_for(getattr(world, role))
        before = ChangeLog.objects.count()
        response = api.post(url, data, format="multipart")
        assert response.status_code == expected, response.content.decode()[:300]
        assert (ChangeLog.objects.count() > before) == (expected == 201)
        return
    check_api_rule(getattr(world, role), (method, url, data), expected)


def test_an_agreement_on_a_project_that_does_not_exist_is_refused_as_invalid(world):
    response = api_for(world.coordinator).post(
        "/api/agreements/", {"project": 999999, "number": "X", "title": "X"}
    )

    assert response.status_code == 400
    assert not Agreement.objects.filter(number="X").exists()
