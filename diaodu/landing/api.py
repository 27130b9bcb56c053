"""Landing speed and the land-efficiency evaluation as JSON (and the evaluation as .xlsx),
under ``/api/landing/``. Read-only; the same scope as the pages: the office and leaders
see the zone, departments and owners their own projects."""

from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view, renderer_classes
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from diaodu.api.renderers import XlsxRenderer
from diaodu.dashboard.api import FILTERS
from diaodu.dashboard.views import scoped
from diaodu.landing import evaluation, exports, speed
from diaodu.landing.choices import Grade, LandingStage
from diaodu.landing.forms import SpeedForm, YearForm
from diaodu.landing.models import StageTarget
from diaodu.lib.xlsx import XLSX_TYPE
from diaodu.projects.filters import ProjectFilter
from diaodu.projects.models import Project
from diaodu.reports import access as export_access
from diaodu.reports.api import XLSX_RESPONSES, check_filters
from diaodu.reports.views import download

BAD_INPUT = OpenApiResponse(description="An unknown filter value, grouping or year")


class StageDaysSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=LandingStage.choices)
    reached_on = serializers.DateField(allow_null=True)
    days = serializers.IntegerField(
        allow_null=True, help_text="From signing; while pending, to today"
    )
    target = serializers.IntegerField(allow_null=True)
    pending = serializers.BooleanField()
    over_target = serializers.BooleanField()
    slowest = serializers.BooleanField()


class LandingSerializer(serializers.Serializer):
    project = serializers.IntegerField(source="project.pk")
    code = serializers.CharField(source="project.code")
    name = serializers.CharField(source="project.name")
    industry = serializers.IntegerField(source="project.industry_id", allow_null=True)
    signed_on = serializers.DateField()
    stages = StageDaysSerializer(many=True)


class StageSummarySerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=LandingStage.choices)
    count = serializers.IntegerField()
    mean = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    median = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    within_rate = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, help_text="Percent within target"
    )


class GroupSerializer(serializers.Serializer):
    key = serializers.CharField(allow_null=True, help_text="Industry id or signing year")
    label = serializers.CharField()
    projects = serializers.IntegerField()
    stages = StageSummarySerializer(source="summaries", many=True)


class SummarySerializer(serializers.Serializer):
    by = serializers.ChoiceField(choices=[speed.BY_INDUSTRY, speed.BY_YEAR])
    total = GroupSerializer()
    groups = GroupSerializer(many=True)


class EvaluationRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    project = serializers.IntegerField(source="project.pk")
    code = serializers.CharField(source="project.code")
    name = serializers.CharField(source="project.name")
    land_area = serializers.DecimalField(
        source="project.land_area", max_digits=10, decimal_places=2
    )
    output = serializers.DecimalField(
        source="annual_return.output", max_digits=14, decimal_places=2
    )
    tax = serializers.DecimalField(source="annual_return.tax", max_digits=14, decimal_places=2)
    energy = serializers.DecimalField(
        source="annual_return.energy", max_digits=12, decimal_places=2, allow_null=True
    )
    investment_per_mu = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    output_per_mu = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    tax_per_mu = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    energy_per_output = serializers.DecimalField(max_digits=12, decimal_places=4, allow_null=True)
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    grade = serializers.ChoiceField(choices=Grade.choices)
    shortfalls = serializers.SerializerMethodField()

    def get_shortfalls(self, row) -> list[str]:
        return [indicator.key for indicator in row.shortfalls]


class EvaluationSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    rows = EvaluationRowSerializer(many=True)


class StageTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageTarget
        fields = ["id", "stage", "industry", "days"]


def _projects(request):
    check_filters(request, ProjectFilter, Project)
    _filter, projects, _base = scoped(request)
    return projects


def _checked(form):
    if not form.is_valid():
        raise ValidationError(form.errors)
    return form


@extend_schema(parameters=FILTERS, responses={200: LandingSerializer(many=True), 400: BAD_INPUT})
@api_view(["GET"])
def landings(request):
    """Each signed project's days from signing to each stage, against its targets."""
    rows = speed.landings(_projects(request), timezone.localdate())
    return Response(LandingSerializer(rows, many=True).data)


@extend_schema(
    parameters=[*FILTERS, OpenApiParameter("by", str, enum=[speed.BY_INDUSTRY, speed.BY_YEAR])],
    responses={200: SummarySerializer, 400: BAD_INPUT},
)
@api_view(["GET"])
def summary(request):
    """Median and mean days per stage, by industry or by signing year."""
    by = _checked(SpeedForm(request.query_params)).grouping()
    total, groups = speed.summary(_projects(request), by, speed.Targets())
    return Response(SummarySerializer({"by": by, "total": total, "groups": groups}).data)


def _evaluation(request):
    projects = _projects(request)
    year = _checked(YearForm(request.query_params)).cleaned_data["year"]
    if not year:
        years = evaluation.years(projects)
        year = years[0] if years else timezone.localdate().year - 1
    return year, evaluation.evaluation(projects, year)


YEAR = OpenApiParameter("year", int, description="Default: the latest year with returns")


@extend_schema(parameters=[*FILTERS, YEAR], responses={200: EvaluationSerializer, 400: BAD_INPUT})
@api_view(["GET"])
def evaluation_rows(request):
    """The year's land-efficiency evaluation, ranked (see the evaluation page for the
    scoring)."""
    year, rows = _evaluation(request)
    return Response(EvaluationSerializer({"year": year, "rows": rows}).data)


@extend_schema(
    summary="The year's land-efficiency evaluation (.xlsx)",
    parameters=[*FILTERS, YEAR],
    responses=XLSX_RESPONSES,
)
@api_view(["GET"])
@renderer_classes([JSONRenderer, XlsxRenderer])
def evaluation_export(request):
    if not export_access.can_export(request.user):
        raise PermissionDenied
    year, rows = _evaluation(request)
    return download(exports.evaluation_table(request.user, rows, year), XLSX_TYPE)


@extend_schema(responses=StageTargetSerializer(many=True))
@api_view(["GET"])
def targets(request):
    """The zone's landing targets, in days from signing (no industry: zone-wide)."""
    rows = StageTarget.objects.order_by("industry", "stage")
    return Response(StageTargetSerializer(rows, many=True).data)


urlpatterns = [
    path("landing/speed/", landings, name="landing_speed"),
    path("landing/speed/summary/", summary, name="landing_speed_summary"),
    path("landing/evaluation/", evaluation_rows, name="landing_evaluation"),
    path("landing/evaluation/export/", evaluation_export, name="landing_evaluation_export"),
    path("landing/targets/", targets, name="landing_targets"),
]
