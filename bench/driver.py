"""Serving the app with gunicorn for a benchmark, and browsing it over HTTP.

The server runs in production mode (``DEBUG`` off, static files collected) on 127.0.0.1
and a free port. Clients keep their connection open as a browser does, and carry a session
cookie or an API token.
"""

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(database_url: str) -> dict:
    directory = os.environ.get("DIAODU_VAR_DIR") or tempfile.mkdtemp(prefix="diaodu-bench-")
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DIAODU_VAR_DIR": directory,
        "DEBUG": "false",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on the loopback: no TLS in front of it.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
    }


@dataclass(frozen=True)
class Server:
    port: int
    pid: int

    def cpu_seconds(self) -> float:
        """CPU time its workers have used so far: unlike latency, hardly changed by other
        work on the machine."""
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0
        for pid in _children(self.pid):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # a worker that has just been replaced
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / ticks


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:  # not Linux: no CPU figures
        return []


@contextmanager
def serve(database_url: str, workers: int, threads: int = 1):
    """Run gunicorn until the block ends; yields the ``Server``."""
    # A benchmark stopped with SIGTERM stops its server too (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    env = server_environment(database_url)
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    port = free_port()
    command = [
        PYTHON,
        "-m",
        "gunicorn",
        "diaodu.wsgi",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        f"--threads={threads}",
        f"--worker-class={'gthread' if threads > 1 else 'sync'}",
        # Exports of a whole city take a while on a busy machine.
        "--timeout=600",
        "--log-level=warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                Browser(port).get("/login/")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.3)
        yield Server(port, server.pid)
    finally:
        server.terminate()
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:  # a request still running: its worker goes too
            server.kill()
            server.wait()


class Browser:
    """One keep-alive connection with its cookies (and optionally an API token)."""

    def __init__(self, port: int, cookies: dict | None = None, token: str = ""):
        self.port = port
        self.cookies = dict(cookies or {})
        self.token = token
        self.connection = None

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        """``(status, body)``; one retry on a connection the server closed meanwhile."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                self.connection = None
                # A write may have reached the server before the connection broke: never
                # send it twice, report it as unanswered instead.
                if attempt == 2 or method != "GET":
                    raise
                continue
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, content
        raise AssertionError("unreachable")

    def get(self, path: str):
        return self.request("GET", path)

    def post_json(self, path: str, data: bytes):
        return self.request("POST", path, data, {"Content-Type": "application/json"})

    def post_form(self, path: str, fields: dict, referer: str):
        """A page's form, as a browser sends it: with the CSRF cookie and token."""
        if "csrftoken" not in self.cookies:
            self.get(referer)
        body = urlencode({**fields, "csrfmiddlewaretoken": self.cookies["csrftoken"]})
        return self.request(
            "POST",
            path,
            body.encode(),
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}{referer}",
            },
        )


def hammer(
    port: int, cookies: dict, path: str, requests: int, concurrency: int, warm: bool = True
) -> dict:
    """``requests`` GETs of ``path`` from ``concurrency`` connections, each first warmed by
    one request not counted: every status and time, and the wall-clock seconds of the
    whole."""
    timings, statuses, lock = [], {}, threading.Lock()
    counter = iter(range(requests))
    ready = threading.Barrier(concurrency + 1)

    def user():
        browser = Browser(port, cookies)
        if warm:
            browser.get(path)  # the connection, the worker's caches
        ready.wait()
        for _ in counter:
            start = time.perf_counter()
            try:
                status, _body = browser.get(path)
            except OSError as error:
                status = f"no answer ({type(error).__name__})"
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                timings.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=user) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    ready.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return {"timings": timings, "statuses": statuses, "seconds": time.perf_counter() - start}
