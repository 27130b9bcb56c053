"""Dashboard figures as JSON, for other systems (a city platform, a big screen)."""

from datetime import date

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from diaodu.dashboard import access, scorecard
from diaodu.dashboard import approvals as approval_figures
from diaodu.dashboard import today as leader_today
from diaodu.dashboard.views import dashboard_figures, scoped
from diaodu.projects import land

FILTERS = [
    OpenApiParameter(name, int, description=description)
    for name, description in [
        ("list", "key-project list id"),
        ("industry", "industry id"),
        ("responsible_leader", "person id of the responsible leader"),
        ("lead_department", "organisation id"),
        ("township", "organisation id of the area"),
    ]
]


class FigureSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.IntegerField()
    url = serializers.CharField()


class DashboardSerializer(serializers.Serializer):
    project_count = serializers.IntegerField()
    stages = FigureSerializer(many=True)
    health = FigureSerializer(many=True)
    investment = serializers.DictField()
    landings = serializers.DictField()
    problems = serializers.DictField()
    overdue_actions = FigureSerializer(many=True)


def _figures(items):
    return [{"label": str(f.label), "value": f.value, "url": f.url} for f in items]


@extend_schema(parameters=FILTERS, responses=DashboardSerializer)
@api_view(["GET"])
def overview(request):
    """The leader dashboard's figures over the projects the caller may see (万元 amounts)."""
    today = timezone.localdate()
    data = dashboard_figures(request, today)
    money, problems, landings = data["investment"], data["problems"], data["landings"]
    return Response(
        {
            "project_count": data["project_count"],
            "stages": _figures(data["stages"]),
            "health": _figures(data["health"]),
            "investment": {
                "year": today.year,
                "total": money.total,
                "plan": money.plan,
                "completed": money.completed,
                "rate": money.rate,
                "monthly_completed": money.monthly_completed,
            },
            "landings": landings.__dict__,
            "problems": {
                "open": problems.open,
                "overdue": problems.overdue,
                "resolved_this_month": problems.resolved_this_month,
                "average_days": problems.average_days,
                "by_category": _figures(problems.by_category),
                "by_department": _figures(problems.by_department),
                "escalated": _figures(problems.escalated),
            },
            "overdue_actions": _figures(data["overdue_actions"]),
        }
    )


class TileSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.JSONField(
        allow_null=True,
        help_text="a count; a percentage (kind percent); an ISO date and time (kind when)",
    )
    kind = serializers.ChoiceField(["count", "percent", "when"])
    url = serializers.CharField()
    note = serializers.CharField(allow_blank=True)


@extend_schema(responses=TileSerializer(many=True))
@api_view(["GET"])
def today(request):
    """The one-screen view's figures for today over the whole zone (office and leaders)."""
    if not access.can_see_leader_view(request.user):
        raise PermissionDenied
    tiles = leader_today.tiles(request.user, timezone.localdate())
    return Response(TileSerializer(tiles, many=True).data)


class ScoreSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(source="organisation.pk")
    name = serializers.CharField(source="organisation.name")
    assigned = serializers.IntegerField()
    resolved = serializers.IntegerField()
    on_time = serializers.IntegerField()
    on_time_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    overdue_now = serializers.IntegerField()
    average_days = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)


@extend_schema(
    parameters=[OpenApiParameter("start", date), OpenApiParameter("end", date)],
    responses=ScoreSerializer(many=True),
)
@api_view(["GET"])
def departments(request):
    """The department scorecard for a period (default: this year to today)."""
    if not access.can_view_scorecard(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    try:
        start = date.fromisoformat(request.query_params.get("start", ""))
    except ValueError:
        start = today.replace(month=1, day=1)
    try:
        end = date.fromisoformat(request.query_params.get("end", ""))
    except ValueError:
        end = today
    return Response(ScoreSerializer(scorecard.scorecard(start, end), many=True).data)


class ApprovalDepartmentSerializer(serializers.Serializer):
    department = serializers.CharField(allow_null=True)
    pending = serializers.IntegerField()
    approved = serializers.IntegerField()
    average_days = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    within_limit_rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)


@extend_schema(parameters=FILTERS, responses=ApprovalDepartmentSerializer(many=True))
@api_view(["GET"])
def approvals(request):
    """Approvals per approving department against the statutory limit."""
    _filter, projects, _base = scoped(request)
    by_department, _slowest = approval_figures.approvals(projects, timezone.localdate())
    return Response(
        ApprovalDepartmentSerializer(
            [
                {
                    "department": str(d.department) if d.department else None,
                    "pending": d.pending,
                    "approved": len(d.done),
                    "average_days": d.average_days,
                    "within_limit_rate": d.within_limit_rate,
                }
                for d in by_department
            ],
            many=True,
        ).data
    )


class LandSerializer(serializers.Serializer):
    project = serializers.IntegerField(source="project.pk")
    name = serializers.CharField(source="project.name")
    investment_per_mu = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    output_per_mu = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    tax_per_mu = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    below_threshold = serializers.BooleanField()
    shortfalls = serializers.ListField(child=serializers.CharField())


@extend_schema(parameters=FILTERS, responses=LandSerializer(many=True))
@api_view(["GET"])
def land_efficiency(request):
    """Land efficiency per project (万元 per 亩) with shortfalls against thresholds."""
    _filter, projects, _base = scoped(request)
    rows = land.assess_many(projects.filter(land_area__gt=0).order_by("code"))
    return Response(LandSerializer(rows, many=True).data)
