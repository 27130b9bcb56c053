from django import forms
from django.utils.translation import gettext_lazy as _

from diaodu.core.search import SearchForm
from diaodu.search.choices import SearchKind


class GlobalSearchForm(SearchForm):
    """The search page's and the search API's query: the text, and one kind or all."""

    kind = forms.ChoiceField(
        label=_("kind"), choices=[("", _("everything")), *SearchKind.choices], required=False
    )

    def chosen_kind(self) -> SearchKind | None:
        kind = self.cleaned_data.get("kind") if self.is_valid() else ""
        return SearchKind(kind) if kind else None
