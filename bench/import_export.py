"""How long the offices' Excel files take at scale: importing a 10,000-project ledger,
importing it again, exporting the dispatch table, and reading that export back.

Runs on a throw-away SQLite database in a temporary directory (never the development
database), with DEBUG off as in production:

    python bench/import_export.py [--rows 10000] [--updates 1000]

``--updates`` rows of the re-imported ledger carry a new annual plan: changes to existing
projects are validated and logged as ``update_project`` does for one, so they are timed
separately from the bulk creation.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup_django(directory: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{directory}/bench.sqlite3"
    os.environ["DIAODU_VAR_DIR"] = directory
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "diaodu.settings")
    import django
    from django.conf import settings

    django.setup()
    settings.DEBUG = False  # no query log: as in production
    settings.MEDIA_ROOT = Path(directory) / "media"
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


TIMINGS: list[tuple[str, float, str]] = []


@contextmanager
def timed(label: str, note: str = ""):
    start = time.perf_counter()
    yield
    elapsed = time.perf_counter() - start
    TIMINGS.append((label, elapsed, note))
    print(f"{label:<55} {elapsed:7.2f} s  {note}", flush=True)


def master_data(rng: random.Random):
    from diaodu.factories import (
        CoordinatorFactory,
        DepartmentFactory,
        EnterpriseFactory,
        IndustryFactory,
        LeaderFactory,
        TownshipFactory,
    )

    coordinator = CoordinatorFactory(username="bench", display_name="周协调")
    departments = [DepartmentFactory(name=f"第{n}职能局", short_name=f"区{n}局") for n in range(20)]
    leaders = [LeaderFactory(display_name=f"领导{n}") for n in range(6)]
    industries = [IndustryFactory(name=f"产业{n}") for n in range(10)]
    townships = [TownshipFactory() for _ in range(8)]
    enterprises = [
        EnterpriseFactory(name=f"基准企业{n}有限公司", short_name=f"基准企业{n}")
        for n in range(2000)
    ]
    return coordinator, departments, leaders, industries, townships, enterprises


DATE_STYLES = [
    lambda d: d,  # a real spreadsheet date
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: d.isoformat(),
    lambda d: f"{d.year}年{d.month}月",
]


def amount(rng: random.Random, wan: int):
    style = rng.randrange(4)
    if style == 0:
        return wan
    if style == 1:
        return f"{wan}万元"
    if style == 2:
        return f"{Decimal(wan) / 10000}亿元"
    return f"{wan:,}"


def ledger(rows: int, data, rng: random.Random, plan_bump: int = 0) -> bytes:
    """The office's ledger: a title, a two-row header with groups, ``rows`` projects."""
    from openpyxl import Workbook

    _coordinator, departments, leaders, industries, townships, enterprises = data
    book = Workbook(write_only=True)
    sheet = book.create_sheet("重点项目")
    sheet.append(["2026年重点项目调度台账"])
    sheet.append(
        [
            "序号",
            "项目编号",
            "项目名称",
            "业主单位",
            "产业类别",
            "所属街道",
            "建设阶段",
            "投资情况（万元）",
            None,
            "用地面积",
            "挂钩领导",
            "牵头单位",
            "签约",
            "开工",
            None,
            "竣工",
        ]
    )
    sheet.append(
        [
            None,
            None,
            None,
            None,
            None,
            None,
            None,
            "总投资",
            "年度计划",
            None,
            None,
            None,
            "实际",
            "计划",
            "实际",
            "计划",
        ]
    )
    stages = ["签约", "前期", "在建", "竣工", "投产"]
    for n in range(rows):
        enterprise = enterprises[n % len(enterprises)]
        owner = (
            f"新企业{n % 700}有限公司"
            if n % 9 == 0
            else rng.choice([enterprise.name, enterprise.short_name])
        )
        total = rng.randrange(5000, 500000)
        signed = date(2025, rng.randrange(1, 13), rng.randrange(1, 28))
        start = date(2026, rng.randrange(1, 13), rng.randrange(1, 28))
        finish = date(2027 + rng.randrange(3), rng.randrange(1, 13), rng.randrange(1, 28))
        sheet.append(
            [
                n + 1,
                f"B-{n:05d}",
                f"基准项目{n}号产业园",
                owner,
                rng.choice(industries).name,
                str(rng.choice(townships)),
                rng.choice(stages),
                amount(rng, total),
                total // 4 + plan_bump,
                f"{rng.randrange(20, 500)}亩",
                rng.choice(leaders).display_name,
                rng.choice(departments).short_name,
                rng.choice(DATE_STYLES)(signed),
                rng.choice(DATE_STYLES)(start),
                None,
                rng.choice(DATE_STYLES)(finish),
            ]
        )
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=2026)
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="diaodu-bench-") as directory:
        with timed("set up: migrate a fresh SQLite database"):
            setup_django(directory)
        run(options)


def run(options) -> None:
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from diaodu.core.models import ChangeLog
    from diaodu.projects.models import Milestone, Project
    from diaodu.reports import exports
    from diaodu.reports.importing import plan_import
    from diaodu.reports.services import commit_import

    translation.activate("zh-hans")
    rng = random.Random(options.seed)
    with timed("set up: 2,000 enterprises, 20 departments, 6 leaders"):
        data = master_data(rng)
    coordinator = data[0]

    with timed(f"write a {options.rows:,}-row ledger (openpyxl)"):
        content = ledger(options.rows, data, random.Random(options.seed))
    print(f"{'':<55} {len(content) / 1e6:7.2f} MB")

    with timed("import, preview: read, parse, check against the database"):
        plan = plan_import("projects", content, actor=coordinator)
    assert plan.ok, plan.issues[:5]
    counts = plan.counts
    note = f"{counts['create']:,} to create, {len(plan.new_enterprises):,} new enterprises"
    TIMINGS[-1] = (*TIMINGS[-1][:2], note)
    commit = timed("import, commit: one transaction", f"{options.rows:,} projects")
    with CaptureQueriesContext(connection) as queries, commit:
        commit_import(plan, actor=coordinator)
    print(f"{'':<55} {len(queries):,} queries")
    print(
        f"{'':<55} {Project.objects.count():,} projects, "
        f"{Milestone.objects.count():,} milestones, {ChangeLog.objects.count():,} log rows"
    )

    with timed("import the same file again: preview", "nothing to change"):
        again = plan_import("projects", content, actor=coordinator)
    assert again.counts["unchanged"] == options.rows, again.counts

    request = RequestFactory().get("/reports/dispatch-table/")
    request.user = coordinator
    export_timer = timed(f"export the dispatch table ({options.rows:,} rows)")
    with CaptureQueriesContext(connection) as queries, export_timer:
        export = exports.dispatch_table(request)
    print(f"{'':<55} {len(export.content) / 1e6:7.2f} MB, {len(queries)} queries")

    with timed("import the export back: preview (round trip)"):
        back = plan_import("projects", export.content, actor=coordinator)
    assert back.ok, back.issues[:5]
    assert back.counts["unchanged"] == options.rows, back.counts

    if options.updates:
        bumped = ledger(options.updates, data, random.Random(options.seed), plan_bump=1)
        with timed(f"update {options.updates:,} projects: preview"):
            changed = plan_import("projects", bumped, actor=coordinator)
        assert changed.counts["update"] == options.updates, changed.counts
        with timed(f"update {options.updates:,} projects: commit"):
            commit_import(changed, actor=coordinator)

    print("\nDone. Timings above are wall-clock seconds on this machine.")


if __name__ == "__main__":
    main()
