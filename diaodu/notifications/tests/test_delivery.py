"""Sending: e-mail through Django's mail, chat robots through real HTTP to a robot
listening on 127.0.0.1, and what happens to every failed attempt."""

import base64
import hashlib
import hmac
import time
from datetime import timedelta
from urllib.parse import unquote_plus

import pytest
from django.core.management import call_command

from diaodu.notifications.choices import ChannelKind, DeliveryStatus
from diaodu.notifications.delivery import BACKOFF, MAX_ATTEMPTS, claim, deliver
from diaodu.notifications.models import Delivery
from diaodu.notifications.services import notify
from diaodu.notifications.tasks import deliver_task
from diaodu.notifications.tests.factories import ChannelDeliveryFactory, ChannelFactory

pytestmark = pytest.mark.django_db

TITLE = "水务产业园：用地指标问题已逾期"
LINK = "https://diaodu.example.com/problems/7/"


def post_to(robot, kind, secret="", path="/robot", **fields):
    channel = ChannelFactory(kind=kind, url=robot.url + path, secret=secret)
    return ChannelDeliveryFactory(channel=channel, **fields)


def reloaded(delivery: Delivery) -> Delivery:
    return Delivery.objects.get(pk=delivery.pk)


# --- E-mail ------------------------------------------------------------------------------


def test_an_email_goes_to_the_recipient_with_the_tag_title_text_and_link(
    alice, queue, mailoutbox, english
):
    notify(
        event="problem_overdue", title=TITLE, body="已逾期 3 天", url="/problems/7/", users=[alice]
    )
    delivery = Delivery.objects.get()

    assert deliver(delivery) is True

    (mail,) = mailoutbox
    assert mail.to == [alice.email]
    assert mail.subject == f"[problem overdue] {TITLE}"
    assert mail.body == f"已逾期 3 天\n\n{LINK}"
    delivery = reloaded(delivery)
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.SENT,
        1,
        "",
    )
    assert delivery.sent_at is not None
    assert delivery.next_attempt_at is None


def test_a_title_with_line_breaks_still_makes_a_one_line_subject(alice, queue, mailoutbox):
    notify(event="reminder", title="第一行\n第二行", users=[alice])

    assert deliver(Delivery.objects.get()) is True
    assert "\n" not in mailoutbox[0].subject


def test_an_unreachable_mail_server_is_a_failed_attempt_retried_later(
    alice, queue, settings, closed_port_url, now
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = int(closed_port_url.split(":")[2].split("/")[0])
    notify(event="reminder", title=TITLE, users=[alice])
    delivery = Delivery.objects.get()

    assert deliver(delivery) is False

    delivery = reloaded(delivery)
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error.startswith("e-mail not sent: ConnectionRefusedError")
    assert delivery.next_attempt_at == now + timedelta(minutes=1)


def test_a_person_who_lost_their_address_fails_at_once(alice, queue, mailoutbox):
    notify(event="reminder", title=TITLE, users=[alice])
    type(alice).objects.filter(pk=alice.pk).update(email="")

    assert deliver(Delivery.objects.get()) is False

    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.FAILED, 1)
    assert delivery.last_error == "the recipient has no e-mail address"
    assert mailoutbox == []


# --- Chat robots: the exact messages and signatures ------------------------------------


def test_wecom_gets_a_markdown_message(robot, english):
    delivery = post_to(robot, ChannelKind.WECOM, path="/cgi-bin/webhook/send?key=K")

    assert deliver(delivery) is True

    (request,) = robot.received
    assert request.path == "/cgi-bin/webhook/send?key=K"
    assert request.headers["Content-Type"] == "application/json; charset=utf-8"
    assert request.json == {
        "msgtype": "markdown",
        "markdown": {
            "content": f"**[problem overdue] {TITLE}**\n牵头单位：区资规局\n已逾期 3 天\n"
            f"[Open in Diaodu]({LINK})"
        },
    }
    assert reloaded(delivery).status == DeliveryStatus.SENT


def test_wecom_messages_are_cut_to_the_4096_bytes_it_accepts(robot, english):
    delivery = post_to(robot, ChannelKind.WECOM, body="长" * 3000)

    assert deliver(delivery) is True

    content = robot.received[0].json["markdown"]["content"]
    assert len(content.encode()) <= 4096
    assert content.endswith(f"…\n[Open in Diaodu]({LINK})")


def test_dingtalk_gets_a_markdown_message_without_signature_when_it_has_no_secret(robot, english):
    delivery = post_to(robot, ChannelKind.DINGTALK, path="/robot/send?access_token=T")

    assert deliver(delivery) is True

    (request,) = robot.received
    assert request.path == "/robot/send?access_token=T"
    assert request.json == {
        "msgtype": "markdown",
        "markdown": {
            "title": f"[problem overdue] {TITLE}",
            "text": f"#### [problem overdue] {TITLE}\n\n牵头单位：区资规局  \n已逾期 3 天\n\n"
            f"[Open in Diaodu]({LINK})",
        },
    }


def test_dingtalk_requests_are_signed_in_the_query_with_the_secret(robot, english):
    secret = "SEC0123456789abcdef"
    delivery = post_to(robot, ChannelKind.DINGTALK, secret, path="/robot/send?access_token=T")

    assert deliver(delivery) is True

    (request,) = robot.received
    query = request.query
    assert query["access_token"] == "T"
    timestamp = query["timestamp"]
    assert abs(int(timestamp) - time.time() * 1000) < 60_000  # milliseconds, wall clock
    expected = base64.b64encode(
        hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    ).decode()
    assert query["sign"] == expected
    # The signature is URL-encoded as DingTalk documents ("+" and "/" escaped).
    raw_sign = request.path.split("sign=")[1]
    assert unquote_plus(raw_sign) == expected
    assert "+" not in raw_sign
    assert "/" not in raw_sign
    assert request.json["msgtype"] == "markdown"


def test_feishu_gets_a_text_message(robot, english):
    robot.answer(200, {"code": 0, "msg": "success", "data": {}})
    delivery = post_to(robot, ChannelKind.FEISHU, path="/open-apis/bot/v2/hook/H")

    assert deliver(delivery) is True

    assert robot.received[0].json == {
        "msg_type": "text",
        "content": {"text": f"[problem overdue] {TITLE}\n牵头单位：区资规局\n已逾期 3 天\n{LINK}"},
    }


# What people typed is posted as text, never as markup of the robot's format.
TRAP = "用地问题[点此查看](http://evil.example/) <@all> **急**"


def test_wecom_shows_markdown_typed_in_a_title_or_body_as_text(robot, english):
    delivery = post_to(robot, ChannelKind.WECOM, title=TRAP, body=f"说明：{TRAP}", url="")

    assert deliver(delivery) is True

    assert robot.received[0].json["markdown"]["content"] == (
        "**[problem overdue] 用地问题［点此查看］（http://evil.example/） ＜@all＞ ＊＊急＊＊**\n"
        "说明：用地问题［点此查看］（http://evil.example/） ＜@all＞ ＊＊急＊＊"
    )


def test_dingtalk_shows_markdown_typed_in_a_title_or_body_as_text(robot, english):
    delivery = post_to(robot, ChannelKind.DINGTALK, title=TRAP, body="# 标题\n[x](y)", url="")

    assert deliver(delivery) is True

    markdown = robot.received[0].json["markdown"]
    assert markdown["text"] == (
        "#### [problem overdue] 用地问题［点此查看］（http://evil.example/） ＜@all＞ ＊＊急＊＊"
        "\n\n＃ 标题  \n［x］（y）"
    )
    assert markdown["title"] == f"[problem overdue] {TRAP}"


def test_feishu_shows_a_mention_typed_in_a_title_or_body_as_text(robot, english):
    robot.answer(200, {"code": 0, "msg": "success", "data": {}})
    mention = '<at user_id="all">所有人</at>'
    delivery = post_to(robot, ChannelKind.FEISHU, title=mention, body=mention, url="")

    assert deliver(delivery) is True

    assert robot.received[0].json["content"]["text"] == (
        '[problem overdue] ＜at user_id="all"＞所有人＜/at＞\n＜at user_id="all"＞所有人＜/at＞'
    )


def test_a_generic_webhook_gets_what_was_typed_as_json_strings(robot):
    delivery = post_to(robot, ChannelKind.WEBHOOK, title=TRAP, body='"}{"x": 1')

    assert deliver(delivery) is True

    assert (robot.received[0].json["title"], robot.received[0].json["body"]) == (TRAP, '"}{"x": 1')


def test_feishu_requests_carry_timestamp_and_sign_when_it_has_a_secret(robot, english):
    robot.answer(200, {"code": 0, "msg": "success", "data": {}})
    secret = "feishu-secret"
    delivery = post_to(robot, ChannelKind.FEISHU, secret)

    assert deliver(delivery) is True

    data = robot.received[0].json
    timestamp = data["timestamp"]
    assert isinstance(timestamp, str)
    assert abs(int(timestamp) - time.time()) < 60  # seconds, wall clock
    expected = base64.b64encode(
        hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    ).decode()
    assert data["sign"] == expected
    assert data["msg_type"] == "text"
    assert data["content"]["text"].startswith("[problem overdue]")


def test_a_generic_webhook_gets_json_signed_in_a_header(robot, english):
    robot.answer(204, b"")
    secret = "webhook-secret"
    delivery = post_to(robot, ChannelKind.WEBHOOK, secret, path="/hooks/diaodu")

    assert deliver(delivery) is True

    (request,) = robot.received
    organisation = delivery.channel.organisation
    assert request.json == {
        "delivery": delivery.pk,
        "event": "problem_overdue",
        "title": TITLE,
        "body": "牵头单位：区资规局\n已逾期 3 天",
        "url": LINK,
        "organisation": {"id": organisation.pk, "name": organisation.name},
        "created_at": delivery.created_at.isoformat(),
    }
    signature = hmac.new(secret.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Diaodu-Signature"] == f"sha256={signature}"
    assert request.headers["X-Diaodu-Event"] == "problem_overdue"
    assert request.headers["X-Diaodu-Delivery"] == str(delivery.pk)


def test_a_webhook_without_secret_is_not_signed(robot):
    delivery = post_to(robot, ChannelKind.WEBHOOK)

    assert deliver(delivery) is True
    assert "X-Diaodu-Signature" not in robot.received[0].headers


def test_links_stay_as_given_when_no_site_address_is_configured(robot, settings):
    settings.DIAODU_SITE_URL = ""
    delivery = post_to(robot, ChannelKind.FEISHU)
    robot.answer(200, {"code": 0})

    assert deliver(delivery) is True
    assert robot.received[0].json["content"]["text"].endswith("\n/problems/7/")


# --- Failures ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "status", "reply", "error"),
    [
        (ChannelKind.WECOM, 500, b"upstream broke", "HTTP 500: upstream broke"),
        (ChannelKind.WEBHOOK, 503, b"", "HTTP 503"),
        (
            ChannelKind.WECOM,
            200,
            {"errcode": 93000, "errmsg": "invalid webhook url"},
            "errcode 93000: invalid webhook url",
        ),
        (
            ChannelKind.DINGTALK,
            200,
            {"errcode": 310000, "errmsg": "sign not match"},
            "errcode 310000: sign not match",
        ),
        (
            ChannelKind.FEISHU,
            200,
            {"code": 19021, "msg": "sign match fail"},
            "code 19021: sign match fail",
        ),
        (
            ChannelKind.FEISHU,
            200,
            {"StatusCode": 9499, "StatusMessage": "Bad Request"},
            "StatusCode 9499: Bad Request",
        ),
        (ChannelKind.WECOM, 200, b"<html>captive portal</html>", "unexpected reply: <html>"),
    ],
)
def test_a_refusal_is_a_failed_attempt_with_its_error_and_a_retry_in_a_minute(
    robot, now, kind, status, reply, error
):
    robot.answer(status, reply)
    delivery = post_to(robot, kind)

    assert deliver(delivery) is False

    delivery = reloaded(delivery)
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.attempts == 1
    assert delivery.last_attempt_at == now
    assert delivery.next_attempt_at == now + timedelta(minutes=1)
    assert delivery.last_error.startswith(error)
    assert delivery.sent_at is None


def test_a_closed_port_is_a_failed_attempt(closed_port_url, now):
    delivery = ChannelDeliveryFactory(channel=ChannelFactory(url=closed_port_url))

    assert deliver(delivery) is False

    delivery = reloaded(delivery)
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error.startswith("cannot connect: ")
    assert "refused" in delivery.last_error
    assert delivery.next_attempt_at == now + timedelta(minutes=1)


def test_a_robot_slower_than_the_timeout_is_a_failed_attempt(robot, settings, now):
    settings.DIAODU_WEBHOOK_TIMEOUT = 0.2
    robot.delay = 1
    delivery = post_to(robot, ChannelKind.WECOM)

    started = time.monotonic()
    assert deliver(delivery) is False

    assert time.monotonic() - started < 0.9
    delivery = reloaded(delivery)
    assert delivery.last_error == "no answer within 0.2 s"
    assert delivery.next_attempt_at == now + timedelta(minutes=1)


def test_failed_attempts_back_off_1_5_30_120_minutes_then_fail_for_good(robot, now):
    robot.answer(500, b"down")
    delivery = post_to(robot, ChannelKind.WECOM)
    waits = []

    for _ in range(MAX_ATTEMPTS):
        assert deliver(delivery) is False
        delivery = reloaded(delivery)
        if delivery.next_attempt_at:
            waits.append(delivery.next_attempt_at - now)

    assert waits == [timedelta(minutes=m) for m in (1, 5, 30, 120)] == list(BACKOFF)
    assert MAX_ATTEMPTS == 5
    assert len(robot.received) == 5
    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == 5
    assert delivery.next_attempt_at is None
    assert delivery.last_error == "HTTP 500: down"


def test_a_retry_that_succeeds_keeps_the_record_of_the_failure(robot):
    robot.answer(500, b"down")
    delivery = post_to(robot, ChannelKind.WECOM)
    assert deliver(delivery) is False

    robot.answer(200, {"errcode": 0, "errmsg": "ok"})
    assert deliver(reloaded(delivery)) is True

    delivery = reloaded(delivery)
    assert (delivery.status, delivery.attempts, delivery.last_error) == (
        DeliveryStatus.SENT,
        2,
        "HTTP 500: down",
    )


def test_a_switched_off_channel_fails_at_once_without_a_request(robot):
    delivery = post_to(robot, ChannelKind.WECOM)
    delivery.channel.is_active = False
    delivery.channel.save(update_fields=["is_active"])

    assert deliver(reloaded(delivery)) is False

    assert robot.received == []
    assert reloaded(delivery).status == DeliveryStatus.FAILED


# --- The task and the queue ------------------------------------------------------------


def test_the_task_queues_the_next_attempt_after_its_back_off(robot, queue, now):
    robot.answer(500, b"down")
    delivery = post_to(robot, ChannelKind.WECOM)

    assert deliver_task.call(delivery.pk) == DeliveryStatus.PENDING

    (retry,) = queue.results
    assert retry.args == [delivery.pk]
    assert retry.task.run_after == now + timedelta(minutes=1)
    assert retry.task.run_after == reloaded(delivery).next_attempt_at


def test_the_task_queues_nothing_after_the_last_attempt_or_a_success(robot, queue):
    robot.answer(500, b"down")
    failing = post_to(robot, ChannelKind.WECOM, attempts=MAX_ATTEMPTS - 1)
    assert deliver_task.call(failing.pk) == DeliveryStatus.FAILED

    robot.answer(200, {"errcode": 0})
    working = post_to(robot, ChannelKind.WECOM)
    assert deliver_task.call(working.pk) == DeliveryStatus.SENT

    assert queue.results == []


def test_the_task_skips_deliveries_that_are_not_due_or_already_sent(robot, queue, now):
    later = post_to(robot, ChannelKind.WECOM, next_attempt_at=now + timedelta(minutes=5))
    sent = post_to(robot, ChannelKind.WECOM, status=DeliveryStatus.SENT)

    assert deliver_task.call(later.pk) == "skipped"
    assert deliver_task.call(sent.pk) == "skipped"
    assert robot.received == []


def test_a_delivery_queued_twice_is_sent_once(robot, now):
    delivery = post_to(robot, ChannelKind.WECOM)

    first, second = claim(delivery.pk), claim(delivery.pk)

    assert first is not None
    assert second is None
    assert deliver(first) is True
    assert deliver_task.call(delivery.pk) == "skipped"
    assert len(robot.received) == 1


def test_the_immediate_backend_leaves_retries_to_the_cron_command(robot, run_inline, now):
    robot.answer(500, b"down")
    delivery = post_to(robot, ChannelKind.WECOM)

    deliver_task.enqueue(delivery.pk)

    delivery = reloaded(delivery)
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 1)
    assert len(robot.received) == 1


# --- retry_deliveries --------------------------------------------------------------------


def test_retry_deliveries_queues_what_has_long_been_due_once(queue, now):
    stale = ChannelDeliveryFactory(next_attempt_at=now - timedelta(minutes=30))
    ChannelDeliveryFactory(next_attempt_at=now - timedelta(minutes=1))  # its task may run
    ChannelDeliveryFactory(next_attempt_at=now + timedelta(minutes=5))
    ChannelDeliveryFactory(next_attempt_at=now - timedelta(hours=1), status=DeliveryStatus.FAILED)
    ChannelDeliveryFactory(next_attempt_at=None, status=DeliveryStatus.SENT)

    call_command("retry_deliveries", verbosity=0)

    assert [result.args for result in queue.results] == [[stale.pk]]
    assert reloaded(stale).next_attempt_at == now

    call_command("retry_deliveries", verbosity=0)
    assert len(queue.results) == 1


def test_retry_deliveries_with_no_grace_queues_everything_due(queue, now, capsys):
    due = ChannelDeliveryFactory(next_attempt_at=now - timedelta(seconds=1))
    ChannelDeliveryFactory(next_attempt_at=now + timedelta(seconds=1))

    call_command("retry_deliveries", grace=0)

    assert [result.args for result in queue.results] == [[due.pk]]
    assert "1 deliveries queued." in capsys.readouterr().out


def test_each_chat_group_reads_the_post_in_its_channel_s_language(robot, alice):
    from django.utils import translation
    from django.utils.translation import gettext_noop

    from diaodu.notifications.messages import message

    planning = alice.organisation
    ChannelFactory(organisation=planning, url=f"{robot.url}/site")  # the site's language
    ChannelFactory(organisation=planning, url=f"{robot.url}/english", language="en")
    with translation.override("zh-hant"):  # whoever acted read Traditional
        notify(
            event="minutes_issued",
            title=message(gettext_noop("Minutes issued: %(meeting)s"), meeting="重点项目调度会"),
            body=message(gettext_noop("Your organisation has assignments in these minutes.")),
            organisations=[planning],
        )

    for delivery in Delivery.objects.filter(channel__isnull=False):
        assert deliver(delivery) is True
    posted = {request.path: request.json["markdown"]["content"] for request in robot.received}
    assert posted["/english"].startswith("**[minutes issued] Minutes issued: 重点项目调度会**")
    assert "Your organisation has assignments in these minutes." in posted["/english"]
    assert posted["/site"].startswith("**【纪要印发】会议纪要已印发：重点项目调度会**")
    assert "纪要中有贵单位的交办事项，请按时限办理。" in posted["/site"]
