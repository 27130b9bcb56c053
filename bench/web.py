"""Serve a large zone with gunicorn and measure it over HTTP from another process.

    python bench/web.py [--projects 10000] [--reuse] [--workers 4] [--requests 100]
                        [--concurrency 4] [--import-rows 10000]

For each page: median and 95th-percentile latency and throughput through gunicorn on
127.0.0.1; the CPU time gunicorn's workers spent per request (latency depends on what
else the machine is doing, CPU time hardly does); the number of SQL queries and the time
of that SQL alone (the page's queries captured in-process, then run again directly on a
cursor), and page time / SQL time.
Then the exports over HTTP, and an import of ``--import-rows`` changed projects through
the import service. One table is printed and written as JSON to ``bench/results/``.
SQLite by default (a fresh file); ``DATABASE_URL`` for another database.

(Not named ``http.py``: run as a script, it would shadow the standard library's ``http``.)
"""

import argparse
import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor
from io import BytesIO
from multiprocessing import get_context

import driver
from dataset import build_or_reuse, setup, write_results


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def pages(coordinator, department_user, project):
    """``(name, url, user)`` of every page measured; search once it exists."""
    from django.urls import NoReverseMatch, Resolver404, resolve, reverse

    lists = reverse("projects:project_list")
    found = [
        ("project list", lists, coordinator),
        ("project list, filtered", lists + "?stage=construction&health=delayed", coordinator),
        ("project detail", reverse("projects:project_detail", args=[project.pk]), coordinator),
        (
            "desk of a department",
            reverse("problems:desk") + f"?organisation={project.lead_department_id}",
            coordinator,
        ),
        ("desk, as the department", reverse("problems:desk"), department_user),
        ("supervision", reverse("problems:supervision") + "?open=true", coordinator),
        ("dashboard", reverse("dashboard:dashboard"), coordinator),
        ("meetings", reverse("meetings:meeting_list"), coordinator),
        ("API projects", "/api/projects/", coordinator),
        ("API projects, filtered", "/api/projects/?stage=construction", coordinator),
        ("API problems", "/api/problems/?open=true", coordinator),
        ("API action items", "/api/action-items/", coordinator),
        ("API meetings", "/api/meetings/", coordinator),
        ("API dashboard", "/api/dashboard/", coordinator),
    ]
    for name, url in [("search", "/search/?q=xnycl"), ("API search", "/api/search/?q=xnycl")]:
        try:
            resolve(url.split("?")[0])
        except Resolver404:
            print(f"{name}: {url} does not exist yet, skipped")
            continue
        found.append((name, url, coordinator))
    exports = []
    for name, route in [
        ("dispatch table export", "reports:dispatch_table"),
        ("problem ledger export", "reports:problem_ledger"),
    ]:
        try:
            exports.append((name, reverse(route), coordinator))
        except NoReverseMatch:
            print(f"{name}: no such page, skipped")
    return found, exports


class Recorder:
    """An execute wrapper keeping every statement with its parameters."""

    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params, many))
        return execute(sql, params, many, context)


def sql_alone(client, url: str, repeat: int) -> tuple[int, int, float]:
    """``(status, queries, median ms)``: the page's statements run directly, results
    fetched, inside a transaction that is rolled back."""
    from django.db import connection, transaction

    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        status = client.get(url).status_code
    statements = [
        s
        for s in recorder.statements
        if not s[0].lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))
    ]
    timings = []
    for _ in range(repeat):
        with transaction.atomic():
            start = time.perf_counter()
            with connection.cursor() as cursor:
                for sql, params, many in statements:
                    if many:
                        cursor.executemany(sql, params)
                    else:
                        cursor.execute(sql, params)
                        if cursor.description:
                            cursor.fetchall()
            timings.append((time.perf_counter() - start) * 1000)
            transaction.set_rollback(True)
    return status, len(recorder.statements), statistics.median(timings)


def over_http(pool, port, cookies, url, requests, concurrency, warm=True) -> dict:
    result = pool.submit(driver.hammer, port, cookies, url, requests, concurrency, warm).result()
    timings = result["timings"]
    return {
        "statuses": result["statuses"],
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(percentile(timings, 0.95), 1),
        "per_second": round(len(timings) / result["seconds"], 1),
    }


def changed_ledger(rows: int) -> bytes:
    """The first ``rows`` projects as an office would send them back: every annual plan
    raised by one (10k yuan)."""
    from openpyxl import Workbook

    from diaodu.projects.models import Project

    book = Workbook(write_only=True)
    sheet = book.create_sheet("重点项目")
    sheet.append(["项目编号", "项目名称", "业主单位", "责任单位", "总投资（万元）", "年度计划"])
    for row in Project.objects.order_by("pk").values_list(
        "code",
        "name",
        "owner__name",
        "lead_department__short_name",
        "total_investment",
        "annual_plan",
    )[:rows]:
        sheet.append([*row[:5], (row[5] or 0) + 1])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def time_import(rows: int, coordinator) -> dict:
    from django.utils import translation

    from diaodu.reports.importing import plan_import
    from diaodu.reports.services import commit_import

    content = changed_ledger(rows)
    with translation.override("zh-hans"):
        start, cpu = time.perf_counter(), time.process_time()
        plan = plan_import("projects", content, actor=coordinator)
        planned, planned_cpu = time.perf_counter() - start, time.process_time() - cpu
        assert plan.ok, plan.issues[:5]
        assert plan.counts["update"] == rows, plan.counts
        start, cpu = time.perf_counter(), time.process_time()
        commit_import(plan, actor=coordinator)
        committed, committed_cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "rows": rows,
        "preview_s": round(planned, 1),
        "preview_cpu_s": round(planned_cpu, 1),
        "commit_s": round(committed, 1),
        "commit_cpu_s": round(committed_cpu, 1),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--reuse", action="store_true", help="keep a data set of that size")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--requests", type=int, default=100, help="per page")
    parser.add_argument("--concurrency", type=int, default=4, help="connections per page")
    parser.add_argument("--sql-repeat", type=int, default=5)
    parser.add_argument("--import-rows", type=int, default=10_000, help="0: no import")
    parser.add_argument("--only", help="measure only pages whose name contains this")
    parser.add_argument("--no-exports", action="store_true", help="pages only")
    args = parser.parse_args()
    database_url = setup(os.environ.get("DATABASE_URL"))

    from django.conf import settings
    from django.db import connection
    from django.test import Client

    from diaodu.accounts.models import User

    coordinator, project, built = build_or_reuse(args.projects, args.reuse)
    department_user = User.objects.filter(organisation=project.lead_department_id).first()
    settings.ALLOWED_HOSTS = ["*"]
    engine = connection.vendor
    measured, exports = pages(coordinator, department_user, project)
    if args.no_exports:
        exports = []
    if args.only:
        measured = [p for p in measured if args.only in p[0]]
        exports = [p for p in exports if args.only in p[0]]
    clients, cookies = {}, {}
    for user in {coordinator, department_user}:
        clients[user] = Client()
        clients[user].force_login(user)
        cookies[user] = {"sessionid": clients[user].cookies["sessionid"].value}

    print(f"{engine}, {args.projects:,} projects" + (f", built in {built:.0f} s" if built else ""))
    header = (
        f"{'page':<28}{'status':>8}{'p50 ms':>9}{'p95 ms':>9}{'req/s':>8}"
        f"{'CPU ms':>8}{'queries':>9}{'SQL ms':>9}{'page/SQL':>10}"
    )
    print(header)
    rows = []
    spawn = get_context("spawn")
    with (
        driver.serve(database_url, args.workers) as server,
        ProcessPoolExecutor(1, mp_context=spawn) as pool,
    ):
        # Every worker's first requests load templates and code: not what is measured.
        if measured:
            url, warm = measured[0][1], args.workers * 4
            over_http(pool, server.port, cookies[coordinator], url, warm, args.workers)
        for name, url, user in measured + exports:
            export = name in {e[0] for e in exports}
            status, queries, sql_ms = sql_alone(
                clients[user], url, 1 if export else args.sql_repeat
            )
            row = {"page": name, "url": url, "status": status, "queries": queries}
            requests, concurrency = (2, 1) if export else (args.requests, args.concurrency)
            cpu = server.cpu_seconds()
            row |= over_http(
                pool, server.port, cookies[user], url, requests, concurrency, warm=not export
            )
            served = requests + (0 if export else concurrency)
            row["cpu_ms"] = round((server.cpu_seconds() - cpu) * 1000 / served, 1)
            row["sql_ms"] = round(sql_ms, 1)
            row["page_per_sql"] = round(row["p50_ms"] / sql_ms, 1) if sql_ms else None
            rows.append(row)
            codes = ",".join(str(code) for code in row["statuses"])
            print(
                f"{name:<28}{codes:>8}{row['p50_ms']:>9}{row['p95_ms']:>9}"
                f"{row['per_second']:>8}{row['cpu_ms']:>8}{queries:>9}{row['sql_ms']:>9}"
                f"{row['page_per_sql']!s:>10}",
                flush=True,
            )
    imported = None
    if args.import_rows:
        imported = time_import(min(args.import_rows, args.projects), coordinator)
        print(
            f"import of {imported['rows']:,} changed projects: preview {imported['preview_s']} s"
            f" ({imported['preview_cpu_s']} s CPU), commit {imported['commit_s']} s"
            f" ({imported['commit_cpu_s']} s CPU)"
        )
    subset = "-" + args.only.replace(" ", "_") if args.only else ""
    subset += "-pages" if args.no_exports else ""
    write_results(
        f"web-{engine}-{args.projects}{subset}",
        {
            "engine": engine,
            "projects": args.projects,
            # Other work on the machine shows here: compare figures with this in mind.
            "load_average_after": [round(x, 1) for x in os.getloadavg()],
            "workers": args.workers,
            "requests_per_page": args.requests,
            "concurrency": args.concurrency,
            "build_seconds": round(built, 1),
            "pages": rows,
            "import": imported,
        },
    )


if __name__ == "__main__":
    main()
