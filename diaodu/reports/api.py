"""The API of exports and imports, under ``/api/reports/``.

Exports take the same query parameters as the project and problem lists (and their API
endpoints) and return the file. An import is a multipart upload of the .xlsx: the answer
is the preview; with ``?commit=true`` the import is applied when the preview has no
errors, in one transaction.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import path, reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from diaodu.api.parsers import MultiPartParser
from diaodu.api.renderers import DocxRenderer, XlsxRenderer
from diaodu.core.attachments import clean_name
from diaodu.lib.docx_writer import DOCX_TYPE
from diaodu.lib.xlsx import XLSX_TYPE
from diaodu.problems.filters import ProblemFilter
from diaodu.problems.models import Problem
from diaodu.projects.filters import ProjectFilter
from diaodu.projects.models import Project
from diaodu.reports import access, exports
from diaodu.reports import bulletin as bulletin_document
from diaodu.reports.forms import BulletinForm, check_import_size
from diaodu.reports.importing import ImportKind, Plan, plan_import, template_workbook
from diaodu.reports.models import Bulletin
from diaodu.reports.services import ImportConflict, commit_import
from diaodu.reports.views import download, issued_bulletin_download


def _filter_parameters(filterset_class) -> list[OpenApiParameter]:
    return [
        OpenApiParameter(name, str, required=False, description=str(f.label or ""))
        for name, f in filterset_class.base_filters.items()
    ]


def check_filters(request, filterset_class, model) -> None:
    """Refuse unknown choices with a 400, as the list endpoints do."""
    filterset = filterset_class(
        request.query_params, queryset=model.objects.none(), request=request
    )
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)


class ExportView(APIView):
    renderer_classes = [JSONRenderer, XlsxRenderer]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not access.can_export(request.user):
            raise PermissionDenied


XLSX_RESPONSES = {
    (200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="The .xlsx"),
    400: OpenApiResponse(description="An unknown filter value"),
}


class DispatchTableView(ExportView):
    @extend_schema(
        summary="The dispatch table (.xlsx) of the projects the list shows",
        parameters=_filter_parameters(ProjectFilter),
        responses=XLSX_RESPONSES,
    )
    def get(self, request):
        check_filters(request, ProjectFilter, Project)
        export = exports.dispatch_table(request, params=request.query_params)
        return download(export, XLSX_TYPE)


class ProblemLedgerView(ExportView):
    @extend_schema(
        summary="The problem ledger (.xlsx) of the problems the list shows",
        parameters=_filter_parameters(ProblemFilter),
        responses=XLSX_RESPONSES,
    )
    def get(self, request):
        check_filters(request, ProblemFilter, Problem)
        export = exports.problem_ledger(request, params=request.query_params)
        return download(export, XLSX_TYPE)


class BulletinView(ExportView):
    renderer_classes = [JSONRenderer, DocxRenderer]

    @extend_schema(
        summary="The dispatch bulletin (.docx) of a month",
        parameters=[
            OpenApiParameter("month", str, required=True, description="YYYY-MM, e.g. 2026-05"),
            *_filter_parameters(ProjectFilter),
        ],
        responses={
            (200, DOCX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="The .docx"),
            400: OpenApiResponse(description="No month, or an unknown filter value"),
        },
    )
    def get(self, request):
        form = BulletinForm({"month": request.query_params.get("month", "")})
        if not form.is_valid():
            raise ValidationError(form.errors)
        check_filters(request, ProjectFilter, Project)
        export = bulletin_document.bulletin(
            request, form.cleaned_data["month"], params=request.query_params
        )
        return download(export, DOCX_TYPE)


class IssuedBulletinSerializer(serializers.ModelSerializer):
    month = serializers.DateField(format="%Y-%m", read_only=True)
    reference = serializers.CharField(
        read_only=True, help_text="The number as printed (第5期), in the caller's language."
    )
    document = serializers.SerializerMethodField()

    class Meta:
        model = Bulletin
        fields = [
            "id",
            "month",
            "year",
            "number",
            "reference",
            "issued_at",
            "issued_by",
            "document",
        ]
        read_only_fields = fields

    def get_document(self, issued) -> str:
        """Where the .docx as issued is downloaded, with the same token."""
        return reverse("api:report_bulletin_document", args=[issued.pk])


class IssueBulletinSerializer(serializers.Serializer):
    month = serializers.CharField(help_text="YYYY-MM, e.g. 2026-05")


class IssuedBulletinsView(APIView):
    """Issued bulletins (第N期), to those who see every project; coordinators issue them."""

    @extend_schema(summary="Issued bulletins", responses=IssuedBulletinSerializer(many=True))
    def get(self, request):
        issued = access.visible_bulletins(request.user)
        return Response(IssuedBulletinSerializer(issued, many=True).data)

    @extend_schema(
        summary="Issue the bulletin of a month: the next number of the year, kept as issued",
        request=IssueBulletinSerializer,
        responses={
            201: IssuedBulletinSerializer,
            400: OpenApiResponse(description="No month, or the month is already issued"),
        },
    )
    def post(self, request):
        if not access.can_issue_bulletin(request.user):
            raise PermissionDenied
        form = BulletinForm({"month": request.data.get("month", "")})
        if not form.is_valid():
            raise ValidationError(form.errors)
        try:
            issued = bulletin_document.issue(request, form.cleaned_data["month"])
        except DjangoValidationError as error:
            raise ValidationError({"month": error.messages}) from error
        return Response(IssuedBulletinSerializer(issued).data, status=status.HTTP_201_CREATED)


class IssuedBulletinDocumentView(APIView):
    renderer_classes = [JSONRenderer, DocxRenderer]

    @extend_schema(
        summary="An issued bulletin (.docx), exactly as issued",
        responses={
            (200, DOCX_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
            404: OpenApiResponse(description="No such bulletin, or not the caller's to read"),
        },
    )
    def get(self, request, pk: int):
        issued = access.visible_bulletins(request.user).filter(pk=pk).first()
        if issued is None:
            raise NotFound
        return issued_bulletin_download(issued)


KIND_PARAMETER = OpenApiParameter(
    "kind", str, OpenApiParameter.PATH, enum=ImportKind.values, description="What the file holds"
)


def _kind(kind: str) -> str:
    if kind not in ImportKind.values:
        raise NotFound
    return kind


class ImportTemplateView(ExportView):
    @extend_schema(
        summary="An empty ledger to fill in, with an example row and the columns explained",
        parameters=[KIND_PARAMETER],
        responses={
            (200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY),
            403: OpenApiResponse(description="Only the coordination office imports"),
            404: OpenApiResponse(description="Not a kind of import"),
        },
    )
    def get(self, request, kind):
        if not access.can_import(request.user):
            raise PermissionDenied
        content = template_workbook(_kind(kind))
        name = f"{ImportKind(kind).label}.xlsx"
        return download(exports.Export(content, name, 1), XLSX_TYPE)


class IssueSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="The sheet's row number")
    column = serializers.CharField(help_text="The column letter")
    header = serializers.CharField(help_text="The column's header in the file")
    message = serializers.CharField()


class ColumnSerializer(serializers.Serializer):
    column = serializers.CharField()
    header = serializers.CharField()
    field = serializers.CharField(allow_null=True)
    label = serializers.CharField()
    imported = serializers.BooleanField()


class RowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["create", "update", "unchanged"])
    key = serializers.CharField()
    name = serializers.CharField()
    changes = serializers.ListField(child=serializers.CharField())


class PreviewSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    file = serializers.CharField()
    sheet = serializers.CharField()
    header_rows = serializers.ListField(child=serializers.IntegerField())
    ok = serializers.BooleanField()
    committed = serializers.BooleanField()
    counts = serializers.DictField(child=serializers.IntegerField())
    columns = ColumnSerializer(many=True)
    errors = IssueSerializer(many=True)
    rows = RowSerializer(many=True)
    new_enterprises = serializers.ListField(child=serializers.CharField())


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="The ledger, an .xlsx workbook")


class ImportView(APIView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        summary="Preview an import, or apply it with ?commit=true",
        request={"multipart/form-data": UploadSerializer},
        parameters=[
            KIND_PARAMETER,
            OpenApiParameter(
                "commit",
                bool,
                required=False,
                description="Apply the import if the preview has no errors (all or nothing).",
            ),
        ],
        responses={
            200: PreviewSerializer,
            400: OpenApiResponse(
                PreviewSerializer,
                description="No file, an unreadable one, or errors when committing",
            ),
            403: OpenApiResponse(description="Only the coordination office imports"),
            404: OpenApiResponse(description="Not a kind of import"),
            409: OpenApiResponse(
                PreviewSerializer, description="Projects changed meanwhile; nothing imported"
            ),
        },
    )
    def post(self, request, kind):
        if not access.can_import(request.user):
            raise PermissionDenied
        kind = _kind(kind)
        upload = request.FILES.get("file")
        if upload is None:
            plan = Plan(kind=kind).refuse(_("Send the ledger (.xlsx) as the “file” field."))
            return self._answer(plan, status.HTTP_400_BAD_REQUEST)
        plan = Plan(kind=kind, file_name=clean_name(upload.name))
        try:
            check_import_size(upload)
        except DjangoValidationError as error:
            plan.refuse(" ".join(error.messages))
            return self._answer(plan, status.HTTP_400_BAD_REQUEST)
        plan = plan_import(kind, upload.read(), actor=request.user, file_name=plan.file_name)
        unreadable = not plan.ok and not plan.columns
        commit = request.query_params.get("commit", "").lower() in ("1", "true", "yes")
        if not commit or not plan.ok:
            fails = unreadable or (commit and not plan.ok)
            return self._answer(plan, status.HTTP_400_BAD_REQUEST if fails else status.HTTP_200_OK)
        try:
            commit_import(plan, actor=request.user)
        except ImportConflict:
            return self._answer(plan, status.HTTP_409_CONFLICT)
        return self._answer(plan, status.HTTP_200_OK, committed=True)

    def _answer(self, plan: Plan, code: int, committed: bool = False) -> Response:
        return Response({**plan.as_dict(), "committed": committed}, status=code)


urlpatterns = [
    path("reports/dispatch-table/", DispatchTableView.as_view(), name="report_dispatch_table"),
    path("reports/problem-ledger/", ProblemLedgerView.as_view(), name="report_problem_ledger"),
    path("reports/bulletin/", BulletinView.as_view(), name="report_bulletin"),
    path("reports/bulletins/", IssuedBulletinsView.as_view(), name="report_bulletins"),
    path(
        "reports/bulletins/<int:pk>/document/",
        IssuedBulletinDocumentView.as_view(),
        name="report_bulletin_document",
    ),
    path(
        "reports/import-templates/<str:kind>/",
        ImportTemplateView.as_view(),
        name="report_import_template",
    ),
    path("reports/imports/<str:kind>/", ImportView.as_view(), name="report_import"),
]
