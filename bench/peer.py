"""Diaodu against Redmine 5.0, side by side on one machine, in one run.

    python bench/peer.py --peer PEER_DIR [--projects 10000] [--reuse] [--runs 2]
                         [--concurrency 8] [--duration 20] [--diaodu-only]

``PEER_DIR`` is the Redmine peer's folder (its README tells how it is built): a setup
script that installs Redmine from Debian on the same PostgreSQL and seeds it with the same
number of projects × 5 issues, a standard-library load client, and a script that pairs
equivalent pages in a table. This command

1. builds (or, with ``--reuse``, finds) Diaodu's data set of ``--projects`` projects in
   ``DATABASE_URL`` (PostgreSQL: Redmine runs on PostgreSQL too), and seeds the peer to
   the same size;
2. alternately, ``--runs`` times: starts Redmine alone (puma, 2 workers × 5 threads) and
   measures its pages, stops it; starts Diaodu alone (gunicorn gthread, 2 workers × 5
   threads, production settings) and measures the equivalent pages with the same client,
   concurrency and duration, signed in through the login form as a coordinator; stops it;
3. prints the peer's table for each run and the machine's load average around each phase,
   and writes everything to ``bench/results/``.

With ``--diaodu-only`` Redmine is left alone (for Diaodu's own figures at 100,000
projects). The peer's scripts need root, as its README says.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import driver
from dataset import build_or_reuse, setup, write_results

RESULTS = driver.ROOT / "bench" / "results"
# Two processes of five threads each, as Redmine's puma is run.
WORKERS, THREADS = 2, 5


def diaodu_paths(coordinator, project) -> list[str]:
    """The pages the peer's comparison pairs with Redmine's, as ``LABEL=PATH``."""
    from django.urls import reverse

    from diaodu.problems.models import Problem

    problem = Problem.objects.filter(project=project).order_by("pk").first()
    return [
        f"projects_list_p1={reverse('projects:project_list')}",
        f"problems_open_p2={reverse('problems:supervision')}?open=true&page=2",
        f"project_detail={reverse('projects:project_detail', args=[project.pk])}",
        f"problem_detail={reverse('problems:problem_detail', args=[problem.pk])}",
        "api_problems_json=/api/problems/?open=true&page=2",
    ]


def sign_in_details(coordinator) -> tuple[str, str]:
    """A password for the login form and an API token for the API page."""
    from diaodu.accounts.services import issue_token

    password = secrets.token_urlsafe(16)
    coordinator.set_password(password)
    coordinator.save(update_fields=["password"])
    _token, key = issue_token(coordinator)
    return password, key


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]


def peer(peer_dir: Path, *args: str, env: dict | None = None) -> None:
    subprocess.run(["bash", *args], cwd=peer_dir, env={**os.environ, **(env or {})}, check=True)


def measure_redmine(peer_dir: Path, options, out: Path) -> dict:
    peer(peer_dir, "redmine-setup.sh", "start")
    try:
        before = load_average()
        peer(
            peer_dir,
            "redmine-load.sh",
            env={
                "C": str(options.concurrency),
                "DURATION": str(options.duration),
                "PEER_RESULTS": str(out.parent),
            },
        )
        after = load_average()
    finally:
        peer(peer_dir, "redmine-setup.sh", "stop")
    newest = max(out.parent.glob("redmine-*.json"), key=lambda path: path.stat().st_mtime)
    newest.rename(out)
    return {"file": str(out), "load_before": before, "load_after": after}


def measure_diaodu(peer_dir: Path, database_url: str, login, paths, options, out: Path) -> dict:
    username, password, token = login
    with driver.serve(database_url, workers=WORKERS, threads=THREADS) as server:
        before = load_average()
        subprocess.run(
            [
                driver.PYTHON,
                str(peer_dir / "load.py"),
                f"http://127.0.0.1:{server.port}",
                *paths,
                "-c",
                str(options.concurrency),
                "-d",
                str(options.duration),
                "--form-login",
                "/login/",
                "--user",
                f"{username}:{password}",
                "-H",
                f"Authorization: Token {token}",
                "--json",
                str(out),
                "--tag",
                f"diaodu, {options.projects} projects",
            ],
            check=True,
        )
        after = load_average()
    return {"file": str(out), "load_before": before, "load_after": after}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--peer", type=Path, required=True, help="the Redmine peer's folder")
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=int, default=20, help="seconds a page")
    parser.add_argument("--diaodu-only", action="store_true")
    options = parser.parse_args()
    peer_dir = options.peer.resolve()

    database_url = setup(os.environ.get("DATABASE_URL"))
    if not database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database: Redmine runs on PostgreSQL too.")
    coordinator, project, built = build_or_reuse(options.projects, options.reuse)
    print(f"data set: {options.projects} projects ({built:.0f} s to build)", flush=True)
    password, token = sign_in_details(coordinator)
    paths = diaodu_paths(coordinator, project)
    if not options.diaodu_only:
        peer(peer_dir, "redmine-setup.sh", env={"PEER_PROJECTS": str(options.projects)})
        peer(peer_dir, "redmine-setup.sh", "stop")

    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    runs = []
    for run in range(1, options.runs + 1):
        record = {"run": run}
        if not options.diaodu_only:
            out = RESULTS / f"peer-{stamp}-run{run}-redmine.json"
            record["redmine"] = measure_redmine(peer_dir, options, out)
        out = RESULTS / f"peer-{stamp}-run{run}-diaodu.json"
        login = (coordinator.username, password, token)
        record["diaodu"] = measure_diaodu(peer_dir, database_url, login, paths, options, out)
        runs.append(record)
        if not options.diaodu_only:
            print(
                f"\nrun {run}: load average {record['redmine']['load_before']} (Redmine) ", end=""
            )
            print(f"and {record['diaodu']['load_before']} (Diaodu) at the start", flush=True)
            subprocess.run(
                [
                    driver.PYTHON,
                    str(peer_dir / "compare.py"),
                    record["redmine"]["file"],
                    record["diaodu"]["file"],
                ],
                check=False,
            )
    for record in runs:
        with open(record["diaodu"]["file"]) as file:
            record["diaodu"]["results"] = json.load(file)["results"]
        if "redmine" in record:
            with open(record["redmine"]["file"]) as file:
                record["redmine"]["results"] = json.load(file)["results"]
    write_results(
        "peer",
        {
            "projects": options.projects,
            "concurrency": options.concurrency,
            "duration": options.duration,
            "server": f"{WORKERS} processes x {THREADS} threads",
            "cpus": os.cpu_count(),
            "runs": runs,
        },
    )


if __name__ == "__main__":
    main()
