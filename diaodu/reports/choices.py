from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    """What a background job makes: an export's file, or an import's preview or commit."""

    DISPATCH_TABLE = "dispatch_table", _("Dispatch table")
    PROBLEM_LEDGER = "problem_ledger", _("Problem ledger")
    COMMITMENT_LEDGER = "commitment_ledger", _("Commitments ledger")
    EVALUATION = "evaluation", _("Land-efficiency evaluation")
    IMPORT_PREVIEW = "import_preview", _("Import preview")
    IMPORT_COMMIT = "import_commit", _("Import")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("waiting to start")
    RUNNING = "running", _("running")
    DONE = "done", _("ready")
    FAILED = "failed", _("failed")
    EXPIRED = "expired", _("expired")


RUNNING_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)
