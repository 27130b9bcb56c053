"""Shared test personas, a fixed clock and helpers; loaded as a pytest plugin by the
repository's ``conftest.py``.

The cast, used by every test module:

- ``admin``: manages users and master data, sees and changes everything;
- ``coordinator``: the project coordination office (区项目协调办); plans and confirms;
- ``leader``: a zone leader (区领导); sees everything, changes no project data;
- ``staff_a`` / ``staff_b``: staff of department A (区资规局) and department B (区审批局);
- ``owner_x`` / ``owner_y``: the owners of project X (水务产业园, enterprise X, lead department
  A) and project Y (新材料产业基地, enterprise Y, lead department B).

So department A and owner X see project X only; department B and owner Y see project Y
only; enterprise X and enterprise Y never see each other.

Dates: tests about dates request ``today`` (or ``clock`` to move it), which freezes
``django.utils.timezone.now`` at 10:00 Shanghai time on :data:`TODAY`.
"""

import copy
import shutil
import subprocess
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation
from rest_framework.test import APIClient

from diaodu.core import derived
from diaodu.core.models import ChangeLog
from diaodu.factories import (
    AdminFactory,
    CoordinationOfficeFactory,
    CoordinatorFactory,
    DepartmentFactory,
    DepartmentStaffFactory,
    EnterpriseFactory,
    LeaderFactory,
    LeadershipFactory,
    OwnerFactory,
    template_kind,
)
from diaodu.projects import services
from diaodu.projects.choices import PeriodKind, Stage

#: The fixed "today" of the ``today`` and ``clock`` fixtures: a Wednesday in June 2026.
TODAY = date(2026, 6, 10)
SHANGHAI = ZoneInfo("Asia/Shanghai")

#: Role names in the order the permission tables list them.
ROLES = ("admin", "coordinator", "leader", "staff_a", "staff_b", "owner_x", "owner_y")


def check_api_rule(user, request, expected: int) -> None:
    """Send ``request`` (method, url, data) as ``user`` and hold the API to a permission
    table's cell: the expected status, a change-log row for an allowed write, and no
    change at all otherwise."""
    method, url, data = request
    changes_before = ChangeLog.objects.count()

    response = getattr(api_for(user), method)(url, data)

    assert response.status_code == expected, response.content.decode()[:500]
    if method != "get" and expected in (200, 201):
        assert ChangeLog.objects.count() > changes_before, "an allowed write leaves a log row"
    else:
        assert ChangeLog.objects.count() == changes_before, "a refused request changes nothing"


def role_cells(rules: dict) -> list:
    """A permission table ``{action: (expected status per role in ROLES order)}`` as
    pytest parameters (action, role, expected), each named for what it checks."""
    return [
        pytest.param(action, role, expected, id=f"{role} - {action} - {expected}")
        for action, row in rules.items()
        for role, expected in zip(ROLES, row, strict=True)
    ]


def pytest_configure(config):
    # WhiteNoise warns on every request that STATIC_ROOT has not been collected, which in
    # tests it never is.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


# --- The clock -------------------------------------------------------------------------


class Clock:
    """Django's idea of "now", frozen; ``clock.set(day)`` or ``clock.advance(days=n)``
    moves it. Everything that asks ``timezone.now()`` or ``timezone.localdate()`` (models,
    services, views, sessions, auto_now fields) sees the same moment, and so do fields
    whose default is ``timezone.now`` (``ProgressReport.submitted_at``)."""

    def __init__(self, monkeypatch, day: date):
        self.set(day)
        derived.mark_fresh(self.today)
        real_now = timezone.now
        monkeypatch.setattr(timezone, "now", lambda: self.now)
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if field.default is real_now:
                    # Field.get_default caches the callable; replace the cached one.
                    monkeypatch.setattr(field, "_get_default", lambda: self.now)

    def set(self, day: date, at: time = time(10, 0)) -> None:
        self.now = datetime.combine(day, at, tzinfo=SHANGHAI).astimezone(UTC)

    def advance(self, days: int = 0) -> None:
        self.now += timedelta(days=days)

    @property
    def today(self) -> date:
        return self.now.astimezone(SHANGHAI).date()


@pytest.fixture(autouse=True)
def _stored_state_is_fresh():
    """What a test writes is stored up to date (services and factories keep it so), so its
    first page need not look for verdicts a new day changed. Moving the clock
    (``clock.set``, ``clock.advance``) makes the next request look."""
    derived.mark_fresh(timezone.localdate())


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch, TODAY)


@pytest.fixture
def today(clock) -> date:
    """Freeze the clock at :data:`TODAY` and return it."""
    return clock.today


# --- The cast ----------------------------------------------------------------------------

ORGANISATIONS = {
    "office": (CoordinationOfficeFactory, "重点项目协调办公室", "区项目协调办"),
    "leadership": (LeadershipFactory, "管委会领导班子", "管委会"),
    "department_a": (DepartmentFactory, "自然资源和规划局", "区资规局"),
    "department_b": (DepartmentFactory, "行政审批服务局", "区审批局"),
    "enterprise_x": (EnterpriseFactory, "绿源水务科技有限公司", "绿源水务"),
    "enterprise_y": (EnterpriseFactory, "华材新材料股份有限公司", "华材新材"),
}

PEOPLE = {
    # persona: (factory, display name, organisation)
    "admin": (AdminFactory, "管理员", "office"),
    "coordinator": (CoordinatorFactory, "周协调", "office"),
    "leader": (LeaderFactory, "李主任", "leadership"),
    "staff_a": (DepartmentStaffFactory, "资规局小王", "department_a"),
    "staff_b": (DepartmentStaffFactory, "审批局小赵", "department_b"),
    "owner_x": (OwnerFactory, "绿源张经理", "enterprise_x"),
    "owner_y": (OwnerFactory, "华材刘经理", "enterprise_y"),
}


def make_organisation(name: str):
    factory, full_name, short_name = ORGANISATIONS[name]
    return factory(name=full_name, short_name=short_name)


def make_person(name: str, organisation):
    factory, display_name, _ = PEOPLE[name]
    return factory(username=name, display_name=display_name, organisation=organisation)


def new_project(actor, **fields):
    """Create a project through the service (so it gets its template milestones and a
    change-log row), with plausible values for whatever ``fields`` leaves out."""
    data = {
        "project_type": "new",
        "total_investment": Decimal("80000"),
        "annual_plan": Decimal("20000"),
        "plan_year": 2026,
        "stage": Stage.PREPARATION,
        **fields,
    }
    return services.create_project(data, actor=actor)


def make_project_x(coordinator, enterprise_x, department_a, leader):
    return new_project(
        coordinator,
        code="2026-001",
        name="水务产业园",
        owner=enterprise_x,
        lead_department=department_a,
        responsible_leader=leader,
        location="滨江片区",
    )


def make_project_y(coordinator, enterprise_y, department_b):
    return new_project(
        coordinator,
        code="2026-002",
        name="新材料产业基地",
        owner=enterprise_y,
        lead_department=department_b,
        stage=Stage.CONSTRUCTION,
    )


# Each persona is also a fixture of its own, for tests that need only a few of them. Do not
# mix these with ``world`` in one test: ``world.owner_x`` is the same person.


@pytest.fixture
def office(db):
    return make_organisation("office")


@pytest.fixture
def leadership(db):
    return make_organisation("leadership")


@pytest.fixture
def department_a(db):
    return make_organisation("department_a")


@pytest.fixture
def department_b(db):
    return make_organisation("department_b")


@pytest.fixture
def enterprise_x(db):
    return make_organisation("enterprise_x")


@pytest.fixture
def enterprise_y(db):
    return make_organisation("enterprise_y")


@pytest.fixture
def admin(office):
    return make_person("admin", office)


@pytest.fixture
def coordinator(office):
    return make_person("coordinator", office)


@pytest.fixture
def leader(leadership):
    return make_person("leader", leadership)


@pytest.fixture
def staff_a(department_a):
    return make_person("staff_a", department_a)


@pytest.fixture
def staff_b(department_b):
    return make_person("staff_b", department_b)


@pytest.fixture
def owner_x(enterprise_x):
    return make_person("owner_x", enterprise_x)


@pytest.fixture
def owner_y(enterprise_y):
    return make_person("owner_y", enterprise_y)


@pytest.fixture
def project_x(coordinator, enterprise_x, department_a, leader):
    """水务产业园: owned by enterprise X, led by department A."""
    return make_project_x(coordinator, enterprise_x, department_a, leader)


@pytest.fixture
def project_y(coordinator, enterprise_y, department_b):
    """新材料产业基地: owned by enterprise Y, led by department B."""
    return make_project_y(coordinator, enterprise_y, department_b)


def build_world() -> SimpleNamespace:
    """Every organisation and persona, projects X and Y, and on each project: the
    groundbreaking milestone planned for 1 July and reported achieved by the owner on
    1 June (awaiting confirmation), and May's progress report, submitted by the owner."""
    w = SimpleNamespace()
    for name in ORGANISATIONS:
        setattr(w, name, make_organisation(name))
    for name, (_, _, organisation) in PEOPLE.items():
        setattr(w, name, make_person(name, getattr(w, organisation)))
    w.project_x = make_project_x(w.coordinator, w.enterprise_x, w.department_a, w.leader)
    w.project_y = make_project_y(w.coordinator, w.enterprise_y, w.department_b)
    groundbreaking = template_kind("groundbreaking")
    for suffix in ("x", "y"):
        project, owner = getattr(w, f"project_{suffix}"), getattr(w, f"owner_{suffix}")
        milestone = project.milestones.get(kind=groundbreaking)
        services.plan_milestone(milestone, {"planned_date": date(2026, 7, 1)}, actor=w.coordinator)
        services.report_milestone(milestone, date(2026, 6, 1), actor=owner)
        report = services.submit_report(
            project,
            {
                "period_kind": PeriodKind.MONTH,
                "period_start": date(2026, 5, 1),
                "narrative": "完成场地平整。",
                "investment": Decimal("1200"),
            },
            actor=owner,
        )
        setattr(w, f"milestone_{suffix}", milestone)
        setattr(w, f"report_{suffix}", report)
    return w


@pytest.fixture(scope="module")
def _world_of_module(django_db_setup, django_db_blocker):
    """Builds the world once per test module inside a transaction that is rolled back
    after the module; each test runs in a savepoint within it (as Django's
    ``setUpTestData`` does), so tests still cannot see each other's writes."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with pytest.MonkeyPatch.context() as monkeypatch:
                Clock(monkeypatch, TODAY)
                snapshot = build_world()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield snapshot
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def world(request, _world_of_module, db, today) -> SimpleNamespace:
    """Everyone and everything (see :func:`build_world`) on the fixed clock, as one
    namespace: ``world.owner_x``, ``world.project_y``, ``world.report_x``, ``world.today``.

    Built once per module and rolled back after every test; each test gets its own copy
    of the Python objects, so ``refresh_from_db`` in one test does not leak into the next.
    Not for ``transactional_db`` or ``live_server`` tests, whose database is emptied by
    flushing rather than by rolling back.
    """
    twins = set(request.fixturenames) & {*ORGANISATIONS, *PEOPLE, "project_x", "project_y"}
    if twins:
        pytest.fail(f"use world.{min(twins)} instead of the {min(twins)} fixture next to world")
    w = copy.deepcopy(_world_of_module)
    w.today = today
    return w


@pytest.fixture(autouse=True)
def _no_language_left_active():
    """Each test starts in the site's language. Django's test client runs a request in the
    test's own thread, and the language the request activated (an English browser's) would
    otherwise stay active for whatever the next test runs outside a request: a command, a
    service rendering a message."""
    yield
    translation.deactivate()


@pytest.fixture
def fast_password_hashing(settings):
    """For the few tests that log in with a real password: hashing at production strength
    takes most of a second per password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Clients and helpers ---------------------------------------------------------------


def client_for(user, language: str | None = None) -> Client:
    """A browser session logged in as ``user`` (no password needed)."""
    client = Client(headers={"accept-language": language} if language else None)
    client.force_login(user)
    return client


def api_for(user, language: str | None = None) -> APIClient:
    """An API client authenticated as ``user``; requests default to JSON."""
    client = APIClient(headers={"accept-language": language} if language else None)
    client.force_authenticate(user)
    client.default_format = "json"
    return client


def form_errors(response) -> dict[str, list[str]]:
    """The errors of the form a page re-displayed, by field (``__all__`` for the rest)."""
    assert response.status_code == 200, f"expected the form again, got {response.status_code}"
    return {field: list(errors) for field, errors in response.context["form"].errors.items()}


def project_form_data(project=None, **overrides) -> dict:
    """What the project form posts: the project's current values (or a new project's,
    with ``owner`` and ``lead_department`` to be given), then ``overrides``."""
    data = {
        "code": "2026-099",
        "national_code": "",
        "name": "智慧物流园",
        "industry": "",
        "project_type": "new",
        "township": "",
        "location": "",
        "total_investment": "30000",
        "plan_year": "2026",
        "annual_plan": "8000",
        "land_area": "",
        "construction_content": "",
        "responsible_leader": "",
        "stage": Stage.SIGNED,
    }
    if project is not None:
        data.update(
            code=project.code,
            national_code=project.national_code or "",
            name=project.name,
            owner=project.owner_id,
            lead_department=project.lead_department_id,
            industry=project.industry_id or "",
            project_type=project.project_type,
            township=project.township_id or "",
            location=project.location,
            total_investment=str(project.total_investment),
            plan_year=str(project.plan_year),
            annual_plan=str(project.annual_plan),
            land_area="" if project.land_area is None else str(project.land_area),
            construction_content=project.construction_content,
            responsible_leader=project.responsible_leader_id or "",
            stage=project.stage,
            lists=list(project.lists.values_list("pk", flat=True)),
            version=project.version,
        )
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def project_api_data(**overrides) -> dict:
    """A valid body for ``POST /api/projects/`` (``owner`` and ``lead_department`` to add)."""
    data = {
        "code": "2026-099",
        "name": "智慧物流园",
        "project_type": "new",
        "total_investment": "30000.00",
        "plan_year": 2026,
        "annual_plan": "8000.00",
        "stage": Stage.SIGNED,
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language. A test client's request leaves its language
    active in the thread, and notifications are read in the active language."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


class _ReaderText(HTMLParser):
    """The text a reader of a page sees, without scripts, styles and the parts written in
    another language on purpose (``lang``, as each language's own name in the menu)."""

    _VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self):
        super().__init__()
        self.parts, self.skipping = [], []

    def handle_starttag(self, tag, attrs):
        if tag in self._VOID:
            return
        attrs = dict(attrs)
        skip = tag in {"script", "style", "template"} or (
            "lang" in attrs and tag != "html" and attrs["lang"] != self.language
        )
        self.skipping.append(skip)

    def handle_endtag(self, tag):
        if tag not in self._VOID and self.skipping:
            self.skipping.pop()

    def handle_data(self, data):
        if not any(self.skipping):
            self.parts.append(data)


def reader_text(html: str, language: str) -> str:
    parser = _ReaderText()
    parser.language = language
    parser.feed(html)
    return " ".join(part.strip() for part in parser.parts if part.strip())


# --- Documents as printed ----------------------------------------------------------------

LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")
needs_libreoffice = pytest.mark.skipif(
    not (LIBREOFFICE and shutil.which("pdftoppm") and shutil.which("pdftotext")),
    reason="needs LibreOffice and poppler-utils (pdftoppm, pdftotext) to print documents",
)


def printed_pages(content: bytes, folder: Path) -> list[str]:
    """A .docx as LibreOffice prints it: each PDF page's text (fields such as the page
    number computed). The pages are left in ``folder`` as PNGs (page-1.png, …) to look at."""
    source = folder / "document.docx"
    source.write_bytes(content)
    subprocess.run(
        [
            LIBREOFFICE,
            f"-env:UserInstallation=file://{folder / 'profile'}",  # no shared profile lock
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = folder / "document.pdf"
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(folder / "page")], check=True)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1]  # each page ends with a form feed
