from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from diaodu.agreements.api import ConflictMixin
from diaodu.api.parsers import FormParser, JSONParser, MultiPartParser
from diaodu.api.serializers import ServiceModelSerializer
from diaodu.appeals import access, services
from diaodu.appeals.choices import Satisfaction
from diaodu.appeals.filters import AppealFilter
from diaodu.appeals.models import Appeal, AppealEntry
from diaodu.core.attachments import attachments_of
from diaodu.org.models import Organisation
from diaodu.problems.api import (
    CONFLICT,
    EntrySerializer,
    VisibleProblemField,
    _deny_unless,
    _run,
)
from diaodu.problems.choices import Category, Level, Severity
from diaodu.projects.api import VisibleProjectField

VERSION_HELP = "The version you read. A stale version is refused with 409 and the current values."


class AppealSerializer(ServiceModelSerializer):
    project = VisibleProjectField()
    triage_overdue = serializers.SerializerMethodField()
    awaits_rating = serializers.BooleanField(read_only=True)
    problem_status = serializers.CharField(
        source="problem.status", read_only=True, allow_null=True, default=None
    )
    problem_resolution = serializers.CharField(
        source="problem.resolution", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Appeal
        fields = [
            "id",
            "project",
            "title",
            "description",
            "category",
            "status",
            "raised_by",
            "raised_at",
            "triage_due",
            "triage_overdue",
            "triaged_by",
            "triaged_at",
            "problem",
            "problem_status",
            "problem_resolution",
            "answer",
            "finished_at",
            "awaits_rating",
            "rating",
            "rating_comment",
            "rated_at",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "status",
            "raised_by",
            "raised_at",
            "triage_due",
            "triaged_by",
            "triaged_at",
            "problem",
            "answer",
            "finished_at",
            "rating",
            "rating_comment",
            "rated_at",
            "version",
        ]

    def get_triage_overdue(self, appeal) -> bool:
        return appeal.triage_overdue(timezone.localdate())


class _Triage(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


def _departments():
    return Organisation.objects.departments().filter(is_active=True)


class AcceptSerializer(_Triage):
    """The problem the request becomes; its title and description are the request's."""

    lead_department = serializers.PrimaryKeyRelatedField(queryset=_departments())
    cooperating_departments = serializers.PrimaryKeyRelatedField(
        queryset=_departments(), many=True, required=False, default=list
    )
    due_date = serializers.DateField()
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    severity = serializers.ChoiceField(choices=Severity.choices, default=Severity.NORMAL)
    level = serializers.ChoiceField(choices=Level.choices, default=Level.ZONE)

    def validate(self, attrs):
        if attrs["lead_department"] in attrs["cooperating_departments"]:
            raise serializers.ValidationError(
                {
                    "cooperating_departments": _(
                        "The lead department cannot also be a cooperating department."
                    )
                }
            )
        return attrs


class MergeSerializer(_Triage):
    problem = VisibleProblemField()


class AnswerSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text=VERSION_HELP)
    answer = serializers.CharField(max_length=4000)


class RateSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Satisfaction.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class AppealViewSet(
    ConflictMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Enterprise requests (企业诉求): raised by a project's owner, triaged by the office
    (accepted as a problem, merged into one, or answered), rated by the owner."""

    serializer_class = AppealSerializer
    filterset_class = AppealFilter
    ordering_fields = ["raised_at", "triage_due", "updated_at"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return (
            access.visible_appeals(self.request.user)
            .select_related("project", "problem")
            .order_by("-raised_at", "-pk")
        )

    # Refuse before validating: a refused caller learns nothing from field errors.
    def create(self, request, *args, **kwargs):
        _deny_unless(access.can_raise_appeals(request.user))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        project = data.pop("project")
        _deny_unless(access.can_raise_appeal(self.request.user, project))
        serializer.instance = _run(
            lambda: services.raise_appeal(project, data, actor=self.request.user)
        )

    def _shown(self, appeal):
        return self.get_queryset().get(pk=appeal.pk)

    def _triage(self, request, form_class, call):
        appeal = self.get_object()
        _deny_unless(access.can_triage_appeals(request.user))
        form = form_class(data=request.data, context=self.get_serializer_context())
        form.is_valid(raise_exception=True)
        _run(lambda: call(appeal, dict(form.validated_data)))
        return Response(self.get_serializer(self._shown(appeal)).data)

    @extend_schema(request=AcceptSerializer, responses={200: AppealSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept the request as a problem, with its departments, due date and level."""

        def accept(appeal, data):
            version, note = data.pop("version"), data.pop("note")
            if "category" not in data:
                data["category"] = appeal.category
            return services.accept_appeal(
                appeal, data, actor=request.user, version=version, text=note
            )

        return self._triage(request, AcceptSerializer, accept)

    @extend_schema(request=MergeSerializer, responses={200: AppealSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def merge(self, request, pk=None):
        """Merge the request into an open problem of the same project."""
        return self._triage(
            request,
            MergeSerializer,
            lambda appeal, data: services.merge_appeal(
                appeal,
                data["problem"],
                actor=request.user,
                version=data["version"],
                text=data["note"],
            ),
        )

    @extend_schema(request=AnswerSerializer, responses={200: AppealSerializer, 409: CONFLICT})
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """Answer the request in writing and close it."""
        return self._triage(
            request,
            AnswerSerializer,
            lambda appeal, data: services.answer_appeal(
                appeal, data["answer"], actor=request.user, version=data["version"]
            ),
        )

    @extend_schema(request=RateSerializer, responses={200: AppealSerializer})
    @action(detail=True, methods=["post"])
    def rate(self, request, pk=None):
        """The owner's satisfaction with the answer (1–5), once it is answered or its
        problem is closed; once."""
        appeal = self.get_object()
        _deny_unless(access.is_appeal_owner(request.user, appeal))
        form = RateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        _run(
            lambda: services.rate_appeal(
                appeal, data["rating"], data["comment"], actor=request.user
            )
        )
        return Response(self.get_serializer(self._shown(appeal)).data)

    @extend_schema(responses=EntrySerializer(many=True))
    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        """The request's timeline, as its owner sees it."""
        appeal = self.get_object()
        entries = list(appeal.entries.select_related("author", "organisation"))
        files = attachments_of(AppealEntry, [e.pk for e in entries])
        for entry in entries:
            entry.files = files.get(entry.pk, [])
        return Response(EntrySerializer(entries, many=True).data)
