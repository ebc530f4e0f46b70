"""The statistics' writes (docs/design.md, rule 1): a committee asks for a PDF report."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from liaison.core import audit
from liaison.core.permissions import require
from liaison.directory.models import Region

from . import reports
from .models import StatsReport


@transaction.atomic
def request_report(*, region: Region, period: str, year: int, number: int, actor) -> StatsReport:
    """Queue a report of `region` for month / quarter `number` of `year`, or the year; the worker
    writes it. NotAllowed for a region outside the account's scope."""
    require(actor, "region.view_stats", region, _("This region is outside your scope."))
    start, end = reports.bounds(period, year, number)
    report = StatsReport.objects.create(
        region=region, period=period, start=start, end=end, requested_by=actor
    )
    audit.record(
        "statsreport.requested",
        actor=actor,
        obj=report,
        region=region.code,
        period=period,
        start=start.isoformat(),
    )
    return report
