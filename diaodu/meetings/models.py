from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from diaodu.core.i18n import localized_name
from diaodu.core.models import Searchable, TimeStampedModel, VersionedModel
from diaodu.meetings.choices import BatchKind, MeetingKind, MeetingStatus


class Meeting(Searchable, TimeStampedModel, VersionedModel):
    """A dispatch meeting (调度会, 专题会议): leaders hear an ordered agenda of projects and
    assign what must be solved. ``previous`` links a meeting to the one it follows up."""

    SEARCH_FIELDS = ("title", "place")

    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        on_delete=models.PROTECT,
        related_name="chaired_meetings",
        null=True,
        blank=True,
    )
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attendees"), related_name="meetings", blank=True
    )
    organisations = models.ManyToManyField(
        "org.Organisation",
        verbose_name=_("attending organisations"),
        related_name="meetings",
        blank=True,
    )
    previous = models.ForeignKey(
        "self",
        verbose_name=_("follows up"),
        on_delete=models.PROTECT,
        related_name="followed_by",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.UPCOMING
    )
    # The fingerprint of the published report the meeting was drafted from, so drafting
    # the same report again warns instead of making a second meeting unnoticed.
    report_hash = models.CharField(
        _("report fingerprint"), max_length=64, blank=True, editable=False, db_index=True
    )
    preamble = models.TextField(
        _("opening of the minutes"),
        max_length=4000,
        blank=True,
        help_text=_("For example: 会议听取了各项目推进情况汇报，研究了存在的问题，现纪要如下。"),
    )
    closing = models.TextField(_("closing of the minutes"), max_length=4000, blank=True)
    current_item = models.ForeignKey(
        "AgendaItem",
        verbose_name=_("item on the screen"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    # Bumped by every write the big screen shows, so its one-second poll costs one small
    # query and an empty answer while nothing changes.
    screen_version = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        # Only when the meeting is created (no pk yet: the API validates a fresh copy of a
        # stored meeting), so an upcoming meeting whose day has passed can still be
        # corrected. The day is the local one, whatever time zone starts_at carries.
        if (
            self.status == MeetingStatus.UPCOMING
            and self.starts_at
            and timezone.localdate(self.starts_at) < timezone.localdate()
            and self.pk is None
        ):
            raise ValidationError(
                {"starts_at": _("A meeting in the past cannot be upcoming: record it as held.")}
            )
        if self.previous_id and self.pk and self.previous_id == self.pk:
            raise ValidationError({"previous": _("A meeting cannot follow up itself.")})

    def get_absolute_url(self):
        return reverse("meetings:meeting_detail", args=[self.pk])

    @property
    def is_issued(self) -> bool:
        return self.status == MeetingStatus.ISSUED


class AgendaItem(VersionedModel):
    """One project on a meeting's agenda, with what was said and decided about it."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="agenda_items",
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    summary = models.TextField(_("discussion summary"), max_length=4000, blank=True)
    decisions = models.TextField(_("decisions"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "project"], name="agenda_project_once")
        ]

    def __str__(self):
        return f"{self.meeting} · {self.project}"


class Minutes(models.Model):
    """The issued minutes (会议纪要): a frozen .docx and the text it was made from."""

    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="minutes"
    )
    document = models.FileField(_("document"), upload_to="minutes/%Y/")
    issued_at = models.DateTimeField(_("issued"), default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The document number (滨重协纪〔2026〕3号), counted per year and given when issued;
    # the office's code is kept as printed, so changing it later renames no issued minutes.
    code = models.CharField(_("number prefix"), max_length=30, blank=True, editable=False)
    year = models.PositiveIntegerField(_("year"), null=True, editable=False)
    number = models.PositiveIntegerField(_("number"), null=True, editable=False)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.UniqueConstraint(fields=["year", "number"], name="minutes_number_per_year")
        ]

    def __str__(self):
        return str(self.meeting)

    @property
    def reference(self) -> str:
        """The number as printed on the minutes, in the reader's language and script."""
        return minutes_reference(self.code, self.year, self.number) if self.number else ""


def minutes_reference(code: str, year: int, number) -> str:
    """滨重协纪〔2026〕3号; ``number`` may be blank space (a draft awaiting its number)."""
    return gettext("%(code)s[%(year)s] No. %(number)s") % {
        "code": localized_name(code),
        "year": year,
        "number": number,
    }


class EventBatch(TimeStampedModel):
    """A batch event (集中开竣工/签约活动): projects that sign, start or complete together."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=BatchKind.choices)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    projects = models.ManyToManyField(
        "projects.Project", verbose_name=_("projects"), related_name="event_batches"
    )
    held_on = models.DateField(_("held on"), null=True, blank=True)

    class Meta:
        verbose_name = _("event batch")
        verbose_name_plural = _("event batches")
        ordering = ["-date", "-pk"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("meetings:batch_detail", args=[self.pk])
