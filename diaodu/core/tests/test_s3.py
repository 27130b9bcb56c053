"""Uploaded files on S3-compatible object storage (DIAODU_S3_*), against a real S3-protocol
server started here (moto's server mode, from the test extras): a file uploaded through a
page lands in the bucket, comes back through the access-checked download, and a backup
carries it into a restore on another bucket."""

import importlib.util
import json
import os
import secrets
import subprocess
import sys
import tarfile
import time
import urllib.error
import urllib.request

import boto3
import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from diaodu.core.models import Attachment
from diaodu.core.tests.conftest import REPO, free_port, problem_form
from diaodu.problems.models import Problem, ProblemEntry
from diaodu.test import build_world

pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("moto") is None,
        reason="moto[server] is not installed (pip install -e '.[test]')",
    ),
    # Committed data: the backup reads what is committed.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PNG = b"\x89PNG\r\n\x1a\n" + secrets.token_bytes(64)
KEYS = {"DIAODU_S3_ACCESS_KEY": "testing", "DIAODU_S3_SECRET_KEY": "testing-secret"}


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except (OSError, urllib.error.HTTPError):
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"moto's S3 server did not start:\n{log.read_text()}")
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=10)


def new_bucket(endpoint: str) -> str:
    name = f"diaodu-{secrets.token_hex(4)}"
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["DIAODU_S3_ACCESS_KEY"],
        aws_secret_access_key=KEYS["DIAODU_S3_SECRET_KEY"],
    )
    s3.create_bucket(Bucket=name)
    return name


def bucket_contents(endpoint: str, bucket: str) -> dict[str, bytes]:
    s3 = boto3.resource(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=KEYS["DIAODU_S3_ACCESS_KEY"],
        aws_secret_access_key=KEYS["DIAODU_S3_SECRET_KEY"],
    )
    return {o.key: o.get()["Body"].read() for o in s3.Bucket(bucket).objects.all()}


def s3_environment(endpoint: str, bucket: str) -> dict[str, str]:
    return {
        "DIAODU_S3_BUCKET": bucket,
        "DIAODU_S3_ENDPOINT_URL": endpoint,
        "DIAODU_S3_REGION": "us-east-1",
        **KEYS,
    }


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A new bucket, and Diaodu's file storage on it, configured as settings.py does it
    from the environment."""
    name = new_bucket(s3_endpoint)
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from diaodu import settings as s; print(json.dumps(s.STORAGES))",
        ],
        cwd=REPO,
        env={"PATH": os.environ["PATH"], **s3_environment(s3_endpoint, name)},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    settings.STORAGES = json.loads(run.stdout)
    return name


def test_a_file_uploaded_through_a_page_is_kept_in_the_bucket_and_downloaded_through_diaodu(
    s3_endpoint, bucket, client
):
    w = build_world()
    client.force_login(w.coordinator)

    response = client.post(
        f"/projects/{w.project_x.pk}/problems/new/",
        {**problem_form(w, "施工用电容量不足"), "files": SimpleUploadedFile("现场.png", PNG)},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    # The files of a newly raised problem hang on its first timeline entry.
    (attachment,) = Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(ProblemEntry),
        object_id__in=Problem.objects.get().entries.values("pk"),
    )
    assert bucket_contents(s3_endpoint, bucket) == {attachment.file.name: PNG}
    download = client.get(f"/files/{attachment.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PNG
    client.force_login(w.owner_y)
    assert client.get(f"/files/{attachment.pk}/").status_code == 404, "access is checked"


def test_a_backup_carries_the_bucket_s_files_into_a_restore_on_another_bucket(
    s3_endpoint, bucket, client, tmp_path
):
    w = build_world()
    client.force_login(w.owner_x)
    response = client.post(
        f"/projects/{w.project_x.pk}/problems/new/",
        {**problem_form(w, "施工用电容量不足"), "files": SimpleUploadedFile("现场.png", PNG)},
    )
    assert response.status_code == 302
    (name,) = bucket_contents(s3_endpoint, bucket)

    call_command("backup", str(tmp_path))
    (archive,) = tmp_path.glob("diaodu-backup-*.tar.gz")
    with tarfile.open(archive) as tar:
        assert tar.extractfile(f"media/{name}").read() == PNG

    if connection.vendor != "sqlite":
        return  # the PostgreSQL restore is test_backup's; the files' way is the same
    restored_bucket = new_bucket(s3_endpoint)
    run = subprocess.run(
        [sys.executable, "manage.py", "restore", str(archive)],
        cwd=REPO,
        env={
            "PATH": os.environ["PATH"],
            "DATABASE_URL": f"sqlite:///{tmp_path / 'restored.sqlite3'}",
            "DIAODU_VAR_DIR": str(tmp_path / "var"),
            **s3_environment(s3_endpoint, restored_bucket),
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    assert bucket_contents(s3_endpoint, restored_bucket) == {name: PNG}
