"""The writes of this app: issuing a bulletin, and an import (a plan without errors, see
``importing``) in one transaction.

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

Changed projects are updated as ``update_project`` updates one (``core.services.update``:
the stored values read back, ``full_clean``, only what changed saved, one log row with
before and after), for all of them at once: the queries ``update`` makes per project
(reading it back, each foreign key's target, each unique value, the save, the log) are
made once per batch. Changed milestones go through their service one by one.
"""

from collections.abc import Iterable, Sequence

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from diaodu.agreements import derived as agreements_derived
from diaodu.core import derived, history
from diaodu.core import services as core
from diaodu.core.choices import ChangeAction
from diaodu.core.models import ChangeLog, Searchable, VersionedModel
from diaodu.lib.periods import Period
from diaodu.org.choices import OrganisationKind
from diaodu.org.models import Organisation
from diaodu.problems import services as problem_services
from diaodu.projects import services as project_services
from diaodu.projects.models import Milestone, MilestoneKind, Project
from diaodu.reports.importing import (
    CREATE,
    PROJECT_MANY,
    UPDATE,
    ImportKind,
    NewEnterprise,
    Plan,
    text_key,
)
from diaodu.reports.models import Bulletin

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


def _create_logged(actor, objects: list, sets: list[dict] | None = None) -> None:
    """Insert new objects, with ``sets`` (per object, many-to-many field name → objects),
    and log each one's creation, as ``core.services.create`` does. Snapshots are taken
    before the insert, when an object has no id and so no many-to-many values to read (a
    query each): they are the sets given."""
    if not objects:
        return
    model = type(objects[0])
    sets = sets or [{} for _obj in objects]
    snapshots = []
    for obj, values in zip(objects, sets, strict=True):
        if isinstance(obj, Searchable):
            # What Searchable.save does; bulk_create does not call save().
            obj.refresh_search_key()
        after = history.snapshot(obj)
        after.update(
            {
                f.name: sorted(str(o) for o in values.get(f.name, []))
                for f in model._meta.many_to_many
            }
        )
        snapshots.append(after)
    model.objects.bulk_create(objects, batch_size=BATCH)
    for f in model._meta.many_to_many:
        through = getattr(model, f.name).through
        source, target = f.m2m_field_name(), f.m2m_reverse_field_name()
        through.objects.bulk_create(
            (
                through(**{f"{source}_id": obj.pk, f"{target}_id": other.pk})
                for obj, values in zip(objects, sets, strict=True)
                for other in dict.fromkeys(values.get(f.name, []))
            ),
            batch_size=BATCH,
        )
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
    projects, sets = [], []
    for change in creates:
        project = change.instance
        owner = change.values.get("owner")
        project.owner = (
            enterprises[text_key(owner.name)] if isinstance(owner, NewEnterprise) else owner
        )
        projects.append(project)
        sets.append({name: change.values.get(name, []) for name in PROJECT_MANY})
    _create_logged(actor, projects, sets)
    _create_milestones(actor, projects, [change.milestones for change in creates])
    for start in range(0, len(projects), BATCH):
        # What is stored from their milestones (health, next milestone), a batch at a time.
        derived.changed(*projects[start : start + BATCH])
    updates = [change for change in plan.changes if change.action == UPDATE]
    changed = [change for change in updates if change.values]
    _update_logged(
        actor,
        [change.target for change in changed],
        [_resolved(change.values, enterprises) for change in changed],
    )
    agreements_derived.projects_changed(change.target.pk for change in changed)
    for change in updates:
        if change.milestones:
            _update_milestones(change, actor)


def _stored(model, ids: list) -> dict:
    """The rows as stored, with every foreign key's target and many-to-many set, so their
    snapshots read nothing more."""
    relations = [f.name for f in model._meta.concrete_fields if f.is_relation]
    sets = [f.name for f in model._meta.many_to_many]
    queryset = model._base_manager.select_related(*relations).prefetch_related(*sets)
    stored = {}
    for start in range(0, len(ids), BATCH):
        stored.update(queryset.in_bulk(ids[start : start + BATCH]))
    return stored


def _clean_all(objects: list) -> None:
    """``full_clean`` of each object, with its per-object queries made once for all:
    whether each foreign key's target exists (as ``ForeignKey.validate`` asks) and whether
    each unique value is someone else's (as ``validate_unique`` asks)."""
    if not objects:
        return
    model = type(objects[0])
    relations = [f for f in model._meta.concrete_fields if f.is_relation]
    wanted = {f: {} for f in relations}
    for obj in objects:
        obj.full_clean(
            exclude=[f.name for f in relations], validate_unique=False, validate_constraints=False
        )
        errors = {}
        for f in relations:
            raw = getattr(obj, f.attname)
            if f.blank and raw in f.empty_values:
                continue
            try:
                value = f.to_python(raw)
                # ForeignKey.validate without its query, which is made below for all.
                models.Field.validate(f, value, obj)
                f.run_validators(value)
            except ValidationError as error:
                errors[f.name] = error.error_list
                continue
            if value is not None:
                wanted[f].setdefault(value, obj)
        if errors:
            raise ValidationError(errors)
    for f, values in wanted.items():
        target = f.remote_field.model._base_manager.complex_filter(f.get_limit_choices_to())
        found = set()
        keys = list(values)
        for start in range(0, len(keys), BATCH):
            found.update(
                target.filter(
                    **{f"{f.remote_field.field_name}__in": keys[start : start + BATCH]}
                ).values_list(f.remote_field.field_name, flat=True)
            )
        for value in keys:
            if value not in found:
                params = {
                    "model": f.remote_field.model._meta.verbose_name,
                    "pk": value,
                    "field": f.remote_field.field_name,
                    "value": value,
                }
                raise ValidationError(
                    {f.name: ValidationError(f.error_messages["invalid"], "invalid", params)}
                )
    for f in model._meta.concrete_fields:
        if not f.unique or f.primary_key:
            continue
        owners = {getattr(o, f.attname): o for o in objects if getattr(o, f.attname) is not None}
        keys = list(owners)
        for start in range(0, len(keys), BATCH):
            taken = model._base_manager.filter(**{f"{f.attname}__in": keys[start : start + BATCH]})
            for value, pk in taken.values_list(f.attname, "pk"):
                if pk != owners[value].pk:
                    raise ValidationError(
                        {f.name: owners[value].unique_error_message(model, (f.name,))}
                    )
    for obj in objects:
        obj.validate_constraints()


def _update_logged(actor, objects: list, changes: list[dict]) -> None:
    """``core.services.update(actor, obj, changes)`` for each object, in batches."""
    if not objects:
        return
    model = type(objects[0])
    stored = _stored(model, [obj.pk for obj in objects])
    relations = [f for f in model._meta.concrete_fields if f.is_relation]
    befores, changed, many = [], [], []
    for obj, values in zip(objects, changes, strict=True):
        current = stored[obj.pk]
        befores.append(history.snapshot(current))
        fields, sets = [], {}
        for name, value in values.items():
            field = obj._meta.get_field(name)
            if field.many_to_many:
                sets[name] = value
                continue
            setattr(obj, name, value)
            if getattr(current, field.attname) != getattr(obj, field.attname):
                fields.append(name)
        if (fields or sets) and isinstance(obj, VersionedModel):
            # As ``update`` does, so an edit begun before the import is refused.
            obj.version = current.version + 1
            fields.append("version")
        # What the object does not hold yet is as stored: share it, so the snapshot after
        # the change reads nothing.
        for f in relations:
            if not f.is_cached(obj) and getattr(obj, f.attname) == getattr(current, f.attname):
                f.set_cached_value(obj, f.get_cached_value(current))
        obj._prefetched_objects_cache = {
            name: value
            for name, value in getattr(current, "_prefetched_objects_cache", {}).items()
            if name not in sets
        }
        changed.append(fields)
        many.append(sets)
    _clean_all(objects)
    _save_changed(model, objects, changed)
    content_type = ContentType.objects.get_for_model(model).pk
    entries = []
    for obj, sets, before in zip(objects, many, befores, strict=True):
        for name, values in sets.items():
            getattr(obj, name).set(values)
        after = history.snapshot(obj)
        if before != after:  # as history.record: an update that changed nothing leaves no row
            entry = (actor.pk, ChangeAction.UPDATE, content_type, obj.pk, str(obj)[:200])
            entries.append((*entry, None, None, before, after))
    _log(entries)


def _save_changed(model, objects: list, changed: list[list[str]]) -> None:
    """``obj.save(update_fields=changed)`` for each object with changes, one UPDATE per
    batch of objects that changed the same fields."""
    groups = {}
    for obj, fields in zip(objects, changed, strict=True):
        if fields:
            groups.setdefault(tuple(sorted(fields)), []).append(obj)
    for fields, group in groups.items():
        names = list(fields)
        if issubclass(model, Searchable):
            for obj in group:
                obj.refresh_search_key()  # as Searchable.save does
            names.append("search_key")
        _update_rows(model, names, group)


def _update_rows(model, names: list[str], objects: list) -> None:
    """UPDATE each object's ``names`` columns by its id, values prepared as ``save`` does
    (each field's ``pre_save``, then its database preparation). ``bulk_update`` builds a
    CASE expression per field and batch, which took longer than the updates themselves."""
    db = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in names]
    prepare = [_preparer(f, db) for f in fields]
    assignments = ", ".join(f"{db.ops.quote_name(f.column)} = %s" for f in fields)
    sql = (
        f"UPDATE {db.ops.quote_name(model._meta.db_table)} SET {assignments}"
        f" WHERE {db.ops.quote_name(model._meta.pk.column)} = %s"
    )
    rows = [
        (*(p(f.pre_save(obj, add=False)) for p, f in zip(prepare, fields, strict=True)), obj.pk)
        for obj in objects
    ]
    with db.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def _update_milestones(change, actor) -> None:
    project = change.target
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
    "version",
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
                    1,
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


BULLETIN_SERIES = "bulletin"


@transaction.atomic
def issue_bulletin(month: Period, render, *, actor) -> Bulletin:
    """Number the month's bulletin (第N期, per year of issue, in issuing order) and keep the
    .docx made by ``render(bulletin)``. A month is issued once."""
    year = timezone.localdate().year
    # Drawn first: the sequence's lock makes a second issue of the same month wait here,
    # then find the first one and give its number back by rolling back.
    number = core.next_number(BULLETIN_SERIES, year)
    if Bulletin.objects.filter(month=month.start).exists():
        raise ValidationError(_("The bulletin of this month has already been issued."))
    issued = Bulletin(month=month.start, issued_by=actor, year=year, number=number)
    issued.document.save(
        f"bulletin-{month.start:%Y-%m}.docx", ContentFile(render(issued)), save=False
    )
    issued.save()
    history.record(actor, issued, ChangeAction.CREATE, after=history.snapshot(issued))
    return issued
