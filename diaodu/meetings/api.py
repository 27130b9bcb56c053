from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from diaodu.accounts.choices import Role
from diaodu.accounts.models import User
from diaodu.api.serializers import ServiceModelSerializer, as_drf_error
from diaodu.meetings import access, briefing, documents, services
from diaodu.meetings.choices import MeetingStatus
from diaodu.meetings.models import AgendaItem, EventBatch, Meeting
from diaodu.problems.api import ActionItemSerializer
from diaodu.projects.access import visible_projects
from diaodu.projects.api import VisibleProjectField


def _deny_unless(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _run(call):
    try:
        return call()
    except DjangoValidationError as error:
        raise as_drf_error(error) from error


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "project", "order", "summary", "decisions"]
        read_only_fields = ["meeting", "project", "order"]


class MeetingSerializer(ServiceModelSerializer):
    agenda = serializers.SerializerMethodField()
    # As the meeting form: a leader chairs, owners do not attend as people, and a meeting is
    # recorded upcoming or held (issuing the minutes is what makes it issued).
    chair = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(role=Role.LEADER, is_active=True),
        required=False,
        allow_null=True,
    )
    attendees = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True).exclude(role=Role.OWNER),
        many=True,
        required=False,
    )
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in (MeetingStatus.UPCOMING, MeetingStatus.HELD)],
        required=False,
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "title",
            "starts_at",
            "place",
            "chair",
            "attendees",
            "organisations",
            "previous",
            "status",
            "preamble",
            "closing",
            "agenda",
        ]

    def get_agenda(self, meeting) -> list[dict]:
        """The agenda as far as the caller may see it: only projects visible to them."""
        items = getattr(meeting, "visible_agenda_items", None)  # prefetched for lists
        if items is None:
            items = access.visible_agenda(self.context["request"].user, meeting)
        return AgendaItemSerializer(items, many=True).data


class AgendaAddSerializer(serializers.Serializer):
    projects = serializers.ListField(child=VisibleProjectField(), allow_empty=False)


class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Dispatch meetings; owners and departments see only their projects on the agenda."""

    serializer_class = MeetingSerializer
    filterset_fields = ["kind", "status"]
    ordering_fields = ["starts_at"]

    def get_queryset(self):
        user = self.request.user
        visible_agenda = AgendaItem.objects.filter(project__in=visible_projects(user))
        return (
            access.visible_meetings(user)
            .prefetch_related(
                "attendees",
                "organisations",
                Prefetch(
                    "agenda",
                    queryset=visible_agenda.order_by("order", "pk"),
                    to_attr="visible_agenda_items",
                ),
            )
            .order_by("-starts_at", "-pk")
        )

    def create(self, request, *args, **kwargs):
        # Refuse before validating, so a refused caller learns nothing from field errors.
        _deny_unless(access.can_manage_meetings(request.user))
        return super().create(request, *args, **kwargs)

    def check_object_permissions(self, request, meeting):
        super().check_object_permissions(request, meeting)
        if self.action in ("update", "partial_update"):
            _deny_unless(access.can_manage_meetings(request.user))

    def perform_create(self, serializer):
        _deny_unless(access.can_manage_meetings(self.request.user))
        serializer.save_with(lambda data: services.create_meeting(data, actor=self.request.user))

    def perform_update(self, serializer):
        _deny_unless(access.can_manage_meetings(self.request.user))
        meeting = serializer.instance
        serializer.save_with(
            lambda data: services.update_meeting(meeting, data, actor=self.request.user)
        )

    @extend_schema(request=AgendaAddSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def agenda(self, request, pk=None):
        """Append projects to the agenda (ones already on it are skipped)."""
        meeting = self.get_object()
        _deny_unless(access.can_manage_meetings(request.user))
        form = AgendaAddSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        _run(
            lambda: services.add_to_agenda(
                meeting, form.validated_data["projects"], actor=request.user
            )
        )
        # Read again: the agenda fetched with the meeting predates the addition.
        return Response(self.get_serializer(self.get_object()).data)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        """Issue the minutes: freezes the .docx and notifies assigned organisations."""
        meeting = self.get_object()
        _deny_unless(access.can_manage_meetings(request.user))
        briefs = briefing.briefs(meeting, meeting.agenda.all(), request.user, timezone.localdate())
        _run(
            lambda: services.issue_minutes(
                meeting, documents.minutes_document(meeting, briefs), actor=request.user
            )
        )
        meeting.refresh_from_db()
        return Response(self.get_serializer(meeting).data)


class MoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["up", "down"])


class AgendaItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Agenda items: PATCH ``summary`` and ``decisions`` during the meeting; the office
    reorders (``move``) and removes them (DELETE, logged) until the minutes are issued."""

    serializer_class = AgendaItemSerializer
    filterset_fields = ["meeting", "project"]

    def get_queryset(self):
        return access.visible_agenda_items(self.request.user).order_by("meeting_id", "order", "pk")

    def check_object_permissions(self, request, item):
        super().check_object_permissions(request, item)
        if self.action in ("update", "partial_update"):
            _deny_unless(access.can_run_meeting(request.user, item.meeting))

    def perform_destroy(self, item):
        _deny_unless(access.can_manage_meetings(self.request.user))
        _run(lambda: services.remove_agenda_item(item, actor=self.request.user))

    @extend_schema(request=MoveSerializer, responses=AgendaItemSerializer(many=True))
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the item one place up or down; answers the meeting's agenda in order."""
        item = self.get_object()
        _deny_unless(access.can_manage_meetings(request.user))
        form = MoveSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        step = -1 if form.validated_data["direction"] == "up" else 1
        _run(lambda: services.move_agenda_item(item, step, actor=request.user))
        agenda = self.get_queryset().filter(meeting=item.meeting)
        return Response(AgendaItemSerializer(agenda, many=True).data)

    def perform_update(self, serializer):
        item = serializer.instance
        _deny_unless(access.can_run_meeting(self.request.user, item.meeting))
        data = dict(serializer.validated_data)
        serializer.instance = _run(
            lambda: services.record_discussion(item, data, actor=self.request.user)
        )

    @extend_schema(request=ActionItemSerializer, responses=ActionItemSerializer)
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Assign an action item for this agenda item's project during the meeting."""
        item = self.get_object()
        _deny_unless(access.can_run_meeting(request.user, item.meeting))
        form = ActionItemSerializer(
            data={**request.data, "project": item.project_id}, context={"request": request}
        )
        form.is_valid(raise_exception=True)
        data = {k: v for k, v in form.validated_data.items() if k not in ("project", "version")}
        action_item = _run(lambda: services.assign_in_meeting(item, data, actor=request.user))
        return Response(
            ActionItemSerializer(action_item, context={"request": request}).data, status=201
        )


class EventBatchSerializer(ServiceModelSerializer):
    class Meta:
        model = EventBatch
        fields = ["id", "name", "kind", "date", "place", "projects", "held_on"]
        read_only_fields = ["held_on"]

    def to_representation(self, batch):
        """Only the projects the caller may see, as the batch's page shows them."""
        data = super().to_representation(batch)
        user = self.context["request"].user
        if not user.sees_everything:
            if "visible_project_ids" not in self.context:
                ids = visible_projects(user).values_list("pk", flat=True)
                self.context["visible_project_ids"] = set(ids)
            shown = self.context["visible_project_ids"]
            data["projects"] = [pk for pk in data["projects"] if pk in shown]
        return data


class HoldSerializer(serializers.Serializer):
    held_on = serializers.DateField()


class EventBatchViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Batch events (集中开竣工/签约活动)."""

    serializer_class = EventBatchSerializer
    filterset_fields = ["kind"]

    def get_queryset(self):
        return (
            access.visible_batches(self.request.user)
            .prefetch_related("projects")
            .order_by("-date", "-pk")
        )

    def create(self, request, *args, **kwargs):
        # Refuse before validating, so a refused caller learns nothing from field errors.
        _deny_unless(access.can_manage_batches(request.user))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        _deny_unless(access.can_manage_batches(self.request.user))
        serializer.save_with(lambda data: services.create_batch(data, actor=self.request.user))

    @extend_schema(request=HoldSerializer, responses=EventBatchSerializer)
    @action(detail=True, methods=["post"])
    def hold(self, request, pk=None):
        """Mark the event held: every project's matching milestone gets its actual date."""
        batch = self.get_object()
        _deny_unless(access.can_manage_batches(request.user))
        form = HoldSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        _run(lambda: services.hold_batch(batch, form.validated_data["held_on"], actor=request.user))
        batch.refresh_from_db()
        return Response(self.get_serializer(batch).data)
