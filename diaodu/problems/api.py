from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from diaodu.api.parsers import FormParser, JSONParser, MultiPartParser
from diaodu.api.serializers import LeadAndCooperatingMixin, VersionedSerializer, as_drf_error
from diaodu.core.attachments import attachments_of, validate_upload
from diaodu.core.models import Attachment
from diaodu.core.services import Conflict
from diaodu.org.models import Organisation
from diaodu.problems import access, services
from diaodu.problems.choices import ActionStatus, ProblemStatus
from diaodu.problems.filters import ActionItemFilter, ProblemFilter
from diaodu.problems.lists import RowPaginator
from diaodu.problems.models import ActionItem, ActionItemEntry, Problem, ProblemEntry
from diaodu.projects.api import VisibleProjectField


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["id", "name", "size", "mime_type", "url"]

    def get_url(self, attachment) -> str:
        return f"/files/{attachment.pk}/"


class EntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    author = serializers.StringRelatedField()
    organisation = serializers.StringRelatedField()
    kind = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    text = serializers.CharField()
    files = AttachmentSerializer(many=True, read_only=True)


@extend_schema_field(OpenApiTypes.INT)
class VisibleProblemField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return access.visible_problems(self.context["request"].user)


def _departments():
    return Organisation.objects.departments().filter(is_active=True)


class AssignmentSerializer(LeadAndCooperatingMixin, VersionedSerializer):
    # Stored on the row: read as a plain value, never computed per row.
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    lead_department = serializers.PrimaryKeyRelatedField(queryset=_departments())
    cooperating_departments = serializers.PrimaryKeyRelatedField(
        queryset=_departments(), many=True, required=False
    )


class ProblemSerializer(AssignmentSerializer):
    project = VisibleProjectField()

    class Meta:
        model = Problem
        fields = [
            "id",
            "project",
            "title",
            "description",
            "category",
            "severity",
            "level",
            "lead_department",
            "cooperating_departments",
            "due_date",
            "status",
            "raised_by",
            "raised_on",
            "root_cause",
            "resolution",
            "resolved_on",
            "closed_on",
            "light",
            "overdue",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "raised_by",
            "raised_on",
            "resolution",
            "resolved_on",
            "closed_on",
        ]


class ActionItemSerializer(AssignmentSerializer):
    project = VisibleProjectField(required=False, allow_null=True)
    problem = VisibleProblemField(required=False, allow_null=True)

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "title",
            "description",
            "project",
            "problem",
            "source",
            "lead_department",
            "cooperating_departments",
            "due_date",
            "status",
            "assigned_by",
            "assigned_on",
            "completed_on",
            "light",
            "overdue",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["source", "status", "assigned_by", "assigned_on", "completed_on"]


class ProblemTransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=ProblemStatus.choices)
    version = serializers.IntegerField(required=False)
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    resolution = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=4000
    )
    root_cause = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=4000
    )


class ActionTransitionSerializer(serializers.Serializer):
    to_status = serializers.ChoiceField(choices=ActionStatus.choices)
    version = serializers.IntegerField(required=False)
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class TextSerializer(serializers.Serializer):
    text = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    instruction = serializers.BooleanField(required=False, default=False)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)

    def validate_files(self, files):
        for upload in files:
            try:
                validate_upload(upload)
            except DjangoValidationError as error:
                raise serializers.ValidationError(error.messages) from error
        return files


def _deny_unless(allowed: bool):
    if not allowed:
        raise PermissionDenied


def _run(call):
    """A service call whose refusals become 400, and whose conflicts become 409."""
    try:
        return call()
    except Conflict as conflict:
        raise _ConflictError(conflict.current) from conflict
    except DjangoValidationError as error:
        raise as_drf_error(error) from error


class _ConflictError(Exception):
    def __init__(self, current):
        self.current = current


CONFLICT = OpenApiResponse(description="The object changed since the given version was read.")


class RowPagination(PageNumberPagination):
    """Pages of problems or action items: ids picked first, then only those rows read."""

    django_paginator_class = RowPaginator


class AssignmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    pagination_class = RowPagination
    ordering_fields = ["due_date", "created_at", "updated_at"]
    entry_model = None

    def handle_exception(self, exc):
        if isinstance(exc, _ConflictError):
            data = self.get_serializer(exc.current).data
            return Response(
                {"detail": _("Someone else changed this since you read it."), "current": data},
                status=status.HTTP_409_CONFLICT,
            )
        return super().handle_exception(exc)

    def _entries(self, item):
        entries = list(item.entries.select_related("author", "organisation"))
        files = attachments_of(self.entry_model, [e.pk for e in entries])
        for entry in entries:
            entry.files = files.get(entry.pk, [])
        return EntrySerializer(entries, many=True).data


class ProblemViewSet(AssignmentViewSet):
    """Problems raised on projects, with their workflow and timeline."""

    serializer_class = ProblemSerializer
    filterset_class = ProblemFilter
    entry_model = ProblemEntry

    def get_queryset(self):
        return (
            access.visible_problems(self.request.user)
            .prefetch_related("cooperating_departments")
            .order_by("due_date", "pk")
        )

    # Refuse before validating, as for projects: a refused caller learns nothing from
    # field errors and always gets a 403.
    def create(self, request, *args, **kwargs):
        _deny_unless(access.can_raise_problems(request.user))
        return super().create(request, *args, **kwargs)

    def check_object_permissions(self, request, problem):
        super().check_object_permissions(request, problem)
        if self.action in ("update", "partial_update"):
            _deny_unless(access.can_edit_problem(request.user, problem))

    def perform_create(self, serializer):
        project = serializer.validated_data["project"]
        _deny_unless(access.can_raise_problem(self.request.user, project))
        data = {
            k: v for k, v in serializer.validated_data.items() if k not in ("project", "version")
        }
        serializer.instance = _run(
            lambda: services.raise_problem(project, data, actor=self.request.user)
        )

    def perform_update(self, serializer):
        problem = serializer.instance
        _deny_unless(access.can_edit_problem(self.request.user, problem))
        if serializer.validated_data.pop("project", problem.project) != problem.project:
            raise serializers.ValidationError(
                {"project": _("A problem cannot move to another project.")}
            )
        serializer.update_with(
            lambda data, version: services.edit_problem(
                problem, data, version=version, actor=self.request.user
            )
        )

    @extend_schema(
        request=ProblemTransitionSerializer, responses={200: ProblemSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Start, resolve (needs a resolution), close or reopen (needs a reason)."""
        problem = self.get_object()
        form = ProblemTransitionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        _deny_unless(access.can_transition_problem(request.user, problem, data["to_status"]))
        _run(
            lambda: services.transition_problem(
                problem, data.pop("to_status"), actor=request.user, **data
            )
        )
        return Response(self.get_serializer(problem).data)

    @extend_schema(
        request={"multipart/form-data": TextSerializer, "application/json": TextSerializer},
        responses=EntrySerializer(many=True),
    )
    @action(detail=True, methods=["get", "post"])
    def timeline(self, request, pk=None):
        """The problem's dated timeline; POST adds an update (a leader's: an instruction)."""
        problem = self.get_object()
        if request.method == "POST":
            form = TextSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            instruction = form.validated_data["instruction"]
            _deny_unless(
                access.can_instruct(request.user, problem)
                if instruction
                else access.can_update_problem(request.user, problem)
            )
            _run(
                lambda: services.add_problem_update(
                    problem,
                    form.validated_data["text"],
                    actor=request.user,
                    files=form.validated_data["files"],
                    instruction=instruction,
                )
            )
        return Response(self._entries(problem))


class ActionItemViewSet(AssignmentViewSet):
    """Action items (交办事项): assignment, acknowledgement, feedback, acceptance."""

    serializer_class = ActionItemSerializer
    filterset_class = ActionItemFilter
    entry_model = ActionItemEntry

    def get_queryset(self):
        return (
            access.visible_action_items(self.request.user)
            .prefetch_related("cooperating_departments")
            .order_by("due_date", "pk")
        )

    def create(self, request, *args, **kwargs):
        _deny_unless(access.can_create_action_item(request.user))
        return super().create(request, *args, **kwargs)

    def check_object_permissions(self, request, item):
        super().check_object_permissions(request, item)
        if self.action in ("update", "partial_update"):
            _deny_unless(access.can_edit_action_item(request.user, item))

    def perform_create(self, serializer):
        _deny_unless(access.can_create_action_item(self.request.user))
        data = {k: v for k, v in serializer.validated_data.items() if k != "version"}
        serializer.instance = _run(
            lambda: services.assign_action_item(data, actor=self.request.user)
        )

    def perform_update(self, serializer):
        item = serializer.instance
        _deny_unless(access.can_edit_action_item(self.request.user, item))
        serializer.update_with(
            lambda data, version: services.edit_action_item(
                item, data, version=version, actor=self.request.user
            )
        )

    @extend_schema(
        request=ActionTransitionSerializer, responses={200: ActionItemSerializer, 409: CONFLICT}
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Acknowledge (lead department), submit the result (lead), accept or return it,
        or cancel (office)."""
        item = self.get_object()
        form = ActionTransitionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        _deny_unless(access.can_transition_action_item(request.user, item, data["to_status"]))
        _run(
            lambda: services.move_action_item(
                item,
                data["to_status"],
                actor=request.user,
                version=data.get("version"),
                text=data["text"],
            )
        )
        return Response(self.get_serializer(item).data)

    @extend_schema(
        request={"multipart/form-data": TextSerializer, "application/json": TextSerializer},
        responses=EntrySerializer(many=True),
    )
    @action(detail=True, methods=["get", "post"])
    def timeline(self, request, pk=None):
        """The item's timeline; POST adds a department's feedback (反馈)."""
        item = self.get_object()
        if request.method == "POST":
            _deny_unless(access.can_give_feedback(request.user, item))
            form = TextSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            _run(
                lambda: services.give_feedback(
                    item,
                    form.validated_data["text"],
                    actor=request.user,
                    files=form.validated_data["files"],
                )
            )
        return Response(self._entries(item))
