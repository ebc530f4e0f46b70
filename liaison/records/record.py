"""履职档案 / 履职日记 — a deputy's record for one year, built from what already happened.

Sources, each counted in the year of its local date (Asia/Shanghai, see three.py):
- reception duties the deputy attended (Duty.attended is True);
- people received (one Visit naming the deputy = one person);
- cases the deputy replied to or answered (CaseEvent `case.replied` / `case.answered`), with
  their status and the citizen's rating;
- held activities the deputy attended (Activity.attended_deputies, not those merely invited);
- confirmed entries (RecordEntry); pending and rejected ones never count;
- formal suggestions (代表建议) the deputy led or co-signed (a confirmed 附议), dated by their
  submission to the committee, while submitted or registered (not returned or withdrawn).

A fixed number of queries per record, whatever its size. Nothing here carries a citizen's name
or phone: the record is shown to the deputy, printed in the annual report and summed up publicly.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Min
from django.utils.translation import gettext as _

from liaison.activities.models import Activity, ActivityStatus
from liaison.cases.models import Case, CaseEvent, Rating
from liaison.cases.support import PUBLIC_CASE_HIDDEN
from liaison.cases.workflow import Status
from liaison.directory.models import Deputy
from liaison.receptions.models import Duty, Visit
from liaison.suggestions.models import CoSigner, Suggestion
from liaison.suggestions.workflow import Status as SuggestionStatus
from liaison.workdays.deadlines import local_day

from . import three
from .models import EntryStatus, RecordEntry

# Cases whose matter has an answer for the citizen (办结 or answered, awaiting the rating).
ANSWERED_STATUSES = {Status.ANSWERED, Status.CLOSED}


@dataclass
class Item:
    """One line of the chronological record (履职日记)."""

    day: date
    kind: str  # duty · visit · case · activity · entry · suggestion
    kind_label: str
    title: str
    detail: str = ""
    obj: object = None


@dataclass
class Record:
    deputy: Deputy
    year: int
    items: list[Item] = field(default_factory=list)
    figures: dict[str, int] = field(default_factory=dict)
    cases: list[Case] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    entries: list[RecordEntry] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    progress: three.Progress | None = None

    @property
    def entry_kinds(self) -> list[tuple[str, int]]:
        counts = Counter(entry.get_kind_display() for entry in self.entries)
        return sorted(counts.items())


def build_record(deputy: Deputy, year: int, *, on: date | None = None) -> Record:
    record = Record(deputy=deputy, year=year)
    record.progress = three.progress(deputy, year, on=on)
    first, after = three.date_range(year)
    start, end = three.year_window(year)

    duties = list(
        Duty.objects.filter(deputy=deputy, attended=True, date__gte=first, date__lt=after)
        .select_related("station")
        .order_by("date", "start_time")
    )
    for duty in duties:
        record.items.append(
            Item(
                duty.date,
                "duty",
                _("Reception duty"),
                duty.station.name,
                f"{duty.start_time:%H:%M}",
            )
        )

    # People received, one line per day and station (the visitors themselves stay private).
    visits = (
        Visit.deputies.through.objects.filter(
            deputy=deputy, visit__received_on__gte=first, visit__received_on__lt=after
        )
        .values("visit__received_on", "visit__station__name")
        .annotate(people=Count("visit_id"))
        .order_by("visit__received_on", "visit__station__name")
    )
    received = 0
    for row in visits:
        received += row["people"]
        record.items.append(
            Item(
                row["visit__received_on"],
                "visit",
                _("People received"),
                row["visit__station__name"],
                _("%(count)d people received") % {"count": row["people"]},
            )
        )

    # Cases the deputy replied to or answered this year, dated by the first such response.
    first_response = dict(
        CaseEvent.objects.filter(
            verb__in=three.RESPONSE_VERBS,
            case__deputy=deputy,
            created_at__gte=start,
            created_at__lt=end,
        )
        .values("case_id")
        .annotate(first=Min("created_at"))
        .values_list("case_id", "first")
    )
    cases = list(
        Case.objects.filter(pk__in=list(first_response))
        .select_related("category")
        .only(
            "pk",
            "tracking_number",
            "title",
            "status",
            "rating",
            "public_consent",
            "confidential",
            "category__name",
        )
    )
    for case in cases:
        case.responded_on = local_day(first_response[case.pk])
    cases.sort(key=lambda c: (c.responded_on, c.pk))
    record.cases = cases
    for case in cases:
        detail = case.get_status_display()
        if case.rating:
            detail += " · " + case.get_rating_display()
        record.items.append(
            Item(case.responded_on, "case", _("Case answered"), case.title, detail, obj=case)
        )

    activities = list(
        Activity.objects.filter(
            attended_deputies=deputy,
            status=ActivityStatus.HELD,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .select_related("kind", "station", "region")
        .order_by("starts_at", "pk")
    )
    record.activities = activities
    for activity in activities:
        record.items.append(
            Item(
                local_day(activity.starts_at),
                "activity",
                activity.kind.name,
                activity.title,
                activity.host_name,
                obj=activity,
            )
        )

    entries = list(
        RecordEntry.objects.filter(
            deputy=deputy, status=EntryStatus.CONFIRMED, date__gte=first, date__lt=after
        )
        .annotate(photo_count=Count("photos"))
        .order_by("date", "pk")
    )
    record.entries = entries
    for entry in entries:
        record.items.append(
            Item(entry.date, "entry", entry.get_kind_display(), entry.title, obj=entry)
        )

    record.suggestions = deputy_suggestions(deputy, year)
    suggestions = [
        Item(
            local_day(suggestion.submitted_at),
            "suggestion",
            _("Suggestion (lead deputy)") if suggestion.is_lead else _("Suggestion (co-signed)"),
            suggestion.title,
            suggestion.get_status_display(),
            obj=suggestion,
        )
        for suggestion in record.suggestions
    ]
    record.items += suggestions

    ratings = Counter(case.rating for case in cases if case.rating)
    record.figures = {
        "duties": len(duties),
        "people_received": received,
        "cases_answered": len(cases),
        "cases_settled": sum(case.status in ANSWERED_STATUSES for case in cases),
        "rated_satisfied": ratings[Rating.SATISFIED],
        "rated_basic": ratings[Rating.BASIC],
        "rated_unsatisfied": ratings[Rating.UNSATISFIED],
        "activities": len(activities),
        "entries": len(entries),
        "suggestions": len(suggestions),
        "suggestions_led": sum(suggestion.is_lead for suggestion in record.suggestions),
        "suggestions_registered": sum(bool(item.obj.number) for item in suggestions),
        "contact_months": len(record.progress.contact_months),
        "activity_quarters": len(record.progress.activity_quarters),
    }
    record.items.sort(key=lambda item: item.day)
    return record


# A suggestion counts once submitted, and while it stays with the committee or the units.
COUNTED_SUGGESTION_STATUSES = [
    SuggestionStatus.SUBMITTED,
    SuggestionStatus.ACCEPTED,
    SuggestionStatus.ASSIGNED,
    SuggestionStatus.ANSWERED,
    SuggestionStatus.CLOSED,
]


def deputy_suggestions(
    deputy: Deputy,
    year: int,
    *,
    registered_only: bool = False,
    newest_first: bool = False,
    limit: int | None = None,
) -> list[Suggestion]:
    """The formal suggestions (代表建议) the deputy led (领衔) or co-signed (附议, confirmed)
    that were submitted in `year` (Beijing time): two queries, oldest first, each with `is_lead`.

    Dated by submission — the deputy's own act; registration (立案) follows by the committee's
    pace. Returned and withdrawn ones do not count; `registered_only` keeps the numbered ones
    (the public page)."""
    start, end = three.year_window(year)
    counted = Suggestion.objects.filter(
        status__in=COUNTED_SUGGESTION_STATUSES, submitted_at__gte=start, submitted_at__lt=end
    )
    if registered_only:
        counted = counted.filter(number__isnull=False)
    counted = counted.only(
        "pk", "number", "title", "status", "submitted_at", "answered_at", "lead_deputy_id"
    ).order_by(*(["-submitted_at", "-pk"] if newest_first else ["submitted_at", "pk"]))
    cosigned = CoSigner.objects.filter(deputy=deputy, confirmed_at__isnull=False).values(
        "suggestion_id"
    )
    # Two indexed reads merged here: "led OR co-signed" in one WHERE made PostgreSQL scan every
    # suggestion (bench/records_scale.py). Keyed by pk, so one found by both reads counts once.
    halves = [counted.filter(lead_deputy=deputy), counted.filter(pk__in=cosigned)]
    by_pk = {s.pk: s for half in halves for s in (half[:limit] if limit else half)}
    found = sorted(by_pk.values(), key=lambda s: (s.submitted_at, s.pk), reverse=newest_first)
    if limit:
        found = found[:limit]
    for suggestion in found:
        suggestion.is_lead = suggestion.lead_deputy_id == deputy.pk
    return found


# Cases a citizen agreed to show publicly, once reviewed and not set aside (cases/support.py).


def public_cases(deputy: Deputy, limit: int = 10):
    """Title, status and date only — never the citizen's name, phone or words beyond the title."""
    return (
        Case.objects.verified()
        .publishable()
        .filter(deputy=deputy)
        .exclude(status__in=PUBLIC_CASE_HIDDEN)
        .only("pk", "title", "status", "created_at", "supporters")
        .order_by("-created_at", "-pk")[:limit]
    )
