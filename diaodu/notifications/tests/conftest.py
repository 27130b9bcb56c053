"""The cast of the notification tests, and a chat robot on the loopback interface.

Alice and Bob work at the planning bureau (区资规局), as did Carol, whose account is
closed. Dan and Erin work at the approvals bureau (区审批局); Dan has no e-mail address
and Erin has turned e-mail notifications off.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from django_tasks import task_backends

from diaodu.factories import DepartmentFactory, DepartmentStaffFactory
from diaodu.notifications.models import Preference

NOW = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch):
    # A proxy configured on the machine must not see the test robots' traffic.
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture
def now(monkeypatch) -> datetime:
    """Freeze Django's clock (``timezone.now``) at :data:`NOW`."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture
def queue(settings):
    """Tasks are recorded instead of run: ``queue.results`` lists what was enqueued."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    return task_backends["default"]


@pytest.fixture
def run_inline(settings):
    """Tasks run as soon as they are enqueued, in the same thread (the worst case for a
    page: its request does the sending)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def english(settings):
    """Messages are written in the site's language; pin it so texts can be compared."""
    settings.LANGUAGE_CODE = "en"
    settings.DIAODU_SITE_URL = "https://diaodu.example.com"


@pytest.fixture
def planning(db):
    return DepartmentFactory(name="自然资源和规划局", short_name="区资规局")


@pytest.fixture
def approvals(db):
    return DepartmentFactory(name="行政审批服务局", short_name="区审批局")


@pytest.fixture
def alice(planning):
    return DepartmentStaffFactory(
        username="alice", display_name="资规局王丽", organisation=planning
    )


@pytest.fixture
def bob(planning):
    return DepartmentStaffFactory(username="bob", display_name="资规局李博", organisation=planning)


@pytest.fixture
def carol(planning):
    return DepartmentStaffFactory(
        username="carol", display_name="资规局陈可", organisation=planning, is_active=False
    )


@pytest.fixture
def dan(approvals):
    return DepartmentStaffFactory(
        username="dan", display_name="审批局丁丹", organisation=approvals, email=""
    )


@pytest.fixture
def erin(approvals):
    erin = DepartmentStaffFactory(
        username="erin", display_name="审批局鄂琳", organisation=approvals
    )
    Preference.objects.create(user=erin, email_enabled=False)
    return erin


@pytest.fixture
def cast(alice, bob, carol, dan, erin):
    return (alice, bob, carol, dan, erin)


# --- A chat robot on 127.0.0.1 ------------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    query: dict = field(init=False)

    def __post_init__(self):
        self.query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}

    @property
    def json(self):
        return json.loads(self.body)


class Robot:
    """An HTTP server in a thread that records every POST and answers as told."""

    def __init__(self):
        self.received: list[Received] = []
        self.status = 200
        self.reply = b'{"errcode":0,"errmsg":"ok"}'
        self.delay = 0.0
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                robot.received.append(Received(self.path, dict(self.headers), body))
                if robot.delay:
                    time.sleep(robot.delay)
                self.send_response(robot.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(robot.reply)))
                self.end_headers()
                self.wfile.write(robot.reply)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # A client that gave up (the timeout test) makes the reply fail: expected.
        self.server.handle_error = lambda request, address: None
        # A short poll keeps shutdown (each test's teardown) quick.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def answer(self, status: int = 200, reply: dict | bytes = b"") -> None:
        self.status = status
        self.reply = json.dumps(reply).encode() if isinstance(reply, dict) else reply

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot():
    robot = Robot()
    yield robot
    robot.close()


@pytest.fixture
def closed_port_url() -> str:
    """The address of a port on 127.0.0.1 where nothing listens."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/robot"
