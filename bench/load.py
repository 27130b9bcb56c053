"""A bounded load test: many people reading and writing at once through gunicorn.

    python bench/load.py [--users 50] [--duration 180] [--projects 10000] [--reuse]

Each simulated person keeps one connection and, until the time is up, opens lists,
details and desks, and writes: a problem update and an action item's feedback (API, with
the person's token) and a weekly progress report (API). Every write carries a unique
marker. Afterwards the database is checked: each acknowledged write is there exactly
once, and no write is there twice. Every status code is counted; on SQLite, writers that
wait too long for the database's single write lock get an answer of 503 (busy, retry)
or 500, reported as they come. SQLite by default (a fresh file); ``DATABASE_URL`` for
another database.
"""

import argparse
import json
import os
import random
import statistics
import threading
import time
import uuid
from collections import Counter, defaultdict
from datetime import timedelta

import driver
from dataset import build_or_reuse, setup, write_results
from web import percentile


def prepare(users: int, seed: int):
    """The people, and what each may write to: open problems (the office may update any),
    open action items (each by its lead department's person), projects without a weekly
    report this week (split between people, so no two write the same report)."""
    from django.test import Client
    from django.utils import timezone

    from diaodu.accounts.models import User
    from diaodu.accounts.services import issue_token
    from diaodu.problems.models import OPEN_ACTION, OPEN_PROBLEM, ActionItem, Problem
    from diaodu.projects.access import visible_projects
    from diaodu.projects.models import Project

    rng = random.Random(seed)
    today = timezone.localdate()
    week = today - timedelta(days=today.weekday())
    coordinator = User.objects.get(username="bench")
    staff = list(User.objects.filter(username__startswith="staff").order_by("pk")[: users * 2])
    by_department = defaultdict(list)
    for person in staff:
        by_department[person.organisation_id].append(person)
    items = defaultdict(list)
    for pk, department in ActionItem.objects.filter(
        status__in=OPEN_ACTION, lead_department__in=list(by_department)
    ).values_list("pk", "lead_department"):
        items[department].append(pk)
    problems = list(Problem.objects.filter(status__in=OPEN_PROBLEM).values_list("pk", flat=True))
    free = list(
        Project.objects.exclude(
            progress_reports__period_kind="week", progress_reports__period_start=week
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng.shuffle(free)
    people = []
    # A third of the people are the office's (the same coordinator, one session each), the
    # rest department staff.
    for n in range(users):
        user = coordinator if n % 3 == 0 else staff[n]
        client = Client()
        client.force_login(user)
        _token, key = issue_token(user)
        visible = visible_projects(user).order_by("pk").values_list("pk", flat=True)
        people.append(
            {
                "user": user,
                "cookies": {"sessionid": client.cookies["sessionid"].value},
                "token": key,
                "items": items.get(user.organisation_id, []),
                "reports": free[n::users],
                "projects": list(visible[n * 7 : n * 7 + 300]) or list(visible[:300]),
            }
        )
    departments = list(by_department)
    return people, problems, departments, week


def run_person(port, person, shared, deadline, seed, results, lock, writes):
    """One person's session: read or write until the deadline."""
    rng = random.Random(seed)
    pages = driver.Browser(port, person["cookies"])
    api = driver.Browser(port, token=person["token"])
    problems, departments, week, run = shared
    coordinator = person["user"].username == "bench"
    reports = iter(person["reports"])
    n = 0
    while time.monotonic() < deadline:
        n += 1
        marker = f"LOAD-{run}-{person['user'].pk}-{seed}-{n}"
        write = rng.random() < writes
        kind, browser, method, path, body = "", pages, "GET", "", None
        if write:
            choice = rng.random()
            if coordinator and choice < 0.5:
                kind, browser, method = "problem update", api, "POST"
                path = f"/api/problems/{rng.choice(problems)}/timeline/"
                body = {"text": marker}
            elif person["items"] and choice < 0.8:
                kind, browser, method = "action feedback", api, "POST"
                path = f"/api/action-items/{rng.choice(person['items'])}/timeline/"
                body = {"text": marker}
            elif coordinator:
                project = next(reports, None)
                if project is None:
                    continue
                kind, browser, method = "progress report", api, "POST"
                path = "/api/progress-reports/"
                body = {
                    "project": project,
                    "period_kind": "week",
                    "period_start": week.isoformat(),
                    "narrative": marker,
                    "investment": "12.50",
                }
            else:
                write = False
        if not write:
            choice = rng.random()
            if choice < 0.25:
                kind, path = "project list", f"/projects/?page={rng.randrange(1, 20)}"
            elif choice < 0.5:
                kind, path = "project detail", f"/projects/{rng.choice(person['projects'])}/"
            elif choice < 0.7:
                kind = "desk"
                path = f"/desk/?organisation={rng.choice(departments)}" if coordinator else "/desk/"
            elif choice < 0.85 and coordinator:
                kind, path = "supervision", "/supervision/?open=true"
            else:
                kind, browser, path = "API projects", api, "/api/projects/?stage=construction"
        start = time.perf_counter()
        try:
            if method == "POST":
                status, _content = browser.post_json(path, json.dumps(body).encode())
            else:
                status, _content = browser.get(path)
        except OSError as error:  # no answer: the write may or may not have happened
            status = f"no answer ({type(error).__name__})"
        elapsed = (time.perf_counter() - start) * 1000
        with lock:
            results["requests"].append((kind, status, elapsed))
            if method == "POST":
                outcome = "acked" if isinstance(status, int) and status < 300 else "failed"
                results[outcome].append((kind, marker))


def written(run: str) -> dict[str, Counter]:
    """Every marker of this run found in the database, by kind, with how often."""
    from diaodu.problems.models import ActionItemEntry, ProblemEntry
    from diaodu.projects.models import ProgressReport

    prefix = f"LOAD-{run}-"
    return {
        "problem update": Counter(
            ProblemEntry.objects.filter(text__startswith=prefix).values_list("text", flat=True)
        ),
        "action feedback": Counter(
            ActionItemEntry.objects.filter(text__startswith=prefix).values_list("text", flat=True)
        ),
        "progress report": Counter(
            ProgressReport.objects.filter(narrative__startswith=prefix).values_list(
                "narrative", flat=True
            )
        ),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=180, help="seconds")
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--reuse", action="store_true", help="keep a data set of that size")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--writes", type=float, default=0.2, help="share of writes")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    database_url = setup(os.environ.get("DATABASE_URL"))

    from django.db import connection

    build_or_reuse(args.projects, args.reuse)
    engine = connection.vendor
    people, problems, departments, week = prepare(args.users, args.seed)
    run = uuid.uuid4().hex[:8]
    shared = (problems, departments, week, run)
    results = {"requests": [], "acked": [], "failed": []}
    lock = threading.Lock()
    print(
        f"{engine}, {args.projects:,} projects: {args.users} people for {args.duration} s"
        f" against {args.workers} gunicorn workers (run {run})",
        flush=True,
    )
    with driver.serve(database_url, args.workers) as server:
        deadline = time.monotonic() + args.duration
        threads = [
            threading.Thread(
                target=run_person,
                args=(
                    server.port,
                    person,
                    shared,
                    deadline,
                    args.seed * 1000 + n,
                    results,
                    lock,
                    args.writes,
                ),
            )
            for n, person in enumerate(people)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - started

    by_kind = defaultdict(list)
    statuses = defaultdict(Counter)
    for kind, status, elapsed in results["requests"]:
        by_kind[kind].append(elapsed)
        statuses[kind][status] += 1
    rows = []
    print(f"\n{'request':<18}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}  statuses")
    for kind in sorted(by_kind):
        timings = by_kind[kind]
        row = {
            "request": kind,
            "count": len(timings),
            "p50_ms": round(statistics.median(timings)),
            "p95_ms": round(percentile(timings, 0.95)),
            "statuses": {str(k): v for k, v in statuses[kind].items()},
        }
        rows.append(row)
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(row["statuses"].items()))
        print(f"{kind:<18}{row['count']:>7}{row['p50_ms']:>9}{row['p95_ms']:>9}  {codes}")
    total = len(results["requests"])
    every = Counter(str(s) for _k, s, _e in results["requests"])
    print(f"{total:,} requests in {seconds:.0f} s: {total / seconds:.1f} per second; {dict(every)}")

    found = written(run)
    check = {}
    for kind, counts in found.items():
        acked = {m for k, m in results["acked"] if k == kind}
        failed = {m for k, m in results["failed"] if k == kind}
        check[kind] = {
            "acknowledged": len(acked),
            "acknowledged and found once": sum(1 for m in acked if counts[m] == 1),
            "acknowledged but missing": sum(1 for m in acked if counts[m] == 0),
            "found more than once": sum(1 for m in counts if counts[m] > 1),
            "not acknowledged": len(failed),
            "not acknowledged but written": sum(1 for m in failed if counts[m]),
        }
    lost = sum(c["acknowledged but missing"] for c in check.values())
    duplicated = sum(c["found more than once"] for c in check.values())
    print("\nwrites checked in the database:")
    for kind, c in check.items():
        print(f"  {kind}: " + ", ".join(f"{k} {v}" for k, v in c.items()))
    server_errors = sum(v for k, v in every.items() if k.startswith("5"))
    verdict = "OK" if not (lost or duplicated) else "LOST OR DUPLICATED WRITES"
    print(f"{verdict}: {lost} lost, {duplicated} duplicated; {server_errors} 5xx answers")

    write_results(
        f"load-{engine}-{args.projects}-{args.workers}w-{args.writes:g}",
        {
            "engine": engine,
            "projects": args.projects,
            # Other work on the machine shows here: compare figures with this in mind.
            "load_average_after": [round(x, 1) for x in os.getloadavg()],
            "users": args.users,
            "duration_s": args.duration,
            "workers": args.workers,
            "write_share": args.writes,
            "requests": total,
            "per_second": round(total / seconds, 1),
            "statuses": dict(every),
            "by_request": rows,
            "writes": check,
            "lost": lost,
            "duplicated": duplicated,
        },
    )


if __name__ == "__main__":
    main()
