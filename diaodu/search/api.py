"""The global search as JSON: the same groups and results as the search page."""

from dataclasses import asdict

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework.reverse import reverse

from diaodu.search import services
from diaodu.search.choices import SearchKind
from diaodu.search.forms import GlobalSearchForm


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField(help_text="The object's page; empty for kinds without one.")


class SearchGroupSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="How many match in all.")
    results = SearchHitSerializer(many=True)
    next = serializers.URLField(
        allow_null=True,
        help_text="Without kind: this kind's results a page at a time, when there are more "
        "than shown. With kind: the next page.",
    )


class SearchResultsSerializer(serializers.Serializer):
    query = serializers.CharField()
    groups = SearchGroupSerializer(many=True)


def _url(request, **params) -> str:
    query = request.query_params.copy()
    for name, value in params.items():
        query[name] = value
    return f"{reverse('api:search', request=request)}?{query.urlencode()}"


def _group(group: services.Group, results, next_url) -> dict:
    return {
        "kind": group.kind.value,
        "label": str(group.kind.label),
        "count": group.count,
        "results": [asdict(hit) for hit in results],
        "next": next_url,
    }


@extend_schema(
    parameters=[
        OpenApiParameter(
            "q",
            str,
            required=True,
            description="Name, code, short name or alias, in Simplified or Traditional "
            "characters, full pinyin or pinyin initials.",
        ),
        OpenApiParameter(
            "kind",
            str,
            enum=SearchKind.values,
            description="One kind only, a page at a time; without it, the best "
            f"{services.GROUP_LIMIT} of every kind.",
        ),
        OpenApiParameter("page", int, description="With kind: the page number."),
    ],
    responses={
        200: SearchResultsSerializer,
        400: OpenApiResponse(description="No query, a query that is too long, or no such kind."),
    },
)
@api_view(["GET"])
def search(request):
    """Everything the caller may see that matches ``q``, grouped by kind and ranked: a
    whole name first, then names starting with it, then the rest."""
    form = GlobalSearchForm(request.query_params)
    if not form.is_valid():
        raise serializers.ValidationError({name: list(e) for name, e in form.errors.items()})
    text, kind = form.text(), form.chosen_kind()
    if not text:
        raise serializers.ValidationError({"q": [form.fields["q"].error_messages["required"]]})
    if kind:
        group, page = services.search_kind(
            request.user, text, kind, request.query_params.get("page")
        )
        next_url = _url(request, page=page.next_page_number()) if page.has_next() else None
        groups = [_group(group, page.object_list, next_url)] if group.count else []
    else:
        groups = [
            _group(
                group,
                group.hits,
                _url(request, kind=group.kind.value) if group.count > len(group.hits) else None,
            )
            for group in services.search(request.user, text)
        ]
    return Response(SearchResultsSerializer({"query": text, "groups": groups}).data)
