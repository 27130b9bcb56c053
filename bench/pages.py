"""Build a large zone and time the main pages and API lists on it.

Usage: python bench/pages.py [--projects N] [--repeat R]
"""

import argparse
import contextlib
import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup(database_url: str | None):
    if not database_url:
        os.environ["DIAODU_VAR_DIR"] = tempfile.mkdtemp(prefix="diaodu-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaodu.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.core.management import call_command
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # As Django's own test runner does: keep one connection, so its query log counts every
    # query of a page.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)

    call_command("migrate", verbosity=0)


def build(projects: int, seed: int = 7):
    """Bulk-insert a zone of the given size. Returns a coordinator to browse as."""
    from django.utils import timezone

    from diaodu.accounts.choices import Role
    from diaodu.accounts.models import User
    from diaodu.lib.chinese import search_key
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
            search_key=search_key(f"第{i}局", f"区{i}局"),
        )
        for i in range(30)
    )
    enterprises = Organisation.objects.bulk_create(
        Organisation(kind=Kind.ENTERPRISE, name=f"企业{i}有限公司", short_name=f"企业{i}")
        for i in range(270)
    )
    coordinator = User.objects.create(
        username="bench", display_name="调度员", role=Role.COORDINATOR, organisation=office
    )
    User.objects.bulk_create(
        User(
            username=f"staff{i}",
            display_name=f"人员{i}",
            role=Role.DEPARTMENT,
            organisation=departments[i % len(departments)],
        )
        for i in range(2000)
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
        rows.append(
            Project(
                code=f"B-{i:06d}",
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
                search_key=f"b-{i:06d}\x1f{name}",
            )
        )
    created = Project.objects.bulk_create(rows, batch_size=2000)
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
                    search_key=f"用地问题{n}",
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
            )
            for i in range(projects)
        ),
        batch_size=5000,
    )
    return coordinator, created[len(created) // 2]


def measure(client, url: str, repeat: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    status = None
    # The log is bounded: once the bulk inserts have filled it, its length stops growing.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        status = response.status_code
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return {
        "url": url,
        "status": status,
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(p95, 1),
        "queries": len(queries),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL")
    setup(database_url)

    from django.conf import settings
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    started = time.perf_counter()
    coordinator, project = build(args.projects)
    built = time.perf_counter() - started
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    client.force_login(coordinator)
    pages = [
        ("project list", reverse("projects:project_list")),
        (
            "project list, filtered",
            reverse("projects:project_list") + "?stage=construction&health=delayed",
        ),
        ("project search", reverse("projects:project_list") + "?q=swcyy"),
        ("project detail", reverse("projects:project_detail", args=[project.pk])),
        ("desk", reverse("problems:desk") + f"?organisation={project.lead_department_id}"),
        ("supervision", reverse("problems:supervision") + "?open=true"),
        ("dashboard", reverse("dashboard:dashboard")),
        ("project cards", reverse("dashboard:cards")),
        ("timeline", reverse("dashboard:timeline")),
        ("scorecard", reverse("dashboard:departments")),
        ("approvals", reverse("dashboard:approvals")),
        ("land efficiency", reverse("dashboard:land")),
        ("API projects", "/api/projects/"),
        ("API problems", "/api/problems/?open=true"),
        ("API dashboard", "/api/dashboard/"),
    ]
    for name, route in [
        ("dispatch table export", "reports:dispatch_table"),
        ("problem ledger export", "reports:problem_ledger"),
    ]:
        # The exports exist once the reports app is installed.
        with contextlib.suppress(NoReverseMatch):
            pages.append((name, reverse(route)))
    engine = "PostgreSQL" if database_url else "SQLite"
    print(f"{engine}, {args.projects} projects built in {built:.1f} s")
    print(f"{'page':<26}{'status':>7}{'p50 ms':>10}{'p95 ms':>10}{'queries':>9}")
    results = []
    for name, url in pages:
        row = measure(client, url, args.repeat if "export" not in name else 2)
        row["page"] = name
        results.append(row)
        print(
            f"{name:<26}{row['status']:>7}{row['p50_ms']:>10}{row['p95_ms']:>10}{row['queries']:>9}"
        )
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    path = out / f"pages-{engine.lower()}-{args.projects}.json"
    path.write_text(
        json.dumps(
            {
                "engine": engine,
                "projects": args.projects,
                "build_seconds": round(built, 1),
                "pages": results,
            },
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
