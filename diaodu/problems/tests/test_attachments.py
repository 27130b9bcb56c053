"""Files on problems, updates, feedback and results: what is accepted (by extension *and*
first bytes), how big, how hostile names are made harmless, that a refused file leaves
nothing half-saved, and that downloads follow the parent's visibility."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from diaodu.core.attachments import attach, attachments_of, clean_name
from diaodu.core.models import Attachment
from diaodu.problems import services
from diaodu.problems.models import ActionItemEntry, Problem, ProblemEntry
from diaodu.problems.tests.helpers import DOCX, EXE, JPEG, PDF, PNG, upload
from diaodu.test import api_for, client_for

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 32
RANDOM_NAME = re.compile(r"^attachments/2026/06/[0-9a-f]{32}$")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root):
    return sorted(p for p in root.rglob("*") if p.is_file())


def post_update(world, *files, client=None, **extra):
    client = client or client_for(world.staff_a, language="en")
    return client.post(
        reverse("problems:problem_update", args=[world.problem_x.pk]),
        {"text": "见附件", "files": list(files), **extra},
    )


def error_messages(client, response):
    return [str(m) for m in client.get(response.url).context["messages"]]


def _in(language, message, **values):
    with translation.override(language):
        return translation.gettext(message) % values


# --- What is accepted -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("批复.pdf", PDF, "application/pdf"),
        ("现场照片.PNG", PNG, "image/png"),
        ("现场.jpeg", JPEG, "image/jpeg"),
        ("动图.gif", b"GIF89a" + b"\x00" * 8, "image/gif"),
        (
            "会议纪要.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("台账.xlsx", DOCX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("旧版台账.xls", OLE, "application/vnd.ms-excel"),
        ("说明.txt", "纯文本说明".encode(), "text/plain"),
    ],
)
def test_an_accepted_file_is_stored_under_a_random_name(world, media_root, name, content, mime):
    response = post_update(world, upload(name, content))

    assert response.status_code == 302
    [attachment] = Attachment.objects.filter(uploaded_by=world.staff_a)
    assert (attachment.name, attachment.mime_type, attachment.size) == (name, mime, len(content))
    assert RANDOM_NAME.match(attachment.file.name), attachment.file.name
    [on_disk] = stored_files(media_root)
    assert on_disk.read_bytes() == content
    assert name not in str(on_disk)
    assert attachment.parent == world.problem_x.entries.last()


def test_several_files_go_with_one_update(world, media_root):
    post_update(world, upload("一.pdf"), upload("二.png", PNG))

    entry = world.problem_x.entries.last()
    assert [a.name for a in attachments_of(ProblemEntry, [entry.pk])[entry.pk]] == [
        "一.pdf",
        "二.png",
    ]
    assert len(stored_files(media_root)) == 2


# --- What is refused --------------------------------------------------------------------------


def test_a_file_over_the_limit_is_refused_and_one_at_the_limit_accepted(world, settings):
    settings.DIAODU_MAX_UPLOAD_MB = 1
    client = client_for(world.staff_a, language="en")
    limit = 1024 * 1024

    refused = post_update(world, upload("扫描件.pdf", PDF.ljust(limit + 1, b"0")), client=client)
    assert error_messages(client, refused) == [
        "扫描件.pdf is 1.0\xa0MB; files may be at most 1.0\xa0MB."
    ]
    assert not Attachment.objects.exists()

    accepted = post_update(world, upload("扫描件.pdf", PDF.ljust(limit, b"0")), client=client)

    assert accepted.status_code == 302
    assert Attachment.objects.get().size == limit


@pytest.mark.parametrize(
    "name",
    ["setup.exe", "index.html", "logo.svg", "run.js", "archive.zip", "no_extension", "x.pdf.exe"],
)
def test_a_type_not_on_the_list_is_refused(world, media_root, name):
    client = client_for(world.staff_a, language="en")

    response = post_update(world, upload(name, PDF), client=client)

    [message] = error_messages(client, response)
    assert message.startswith(f"{name}: this type of file is not accepted. Accepted: doc, docx,")
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("报告.pdf", EXE, "pdf"),
        ("照片.png", EXE, "png"),
        ("纪要.docx", EXE, "docx"),
        ("照片.jpg", PNG, "jpg"),
        ("说明.txt", b"MZ\x00\x00binary", "txt"),
    ],
    ids=["an executable renamed .pdf", "an executable renamed .png",
         "an executable renamed .docx", "a PNG named .jpg", "binary named .txt"],
)  # fmt: skip
def test_a_file_that_is_not_what_its_name_says_is_refused(world, name, content, extension):
    client = client_for(world.staff_a, language="en")

    response = post_update(world, upload(name, content), client=client)

    assert error_messages(client, response) == [f"{name} does not look like a .{extension} file."]
    assert not Attachment.objects.exists()


@pytest.mark.parametrize("language", ["en", "zh-hans", "zh-hant"])
def test_the_api_refuses_a_file_in_the_requests_language(world, language):
    response = api_for(world.staff_a, language=language).post(
        f"/api/problems/{world.problem_x.pk}/timeline/",
        {"text": "见附件", "files": [upload("报告.pdf", EXE)]},
        format="multipart",
    )

    assert response.status_code == 400
    expected = _in(
        language, "%(name)s does not look like a .%(ext)s file.", name="报告.pdf", ext="pdf"
    )
    assert response.json() == {"files": [expected]}


# --- Hostile names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\Windows\\win.ini.pdf", "win.ini.pdf"),
        ("/var/www/index.pdf", "index.pdf"),
        ("报告\x00\r\n\x1b[31m.pdf", "报告[31m.pdf"),
        ("\t 报告.pdf \n", "报告.pdf"),
        (".htaccess.pdf", "htaccess.pdf"),
        ("\x00\x01", "file"),
        ("资" * 300 + ".pdf", "资" * 137 + ".pdf"),
        ("资" * 300, "资" * 150),
    ],
    ids=["parent directories", "windows path", "absolute path", "control characters",
         "surrounding blanks", "hidden file", "nothing left", "a very long name",
         "a very long name without extension"],
)  # fmt: skip
def test_a_hostile_name_is_cleaned_for_display(name, shown):
    assert clean_name(name) == shown


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "..\\..\\etc\\passwd.pdf", "pass\x00wd\r\n.pdf"]
)
def test_a_hostile_name_never_becomes_a_path_on_disk(world, media_root, name):
    pdf = upload("x.pdf")
    pdf._name = name  # as a client that bypasses the browser's own cleaning would send it

    [attachment] = attach(world.problem_x.entries.first(), [pdf], actor=world.staff_a)

    assert attachment.name == "passwd.pdf"
    assert RANDOM_NAME.match(attachment.file.name)
    [on_disk] = stored_files(media_root)
    assert on_disk.parent == media_root / "attachments" / "2026" / "06"
    assert not (media_root.parent / "etc").exists()


def test_a_hostile_name_is_served_back_only_as_its_clean_name(world):
    pdf = upload("x.pdf")
    pdf._name = '../../evil"; filename=evil.exe.pdf'
    [attachment] = attach(world.problem_x.entries.first(), [pdf], actor=world.staff_a)

    response = client_for(world.staff_a).get(
        reverse("core:attachment_download", args=[attachment.pk])
    )

    assert attachment.name == 'evil"; filename=evil.exe.pdf'
    assert response["Content-Disposition"] == ('inline; filename="evil\\"; filename=evil.exe.pdf"')


# --- Nothing half-saved ---------------------------------------------------------------------


def raise_form(world, *files):
    return {
        "title": "施工用电容量不足",
        "description": "需新建开关站。",
        "category": "utilities",
        "severity": "normal",
        "level": "zone",
        "lead_department": world.department_a.pk,
        "due_date": "2026-07-15",
        "files": list(files),
    }


def test_a_refused_file_among_several_leaves_no_problem_raised(world, media_root):
    problems = Problem.objects.count()

    response = client_for(world.owner_x, language="en").post(
        reverse("problems:problem_raise", args=[world.project_x.pk]),
        raise_form(world, upload("现场.png", PNG), upload("说明.pdf", EXE)),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["files"] == ["说明.pdf does not look like a .pdf file."]
    assert Problem.objects.count() == problems
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_a_problem_raised_with_files_keeps_them_on_its_first_entry(world, media_root):
    client_for(world.owner_x).post(
        reverse("problems:problem_raise", args=[world.project_x.pk]),
        raise_form(world, upload("现场.png", PNG), upload("说明.pdf")),
    )

    entry = Problem.objects.get(title="施工用电容量不足").entries.get()
    assert [a.name for a in attachments_of(ProblemEntry, [entry.pk])[entry.pk]] == [
        "现场.png",
        "说明.pdf",
    ]


def test_a_refused_file_among_several_leaves_no_update(world, media_root):
    entries = ProblemEntry.objects.count()

    post_update(world, upload("一.pdf"), upload("二.pdf", EXE))
    api = api_for(world.staff_a).post(
        f"/api/problems/{world.problem_x.pk}/timeline/",
        {"text": "见附件", "files": [upload("一.pdf"), upload("二.exe", EXE)]},
        format="multipart",
    )

    assert api.status_code == 400
    assert list(api.json()) == ["files"]
    assert ProblemEntry.objects.count() == entries
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_a_service_given_a_refused_file_writes_neither_rows_nor_files(world, media_root):
    """Even past the forms (a script, a new view): the good file before the bad one is not
    left on disk, and the update is not saved."""
    entries = ProblemEntry.objects.count()

    with pytest.raises(ValidationError):
        services.add_problem_update(
            world.problem_x,
            "见附件",
            actor=world.staff_a,
            files=[upload("一.pdf"), upload("二.pdf", EXE)],
        )

    assert ProblemEntry.objects.count() == entries
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_a_refused_file_with_a_result_leaves_the_item_in_hand(world, media_root):
    services.acknowledge(world.item_a, actor=world.staff_a)

    client_for(world.staff_a).post(
        reverse("problems:action_transition", args=[world.item_a.pk]),
        {"to_status": "submitted", "version": 2, "text": "已办结", "files": [upload("x.pdf", EXE)]},
    )

    world.item_a.refresh_from_db()
    assert (world.item_a.status, world.item_a.version) == ("acknowledged", 2)
    assert stored_files(media_root) == []


def test_a_result_and_feedback_carry_their_files(world):
    client = client_for(world.staff_a)
    client.post(
        reverse("problems:action_feedback", args=[world.item_a.pk]),
        {"text": "阶段反馈", "files": [upload("阶段.pdf")]},
    )
    services.acknowledge(world.item_a, actor=world.staff_a)
    client.post(
        reverse("problems:action_transition", args=[world.item_a.pk]),
        {"to_status": "submitted", "version": 2, "text": "已办结", "files": [upload("结果.pdf")]},
    )

    timeline = api_for(world.coordinator).get(f"/api/action-items/{world.item_a.pk}/timeline/")

    assert [[f["name"] for f in e["files"]] for e in timeline.json()] == [
        [],
        ["阶段.pdf"],
        [],
        ["结果.pdf"],
    ]


# --- Downloads ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "disposition"),
    [
        ("批复.pdf", PDF, "inline"),
        ("现场.png", PNG, "inline"),
        ("纪要.docx", DOCX, "attachment"),
        ("说明.txt", b"plain", "attachment"),
    ],
)
def test_a_download_serves_the_bytes_under_the_clean_name(world, name, content, disposition):
    entry = services.give_feedback(
        world.item_a, "见附件", actor=world.staff_a, files=[upload(name, content)]
    )
    [attachment] = attachments_of(ActionItemEntry, [entry.pk])[entry.pk]

    response = client_for(world.owner_x).get(
        reverse("core:attachment_download", args=[attachment.pk])
    )

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == attachment.mime_type
    assert response["Content-Disposition"].startswith(disposition)
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_nobody_may_see_is_not_found(world):
    """An attachment whose parent no access rule covers is served to nobody."""
    [attachment] = attach(world.project_x, [upload("x.pdf")], actor=world.coordinator)

    for role in ("admin", "coordinator", "owner_x"):
        response = client_for(getattr(world, role)).get(
            reverse("core:attachment_download", args=[attachment.pk])
        )
        assert response.status_code == 404
    assert (
        client_for(world.admin).get(reverse("core:attachment_download", args=[999_999])).status_code
        == 404
    )
