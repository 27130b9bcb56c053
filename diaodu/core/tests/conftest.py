"""Diaodu as it runs in production: gunicorn processes started from the tests, talking
to the test database over real connections, and a browser-like HTTP client for them.
Only the PostgreSQL tests use these (SQLite's test database lives in memory)."""

import contextlib
import http.cookiejar
import os
import secrets
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from diaodu.test import build_world

REPO = Path(__file__).resolve().parents[3]
PASSWORD = "Diaodu-test-password-2026"
SECRET = secrets.token_urlsafe(50)

needs_postgresql = [
    pytest.mark.postgres,
    # Committed data, so the servers see it; serialized_rollback puts back the rows data
    # migrations made (the milestone kinds) after each test empties the database.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL (DATABASE_URL)",
    ),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(port: int | None = None) -> str:
    """The URL of the test database, optionally through another port (a proxy)."""
    s = connection.settings_dict
    auth = urllib.parse.quote(s["USER"] or "")
    if s["PASSWORD"]:
        auth += ":" + urllib.parse.quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{port or s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture(scope="session")
def production_var(tmp_path_factory) -> Path:
    """A var folder with the collected static files a production process serves."""
    var = tmp_path_factory.mktemp("var")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=REPO,
        env={**production_env(var), "DATABASE_URL": "sqlite:///:memory:"},
        check=True,
        timeout=120,
    )
    return var


def production_env(var: Path, **extra: str) -> dict[str, str]:
    """Production settings, but over plain HTTP on the loopback (no TLS in tests)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "VIRTUAL_ENV"}
    }
    return {
        **env,
        "DEBUG": "false",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "DIAODU_VAR_DIR": str(var),
        "LOG_LEVEL": "WARNING",
        **extra,
    }


class Server:
    """One gunicorn process (one sync worker) serving Diaodu on a port of its own."""

    def __init__(self, env: dict[str, str], log: Path):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "diaodu.wsgi:application",
                "--bind", f"127.0.0.1:{self.port}", "--workers", "1",
                "--timeout", "60", "--graceful-timeout", "2",
            ],
            cwd=REPO,
            env=env,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.wait_until_up()

    def wait_until_up(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn stopped:\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):
                    return
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.2)
        pytest.fail(f"gunicorn did not answer within {seconds} s:\n{self.log.read_text()}")

    def kill(self) -> None:
        """kill -9 of the master and its worker, as a crash or the OOM killer would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def start_server(tmp_path, production_var):
    """``start_server(DATABASE_URL=..., ...)`` starts a gunicorn process; all are stopped
    after the test, before the test database is emptied."""
    servers = []

    def start(**env: str) -> Server:
        environment = production_env(production_var, **{"DATABASE_URL": database_url(), **env})
        servers.append(Server(environment, tmp_path / f"gunicorn-{len(servers)}.log"))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """Cookies and CSRF like a browser; redirects are returned, not followed."""

    def __init__(self, cookies: http.cookiejar.CookieJar | None = None):
        self.cookies = cookies if cookies is not None else http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect
        )

    def request(self, url: str, data: dict | None = None, timeout: float = 30):
        """(status, headers, body text) of a GET, or of a POST when ``data`` is given."""
        body = None
        if data is not None:
            token = next((c.value for c in self.cookies if c.name == "csrftoken"), "")
            body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}, doseq=True)
        request = urllib.request.Request(
            url,
            data=body.encode() if body is not None else None,
            headers={"Accept-Language": "en", "Referer": url},
        )
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def log_in(self, server: Server, username: str, password: str = PASSWORD) -> None:
        self.request(f"{server.url}/login/")
        status, _, body = self.request(
            f"{server.url}/login/", {"username": username, "password": password}
        )
        assert status == 302, body


class TcpProxy:
    """A TCP relay from a port of its own to PostgreSQL: stopping it cuts every connection
    and refuses new ones, as a database host going away does."""

    def __init__(self, target_port: int):
        self.port = free_port()
        self.target_port = target_port
        self.sockets: list[socket.socket] = []
        self.listener = None
        self.lock = threading.Lock()

    def start(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(16)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            with self.lock:
                self.sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                ready, _, _ = select.select([a, b], [], [], 1)
                for source in ready:
                    data = source.recv(65536)
                    if not data:
                        raise OSError("closed")
                    (b if source is a else a).sendall(data)
        except (OSError, ValueError):
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.close()

    def stop(self) -> None:
        # shutdown() wakes the thread blocked in accept(); close() alone would not.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        with self.lock:
            for s in self.sockets:
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                    s.close()
            self.sockets.clear()


@pytest.fixture
def world_with_passwords():
    """The personas and projects, committed, with a password for the owner of project X
    and for staff of department A (log-ins happen over HTTP)."""
    w = build_world()
    for user in (w.owner_x, w.staff_a):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return w


def problem_form(w, title: str) -> dict:
    """The raise-a-problem form on project X, led by department A."""
    return {
        "title": title,
        "description": "需增容至2000千伏安。",
        "category": "utilities",
        "severity": "normal",
        "level": "zone",
        "lead_department": w.department_a.pk,
        # The servers run on the real clock, not the tests' fixed one.
        "due_date": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
