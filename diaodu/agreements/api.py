from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from diaodu.agreements import access, services, targets
from diaodu.agreements.choices import Fulfilment
from diaodu.agreements.filters import AgreementFilter, CommitmentFilter
from diaodu.agreements.lists import commitment_rows, explain
from diaodu.agreements.models import Agreement, Commitment
from diaodu.api.parsers import FormParser, JSONParser, MultiPartParser
from diaodu.api.serializers import VersionedSerializer
from diaodu.org.models import Organisation
from diaodu.problems.api import CONFLICT, TextSerializer, _ConflictError, _deny_unless, _run
from diaodu.projects.api import VisibleProjectField


@extend_schema_field(OpenApiTypes.INT)
class VisibleAgreementField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return access.visible_agreements(self.context["request"].user)


class AgreementSerializer(VersionedSerializer):
    project = VisibleProjectField()
    enterprise = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    zone_party = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())

    class Meta:
        model = Agreement
        fields = [
            "id",
            "project",
            "number",
            "title",
            "signed_on",
            "enterprise",
            "zone_party",
            "notes",
            "recorded_by",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["recorded_by"]


class CommitmentSerializer(VersionedSerializer):
    agreement = VisibleAgreementField()
    department = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.departments(), required=False, allow_null=True
    )
    target_amount = serializers.CharField(
        required=False,
        allow_null=True,
        allow_blank=True,
        help_text="A number in the unit, or with its own unit (e.g. 3.2亿元): it is stored "
        "converted to the unit, and target_note says so.",
    )
    target_note = serializers.SerializerMethodField()
    fulfilment = serializers.ChoiceField(choices=Fulfilment.choices, read_only=True)
    reason = serializers.SerializerMethodField()
    evidence = serializers.SerializerMethodField()

    class Meta:
        model = Commitment
        fields = [
            "id",
            "agreement",
            "side",
            "department",
            "kind",
            "description",
            "target_amount",
            "target_note",
            "unit",
            "due_date",
            "measure",
            "milestone_kind",
            "remedy",
            "fulfilment",
            "reason",
            "evidence",
            "problem",
            "flagged_on",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["problem", "flagged_on"]

    def get_target_note(self, commitment) -> str:
        return getattr(commitment, "target_note", "")

    def get_reason(self, commitment) -> str:
        return commitment.assessment.reason

    def get_evidence(self, commitment) -> str:
        return commitment.assessment.evidence

    def validate(self, attrs):
        if "target_amount" in attrs or "unit" in attrs:
            unit = attrs.get("unit", getattr(self.instance, "unit", ""))
            text = attrs.get("target_amount", getattr(self.instance, "target_amount", None))
            if text not in (None, "") and not unit:
                raise serializers.ValidationError({"unit": _("Give the unit of the target.")})
            try:
                attrs["target_amount"], self.target_note = targets.normalise(text, unit)
            except DjangoValidationError as error:
                raise serializers.ValidationError({"target_amount": error.messages}) from error
        return super().validate(attrs)


class FulfilmentSerializer(serializers.Serializer):
    recorded_on = serializers.DateField()
    fulfilled = serializers.BooleanField(default=True)
    note = serializers.CharField(max_length=500)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)

    validate_files = TextSerializer.validate_files


class OfficeWritesMixin:
    """Everyone who sees agreements reads them; only the office records and changes them."""

    def create(self, request, *args, **kwargs):
        _deny_unless(access.can_manage_agreements(request.user))
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        _deny_unless(access.can_manage_agreements(request.user))
        return super().update(request, *args, **kwargs)


class ConflictMixin:
    def handle_exception(self, exc):
        if isinstance(exc, _ConflictError):
            data = self.get_serializer(self._shown(exc.current)).data
            return Response(
                {"detail": _("Someone else changed this since you read it."), "current": data},
                status=status.HTTP_409_CONFLICT,
            )
        return super().handle_exception(exc)

    def _shown(self, obj):
        return obj


class AgreementViewSet(
    OfficeWritesMixin,
    ConflictMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Investment agreements signed with projects' owners."""

    serializer_class = AgreementSerializer
    filterset_class = AgreementFilter
    ordering_fields = ["signed_on", "number", "created_at"]

    def get_queryset(self):
        return access.visible_agreements(self.request.user).order_by("-signed_on", "-pk")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        project = data.pop("project")
        serializer.instance = _run(
            lambda: services.create_agreement(project, data, actor=self.request.user)
        )

    def perform_update(self, serializer):
        agreement = serializer.instance
        data = dict(serializer.validated_data)
        version = data.pop("version")
        if data.pop("project", agreement.project) != agreement.project:
            raise serializers.ValidationError(
                {"project": _("An agreement cannot move to another project.")}
            )
        serializer.instance = _run(
            lambda: services.edit_agreement(
                agreement, data, version=version, actor=self.request.user
            )
        )


class CommitmentViewSet(
    OfficeWritesMixin,
    ConflictMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Commitments of agreements, with their fulfilment (met, on track, at risk, broken),
    the reason and the evidence. A department sees the commitments naming it."""

    serializer_class = CommitmentSerializer
    filterset_class = CommitmentFilter
    ordering_fields = ["due_date", "created_at", "updated_at"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return commitment_rows(access.visible_commitments(self.request.user)).order_by(
            "due_date", "pk"
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return explain(page) if page is not None else None

    def get_object(self):
        return explain([super().get_object()])[0]

    def _shown(self, obj):
        return self._fresh(obj)

    def _fresh(self, commitment, note=""):
        [shown] = explain(self.get_queryset().filter(pk=commitment.pk))
        shown.target_note = note
        return shown

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("version", None)
        agreement = data.pop("agreement")
        commitment = _run(lambda: services.add_commitment(agreement, data, actor=self.request.user))
        serializer.instance = self._fresh(commitment, getattr(serializer, "target_note", ""))

    def perform_update(self, serializer):
        commitment = serializer.instance
        data = dict(serializer.validated_data)
        version = data.pop("version")
        if data.pop("agreement", commitment.agreement) != commitment.agreement:
            raise serializers.ValidationError(
                {"agreement": _("A commitment cannot move to another agreement.")}
            )
        _run(
            lambda: services.edit_commitment(
                commitment, data, version=version, actor=self.request.user
            )
        )
        serializer.instance = self._fresh(commitment, getattr(serializer, "target_note", ""))

    @extend_schema(
        request={"multipart/form-data": FulfilmentSerializer},
        responses={201: CommitmentSerializer, 409: CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def fulfil(self, request, pk=None):
        """Record a fulfilment of a hand-measured commitment, with evidence files."""
        commitment = self.get_object()
        _deny_unless(access.can_record_fulfilment(request.user, commitment))
        form = FulfilmentSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        files = data.pop("files")
        _run(lambda: services.record_fulfilment(commitment, data, actor=request.user, files=files))
        return Response(
            self.get_serializer(self._fresh(commitment)).data, status=status.HTTP_201_CREATED
        )
