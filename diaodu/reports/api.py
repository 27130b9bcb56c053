"""The API of exports and imports, under ``/api/reports/`` and ``/api/exports/``.

Exports take the same query parameters as the project and problem lists (and their API
endpoints) and return the file; one of more than ``DIAODU_BACKGROUND_ROWS`` rows answers
202 with the background job making it instead. ``POST /api/exports/<kind>/`` always
starts a job (202); ``GET /api/exports/<id>/`` polls it and ``…/download/`` fetches its
file, for its owner only. An import is a multipart upload of the .xlsx: the answer
is the preview; with ``?commit=true`` the import is applied when the preview has no
errors, in one transaction. A large file answers 202 with the job doing either.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.urls import path, re_path, reverse
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
from diaodu.reports import access, exports, jobs
from diaodu.reports import bulletin as bulletin_document
from diaodu.reports.choices import JobKind
from diaodu.reports.forms import BulletinForm, check_import_size
from diaodu.reports.importing import ImportKind, Plan, plan_import, row_count, template_workbook
from diaodu.reports.models import Bulletin, Job
from diaodu.reports.services import ImportConflict, commit_import
from diaodu.reports.views import PENDING_DIR, download, issued_bulletin_download

JOBS_LISTED = 20


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


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True, help_text="0 to 100")
    ready = serializers.BooleanField(read_only=True, help_text="Whether the file can be fetched")
    url = serializers.SerializerMethodField(help_text="Where to poll the job")
    download_url = serializers.SerializerMethodField(help_text="The file, once ready")

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "done",
            "total",
            "percent",
            "ready",
            "file_name",
            "error",
            "result",
            "parameters",
            "created_at",
            "finished_at",
            "expires_at",
            "url",
            "download_url",
        ]
        read_only_fields = fields

    def get_url(self, job) -> str:
        return reverse("api:export_job", args=[job.pk])

    def get_download_url(self, job) -> str | None:
        return reverse("api:export_job_download", args=[job.pk]) if job.ready else None


def accepted(job: Job) -> Response:
    """202: the job is under way; poll its address."""
    data = JobSerializer(job).data
    return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


XLSX_RESPONSES = {
    (200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="The .xlsx"),
    202: OpenApiResponse(JobSerializer, description="A large export: the job making it"),
    400: OpenApiResponse(description="An unknown filter value"),
}


def export_answer(request, kind: str):
    made = jobs.export_or_start(request, kind)
    if isinstance(made, exports.Export):
        return download(made, XLSX_TYPE)
    return accepted(made)


class DispatchTableView(ExportView):
    @extend_schema(
        summary="The dispatch table (.xlsx) of the projects the list shows",
        parameters=_filter_parameters(ProjectFilter),
        responses=XLSX_RESPONSES,
    )
    def get(self, request):
        check_filters(request, ProjectFilter, Project)
        return export_answer(request, JobKind.DISPATCH_TABLE)


class ProblemLedgerView(ExportView):
    @extend_schema(
        summary="The problem ledger (.xlsx) of the problems the list shows",
        parameters=_filter_parameters(ProblemFilter),
        responses=XLSX_RESPONSES,
    )
    def get(self, request):
        check_filters(request, ProblemFilter, Problem)
        return export_answer(request, JobKind.PROBLEM_LEDGER)


# --- background jobs ---------------------------------------------------------------------

EXPORT_KIND_PARAMETER = OpenApiParameter(
    "kind", str, OpenApiParameter.PATH, enum=list(jobs.EXPORTS), description="Which export"
)
EXPORT_FILTERS = {
    JobKind.DISPATCH_TABLE: (ProjectFilter, Project),
    JobKind.PROBLEM_LEDGER: (ProblemFilter, Problem),
}


class ExportJobsView(ExportView):
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="The user's background jobs, newest first", responses=JobSerializer(many=True)
    )
    def get(self, request):
        recent = access.visible_jobs(request.user)[:JOBS_LISTED]
        return Response(JobSerializer(recent, many=True).data)


class StartExportView(ExportView):
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="Start an export in the background, whatever its size",
        description="The query parameters are the list's filters, as for the export itself. "
        "If one of this kind is still running for the user, that job is answered.",
        parameters=[EXPORT_KIND_PARAMETER],
        request=None,
        responses={
            202: JobSerializer,
            400: OpenApiResponse(description="An unknown filter value"),
            404: OpenApiResponse(description="Not a kind of export"),
        },
    )
    def post(self, request, kind):
        if kind in EXPORT_FILTERS:
            check_filters(request, *EXPORT_FILTERS[kind])
        return accepted(jobs.start(request.user, kind, jobs.parameters_of(request.GET)))


def _own_job(request, pk) -> Job:
    job = access.visible_jobs(request.user).filter(pk=pk).first()
    if job is None:
        raise NotFound
    return job


class ExportJobView(ExportView):
    renderer_classes = [JSONRenderer]

    @extend_schema(
        summary="A background job: its status and progress",
        responses={200: JobSerializer, 404: OpenApiResponse(description="No such job of yours")},
    )
    def get(self, request, pk):
        return Response(JobSerializer(_own_job(request, pk)).data)


class ExportJobDownloadView(ExportView):
    @extend_schema(
        summary="A background job's file",
        responses={
            (200, XLSX_TYPE): OpenApiResponse(OpenApiTypes.BINARY, description="The .xlsx"),
            404: OpenApiResponse(description="No such job of yours, or no file (yet, or any more)"),
        },
    )
    def get(self, request, pk):
        job = _own_job(request, pk)
        if not job.ready:
            raise NotFound(_("The file is not ready, or has expired."))
        return FileResponse(
            job.file.open("rb"), as_attachment=True, filename=job.file_name, content_type=XLSX_TYPE
        )


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
            202: OpenApiResponse(
                JobSerializer,
                description="A file of more than DIAODU_BACKGROUND_ROWS rows: the job "
                "previewing or importing it; its result is the preview, or the counts",
            ),
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
        data = upload.read()
        commit = request.query_params.get("commit", "").lower() in ("1", "true", "yes")
        if row_count(data) > settings.DIAODU_BACKGROUND_ROWS:
            return accepted(_import_job(request.user, kind, data, plan.file_name, commit))
        plan = plan_import(kind, data, actor=request.user, file_name=plan.file_name)
        unreadable = not plan.ok and not plan.columns
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


def _import_job(user, kind: str, data: bytes, file_name: str, commit: bool) -> Job:
    """A large file's preview (its ``result`` is the preview) or commit (the counts), in
    the background; the file waits in the file store as the pages' imports do."""
    path = default_storage.save(f"{PENDING_DIR}/{uuid.uuid4().hex}.xlsx", ContentFile(data))
    job_kind = JobKind.IMPORT_COMMIT if commit else JobKind.IMPORT_PREVIEW
    return jobs.start(user, job_kind, {"import_kind": kind, "path": path, "name": file_name})


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
    path("exports/", ExportJobsView.as_view(), name="export_jobs"),
    path("exports/<int:pk>/", ExportJobView.as_view(), name="export_job"),
    path("exports/<int:pk>/download/", ExportJobDownloadView.as_view(), name="export_job_download"),
    # Only the kinds of export: any other address under exports/ is not found, whatever
    # its method (an id that is not a number included).
    re_path(
        rf"^exports/(?P<kind>{'|'.join(jobs.EXPORTS)})/$",
        StartExportView.as_view(),
        name="export_start",
    ),
]
