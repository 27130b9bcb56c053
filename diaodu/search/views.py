from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from diaodu.search import services
from diaodu.search.forms import GlobalSearchForm


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Everything the user may see that matches ``q``, grouped by kind; with ``kind``,
    that kind's results a page at a time."""
    form = GlobalSearchForm(request.GET)
    text, kind = form.text(), form.chosen_kind()
    context = {"form": form, "text": text, "kind": kind}
    if text and kind:
        group, page = services.search_kind(request.user, text, kind, request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context.update(groups=[group] if group.count else [], page=page, query=query.urlencode())
    elif text:
        context["groups"] = services.search(request.user, text)
    return render(request, "search/search.html", context)
