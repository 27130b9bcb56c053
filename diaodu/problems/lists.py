"""How problems and action items are listed: in desks, supervision and project pages."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from diaodu.org.models import Organisation
from diaodu.problems import access, services
from diaodu.problems.choices import ActionStatus, ProblemStatus
from diaodu.problems.models import RED_FIRST, ActionItem, Problem


def ordered(queryset, departments=None):
    """Problems or action items, overdue first, then by due date, with their project and
    departments (``departments``: which columns of the cooperating ones to read)."""
    cooperating = Organisation.objects.all() if departments is None else departments
    return (
        queryset.select_related("project", "lead_department")
        .prefetch_related(Prefetch("cooperating_departments", queryset=cooperating))
        .order_by(RED_FIRST, "due_date", "pk")
    )


#: What a row of a desk, of supervision or of a project's page shows (``_desk_row.html``)
#: and what ``decorate`` asks: the long texts stay in the database.
ROW_FIELDS = (
    "title",
    "status",
    "due_date",
    "light",
    "lead_department__name",
    "lead_department__short_name",
    "project__name",
    "project__owner",
)
#: The dates a finished row shows instead of its due date.
FINISHED_ON = {Problem: ("resolved_on", "closed_on"), ActionItem: ("completed_on",)}


def rows(queryset):
    """Problems or action items for a list, in ``ordered``'s order, with what a row shows
    and no more."""
    departments = Organisation.objects.only("name", "short_name")
    return ordered(queryset, departments).only(*ROW_FIELDS, *FINISHED_ON[queryset.model])


class RowPaginator(Paginator):
    """Pages of ``rows``: the page's ids are picked from the item table alone, then only
    those rows are read with their project and departments. Sorting thousands of open
    items with their joins carried along was most of a desk's SQL."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        window = self.object_list.filter(pk__in=self.object_list.values("pk")[bottom:top])
        return self._get_page(window, number, self)


def decorate(items, user) -> list:
    """Attach to each row what this user may do to it, so templates ask no questions.

    Uses only loaded and prefetched data: no query per row."""
    items = list(items)
    for item in items:
        if isinstance(item, Problem):
            item.moves = [
                (status, problem_verb(item.status, status))
                for status in services.PROBLEM_FLOW[item.status]
                if access.can_transition_problem(user, item, status)
            ]
            item.can_write = access.can_update_problem(user, item)
        else:
            item.moves = [
                (status, action_verb(item.status, status))
                for status in services.ACTION_FLOW[item.status]
                if access.can_transition_action_item(user, item, status)
            ]
            item.can_write = access.can_give_feedback(user, item)
    return items


def problem_verb(from_status, to_status) -> str:
    return {
        ProblemStatus.IN_PROGRESS: _("Start work"),
        ProblemStatus.RESOLVED: _("Mark resolved"),
        ProblemStatus.CLOSED: _("Close"),
        ProblemStatus.OPEN: _("Reopen"),
    }[to_status]


def action_verb(from_status, to_status) -> str:
    """The button's words for a move: returning and acknowledging both lead to "in hand"."""
    if to_status == ActionStatus.ACKNOWLEDGED:
        return _("Return for rework") if from_status == ActionStatus.SUBMITTED else _("Acknowledge")
    return {
        ActionStatus.SUBMITTED: _("Submit result"),
        ActionStatus.DONE: _("Accept as done"),
        ActionStatus.CANCELLED: _("Cancel"),
    }[to_status]
