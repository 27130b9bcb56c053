"""A meeting record drafted from a published report of the meeting (a news item, 会议纪要).

:func:`draft` reads the report and proposes: the date, kind and title; the projects,
organisations and people Diaodu knows that it names (compared on Simplified forms through
full names, short names and "surname + title", so Traditional text matches too); project
names it does not know; and its directives as decisions. Every proposal carries the
sentence it came from. Nothing is written: :func:`confirm` creates what the coordinator
kept, in one transaction, through the meeting and project services.
"""

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from diaodu.accounts.models import User
from diaodu.core.attachments import check_office_file
from diaodu.lib import reporttext
from diaodu.lib.chinese import normalise_query
from diaodu.lib.text import clean_text
from diaodu.meetings import services
from diaodu.meetings.choices import MeetingStatus
from diaodu.meetings.models import Meeting
from diaodu.org import names
from diaodu.org.models import Organisation
from diaodu.projects import services as project_services
from diaodu.projects.models import Project

#: The time a drafted meeting gets: reports give the day, rarely the hour.
DEFAULT_TIME = time(9, 0)
#: The longest report read, in characters: a meeting report runs to a few thousand; a
#: limit this far above means only a wrong paste (a whole web page, a book) is refused.
MAX_REPORT_CHARS = 100_000
_TITLE_LENGTH = 200


def report_error(code: str) -> ValidationError:
    """What is wrong with a report (``reporttext.ReportTextError.code``), for the reader."""
    message = {
        "empty": _("The report is empty: paste its text or choose a file."),
        "too_long": _(
            "The report is longer than %(limit)s characters: paste only the meeting's report."
        )
        % {"limit": f"{MAX_REPORT_CHARS:,}"},
        "binary": _("This is not text. Paste the report, or upload it as a .txt or .docx file."),
        "encoding": _(
            "The file's characters cannot be read: save it as text in UTF-8 or GB18030 (GBK)."
        ),
        "docx": _("This .docx file cannot be opened: it is damaged or not a Word document."),
        "not_chinese": _(
            "The report is not in Chinese. Reports in Simplified or Traditional Chinese "
            "can be read."
        ),
    }[code]
    return ValidationError(message, code=code)


def read_report(text: str = "", upload=None) -> str:
    """The report's text, pasted or from an uploaded .txt or .docx, checked; a
    ``ValidationError`` saying what is wrong otherwise."""
    if upload is not None and text.strip():
        raise ValidationError(_("Paste the report or choose a file, not both."))
    try:
        if upload is not None:
            text = _read_upload(upload)
        reporttext.check_text(text, MAX_REPORT_CHARS)
    except reporttext.ReportTextError as error:
        raise report_error(error.code) from None
    return text


def _read_upload(upload) -> str:
    limit = settings.DIAODU_MAX_UPLOAD_MB * 1024 * 1024
    if upload.size > limit:
        raise ValidationError(
            _("The file is %(size)s; files may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="too_big",
        )
    extension = upload.name.rpartition(".")[2].lower() if "." in upload.name else ""
    if extension not in ("txt", "docx"):
        raise ValidationError(_("Upload the report as a .txt or .docx file."), code="file_type")
    data = upload.read()
    if extension == "docx":
        check_office_file(data)
        return clean_text(reporttext.docx_text(data))
    return clean_text(reporttext.decode_text(data))


@dataclass(frozen=True)
class Found:
    """A project, organisation or person Diaodu knows, as the report names it."""

    obj: Project | Organisation | User
    said: str
    sentence: str


@dataclass(frozen=True)
class NewName:
    """A phrase naming a project Diaodu does not know: to create, link or ignore."""

    name: str
    sentence: str


@dataclass(frozen=True)
class ProposedDecision:
    """A directive of the meeting, for the agenda item of ``project`` (a known project),
    of ``new_name`` (an index into ``Draft.new_names``), or for the whole meeting."""

    text: str
    sentence: str
    project: Project | None = None
    new_name: int | None = None
    speaker: str = ""  # as the report names them; "" for the meeting
    required: bool = True  # a requirement (kept by default), or a statement for context


@dataclass
class Draft:
    """What a report proposes for the meeting record; the coordinator reviews it all."""

    date: date | None
    date_sentence: str
    kind: str
    status: str  # held when the date has passed (or is today)
    title: str
    title_sentence: str
    chair: Found | None
    projects: list[Found] = field(default_factory=list)
    organisations: list[Found] = field(default_factory=list)
    people: list[Found] = field(default_factory=list)
    new_names: list[NewName] = field(default_factory=list)
    decisions: list[ProposedDecision] = field(default_factory=list)
    time: time = DEFAULT_TIME  # as the date's sentence says (上午, 下午3:30), or the default
    drafted_before: list[Meeting] = field(default_factory=list)  # from the same report
    # How many projects the report says the meeting dealt with (七个重点项目), if it says.
    project_count: int | None = None
    project_count_sentence: str = ""

    @property
    def recognised_count(self) -> int:
        """The projects recognised in the report: known ones and new names."""
        return len(self.projects) + len(self.new_names)

    @property
    def starts_at(self) -> datetime | None:
        if self.date is None:
            return None
        return timezone.make_aware(datetime.combine(self.date, self.time))


class KnownNames:
    """Every name (short names, other names, "surname + title") of the projects,
    organisations and people given, read once, matched in one pass per sentence, longest
    name first."""

    def __init__(self, projects, organisations, people):
        self._objects: dict[str, list] = {}
        for project in projects:
            for name in reporttext.project_aliases(project.name):
                self._add(name, project)
        for organisation in organisations:
            for name in names.organisation_names(organisation):
                self._add(name, organisation)
                self._add(names.without_level(name), organisation)
        for person in people:
            self._add(person.display_name, person)
        # "王主任" only when it means one person and nothing else has that name.
        aliases: dict[str, list[User]] = {}
        for person in people:
            alias = reporttext.surname_and_title(person.display_name, person.title)
            if alias:
                aliases.setdefault(normalise_query(alias), []).append(person)
        for key, persons in aliases.items():
            if len(persons) == 1 and key not in self._objects:
                self._objects[key] = persons
        keys = sorted(self._objects, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, keys))) if keys else None

    def _add(self, name: str, obj) -> None:
        key = normalise_query(name or "")
        if len(key) >= 2:
            objects = self._objects.setdefault(key, [])
            if obj not in objects:
                objects.append(obj)

    @classmethod
    def load(cls, projects) -> "KnownNames":
        """``projects``: those the drafting user may see. Three queries in all."""
        return cls(
            projects.only("pk", "name", "code"),
            Organisation.objects.filter(is_active=True).only(
                "pk", "name", "short_name", "aliases", "kind"
            ),
            User.objects.filter(is_active=True).only("pk", "display_name", "title", "role"),
        )

    def find(self, sentence: str) -> list[tuple[int, int, str, list]]:
        """(start, end, the words as written, the objects they name) in the sentence."""
        if self._pattern is None:
            return []
        return [
            (m.start(), m.end(), sentence[m.start() : m.end()], self._objects[m[0]])
            for m in self._pattern.finditer(sentence.lower())
        ]


def _title(report: reporttext.Report, found_date) -> tuple[str, str]:
    """A report's first line is its headline when it is short and no sentence; else the
    day and the meeting's name as the sentence giving the date says it (5月11日重点项目
    工作调度专题会议); else the first sentence."""
    first = report.sentences[0] if report.sentences else ""
    headline = report.text.split("\n", 1)[0]
    if headline == first and len(headline) <= 60 and not headline.endswith("。"):
        return headline, headline
    for sentence in ([found_date.sentence] if found_date else []) + [first]:
        name = reporttext.meeting_name(sentence)
        if name and found_date:
            day = found_date.value
            return f"{day.month}月{day.day}日{name}", sentence
    return first.rstrip("。")[:_TITLE_LENGTH], first


_NOT_WORDS = re.compile(r"[\W_]+")


def report_hash(raw: str) -> str:
    """The same report, pasted or uploaded, in either script, spaced or punctuated
    differently, has the same fingerprint."""
    words = _NOT_WORDS.sub("", reporttext.normalise(raw))
    return hashlib.sha256(words.encode()).hexdigest()


def draft(raw: str, *, projects, today: date) -> Draft:
    """What the report proposes; ``reporttext.ReportTextError`` if it is not one."""
    report = reporttext.prepare(raw, MAX_REPORT_CHARS)
    known = KnownNames.load(projects)
    found_date = reporttext.find_date(report, today)
    title, title_sentence = _title(report, found_date)
    result = Draft(
        date=found_date.value if found_date else None,
        date_sentence=found_date.sentence if found_date else "",
        kind=reporttext.meeting_kind(report),
        status=(
            MeetingStatus.HELD
            if found_date and found_date.value <= today
            else MeetingStatus.UPCOMING
        ),
        title=title,
        title_sentence=title_sentence,
        chair=None,
        time=(found_date and reporttext.find_time(found_date.sentence)) or DEFAULT_TIME,
        drafted_before=list(
            Meeting.objects.filter(report_hash=report_hash(raw)).only("pk", "title", "starts_at")
        ),
    )
    seen = set()
    known_spans: dict[str, list[tuple[int, int]]] = {}
    for sentence in report.sentences:
        for start, end, said, objects in known.find(sentence):
            known_spans.setdefault(sentence, []).append((start, end))
            for obj in objects:
                if (type(obj), obj.pk) in seen:
                    continue
                seen.add((type(obj), obj.pk))
                found = Found(obj, said, sentence)
                if isinstance(obj, Project):
                    result.projects.append(found)
                elif isinstance(obj, Organisation):
                    result.organisations.append(found)
                else:
                    result.people.append(found)
                    if result.chair is None and obj.is_leader and reporttext.presides(sentence):
                        result.chair = found
    for candidate in reporttext.project_name_candidates(report):
        spans = known_spans.get(candidate.sentence, [])
        if not any(start < candidate.end and candidate.start < end for start, end in spans):
            result.new_names.append(NewName(candidate.name, candidate.sentence))
    result.decisions = [
        _decision(d, known, result.new_names) for d in reporttext.find_directives(report)
    ]
    counted = reporttext.find_project_count(report)
    if counted:
        result.project_count, result.project_count_sentence = counted.count, counted.sentence
    return _as_written(result, report)


def _as_written(result: Draft, report: reporttext.Report) -> Draft:
    """The draft with every sentence, and the words each proposal was found by, as the
    report wrote them: a Traditional report is quoted in Traditional. Matching was done
    on the Simplified text, whose characters stand one for one with the original's."""

    def found(f: Found) -> Found:
        sentence = report.as_written(f.sentence)
        start = f.sentence.find(f.said)
        if len(sentence) == len(f.sentence) and start >= 0:
            said = sentence[start : start + len(f.said)]
        else:
            said = f.said
        return replace(f, sentence=sentence, said=said)

    written = report.as_written
    result.date_sentence = written(result.date_sentence)
    result.title_sentence = written(result.title_sentence)
    result.project_count_sentence = written(result.project_count_sentence)
    result.chair = found(result.chair) if result.chair else None
    result.projects = [found(f) for f in result.projects]
    result.organisations = [found(f) for f in result.organisations]
    result.people = [found(f) for f in result.people]
    result.new_names = [replace(n, sentence=written(n.sentence)) for n in result.new_names]
    result.decisions = [replace(d, sentence=written(d.sentence)) for d in result.decisions]
    return result


def _decision(directive, known: KnownNames, new_names: list[NewName]) -> ProposedDecision:
    """For the one project the directive names (or else its sentence names); for the
    whole meeting when it names none, or several."""
    said = {"speaker": directive.speaker, "required": directive.required}
    for text in (directive.text, directive.sentence):
        projects = list(
            {
                obj.pk: obj
                for *_, objects in known.find(text)
                for obj in objects
                if isinstance(obj, Project)
            }.values()
        )
        new = [index for index, name in enumerate(new_names) if name.name in text]
        if len(projects) + len(new) == 1:
            if projects:
                return ProposedDecision(
                    directive.text, directive.sentence, project=projects[0], **said
                )
            return ProposedDecision(directive.text, directive.sentence, new_name=new[0], **said)
        if projects or new:
            break
    return ProposedDecision(directive.text, directive.sentence, **said)


# --- confirming -------------------------------------------------------------------------------


@dataclass
class Confirmed:
    """What the coordinator kept of a draft.

    ``meeting``: the fields ``services.create_meeting`` takes. ``projects``: the agenda,
    in order. ``new_projects``: the fields of projects to create (each put on the agenda
    after the others). ``decisions``: (text, where) with ``where`` a project, the index of
    a new project, or ``None`` for the whole meeting (kept in the closing of the minutes).
    """

    meeting: dict
    projects: list[Project]
    new_projects: list[dict]
    decisions: list[tuple[str, Project | int | None]]


@transaction.atomic
def confirm(confirmed: Confirmed, *, actor) -> Meeting:
    """Create the meeting, the new projects, the agenda and its decisions: all or nothing."""
    general = [text for text, where in confirmed.decisions if where is None]
    data = dict(confirmed.meeting)
    data["closing"] = "\n".join(filter(None, [data.get("closing", ""), *general]))
    meeting = services.create_meeting(data, actor=actor)
    created = [
        project_services.create_project(fields, actor=actor) for fields in confirmed.new_projects
    ]
    by_project: dict[int, list[str]] = {}
    agenda = list(confirmed.projects) + created
    for text, where in confirmed.decisions:
        if where is None:
            continue
        project = created[where] if isinstance(where, int) else where
        if project not in agenda:
            agenda.append(project)
        by_project.setdefault(project.pk, []).append(text)
    for item in services.add_to_agenda(meeting, agenda, actor=actor):
        if item.project_id in by_project:
            services.record_discussion(
                item, {"decisions": "\n".join(by_project[item.project_id])}, actor=actor
            )
    return meeting
