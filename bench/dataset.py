"""The synthetic zone every benchmark runs on, built with bulk inserts.

``setup`` points Django at the benchmark database (``DATABASE_URL``, or a fresh SQLite file
in a temporary directory) and migrates it; ``build`` fills it; ``existing`` finds a data
set an earlier run built, so a run can skip the build (``--reuse``).
"""

import json
import os
import random
import secrets
import sys
import tempfile
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

COORDINATOR = "bench"
DEPARTMENTS = 30
ENTERPRISES = 269  # with the departments and the office: 300 organisations
PEOPLE = 2000
MEETINGS = 2000
AGENDA = 5  # projects heard per meeting


def setup(database_url: str | None, *, keep_connection: bool = True) -> str:
    """Configure and migrate the benchmark database; returns the URL a server should use."""
    if not database_url:
        directory = tempfile.mkdtemp(prefix="diaodu-bench-")
        os.environ["DIAODU_VAR_DIR"] = directory
        database_url = f"sqlite:///{directory}/bench.sqlite3"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaodu.settings")
    # The benchmarks time the exports themselves, made in the request (in production a
    # large one is a background job, and its request only queues it).
    os.environ.setdefault("DIAODU_BACKGROUND_ROWS", str(10**9))
    os.environ.setdefault("DEBUG", "true")
    # Shared with the server a benchmark starts, which must read this process's sessions.
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
    import django

    django.setup()
    from django.core.management import call_command

    if keep_connection:
        from django.core.signals import request_finished, request_started
        from django.db import close_old_connections

        # As Django's own test runner does: keep one connection, so its query log counts
        # every query of a page.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)

    call_command("migrate", verbosity=0)
    return database_url


def existing(projects: int):
    """The coordinator and a middle project of a data set of this size, or ``None``."""
    from diaodu.accounts.models import User
    from diaodu.projects.models import Project

    coordinator = User.objects.filter(username=COORDINATOR).first()
    if coordinator is None or Project.objects.count() != projects:
        return None
    return coordinator, Project.objects.order_by("pk")[projects // 2]


def write_results(name: str, data: dict) -> None:
    """Write a run's figures as ``bench/results/<name>.json`` and say where."""
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"{name}.json"
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2))
    print(f"written to {path.relative_to(ROOT)}")


@cache
def _key(*texts: str) -> str:
    from diaodu.lib.chinese import search_key

    return search_key(*texts)


def build(projects: int, seed: int = 7):
    """Bulk-insert a zone of the given size. Returns a coordinator to browse as and a
    project in the middle of the list."""
    from django.utils import timezone

    from diaodu.accounts.choices import Role
    from diaodu.accounts.models import User
    from diaodu.core import derived
    from diaodu.meetings.choices import MeetingKind, MeetingStatus
    from diaodu.meetings.models import AgendaItem, Meeting
    from diaodu.org.choices import OrganisationKind as Kind
    from diaodu.org.models import Organisation
    from diaodu.problems.models import ActionItem, Problem
    from diaodu.projects.models import Milestone, MilestoneKind, ProgressReport, Project

    rng = random.Random(seed)
    today = timezone.localdate()
    office = Organisation.objects.create(
        kind=Kind.COORDINATION, name="重点项目协调办公室", short_name="项目协调办"
    )
    departments = Organisation.objects.bulk_create(
        Organisation(
            kind=Kind.DEPARTMENT,
            name=f"第{i}局",
            short_name=f"区{i}局",
            search_key=_key(f"第{i}局", f"区{i}局"),
        )
        for i in range(DEPARTMENTS)
    )
    enterprises = Organisation.objects.bulk_create(
        Organisation(
            kind=Kind.ENTERPRISE,
            name=f"企业{i}有限公司",
            short_name=f"企业{i}",
            search_key=_key(f"企业{i}有限公司", f"企业{i}"),
        )
        for i in range(ENTERPRISES)
    )
    coordinator = User.objects.create(
        username=COORDINATOR, display_name="调度员", role=Role.COORDINATOR, organisation=office
    )
    # staff{i} works in departments[i % DEPARTMENTS]: the load test signs in as them.
    User.objects.bulk_create(
        User(
            username=f"staff{i}",
            display_name=f"人员{i}",
            role=Role.DEPARTMENT,
            organisation=departments[i % len(departments)],
        )
        for i in range(PEOPLE - 1)
    )
    names = [
        "水务产业园",
        "新能源材料基地",
        "智能装备制造",
        "生物医药园",
        "冷链物流中心",
        "半导体封测",
        "数字经济产业园",
    ]
    rows = []
    for i in range(projects):
        name = f"{names[i % len(names)]}{i}号项目"
        code = f"B-{i:06d}"
        rows.append(
            Project(
                code=code,
                name=name,
                owner=enterprises[i % len(enterprises)],
                lead_department=departments[i % len(departments)],
                total_investment=Decimal(rng.randrange(5000, 300000)),
                plan_year=today.year,
                annual_plan=Decimal(rng.randrange(1000, 5000)),
                land_area=Decimal(rng.randrange(20, 600)),
                stage=rng.choice(
                    ["signed", "preparation", "construction", "completed", "production"]
                ),
                search_key=_key(code, name),
            )
        )
    created = Project.objects.bulk_create(rows, batch_size=2000)
    # Every project on the map, scattered over a zone of about 20 × 20 km; every tenth
    # with a parcel of about 30 mu.
    from diaodu.sites.models import Parcel, Site

    sites = Site.objects.bulk_create(
        (
            Site(
                project=project,
                latitude=Decimal(f"{30.10 + rng.random() * 0.18:.6f}"),
                longitude=Decimal(f"{120.10 + rng.random() * 0.20:.6f}"),
            )
            for project in created
        ),
        batch_size=5000,
    )
    Parcel.objects.bulk_create(
        (
            Parcel(
                project_id=site.project_id,
                name=f"地块{n}",
                geometry={
                    "type": "Polygon",
                    "coordinates": [
                        [
                            [float(site.longitude) + dx, float(site.latitude) + dy]
                            for dx, dy in (
                                (0, 0),
                                (0.0015, 0),
                                (0.0015, 0.0013),
                                (0, 0.0013),
                                (0, 0),
                            )
                        ]
                    ],
                },
                area_m2=Decimal("20700"),
                source="drawn",
            )
            for n, site in enumerate(sites)
            if n % 10 == 0
        ),
        batch_size=2000,
    )
    kinds = list(MilestoneKind.objects.all())
    milestones = []
    for project in created:
        for index, kind in enumerate(kinds):
            planned = today + timedelta(days=(index - 5) * 40 + rng.randrange(-30, 30))
            done = planned < today and rng.random() < 0.8
            milestones.append(
                Milestone(
                    project=project,
                    kind=kind,
                    planned_date=planned,
                    actual_date=planned if done else None,
                )
            )
    Milestone.objects.bulk_create(milestones, batch_size=5000)
    reports, month = [], date(today.year, today.month, 1)
    starts = []
    for _ in range(12):
        month = (month - timedelta(days=1)).replace(day=1)
        starts.append(month)
    for project in created:
        for start in starts:
            reports.append(
                ProgressReport(
                    project=project,
                    period_kind="month",
                    period_start=start,
                    narrative="主体结构施工稳步推进。",
                    investment=Decimal(rng.randrange(100, 900)),
                    status="approved",
                    submitted_by=coordinator,
                )
            )
    ProgressReport.objects.bulk_create(reports, batch_size=5000)
    problems = []
    for project in created:
        for n in range(5):
            raised = today - timedelta(days=rng.randrange(10, 200))
            status = rng.choice(["open", "in_progress", "resolved", "closed"])
            problems.append(
                Problem(
                    project=project,
                    title=f"用地问题{n}",
                    description="需协调。",
                    category="land",
                    lead_department=departments[rng.randrange(len(departments))],
                    raised_by=coordinator,
                    raised_on=raised,
                    due_date=raised + timedelta(days=rng.randrange(5, 90)),
                    status=status,
                    resolved_on=raised + timedelta(days=20)
                    if status in ("resolved", "closed")
                    else None,
                    search_key=_key(f"用地问题{n}"),
                )
            )
    Problem.objects.bulk_create(problems, batch_size=5000)
    ActionItem.objects.bulk_create(
        (
            ActionItem(
                title=f"交办事项{i}",
                project=created[i % len(created)],
                lead_department=departments[i % len(departments)],
                assigned_by=coordinator,
                assigned_on=today - timedelta(days=30),
                due_date=today + timedelta(days=rng.randrange(-20, 40)),
                search_key=_key(f"交办事项{i}"),
            )
            for i in range(projects)
        ),
        batch_size=5000,
    )
    zone = timezone.get_current_timezone()
    kinds = list(MeetingKind.values)
    meetings = Meeting.objects.bulk_create(
        (
            Meeting(
                kind=kinds[i % len(kinds)],
                title=f"第{i}次项目调度会",
                starts_at=datetime.combine(
                    today - timedelta(days=MEETINGS // 2 - i), time(9), tzinfo=zone
                ),
                place="管委会三楼会议室",
                status=MeetingStatus.ISSUED if i < MEETINGS // 2 else MeetingStatus.UPCOMING,
                created_by=coordinator,
                search_key=_key(f"第{i}次项目调度会", "管委会三楼会议室"),
            )
            for i in range(MEETINGS)
        ),
        batch_size=2000,
    )
    AgendaItem.objects.bulk_create(
        (
            AgendaItem(
                meeting=meeting,
                project=created[(i * AGENDA + n) % len(created)],
                order=n,
                summary="听取项目推进情况汇报。",
            )
            for i, meeting in enumerate(meetings)
            for n in range(AGENDA)
        ),
        batch_size=5000,
    )
    # Bulk inserts call no service: the stored state (health, lights, counts) is computed
    # once for all, as after an upgrade, so pages read real values.

    derived.refresh_all(today)
    _analyze()
    return coordinator, created[len(created) // 2]


def _analyze():
    """Table statistics and the visibility map, as autovacuum leaves them soon after bulk
    inserts: without statistics PostgreSQL plans for empty tables, and without the map it
    cannot count rows from an index alone."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def build_or_reuse(projects: int, reuse: bool):
    """``(coordinator, project, seconds spent building)``."""
    import time as clock

    if reuse:
        found = existing(projects)
        if found:
            return (*found, 0.0)
        print("no data set of that size to reuse: building one", flush=True)
    started = clock.perf_counter()
    coordinator, project = build(projects)
    return coordinator, project, clock.perf_counter() - started
