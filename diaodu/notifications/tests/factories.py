import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from diaodu.factories import DepartmentFactory, UserFactory
from diaodu.notifications.choices import ChannelKind, DeliveryStatus
from diaodu.notifications.models import Channel, Delivery, Notification


class NotificationFactory(DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    event = "problem_raised"
    title = factory.Sequence(lambda n: f"问题{n}：用地指标未落实")
    body = "请资规局牵头协调。"
    url = factory.Sequence(lambda n: f"/problems/{n}/")


class ChannelFactory(DjangoModelFactory):
    class Meta:
        model = Channel

    organisation = factory.SubFactory(DepartmentFactory)
    kind = ChannelKind.WECOM
    name = factory.Sequence(lambda n: f"协调群{n}")
    # Port 9 (discard) on the loopback: nothing listens, nothing leaves the machine.
    url = "http://127.0.0.1:9/robot"


class ChannelDeliveryFactory(DjangoModelFactory):
    """A delivery to a channel, due now."""

    class Meta:
        model = Delivery

    channel = factory.SubFactory(ChannelFactory)
    event = "problem_overdue"
    title = "水务产业园：用地指标问题已逾期"
    body = "牵头单位：区资规局\n已逾期 3 天"
    url = "/problems/7/"
    status = DeliveryStatus.PENDING
    next_attempt_at = factory.LazyFunction(lambda: timezone.now())
