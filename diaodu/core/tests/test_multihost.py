"""The several-hosts layout of docs/deploy.md, built for real with network namespaces: a
client, nginx balancing two app hosts (gunicorn), a PostgreSQL primary with a streaming hot
standby that the lists read from, and Redis. Under a bounded mixed load, one app host is
killed, then Redis is cut off, then the primary. Afterwards: every acknowledged write is in
the database exactly once (and on the standby), no one was logged out, a user always saw
what they had just saved, and the only errors were the 503 page while the primary was away
(and the gateway error for a write in flight on the app host that was killed).

Run with ``./dev test-multihost`` (as root). Skipped, with the reason, where network
namespaces cannot be made."""

import contextlib
import glob
import json
import random
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.error
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from timeit import default_timer as clock

import pytest
from django.utils import timezone

from diaodu.core.tests import netns
from diaodu.core.tests.conftest import PASSWORD, REPO, Browser, production_env

pytestmark = pytest.mark.multihost

USERS = 6
# Seconds from the start of the load.
KILL_APP, CUT_REDIS, MEND_REDIS, CUT_DATABASE, MEND_DATABASE, END = 4, 8, 12, 14, 20, 28
# Seconds the standby waits before applying what the primary committed.
LAG = 2
# How long after the primary is back a request may still meet the outage (a connection
# that was waiting for it when it came back).
RECOVERY = 4
# Short database timeouts, so that a request meeting the cut-off primary answers 503 in
# seconds (production defaults: 5 s and 10 s).
DB_OPTIONS = "connect_timeout=2&tcp_user_timeout=2000"

SEED = """
import json, os
from diaodu.test import build_world
w = build_world()
w.coordinator.set_password(os.environ["SEED_PASSWORD"])
w.coordinator.save(update_fields=["password"])
print(json.dumps({"project": w.project_x.pk, "department": w.department_a.pk}))
"""


def postgresql_bin() -> Path | None:
    """Debian's server binaries, of the newest version installed."""
    found = glob.glob("/usr/lib/postgresql/*/bin/postgres")
    return Path(max(found, key=lambda path: int(Path(path).parts[-3]))).parent if found else None


@pytest.fixture
def network():
    reason = netns.unavailable_reason()
    missing = [tool for tool in ("nginx", "redis-server", "runuser") if not shutil.which(tool)]
    if not postgresql_bin():
        missing.append("the PostgreSQL server (/usr/lib/postgresql/*/bin)")
    if reason or missing:
        pytest.skip(reason or f"not installed: {', '.join(missing)}")
    network = netns.Network()
    try:
        yield network
    finally:
        network.close()


@pytest.fixture
def scratch():
    """A folder the postgres user can reach (pytest's own tmp_path is private to root).
    Asked for before ``network``, so that it is removed after every process has stopped."""
    folder = Path(tempfile.mkdtemp(prefix="diaodu-multihost-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def start_postgresql(host: netns.Host, data: Path, logs: Path, *settings: str) -> None:
    pg = postgresql_bin()
    host.start(
        str(pg / "postgres"), "-D", str(data), "-c", f"listen_addresses={host.address}",
        "-c", "unix_socket_directories=", "-c", "max_connections=60", *settings,
        log=logs / f"{host.ns}.log", user="postgres",
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while host.run(str(pg / "pg_isready"), "-q", "-h", host.address, check=False).returncode:
        if time.monotonic() > deadline:
            pytest.fail(
                f"PostgreSQL on {host.ns} did not start:\n{(logs / f'{host.ns}.log').read_text()}"
            )
        time.sleep(0.2)


def psql(host: netns.Host, sql: str) -> str:
    pg = postgresql_bin()
    return host.run(
        str(pg / "psql"), "-h", host.address, "-U", "postgres", "-d", "diaodu", "-Atc", sql
    ).stdout.strip()


def nginx_conf(folder: Path, lb: netns.Host, apps: list[netns.Host]) -> Path:
    """The load balancer: as deploy/nginx/diaodu.conf, without TLS, over two upstreams.
    A host that refuses connections is skipped (also for a POST, which it never saw)."""
    servers = "".join(f"server {app.address}:8000 max_fails=1 fail_timeout=10s;\n" for app in apps)
    conf = folder / "nginx.conf"
    conf.write_text(
        f"""
user root;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    access_log {folder}/nginx-access.log;
    client_body_temp_path {folder}/nginx-body;
    proxy_temp_path {folder}/nginx-proxy;
    fastcgi_temp_path {folder}/nginx-fastcgi;
    uwsgi_temp_path {folder}/nginx-uwsgi;
    scgi_temp_path {folder}/nginx-scgi;
    upstream diaodu {{ {servers} }}
    server {{
        listen {lb.address}:80;
        client_max_body_size 25m;
        location / {{
            proxy_pass http://diaodu;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 2s;
            proxy_next_upstream error timeout;
        }}
    }}
}}
"""
    )
    return conf


def answers(url: str, seconds: float = 90) -> bool:
    """Whether ``url`` answers 200 within ``seconds`` (app hosts start slowly on a busy
    machine)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if Browser().request(url, timeout=2)[0] == 200:
                return True
        time.sleep(0.3)
    return False


@dataclass
class Outcome:
    started: float
    ended: float
    method: str
    path: str
    status: int | str
    kind: str = ""


def classify(outcome: Outcome, headers, body: str) -> str:
    if outcome.status == 302 and "/login/" in (headers.get("Location") or ""):
        return "logged out"
    if outcome.status in (200, 302):
        return "ok"
    if outcome.status == 503 and headers.get("Retry-After") and "Temporarily unavailable" in body:
        return "503 database unavailable"
    return f"{outcome.status}"


class Load:
    """Users working through nginx: lists, the dashboard and the supervision list (from
    the standby), problems raised (writes), each acknowledged one looked up at once."""

    def __init__(self, base: str, world: dict):
        self.base = base
        self.world = world
        self.outcomes: list[Outcome] = []
        self.acknowledged: list[str] = []
        self.stale_reads: list[str] = []
        self.lagging_reads: list[str] = []
        self.lock = threading.Lock()
        self.t0 = 0.0

    def at(self) -> float:
        return clock() - self.t0

    def request(self, browser: Browser, path: str, data: dict | None = None):
        outcome = Outcome(self.at(), 0, "POST" if data else "GET", path, 0)
        try:
            status, headers, body = browser.request(f"{self.base}{path}", data, timeout=30)
        except (urllib.error.URLError, OSError) as error:
            status, headers, body = f"connection: {error}", {}, ""
        outcome.status, outcome.ended = status, self.at()
        outcome.kind = classify(outcome, headers, body)
        with self.lock:
            self.outcomes.append(outcome)
        return outcome, headers, body

    def log_in(self) -> Browser:
        browser = Browser()
        browser.request(f"{self.base}/login/")
        status, _, body = browser.request(
            f"{self.base}/login/", {"username": "coordinator", "password": PASSWORD}
        )
        assert status == 302, body
        return browser

    def user(self, number: int, browser: Browser, onlooker: Browser) -> None:
        rng = random.Random(number)
        written = 0
        while self.at() < END:
            if rng.random() < 0.35:
                written += 1
                self.write(browser, onlooker, f"mh-{number}-{written} 施工用电容量不足")
            else:
                self.request(browser, rng.choice(["/projects/", "/dashboard/", "/supervision/"]))

    def write(self, browser: Browser, onlooker: Browser, title: str) -> None:
        form = {
            "title": title,
            "description": "需增容至2000千伏安。",
            "category": "utilities",
            "severity": "normal",
            "level": "zone",
            "lead_department": self.world["department"],
            "due_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
        }
        outcome, headers, _ = self.request(
            browser, f"/projects/{self.world['project']}/problems/new/", form
        )
        if outcome.status != 302 or not re.search(r"/problems/\d+/", headers["Location"]):
            return
        with self.lock:
            self.acknowledged.append(title)
        # The supervision list reads from the standby, except for a browser that has just
        # written: there the problem must be, however far the standby lags; elsewhere it
        # shows up once the standby has applied it.
        search = f"/supervision/?q={title.split()[0]}"
        outcome, _, page = self.request(browser, search)
        if outcome.status == 200 and title not in page:
            self.stale_reads.append(title)
        outcome, _, page = self.request(onlooker, search)
        if outcome.status == 200 and title not in page:
            self.lagging_reads.append(title)


def figures(load: Load) -> dict:
    return {
        "requests": len(load.outcomes),
        "reads": sum(o.method == "GET" for o in load.outcomes),
        "writes": sum(o.method == "POST" for o in load.outcomes),
        "outcomes": dict(Counter(o.kind for o in load.outcomes)),
        "writes acknowledged": len(load.acknowledged),
        "stale reads after a write": len(load.stale_reads),
        "writes not yet on the standby for another browser": len(load.lagging_reads),
    }


def test_two_app_hosts_a_standby_and_redis_survive_losing_each_in_turn(scratch, network):
    logs = scratch / "logs"
    logs.mkdir()
    client = network.host("client", 2)
    lb = network.host("lb", 10)
    apps = [network.host("app1", 11), network.host("app2", 12)]
    primary, standby = network.host("pg1", 21), network.host("pg2", 22)
    cache = network.host("redis", 30)
    pg = postgresql_bin()

    # PostgreSQL: a primary, and a standby cloned from it that streams its changes.
    primary_data, standby_data = scratch / "primary", scratch / "standby"
    shutil.chown(scratch, "postgres")
    primary.run(
        str(pg / "initdb"), "-D", str(primary_data), "-U", "postgres", "--auth=trust",
        "-E", "UTF8", "--locale=C.UTF-8", user="postgres",
    )  # fmt: skip
    with (primary_data / "pg_hba.conf").open("a") as hba:
        hba.write(f"host all all {netns.SUBNET}.0/24 trust\n")
        hba.write(f"host replication all {netns.SUBNET}.0/24 trust\n")
    start_postgresql(primary, primary_data, logs)
    primary.run(
        str(pg / "createdb"), "-h", primary.address, "-U", "postgres", "diaodu", user="postgres"
    )
    standby.run(
        str(pg / "pg_basebackup"), "-h", primary.address, "-U", "postgres",
        "-D", str(standby_data), "-R", "-X", "stream", "-c", "fast", user="postgres",
    )  # fmt: skip
    # A standby that lags on purpose, so that reading one's own write from it would fail.
    start_postgresql(standby, standby_data, logs, "-c", f"recovery_min_apply_delay={LAG}s")
    assert psql(standby, "SELECT pg_is_in_recovery()") == "t"

    cache.start(
        "redis-server", "--bind", cache.address, "--port", "6379", "--save", "",
        "--appendonly", "no", "--protected-mode", "no", log=logs / "redis.log",
    )  # fmt: skip

    var = scratch / "var"
    environment = production_env(
        var,
        DATABASE_URL=f"postgres://postgres@{primary.address}:5432/diaodu?{DB_OPTIONS}",
        DATABASE_REPLICA_URL=f"postgres://postgres@{standby.address}:5432/diaodu?{DB_OPTIONS}",
        REDIS_URL=f"redis://{cache.address}:6379/0",
        # The balancer's name, and the app hosts' addresses for health checks.
        ALLOWED_HOSTS=",".join(host.address for host in [lb, *apps]),
        DIAODU_PROXY_COUNT="1",
        DIAODU_FORWARDED_ALLOW_IPS=lb.address,
        DIAODU_WORKERS="2",
        # Longer than the standby's lag; shorter than the load, so that a browser's log-in
        # (a write) stops pinning it early on.
        DIAODU_REPLICA_PIN_SECONDS=str(LAG + 3),
        SEED_PASSWORD=PASSWORD,
    )
    python = sys.executable
    collecting = apps[1].start(
        python, "manage.py", "collectstatic", "--noinput", "-v0",
        log=logs / "collectstatic.log", cwd=REPO, env=environment,
    )  # fmt: skip
    apps[0].run(python, "manage.py", "migrate", "--noinput", "-v0", cwd=REPO, env=environment,
                timeout=180)  # fmt: skip
    assert collecting.wait(timeout=180) == 0, (logs / "collectstatic.log").read_text()
    seeded = apps[0].run(python, "manage.py", "shell", "-c", SEED, cwd=REPO, env=environment)
    world = json.loads(seeded.stdout.strip().splitlines()[-1])
    for app in apps:
        app.start(
            python, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "diaodu.wsgi",
            log=logs / f"{app.ns}.log", cwd=REPO,
            env={**environment, "DIAODU_BIND": f"{app.address}:8000"},
        )  # fmt: skip
    base = f"http://{lb.address}"
    load = Load(base, world)
    events = []
    with ThreadPoolExecutor(USERS, initializer=netns.enter, initargs=(client,)) as pool:
        # Each app host first, then the balancer: nginx would otherwise mark a host that is
        # still starting as failed and keep it out for a while.
        for app in apps:
            url = f"http://{app.address}:8000/healthz"
            if not pool.submit(answers, url).result():
                pytest.fail(f"{app.ns} did not start:\n{(logs / f'{app.ns}.log').read_text()}")
        lb.start(
            "nginx", "-c", str(nginx_conf(scratch, lb, apps)), "-g", "daemon off;",
            log=logs / "nginx.log",
        )  # fmt: skip
        if not pool.submit(answers, f"{base}/healthz").result():
            pytest.fail(f"nginx did not start:\n{(logs / 'nginx.log').read_text()}")
        # Everyone logs in first (each log-in hashes a password: slow on a busy machine);
        # the same person in two browsers: one writes, the other only looks.
        browsers = list(pool.map(lambda _: load.log_in(), range(2 * USERS)))
        load.t0 = clock()
        users = [
            pool.submit(load.user, n, browsers[2 * n], browsers[2 * n + 1]) for n in range(USERS)
        ]
        for at, action in [
            (KILL_APP, apps[0].kill),
            (CUT_REDIS, cache.cut),
            (MEND_REDIS, cache.mend),
            (CUT_DATABASE, primary.cut),
            (MEND_DATABASE, primary.mend),
        ]:
            time.sleep(max(0, at - load.at()))
            action()
            events.append((round(load.at(), 1), action.__qualname__))
        for user in users:
            user.result()

    results = figures(load)

    found = psql(primary, "SELECT title FROM problems_problem WHERE title LIKE 'mh-%'").split("\n")
    found = [title for title in found if title]
    results["writes found"] = len(set(found) & set(load.acknowledged))
    results["written without acknowledgement"] = len(set(found) - set(load.acknowledged))
    print("multihost figures:", json.dumps(results, ensure_ascii=False), "events:", events)

    missing = set(load.acknowledged) - set(found)
    assert not missing, f"acknowledged writes lost: {sorted(missing)}"
    assert len(found) == len(set(found)), "a write was saved twice"
    assert load.acknowledged, "no write was acknowledged at all"
    assert not load.stale_reads, "a user did not see what they had just saved"
    assert load.lagging_reads, "the lists did not read from the (lagging) standby"

    def overlaps(o: Outcome, start: float, end: float) -> bool:
        return o.started <= end and o.ended >= start

    unexpected = []
    for o in load.outcomes:
        if o.kind == "ok":
            continue
        if o.kind == "503 database unavailable" and overlaps(
            o, CUT_DATABASE, MEND_DATABASE + RECOVERY
        ):
            continue
        # A write that the killed host was running when it died: nginx cannot retry it.
        if o.status == 502 and o.method == "POST" and overlaps(o, KILL_APP, KILL_APP + 1):
            continue
        unexpected.append(o)
    assert not unexpected, f"unexpected answers: {unexpected}"
    assert results["outcomes"].get("503 database unavailable"), "the primary's outage was met"

    # The standby catches up with the primary, and the app hosts did read from it.
    deadline = time.monotonic() + 20
    while psql(standby, "SELECT count(*) FROM problems_problem WHERE title LIKE 'mh-%'") != str(
        len(found)
    ):
        assert time.monotonic() < deadline, "the standby did not catch up within 20 s"
        time.sleep(0.5)
    readers = psql(
        standby,
        "SELECT count(DISTINCT client_addr) FROM pg_stat_activity WHERE datname = 'diaodu' "
        "AND client_addr IS NOT NULL",
    )
    assert readers != "0", "no app host read from the standby"
