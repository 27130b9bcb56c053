"""The inbox as JSON: the same sections, counts and items as the page."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from diaodu.inbox.sources import describe, sections_for


class InboxProjectSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class InboxItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project = InboxProjectSerializer(allow_null=True)
    title = serializers.CharField()
    url = serializers.CharField(help_text="The item's page, where it is acted on.")
    waiting_since = serializers.CharField(help_text="A date or a date and time (ISO 8601).")


class InboxSectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="All the items waiting, shown or not.")
    items = InboxItemSerializer(many=True, help_text="The oldest items, oldest first.")


class InboxSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    sections = InboxSectionSerializer(many=True)


@extend_schema(responses=InboxSerializer)
@api_view(["GET"])
def inbox(request):
    """What waits for the caller, by kind, oldest first: the same as the inbox page."""
    sections = sections_for(request.user)
    return Response(
        InboxSerializer(
            {
                "total": sum(section.count for section in sections),
                "sections": [
                    {
                        "key": section.source.key,
                        "label": str(section.source.label),
                        "count": section.count,
                        "items": [describe(section.source, item) for item in section.items],
                    }
                    for section in sections
                ],
            }
        ).data
    )
