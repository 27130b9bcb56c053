"""Who may see and change investment agreements and their commitments: the only place it
is decided, for pages, exports and the API alike.

- Admins, coordinators and leaders see every agreement; the office (coordinators) records
  and edits them, their commitments and hand-recorded fulfilments.
- An owner sees the agreements of their own organisation's projects, read-only.
- A department sees the commitments that name it, and the agreements they belong to (but
  not the scanned agreement, which holds the enterprise's terms too).
"""

from django.db.models import Q

from diaodu.agreements.models import Agreement, Commitment, FulfilmentRecord
from diaodu.projects.access import is_project_owner


def _by_role(user, queryset, *, owner: str, department):
    """``queryset`` as ``user`` may see it: everything for the office and leaders; what
    names the owner's enterprise through the field ``owner``; what ``department`` (an
    organisation's id → condition) lets a department's staff see; nothing otherwise."""
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.sees_everything:
        return queryset
    if user.organisation_id is None:
        return queryset.none()
    if user.is_owner:
        return queryset.filter(**{owner: user.organisation_id})
    if user.is_department_staff:
        return queryset.filter(department(user.organisation_id))
    return queryset.none()


def visible_agreements(user):
    return _by_role(
        user,
        Agreement.objects.all(),
        owner="project__owner",
        department=lambda organisation: Q(
            pk__in=Commitment.objects.filter(department=organisation).values("agreement")
        ),
    )


def visible_commitments(user):
    return _by_role(
        user,
        Commitment.objects.all(),
        owner="agreement__project__owner",
        department=lambda organisation: Q(department=organisation),
    )


def can_view_agreement(user, agreement) -> bool:
    return visible_agreements(user).filter(pk=agreement.pk).exists()


def can_view_commitment(user, commitment) -> bool:
    return visible_commitments(user).filter(pk=commitment.pk).exists()


def can_view_agreement_documents(user, agreement) -> bool:
    """The scanned agreement: the office, leaders and the project's owner."""
    return user.is_authenticated and (
        user.sees_everything or is_project_owner(user, agreement.project)
    )


def can_manage_agreements(user) -> bool:
    """Record and edit agreements and their commitments."""
    return user.is_authenticated and user.is_active and user.is_coordinator


def can_record_fulfilment(user, commitment) -> bool:
    return can_manage_agreements(user)


def names_department(user) -> bool:
    """Whether the user has a "commitments naming us" list."""
    return user.is_authenticated and user.is_department_staff and user.organisation_id is not None


# What a user may open of each model, for lists that name objects of many kinds.
OPENS = {
    Agreement: visible_agreements,
    Commitment: visible_commitments,
    FulfilmentRecord: lambda user: FulfilmentRecord.objects.filter(
        commitment__in=visible_commitments(user)
    ),
}


def can_view_agreement_history(user) -> bool:
    """The change log of an agreement and its commitments names every party's changes:
    for those who see every agreement."""
    return user.is_authenticated and user.sees_everything
