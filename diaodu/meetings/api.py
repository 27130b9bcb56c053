from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from diaodu.accounts.choices import Role
from diaodu.accounts.models import User
from diaodu.api.parsers import JSONParser, MultiPartParser
from diaodu.api.renderers import DocxRenderer
from diaodu.api.serializers import ServiceModelSerializer, VersionedSerializer, as_drf_error
from diaodu.lib.docx_writer import DOCX_TYPE
from diaodu.meetings import access, briefing, documents, drafting, services
from diaodu.meetings.choices import MeetingStatus
from diaodu.meetings.filters import MeetingFilter
from diaodu.meetings.models import AgendaItem, EventBatch, Meeting, Minutes
from diaodu.org.access import visible_organisations
from diaodu.org.models import Organisation
from diaodu.problems.api import ActionItemSerializer
from diaodu.projects.access import visible_project_ids, visible_projects
from diaodu.projects.api import VisibleProjectField
from diaodu.projects.models import Project


def _deny_unless(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _run(call):
    try:
        return call()
    except DjangoValidationError as error:
        raise as_drf_error(error) from error


class AgendaItemSerializer(VersionedSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "project", "order", "summary", "decisions", "version"]
        read_only_fields = ["meeting", "project", "order"]


class MeetingSerializer(VersionedSerializer):
    agenda = serializers.SerializerMethodField()
    minutes_number = serializers.SerializerMethodField()
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
            "minutes_number",
            "version",
        ]

    def get_minutes_number(self, meeting) -> str | None:
        """The issued minutes' number as printed (滨重协纪〔2026〕3号), in the caller's
        language; null until the minutes are issued."""
        minutes = getattr(meeting, "minutes", None)
        return minutes.reference if minutes else None

    def get_agenda(self, meeting) -> list[dict]:
        """The agenda as far as the caller may see it: only projects visible to them."""
        items = getattr(meeting, "visible_agenda_items", None)  # prefetched for lists
        if items is None:
            items = access.visible_agenda(self.context["request"].user, meeting)
        return AgendaItemSerializer(items, many=True).data


class AgendaAddSerializer(serializers.Serializer):
    projects = serializers.ListField(child=VisibleProjectField(), allow_empty=False)


# --- drafting a meeting from a published report ------------------------------------------


class ReportSerializer(serializers.Serializer):
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        help_text="The report, pasted (Simplified or Traditional Chinese).",
    )
    file = serializers.FileField(
        required=False, help_text="Or the report as a .txt (UTF-8 or GB18030) or .docx file."
    )

    def validate(self, attrs):
        try:
            attrs["report"] = drafting.read_report(attrs.get("text", ""), attrs.get("file"))
        except DjangoValidationError as error:
            raise as_drf_error(error) from error
        return attrs


class FoundSerializer(serializers.Serializer):
    """A project, organisation or person Diaodu knows, as the report names it."""

    id = serializers.IntegerField(source="obj.pk")
    name = serializers.CharField(source="obj")
    said = serializers.CharField(help_text="The words of the report that name it.")
    sentence = serializers.CharField(help_text="The sentence it was found in.")


class NewNameSerializer(serializers.Serializer):
    name = serializers.CharField()
    sentence = serializers.CharField()


class ProposedDecisionSerializer(serializers.Serializer):
    text = serializers.CharField()
    sentence = serializers.CharField()
    speaker = serializers.CharField(
        help_text="Who required it, as the report names them; empty for the meeting itself."
    )
    required = serializers.BooleanField(
        help_text="A requirement (kept by default), or a statement given for context."
    )
    project = serializers.IntegerField(
        source="project.pk",
        allow_null=True,
        help_text="The id of the known project the decision is for, if one.",
    )
    new_project = serializers.IntegerField(
        source="new_name",
        allow_null=True,
        help_text="Or the index in ``new_projects`` of the unknown name it is for.",
    )


class DraftSerializer(serializers.Serializer):
    """What a report proposes; ``null`` date when it names none."""

    date = serializers.DateField(allow_null=True)
    date_sentence = serializers.CharField()
    starts_at = serializers.DateTimeField(allow_null=True)
    # A plain string: a second enum of meeting kinds would collide in the schema's names.
    kind = serializers.CharField(help_text="A meeting kind, as ``kind`` of a meeting.")
    status = serializers.ChoiceField(choices=MeetingStatus.choices)
    title = serializers.CharField()
    title_sentence = serializers.CharField()
    chair = FoundSerializer(allow_null=True)
    projects = FoundSerializer(many=True)
    organisations = FoundSerializer(many=True)
    people = FoundSerializer(many=True)
    new_projects = NewNameSerializer(source="new_names", many=True)
    decisions = ProposedDecisionSerializer(many=True)
    project_count = serializers.IntegerField(
        allow_null=True,
        help_text="How many projects the report says the meeting dealt with (七个重点项目), "
        "if it says; compare with ``recognised_count``.",
    )
    project_count_sentence = serializers.CharField()
    recognised_count = serializers.IntegerField(
        help_text="The projects recognised in the report: known ones and new names."
    )


class NewProjectSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    code = serializers.CharField(max_length=30)
    owner = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.enterprises())
    lead_department = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.departments()
    )
    total_investment = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)

    def validate_code(self, code):
        if Project.objects.filter(code=code).exists():
            raise serializers.ValidationError(_("Another project has this number."))
        return code


class DecisionSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    project = VisibleProjectField(
        required=False, allow_null=True, help_text="For this project's agenda item."
    )
    new_project = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text="Or for the project created from ``new_projects[new_project]``; "
        "neither: for the whole meeting (the closing of the minutes).",
    )

    def validate(self, attrs):
        if attrs.get("project") is not None and attrs.get("new_project") is not None:
            raise serializers.ValidationError(_("Give a project or a new project, not both."))
        return attrs


class DraftConfirmSerializer(serializers.Serializer):
    meeting = MeetingSerializer()
    projects = serializers.ListField(
        child=VisibleProjectField(), required=False, help_text="The agenda, in order."
    )
    new_projects = NewProjectSerializer(many=True, required=False)
    decisions = DecisionSerializer(many=True, required=False)

    def validate(self, attrs):
        new_projects = attrs.get("new_projects", [])
        codes = [project["code"] for project in new_projects]
        if len(set(codes)) != len(codes):
            raise serializers.ValidationError(
                {"new_projects": [_("Two new projects have the same number.")]}
            )
        for decision in attrs.get("decisions", []):
            index = decision.get("new_project")
            if index is not None and index >= len(new_projects):
                raise serializers.ValidationError(
                    {"decisions": [_("A decision is for a new project that is not given.")]}
                )
        return attrs

    def confirmed(self) -> drafting.Confirmed:
        data = self.validated_data
        meeting = {k: v for k, v in data["meeting"].items() if k != "agenda"}
        year = meeting["starts_at"].year
        decisions = []
        for decision in data.get("decisions", []):
            where = decision.get("project")
            if where is None:
                where = decision.get("new_project")
            decisions.append((decision["text"], where))
        return drafting.Confirmed(
            meeting=meeting,
            projects=list(dict.fromkeys(data.get("projects", []))),
            new_projects=[{**p, "plan_year": year} for p in data.get("new_projects", [])],
            decisions=decisions,
        )


class MeetingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Dispatch meetings; owners and departments see only their projects on the agenda."""

    serializer_class = MeetingSerializer
    filterset_class = MeetingFilter
    ordering_fields = ["starts_at"]

    def get_queryset(self):
        user = self.request.user
        visible_agenda = AgendaItem.objects.filter(project__in=visible_projects(user))
        return (
            access.visible_meetings(user)
            .select_related("minutes")
            .prefetch_related(
                "attendees",
                # Only the attending organisations the caller may see at all.
                Prefetch("organisations", queryset=visible_organisations(user)),
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
        serializer.update_with(
            lambda data, version: services.update_meeting(
                meeting, data, version=version, actor=self.request.user
            )
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
                meeting,
                lambda minutes: documents.minutes_document(meeting, briefs, minutes),
                actor=request.user,
            )
        )
        meeting.refresh_from_db()
        return Response(self.get_serializer(meeting).data)

    @extend_schema(request=ReportSerializer, responses=DraftSerializer)
    @action(detail=False, methods=["post"], parser_classes=[JSONParser, MultiPartParser])
    def draft(self, request):
        """Read a meeting's published report (``text``, or a .txt/.docx ``file``) and
        propose a meeting record: date, projects, people and organisations it names, unknown
        project names and directives as decisions, each with its source sentence. Saves
        nothing: send what to keep to ``draft/confirm/``."""
        _deny_unless(access.can_manage_meetings(request.user))
        try:
            data = request.data
        except RequestDataTooBig as error:
            raise as_drf_error(drafting.report_error("too_long")) from error
        form = ReportSerializer(data=data)
        form.is_valid(raise_exception=True)
        draft = drafting.draft(
            form.validated_data["report"],
            projects=visible_projects(request.user),
            today=timezone.localdate(),
        )
        return Response(DraftSerializer(draft).data)

    @extend_schema(request=DraftConfirmSerializer, responses={201: MeetingSerializer})
    @action(detail=False, methods=["post"], url_path="draft/confirm")
    def draft_confirm(self, request):
        """Create a meeting from a reviewed draft in one go: the meeting, the new projects,
        the agenda (``projects``, then the new ones) and the decisions."""
        _deny_unless(access.can_manage_meetings(request.user))
        form = DraftConfirmSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        meeting = _run(lambda: drafting.confirm(form.confirmed(), actor=request.user))
        return Response(
            self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data, status=201
        )


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
        serializer.update_with(
            lambda data, version: services.record_discussion(
                item, data, version=version, actor=self.request.user
            )
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
        shown = visible_project_ids(self.context["request"].user, self.context)
        if shown is not None:
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


class MinutesSerializer(serializers.ModelSerializer):
    document = serializers.SerializerMethodField()
    reference = serializers.CharField(
        read_only=True,
        help_text="The number as printed (滨重协纪〔2026〕3号), in the caller's language.",
    )

    class Meta:
        model = Minutes
        fields = [
            "id",
            "meeting",
            "issued_at",
            "issued_by",
            "year",
            "number",
            "reference",
            "document",
        ]
        read_only_fields = fields

    def get_document(self, minutes) -> str:
        """Where the frozen .docx is downloaded, with the same token."""
        return reverse("api:minutes-document", args=[minutes.pk])


class MinutesViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Issued minutes (会议纪要), to those who may see every project on their agenda."""

    serializer_class = MinutesSerializer
    filterset_fields = ["meeting"]
    ordering_fields = ["issued_at"]

    def get_queryset(self):
        return access.visible_minutes(self.request.user).order_by("-issued_at", "-pk")

    @extend_schema(
        summary="The issued minutes (.docx), exactly as frozen when issued",
        responses={(200, DOCX_TYPE): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(detail=True, renderer_classes=[JSONRenderer, DocxRenderer])
    def document(self, request, pk=None):
        return documents.issued_minutes_download(self.get_object())
