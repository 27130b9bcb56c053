from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from diaodu.api.serializers import (
    LeadAndCooperatingMixin,
    ServiceModelSerializer,
    VersionedSerializer,
    as_drf_error,
)
from diaodu.core.access import readable_changes
from diaodu.core.models import ChangeLog
from diaodu.org.models import Organisation
from diaodu.projects import access, investment, services
from diaodu.projects.choices import Health
from diaodu.projects.filters import (
    AnnualReturnFilter,
    MilestoneFilter,
    ProgressReportFilter,
    ProjectFilter,
)
from diaodu.projects.models import (
    AnnualReturn,
    Industry,
    LandThreshold,
    Milestone,
    MilestoneKind,
    ProgressReport,
    Project,
    ProjectList,
    ReportingRound,
)


@extend_schema_field(OpenApiTypes.INT)
class VisibleProjectField(serializers.PrimaryKeyRelatedField):
    """A project id the requesting user may see; any other id is simply "invalid"."""

    def get_queryset(self):
        return access.visible_projects(self.context["request"].user)


class MilestoneKindSerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = MilestoneKind
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "display_name",
            "is_approval",
            "approving_department",
            "statutory_days",
            "sort_order",
        ]


class MilestoneSerializer(VersionedSerializer):
    awaiting_review = serializers.BooleanField(read_only=True)
    # As in the office's form: approvals are given by departments, never by enterprises.
    approving_department = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.departments(), allow_null=True, required=False
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            "project",
            "kind",
            "planned_date",
            "applied_date",
            "actual_date",
            "reported_date",
            "reported_by",
            "awaiting_review",
            "approving_department",
            "note",
            "version",
        ]
        read_only_fields = ["project", "kind", "reported_date", "reported_by"]


class MilestoneCreateSerializer(MilestoneSerializer):
    project = VisibleProjectField()

    class Meta(MilestoneSerializer.Meta):
        read_only_fields = ["reported_date", "reported_by", "actual_date"]
        validators = []  # the unique (project, kind) pair is reported by the model's check


class MilestoneReportSerializer(serializers.Serializer):
    reported_date = serializers.DateField()


class ProjectSerializer(LeadAndCooperatingMixin, VersionedSerializer):
    health = serializers.ChoiceField(choices=Health.choices, read_only=True)
    health_reason = serializers.SerializerMethodField()
    owner = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.enterprises())
    lead_department = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.departments()
    )
    cooperating_departments = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.departments(), many=True, required=False
    )
    national_code = serializers.CharField(
        max_length=24,
        required=False,
        allow_null=True,
        allow_blank=True,
        validators=Project._meta.get_field("national_code").validators,
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "national_code",
            "name",
            "owner",
            "industry",
            "project_type",
            "lists",
            "township",
            "location",
            "total_investment",
            "plan_year",
            "annual_plan",
            "land_area",
            "construction_content",
            "responsible_leader",
            "lead_department",
            "cooperating_departments",
            "stage",
            "health",
            "health_reason",
            "created_at",
            "updated_at",
            "version",
        ]

    def get_health_reason(self, project) -> str:
        return project.assessment.reason

    def validate_national_code(self, value):
        # Empty means "none yet"; uniqueness is checked by the model when saving.
        return value or None


class ProgressReportSerializer(VersionedSerializer):
    project = VisibleProjectField()
    period_label = serializers.CharField(read_only=True)

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "project",
            "period_kind",
            "period_start",
            "period_label",
            "narrative",
            "investment",
            "status",
            "submitted_by",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "review_note",
            "version",
        ]
        read_only_fields = [
            "status",
            "submitted_by",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "review_note",
        ]
        validators = []  # one report per period is checked by the model, with its message


class ReviewSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class InvestmentTotalsSerializer(serializers.Serializer):
    plan = serializers.DecimalField(max_digits=16, decimal_places=2)
    year_to_date = serializers.DecimalField(max_digits=16, decimal_places=2)
    cumulative = serializers.DecimalField(max_digits=16, decimal_places=2)
    total = serializers.DecimalField(max_digits=16, decimal_places=2)
    plan_rate = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)
    total_rate = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)


def _deny_unless(allowed: bool):
    if not allowed:
        raise PermissionDenied


class ChangeSerializer(serializers.ModelSerializer):
    actor = serializers.StringRelatedField()
    object_type = serializers.SerializerMethodField()
    object_text = serializers.CharField(
        read_only=True, help_text="The object's text in the caller's language."
    )
    # A value that reads differently by language (a milestone kind's name) is stored as
    # {"languages": {"zh-hans": …, "zh-hant": …, "en": …}}.
    before = serializers.JSONField(allow_null=True)
    after = serializers.JSONField(allow_null=True)

    class Meta:
        model = ChangeLog
        fields = [
            "id",
            "timestamp",
            "actor",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "object_text",
            "before",
            "after",
        ]
        read_only_fields = fields

    def get_object_type(self, change) -> str:
        return f"{change.object_type.app_label}.{change.object_type.model}"


class ProjectViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Key projects the caller may see, with their stored health and its reason."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    ordering_fields = ["code", "name", "total_investment", "updated_at"]

    def get_queryset(self):
        return (
            access.visible_projects(self.request.user)
            .with_reasons()
            .prefetch_related("lists", "cooperating_departments")
            .order_by("code")
        )

    def create(self, request, *args, **kwargs):
        # Refuse before validating, so a refused caller learns nothing from field errors
        # (such as which project numbers exist).
        _deny_unless(access.can_create_project(request.user))
        return super().create(request, *args, **kwargs)

    def check_object_permissions(self, request, project):
        super().check_object_permissions(request, project)
        if self.action in ("update", "partial_update"):
            _deny_unless(access.can_edit_project(request.user, project))

    def perform_create(self, serializer):
        _deny_unless(access.can_create_project(self.request.user))
        serializer.save_with(lambda data: services.create_project(data, actor=self.request.user))

    def perform_update(self, serializer):
        _deny_unless(access.can_edit_project(self.request.user, serializer.instance))
        serializer.update_with(
            lambda data, version: services.update_project(
                serializer.instance, data, version=version, actor=self.request.user
            )
        )

    @extend_schema(responses=ChangeSerializer(many=True))
    @action(detail=True, filter_backends=[])
    def history(self, request, pk=None):
        """The project's change log, newest first: its own changes and those of its
        milestones, reports, returns and problems (as on the project's page)."""
        # The project alone: the list's prefetching of milestones is not needed here.
        project = get_object_or_404(access.visible_projects(request.user), pk=pk)
        changes = readable_changes(request.user, services.history_of(project))
        page = self.paginate_queryset(changes)
        return self.get_paginated_response(ChangeSerializer(page, many=True).data)

    @extend_schema(responses=InvestmentTotalsSerializer)
    @action(detail=True)
    def investment(self, request, pk=None):
        """Annual plan, year-to-date and cumulative investment (万元) from approved reports."""
        totals = investment.totals(self.get_object())
        data = {
            **totals.__dict__,
            "plan_rate": totals.plan_rate,
            "total_rate": totals.total_rate,
        }
        return Response(InvestmentTotalsSerializer(data).data)


class MilestoneKindViewSet(viewsets.ReadOnlyModelViewSet):
    """The template of milestone kinds new projects get."""

    queryset = MilestoneKind.objects.all()
    serializer_class = MilestoneKindSerializer
    pagination_class = None


class MilestoneViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Projects' time nodes. The office plans and confirms; owners report achieved dates."""

    filterset_class = MilestoneFilter
    ordering_fields = ["planned_date", "actual_date"]

    def get_queryset(self):
        return (
            access.visible_milestones(self.request.user)
            .select_related("kind")
            .order_by("project_id", "kind__sort_order")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return MilestoneCreateSerializer
        if self.action == "report":
            return MilestoneReportSerializer
        return MilestoneSerializer

    def check_object_permissions(self, request, milestone):
        super().check_object_permissions(request, milestone)
        if self.action in ("update", "partial_update"):
            _deny_unless(access.can_plan_milestones(request.user, milestone.project))

    def perform_create(self, serializer):
        project = serializer.validated_data["project"]
        _deny_unless(access.can_plan_milestones(self.request.user, project))
        data = {k: v for k, v in serializer.validated_data.items() if k != "project"}
        serializer.save_with(
            lambda _data: services.add_milestone(project, data, actor=self.request.user)
        )

    def perform_update(self, serializer):
        milestone = serializer.instance
        _deny_unless(access.can_plan_milestones(self.request.user, milestone.project))
        serializer.update_with(
            lambda data, version: services.plan_milestone(
                milestone, data, version=version, actor=self.request.user
            )
        )

    @extend_schema(request=MilestoneReportSerializer, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def report(self, request, pk=None):
        """The owner reports the date the milestone was achieved, for the office to confirm."""
        milestone = self.get_object()
        _deny_unless(access.can_report_milestone(request.user, milestone.project))
        form = MilestoneReportSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            services.report_milestone(
                milestone, form.validated_data["reported_date"], actor=request.user
            )
        except DjangoValidationError as error:
            raise as_drf_error(error) from error
        return Response(MilestoneSerializer(milestone).data)

    @extend_schema(request=None, responses=MilestoneSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """The office confirms the owner's reported date as the actual date."""
        milestone = self.get_object()
        _deny_unless(access.can_plan_milestones(request.user, milestone.project))
        try:
            services.confirm_milestone(milestone, actor=request.user)
        except DjangoValidationError as error:
            raise as_drf_error(error) from error
        return Response(MilestoneSerializer(milestone).data)


class ProgressReportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Owners' periodic progress reports, reviewed by the office."""

    serializer_class = ProgressReportSerializer
    filterset_class = ProgressReportFilter
    ordering_fields = ["period_start", "submitted_at"]

    def get_queryset(self):
        return access.visible_reports(self.request.user).order_by("-period_start", "-pk")

    def check_object_permissions(self, request, report):
        super().check_object_permissions(request, report)
        if self.action in ("update", "partial_update"):
            _deny_unless(access.can_edit_report(request.user, report))

    def perform_create(self, serializer):
        project = serializer.validated_data["project"]
        _deny_unless(access.can_submit_report(self.request.user, project))
        data = {k: v for k, v in serializer.validated_data.items() if k != "project"}
        serializer.save_with(
            lambda _data: services.submit_report(project, data, actor=self.request.user)
        )

    def perform_update(self, serializer):
        report = serializer.instance
        _deny_unless(access.can_edit_report(self.request.user, report))
        if serializer.validated_data.get("project", report.project) != report.project:
            raise serializers.ValidationError(
                {"project": _("A report cannot move to another project.")}
            )
        serializer.update_with(
            lambda data, version: services.revise_report(
                report,
                {k: v for k, v in data.items() if k != "project"},
                version=version,
                actor=self.request.user,
            )
        )

    @extend_schema(request=ReviewSerializer, responses=ProgressReportSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """The office approves a report or returns it with a note."""
        report = self.get_object()
        _deny_unless(access.can_review_reports(request.user))
        form = ReviewSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            services.review_report(
                report,
                approve=form.validated_data["approve"],
                note=form.validated_data["note"],
                actor=request.user,
            )
        except DjangoValidationError as error:
            raise as_drf_error(error) from error
        return Response(
            ProgressReportSerializer(report, context={"request": request}).data,
            status=status.HTTP_200_OK,
        )


class ReportingRoundSerializer(ServiceModelSerializer):
    projects = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all(), many=True)
    missing = serializers.SerializerMethodField()

    class Meta:
        model = ReportingRound
        fields = [
            "id",
            "title",
            "kind",
            "period_kind",
            "period_start",
            "due_date",
            "projects",
            "is_open",
            "opened_by",
            "missing",
        ]
        read_only_fields = ["is_open", "opened_by"]

    def to_representation(self, reporting_round):
        """A round's projects as the caller sees them: an owner sees their own."""
        data = super().to_representation(reporting_round)
        visible = self._visible_project_ids()
        if visible is not None:
            data["projects"] = [pk for pk in data["projects"] if pk in visible]
        return data

    def _visible_project_ids(self) -> set[int] | None:
        """None for those who see everything; else computed once per response (the
        context is shared by every round of a list)."""
        return access.visible_project_ids(self.context["request"].user, self.context)

    def get_missing(self, reporting_round) -> list[int]:
        """Ids of the round's projects (visible to the caller) with no report yet."""
        visible = access.visible_projects(self.context["request"].user)
        return list(
            reporting_round.missing()
            .filter(pk__in=visible.values("pk"))
            .values_list("pk", flat=True)
        )


class ReportingRoundViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Reporting rounds (填报): which projects owe a progress report for which period."""

    serializer_class = ReportingRoundSerializer
    filterset_fields = ["is_open", "kind", "period_kind"]

    def get_queryset(self):
        return access.visible_rounds(self.request.user).order_by("-period_start", "-pk")

    def create(self, request, *args, **kwargs):
        # Refuse before validating: field errors would tell a refused caller which
        # project ids exist.
        _deny_unless(access.can_manage_rounds(request.user))
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        _deny_unless(access.can_manage_rounds(self.request.user))
        serializer.save_with(lambda data: services.open_round(data, actor=self.request.user))

    @extend_schema(request=None, responses=ReportingRoundSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        reporting_round = self.get_object()
        _deny_unless(access.can_manage_rounds(request.user))
        services.close_round(reporting_round, actor=request.user)
        return Response(self.get_serializer(reporting_round).data)


class IndustrySerializer(serializers.ModelSerializer):
    class Meta:
        model = Industry
        fields = ["id", "name", "name_en", "sort_order"]


class IndustryViewSet(viewsets.ReadOnlyModelViewSet):
    """Industries projects are classed by (master data, kept by administrators)."""

    queryset = Industry.objects.order_by("sort_order", "name", "pk")
    serializer_class = IndustrySerializer
    filterset_fields = ["name"]
    ordering_fields = ["name", "sort_order"]


class ProjectListSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProjectList
        fields = ["id", "name", "year", "level"]


class ProjectListViewSet(viewsets.ReadOnlyModelViewSet):
    """The year's lists of key projects (zone, city, province) projects are on."""

    queryset = ProjectList.objects.order_by("-year", "level", "name", "pk")
    serializer_class = ProjectListSerializer
    filterset_fields = ["year", "level"]
    ordering_fields = ["year", "name"]


class LandThresholdSerializer(serializers.ModelSerializer):
    class Meta:
        model = LandThreshold
        fields = [
            "id",
            "industry",
            "investment_per_mu",
            "output_per_mu",
            "tax_per_mu",
            "energy_per_output",
        ]


class LandThresholdViewSet(viewsets.ReadOnlyModelViewSet):
    """The zone's minimum land efficiency (亩均) per industry; no industry: all others."""

    queryset = LandThreshold.objects.order_by("industry_id", "pk")
    serializer_class = LandThresholdSerializer
    filterset_fields = ["industry"]
    ordering_fields = ["output_per_mu", "tax_per_mu"]


class AnnualReturnSerializer(ServiceModelSerializer):
    project = VisibleProjectField()

    class Meta:
        model = AnnualReturn
        fields = ["id", "project", "year", "output", "tax", "energy", "created_at", "updated_at"]
        validators = []  # a second return for a year corrects the first (the service)


class AnnualReturnViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Projects' yearly output and tax (亩均效益). The owner (or the office) records them;
    posting a year already recorded corrects it."""

    serializer_class = AnnualReturnSerializer
    filterset_class = AnnualReturnFilter
    ordering_fields = ["year", "output", "tax"]

    def get_queryset(self):
        return access.visible_returns(self.request.user).order_by("-year", "project_id", "pk")

    def perform_create(self, serializer):
        project = serializer.validated_data["project"]
        _deny_unless(access.can_submit_report(self.request.user, project))
        data = {k: v for k, v in serializer.validated_data.items() if k != "project"}
        serializer.save_with(
            lambda _data: services.record_annual_return(project, data, actor=self.request.user)
        )
