"""How long the 50,000-row problem ledger takes to export, in-process, split into its
parts: the query (with the rows built from it) and the writing of the .xlsx. The CPU time
is the process's own work, which other load on the machine does not inflate.

    python bench/ledger_export.py [--projects 10000] [--repeat 3] [--profile]

Builds the synthetic zone of ``bench/dataset.py`` (five problems a project) on a fresh
SQLite database unless ``DATABASE_URL`` names one; ``--profile`` prints where the writing's
time goes (cProfile, top 25 by own time).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import dataset  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args()
    dataset.setup(os.environ.get("DATABASE_URL"), keep_connection=False)
    from django.conf import settings

    settings.DEBUG = False  # no query log: as in production
    coordinator, _project, built = dataset.build_or_reuse(options.projects, reuse=True)
    print(f"data set: {options.projects:,} projects ({built:.1f} s to build)", flush=True)

    from django.test import RequestFactory
    from django.utils import translation

    from diaodu.lib import xlsx
    from diaodu.reports import exports

    translation.activate("zh-hans")
    request = RequestFactory().get("/reports/problem-ledger/")
    request.user = coordinator

    # The writer's share, timed apart from the query by wrapping the workbook's save.
    writing: list[float] = []
    to_bytes = xlsx.TableWorkbook.to_bytes
    add_table = xlsx.TableWorkbook.add_table

    def timed_add_table(self, *args, **kwargs):
        start = time.perf_counter()
        sheet = add_table(self, *args, **kwargs)
        self._spent = time.perf_counter() - start
        return sheet

    def timed_to_bytes(self):
        start = time.perf_counter()
        content = to_bytes(self)
        writing.append(self._spent + time.perf_counter() - start)
        return content

    xlsx.TableWorkbook.add_table = timed_add_table
    xlsx.TableWorkbook.to_bytes = timed_to_bytes

    totals, work = [], []
    for _ in range(options.repeat):
        start, started_work = time.perf_counter(), time.process_time()
        export = exports.problem_ledger(request)
        totals.append(time.perf_counter() - start)
        work.append(time.process_time() - started_work)
    print(
        f"problem ledger, {export.rows:,} rows, {len(export.content) / 1e6:.1f} MB: "
        f"median {statistics.median(totals):.2f} s in all "
        f"({statistics.median(work):.2f} s of this process's CPU), "
        f"{statistics.median(writing):.2f} s of it writing the .xlsx "
        f"(runs: {', '.join(f'{t:.2f}' for t in totals)})"
    )
    if options.profile:
        profiler = cProfile.Profile()
        profiler.runcall(exports.problem_ledger, request)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
