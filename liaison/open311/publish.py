"""What Open311 publishes: our categories as services, and cases as service requests.

Privacy (PIPL): a service request never carries the citizen's name, phone or e-mail. The
citizen's own words — description, address, position, and the timeline notes (which may quote
them) — are published only when the citizen agreed (`Case.public_consent`); otherwise a request
shows its service, status, dates and the agency handling it. Drafts whose phone was never
confirmed are not published at all (`Case.objects.verified()`).
"""

from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext

from liaison.cases.models import ACTIVE_ASSIGNMENT_STATES, Assignment, Case, CaseEvent
from liaison.cases.workflow import FINAL, Status
from liaison.directory.models import Category

MAX_REQUESTS = 1000
DEFAULT_DAYS = 90
# Shown to every client browsing the services; services carry no extra attributes (metadata false).
GROUP = "Deputy liaison stations"  # 人大代表联络站


def services():
    return Category.objects.filter(is_active=True).order_by("sort_order", "code")


def service(category: Category) -> dict:
    keywords = [word for word in (category.name, category.name_en, category.code) if word]
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.name_en or category.name,
        "metadata": False,
        "type": "realtime",
        "keywords": ",".join(keywords),
        "group": GROUP,
    }


def definition(category: Category) -> dict:
    return {"service_code": category.code, "attributes": []}


def iso(value) -> str | None:
    """ISO 8601 with the offset, in local time: 2025-09-22T09:30:00+08:00."""
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def published_cases():
    """Every case Open311 may show, with what `service_request` reads, in few queries."""
    return (
        Case.objects.verified()
        .select_related("category", "station")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=CaseEvent.objects.filter(is_public=True).order_by("-created_at", "-id"),
                to_attr="public_events",
            ),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(role=Assignment.Role.LEAD)
                .select_related("department")
                .order_by("-created_at", "-id"),
                to_attr="lead_assignments",
            ),
        )
    )


def _agency(case: Case) -> str:
    current = [a for a in case.lead_assignments if a.state in ACTIVE_ASSIGNMENT_STATES]
    return current[0].department.name if current else case.station.name


def service_request(case: Case) -> dict:
    public = case.public_consent
    latest = case.public_events[0] if case.public_events else None
    label = str(Status(case.status).label)
    # Only words meant for the citizen (CaseEvent.public_note), never a staff note.
    notes = (latest.public_note if public and latest else "") or label
    return {
        "service_request_id": case.tracking_number,
        "status": "closed" if case.status in FINAL else "open",
        "status_notes": notes,
        "service_name": case.category.name,
        "service_code": case.category.code,
        "description": case.description if public else None,
        "agency_responsible": _agency(case),
        "service_notice": label,
        "requested_datetime": iso(case.created_at),
        "updated_datetime": iso(case.updated_at),
        "expected_datetime": iso(case.due_at),
        "address": (case.location_text or None) if public else None,
        "address_id": None,
        "zipcode": None,
        "lat": float(case.latitude) if public and case.latitude is not None else None,
        "long": float(case.longitude) if public and case.longitude is not None else None,
        "media_url": None,
    }


class BadQuery(ValueError):
    pass


def _parse_when(raw: str, name: str):
    raw = raw.strip().replace(" ", "+")  # a "+08:00" offset arrives as " 08:00" if not encoded
    try:
        value = parse_datetime(raw)
        if value is None and parse_date(raw) is not None:
            value = parse_datetime(raw + "T00:00:00")
    except ValueError:
        value = None
    if value is None:
        raise BadQuery(
            gettext("%(name)s must be an ISO 8601 date and time, e.g. 2025-09-22T00:00:00+08:00.")
            % {"name": name}
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _codes(raw: str) -> list[str]:
    return [part.strip() for part in raw.split(",") if part.strip()]


def filter_requests(params, now=None) -> list[Case]:
    """GET requests: `service_request_id` (comma list) overrides every other filter, as the
    standard says; otherwise service_code (comma list), status (open/closed), start_date and
    end_date (on the requested time; the last 90 days when neither is given). Newest first, at
    most 1000."""
    cases = published_cases()
    numbers = _codes(params.get("service_request_id", ""))
    if numbers:
        return list(cases.filter(tracking_number__in=numbers)[:MAX_REQUESTS])
    codes = _codes(params.get("service_code", ""))
    if codes:
        cases = cases.filter(category__code__in=codes)
    statuses = set(_codes(params.get("status", "")))
    if statuses - {"open", "closed"}:
        raise BadQuery(gettext("status must be open, closed or both (comma separated)."))
    if statuses == {"open"}:
        cases = cases.exclude(status__in=FINAL)
    elif statuses == {"closed"}:
        cases = cases.filter(status__in=FINAL)
    start = params.get("start_date", "")
    end = params.get("end_date", "")
    start = _parse_when(start, "start_date") if start else None
    end = _parse_when(end, "end_date") if end else None
    if start is None and end is None:
        start = (now or timezone.now()) - timedelta(days=DEFAULT_DAYS)
    if start is not None and end is not None and start > end:
        raise BadQuery(gettext("start_date must not be after end_date."))
    if start is not None:
        cases = cases.filter(created_at__gte=start)
    if end is not None:
        cases = cases.filter(created_at__lte=end)
    return list(cases.order_by("-created_at", "-id")[:MAX_REQUESTS])
