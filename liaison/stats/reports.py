"""PDF reports of a region's figures per month, quarter and year (docs/statistics.md, "Reports").

After each period ends, `schedule()` (the hourly job "stats.reports") queues one report per
region with figures in it, down to townships; a committee may ask for any period on
/staff/stats/reports/ (`services.request_report`). The worker's drain "stats.reports" writes the
queued ones one at a time, like the exports (core/exports.py): claimed with SKIP LOCKED, taken
up again when a worker died, the file in media storage (not served publicly: downloaded through
the scoped view).
"""

import secrets
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from liaison.core import audit, public_pages

from . import opendata, overview, selectors
from .models import StatsReport

Period = StatsReport.Period
STALE_AFTER = timedelta(minutes=10)
REPORTS = "stats-reports"  # the token of the written reports (core/public_pages.py)


def bounds(period: str, year: int, number: int = 1) -> tuple[date, date]:
    """The first and last day of month `number`, quarter `number` or the year."""
    if period == Period.MONTH:
        return opendata.month_bounds(year, number)
    if period == Period.QUARTER:
        start, _end = opendata.month_bounds(year, 3 * number - 2)
        return start, opendata.month_bounds(year, 3 * number)[1]
    return date(year, 1, 1), date(year, 12, 31)


def label(report: StatsReport) -> str:
    """The period in words, in the active language."""
    year = report.start.year
    if report.period == Period.MONTH:
        return _("%(year)d, month %(month)d") % {"year": year, "month": report.start.month}
    if report.period == Period.QUARTER:
        quarter = (report.start.month - 1) // 3 + 1
        return _("%(year)d, quarter %(quarter)d") % {"year": year, "quarter": quarter}
    return _("The year %(year)d") % {"year": year}


def last_ended(today: date) -> list[tuple[str, date, date]]:
    """The month, quarter and year that ended most recently before `today`."""
    month_end = today.replace(day=1) - timedelta(days=1)
    quarter_start_month = 3 * ((today.month - 1) // 3) + 1
    quarter_end = today.replace(month=quarter_start_month, day=1) - timedelta(days=1)
    quarter = (quarter_end.month - 1) // 3 + 1
    return [
        (Period.MONTH, *bounds(Period.MONTH, month_end.year, month_end.month)),
        (Period.QUARTER, *bounds(Period.QUARTER, quarter_end.year, quarter)),
        (Period.YEAR, *bounds(Period.YEAR, today.year - 1)),
    ]


def schedule(today: date | None = None) -> int:
    """Queue the reports of the periods that just ended, once per region and period."""
    today = today or timezone.localdate()
    queued = 0
    for period, start, end in last_ended(today):
        regions = opendata.regions_with_figures(start, end)
        have = set(
            StatsReport.objects.filter(
                period=period, start=start, requested_by=None, region__in=regions
            ).values_list("region_id", flat=True)
        )
        missing = [
            StatsReport(region=region, period=period, start=start, end=end)
            for region in regions
            if region.pk not in have
        ]
        if missing:
            with transaction.atomic():
                StatsReport.objects.bulk_create(missing)
                audit.record(
                    "statsreport.scheduled",
                    period=period,
                    start=start.isoformat(),
                    count=len(missing),
                )
        queued += len(missing)
    return queued


def claim_next() -> StatsReport | None:
    now = timezone.now()
    with transaction.atomic():
        report = (
            StatsReport.objects.select_for_update(skip_locked=True)
            .filter(
                Q(state=StatsReport.State.QUEUED)
                | Q(state=StatsReport.State.RUNNING, heartbeat_at__lt=now - STALE_AFTER)
            )
            .order_by("id")
            .first()
        )
        if report is None:
            return None
        report.state, report.heartbeat_at = StatsReport.State.RUNNING, now
        report.save(update_fields=["state", "heartbeat_at"])
    return report


def overview_of(report: StatsReport) -> overview.Overview:
    """The report's figures: the overview of the public page for its region and period (the
    messages and the stations' work; no deputy's name), uncapped — the report is internal."""
    sources = selectors.public_sources(report.region, None, report.end.year)
    return overview.compute(
        sources, report.start, report.end, today=timezone.localdate(), public=True
    )


def write(report: StatsReport) -> None:
    """Render one claimed report and store it."""
    from .report_pdf import report_pdf  # reportlab is for the worker only

    found = overview_of(report)
    with translation.override("zh-hans"):
        period = label(report)
    content = report_pdf(report, found.cases, period, work=found.work)
    name = f"{secrets.token_hex(16)}.pdf"
    report.file.save(name, ContentFile(content), save=False)
    with transaction.atomic():
        report.state, report.finished_at = StatsReport.State.DONE, timezone.now()
        report.save(update_fields=["state", "file", "finished_at"])
        audit.record("statsreport.written", obj=report, region=report.region.code)
        public_pages.bump(REPORTS)  # the dashboards list the newest (views.py)


def _fail(report: StatsReport, message: str) -> None:
    with transaction.atomic():
        report.state, report.error = StatsReport.State.FAILED, message
        report.finished_at = timezone.now()
        report.save(update_fields=["state", "error", "finished_at"])
        audit.record("statsreport.failed", obj=report, error=message)


def run_waiting(limit: int, should_stop) -> int:
    ran = 0
    while ran < limit and not should_stop():
        report = claim_next()
        if report is None:
            break
        try:
            write(report)
        except Exception as error:  # one failing report must not stop the worker
            _fail(report, f"{type(error).__name__}: {error}")
        ran += 1
    return ran
