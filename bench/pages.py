"""Build a large zone and time the main pages and API lists on it.

Usage: python bench/pages.py [--projects N] [--repeat R] [--reuse] [--only desk,API]
"""

import argparse
import contextlib
import os
import statistics
import time

from dataset import build_or_reuse, setup, write_results


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
        body = response.streaming_content if response.streaming else [response.content]
        size = sum(len(part) for part in body)
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
        "kb": round(size / 1024, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--reuse", action="store_true", help="keep a data set of that size")
    parser.add_argument(
        "--only", default="", help="comma-separated words: time only the pages whose name has one"
    )
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL")
    setup(database_url)

    from django.conf import settings
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    coordinator, project, built = build_or_reuse(args.projects, args.reuse)
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
        ("timeline by list", reverse("dashboard:timeline") + "?group=list"),
        ("timeline by leader", reverse("dashboard:timeline") + "?group=leader"),
        ("scorecard", reverse("dashboard:departments")),
        ("approvals", reverse("dashboard:approvals")),
        ("land efficiency", reverse("dashboard:land")),
        ("API projects", "/api/projects/"),
        ("API problems", "/api/problems/?open=true"),
        ("API dashboard", "/api/dashboard/"),
        ("map page", reverse("sites:map")),
        ("API map data", reverse("api:map")),
        ("API map data, filtered", reverse("api:map") + "?stage=construction&health=delayed"),
        ("landing speed", reverse("landing:speed")),
        ("landing speed by year, p.3", reverse("landing:speed") + "?by=year&page=3"),
        ("landing evaluation", reverse("landing:evaluation")),
    ]
    for name, route in [
        ("dispatch table export", "reports:dispatch_table"),
        ("problem ledger export", "reports:problem_ledger"),
    ]:
        # The exports exist once the reports app is installed.
        with contextlib.suppress(NoReverseMatch):
            pages.append((name, reverse(route)))
    from django.db import connection

    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(f"{engine}, {args.projects} projects built in {built:.1f} s")
    print(f"{'page':<26}{'status':>7}{'p50 ms':>10}{'p95 ms':>10}{'queries':>9}{'KB':>9}")
    results = []
    wanted = [word.strip() for word in args.only.split(",") if word.strip()]
    for name, url in pages:
        if wanted and not any(word in name for word in wanted):
            continue
        row = measure(client, url, args.repeat if "export" not in name else 2)
        row["page"] = name
        results.append(row)
        print(
            f"{name:<26}{row['status']:>7}{row['p50_ms']:>10}{row['p95_ms']:>10}{row['queries']:>9}"
            f"{row['kb']:>9}"
        )
    write_results(
        f"pages-{engine.lower()}-{args.projects}",
        {
            "engine": engine,
            "projects": args.projects,
            "build_seconds": round(built, 1),
            "pages": results,
        },
    )


if __name__ == "__main__":
    main()
