"""Who may see and change investment agreements and their commitments: the only place it
is decided, for pages, exports and the API alike.

- Admins, coordinators and leaders see every agreement; the office (coordinators) records
  and edits them, their commitments and hand-recorded fulfilments.
- An owner sees the agreements of their own organisation's projects, read-only.
- A department sees the commitments that name it, and the agreements they belong to (but
  not the scanned agreement, which holds the enterprise's terms too).
"""

from diaodu.agreements.models import Agreement, Commitment
from diaodu.projects.access import is_project_owner


def visible_agreements(user):
    queryset = Agreement.objects.all()
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.sees_everything:
        return queryset
    if user.organisation_id is None:
        return queryset.none()
    if user.is_owner:
        return queryset.filter(project__owner=user.organisation_id)
    if user.is_department_staff:
        named = Commitment.objects.filter(department=user.organisation_id).values("agreement")
        return queryset.filter(pk__in=named)
    return queryset.none()


def visible_commitments(user):
    queryset = Commitment.objects.all()
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.sees_everything:
        return queryset
    if user.organisation_id is None:
        return queryset.none()
    if user.is_owner:
        return queryset.filter(agreement__project__owner=user.organisation_id)
    if user.is_department_staff:
        return queryset.filter(department=user.organisation_id)
    return queryset.none()


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
