"""The writes of an import: a plan without errors (see ``importing``), in one transaction.

Changes to existing projects and problems go through their apps' services
(``update_project``, ``plan_milestone``, ``add_milestone``, ``raise_problem``,
``edit_problem``), so their rules apply and each change is logged as any edit is.

New projects are the exception, for speed. ``create_project`` costs about ten queries and
some ten milliseconds a project (validation, the row, the log, the template's
milestones): minutes for a 10,000-row ledger. Here the same happens in a fixed number of
queries per thousand rows. The planner has already run the model's validation on every
row and checked uniqueness for the whole file; then projects, their template milestones
and one change-log row per object (as ``create_project`` and ``plan_milestone`` write
them) are inserted in bulk. Milestones and log rows, ten and four per project, are
inserted without building model instances, which would take most of the time.
"""

from collections.abc import Iterable, Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diaodu.core import history
from diaodu.core.choices import ChangeAction
from diaodu.core.models import ChangeLog, Searchable
from diaodu.lib.chinese import search_key
from diaodu.org.choices import OrganisationKind
from diaodu.org.models import Organisation
from diaodu.problems import services as problem_services
from diaodu.projects import services as project_services
from diaodu.projects.models import Milestone, MilestoneKind, Project
from diaodu.reports.importing import CREATE, UPDATE, ImportKind, NewEnterprise, Plan, text_key

BATCH = 500


class ImportConflict(Exception):
    """The database changed between the plan and the commit (someone created the same
    project meanwhile): nothing was imported."""


def commit_import(plan: Plan, *, actor) -> dict[str, int]:
    """Apply the plan; all or nothing. Returns how many rows created and updated."""
    if not plan.ok:
        raise ValidationError(_("The file has errors; nothing was imported."))
    try:
        with transaction.atomic():
            if plan.kind == ImportKind.PROJECTS:
                _commit_projects(plan, actor)
            else:
                _commit_problems(plan, actor)
    except IntegrityError as error:
        raise ImportConflict(str(error)) from error
    counts = plan.counts
    return {"created": counts[CREATE], "updated": counts[UPDATE]}


# --- inserting in bulk -------------------------------------------------------------------


def _preparer(field, db):
    """Prepares a field's values for the database as the ORM does. Values the drivers take
    as they are (ids, text) pass straight through; others (dates, times, JSON) are
    prepared once per distinct value: a ledger's rows share their timestamps and dates."""
    if isinstance(field, PASS_THROUGH):
        return lambda value: (
            value
            if isinstance(value, int | str) or value is None
            else (field.get_db_prep_save(value, db))
        )
    cache = {}

    def prepare(value):
        if value is None:
            return None
        try:
            return cache[value]
        except KeyError:
            prepared = cache[value] = field.get_db_prep_save(value, db)
            return prepared
        except TypeError:  # unhashable, e.g. a JSON dict
            return field.get_db_prep_save(value, db)

    return prepare


PASS_THROUGH = (models.IntegerField, models.ForeignKey, models.CharField, models.TextField)


def _insert(model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence]) -> None:
    """INSERT rows of plain values (``names`` are field names), each value prepared for the
    database by its field as the ORM would, without building model instances."""
    db = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in names]
    prepare = [_preparer(f, db) for f in fields]
    columns = ", ".join(db.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {db.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    )
    batch = []
    with db.cursor() as cursor:
        for row in rows:
            batch.append(tuple(p(value) for p, value in zip(prepare, row, strict=True)))
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


LOG_FIELDS = [
    "actor",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "related_type",
    "related_id",
    "before",
    "after",
    "timestamp",
]


def _log(entries: Iterable[tuple]) -> None:
    """Change-log rows as ``history.record`` writes them: (actor id, action, type id,
    object id, text, related type id, related id, before, after)."""
    now = timezone.now()
    _insert(ChangeLog, LOG_FIELDS, ((*entry, now) for entry in entries))


def _create_logged(actor, objects: list, *, m2m_empty=True) -> None:
    """Insert new objects and log each one's creation, as ``core.services.create`` does.
    Snapshots are taken before the insert, when an object has no id and so no
    many-to-many values to read (a query each): a new object's sets are empty."""
    if not objects:
        return
    model = type(objects[0])
    snapshots = []
    for obj in objects:
        if isinstance(obj, Searchable):
            # What Searchable.save does; bulk_create does not call save().
            obj.search_key = search_key(*(getattr(obj, name) or "" for name in obj.SEARCH_FIELDS))
        after = history.snapshot(obj)
        after.update({f.name: [] for f in model._meta.many_to_many})
        snapshots.append(after)
    model.objects.bulk_create(objects, batch_size=BATCH)
    content_type = ContentType.objects.get_for_model(model).pk
    _log(
        (
            actor.pk,
            ChangeAction.CREATE,
            content_type,
            obj.pk,
            str(obj)[:200],
            None,
            None,
            None,
            after,
        )
        for obj, after in zip(objects, snapshots, strict=True)
    )


# --- projects ----------------------------------------------------------------------------


def _create_enterprises(plan: Plan, actor) -> dict[str, Organisation]:
    enterprises = [
        Organisation(kind=OrganisationKind.ENTERPRISE, name=name) for name in plan.new_enterprises
    ]
    for enterprise in enterprises:
        enterprise.full_clean(validate_unique=False)
    _create_logged(actor, enterprises)
    return {text_key(e.name): e for e in enterprises}


def _resolved(values: dict, enterprises: dict) -> dict:
    return {
        name: enterprises[text_key(value.name)] if isinstance(value, NewEnterprise) else value
        for name, value in values.items()
    }


def _commit_projects(plan: Plan, actor) -> None:
    enterprises = _create_enterprises(plan, actor)
    creates = [change for change in plan.changes if change.action == CREATE]
    projects = []
    for change in creates:
        project = change.instance
        owner = change.values.get("owner")
        project.owner = (
            enterprises[text_key(owner.name)] if isinstance(owner, NewEnterprise) else owner
        )
        projects.append(project)
    _create_logged(actor, projects)
    _create_milestones(actor, projects, [change.milestones for change in creates])
    for change in plan.changes:
        if change.action == UPDATE:
            _update_project(change, enterprises, actor)


def _update_project(change, enterprises, actor) -> None:
    project = change.target
    if change.values:
        project_services.update_project(project, _resolved(change.values, enterprises), actor=actor)
    if not change.milestones:
        return
    milestones = {m.kind_id: m for m in project.milestones.all()}
    for kind_id, dates in change.milestones.items():
        if kind_id in milestones:
            project_services.plan_milestone(milestones[kind_id], dates, actor=actor)
        else:
            kind = MilestoneKind.objects.get(pk=kind_id)
            project_services.add_milestone(project, {"kind": kind, **dates}, actor=actor)


MILESTONE_FIELDS = [
    "project",
    "kind",
    "approving_department",
    "planned_date",
    "actual_date",
    "note",
    "created_at",
    "updated_at",
]


def _create_milestones(actor, projects: list[Project], dates: list[dict]) -> None:
    """Each new project's template milestones, as ``create_project`` makes them, with the
    dates the file gives; kinds outside the template are added as ``add_milestone`` adds
    them. Dates set on a template milestone are logged as ``plan_milestone`` logs them,
    an added milestone as ``add_milestone`` does."""
    if not projects:
        return
    kinds = {k.pk: k for k in MilestoneKind.objects.select_related("approving_department")}
    template = [k for k in kinds.values() if k.in_template]
    now = timezone.now()

    def rows():
        for project, given in zip(projects, dates, strict=True):
            extra = [kinds[kind_id] for kind_id in given if not kinds[kind_id].in_template]
            for kind in [*template, *extra]:
                when = given.get(kind.pk, {})
                yield (
                    project.pk,
                    kind.pk,
                    kind.approving_department_id,
                    when.get("planned_date"),
                    when.get("actual_date"),
                    "",
                    now,
                    now,
                )

    _insert(Milestone, MILESTONE_FIELDS, rows())
    _log_milestones(actor, projects, dates, kinds)


def _log_milestones(actor, projects, dates, kinds) -> None:
    dated = [(project, given) for project, given in zip(projects, dates, strict=True) if given]
    if not dated:
        return
    ids = {}
    for start in range(0, len(dated), BATCH):
        chunk = [project.pk for project, _given in dated[start : start + BATCH]]
        ids.update(
            ((project_id, kind_id), pk)
            for pk, project_id, kind_id in Milestone.objects.filter(project__in=chunk).values_list(
                "pk", "project_id", "kind_id"
            )
        )
    milestone_type = ContentType.objects.get_for_model(Milestone).pk
    project_type = ContentType.objects.get_for_model(Project).pk
    # One unsaved milestone per kind, given each project and dates in turn, is what the
    # snapshots are taken of: the log holds the same fields, formatted the same way, as
    # history.snapshot gives for any milestone.
    probes = {
        kind.pk: Milestone(kind=kind, approving_department=kind.approving_department)
        for kind in kinds.values()
    }

    def entries():
        for project, given in dated:
            for kind_id, when in given.items():
                probe = probes[kind_id]
                probe.project = project
                probe.planned_date = when.get("planned_date")
                probe.actual_date = when.get("actual_date")
                after = history.snapshot(probe)
                if kinds[kind_id].in_template:
                    action = ChangeAction.UPDATE
                    before = {**after, "planned_date": None, "actual_date": None}
                else:
                    action, before = ChangeAction.CREATE, None
                yield (
                    actor.pk,
                    action,
                    milestone_type,
                    ids[(project.pk, kind_id)],
                    str(probe)[:200],
                    project_type,
                    project.pk,
                    before,
                    after,
                )

    _log(entries())


# --- problems ----------------------------------------------------------------------------


def _commit_problems(plan: Plan, actor) -> None:
    for change in plan.changes:
        if change.action == CREATE:
            problem_services.raise_problem(change.project, dict(change.values), actor=actor)
        elif change.action == UPDATE:
            problem = change.target
            problem_services.edit_problem(
                problem, dict(change.values), version=problem.version, actor=actor
            )
