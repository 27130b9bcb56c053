"""The map's data as GeoJSON, for the map page and other systems (a big screen)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from diaodu.dashboard.api import FILTERS
from diaodu.sites import mapdata


class FeatureCollectionSerializer(serializers.Serializer):
    type = serializers.CharField()
    datum = serializers.CharField()
    features = serializers.ListField(child=serializers.DictField())
    zone = serializers.DictField(allow_null=True)


@extend_schema(
    parameters=[
        *FILTERS,
        OpenApiParameter("q", str, description="search text"),
        OpenApiParameter("stage", str, many=True, description="stage (repeatable)"),
        OpenApiParameter("health", str, description="on_track, at_risk or delayed"),
    ],
    responses=FeatureCollectionSerializer,
)
@api_view(["GET"])
def map_features(request):
    """Projects the caller may see, narrowed by the project list's filters, as a GeoJSON
    FeatureCollection in WGS-84: a point per located project (``layer: project``, with
    health, stage, open problems, approvals pending and land-efficiency grade), its parcels
    (``layer: parcel``) and photos whose place the caller may see (``layer: photo``)."""
    projects = mapdata.filtered_projects(request).qs
    return Response({**mapdata.map_data(request, projects), "zone": mapdata.zone_boundary()})
