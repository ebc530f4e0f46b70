"""The statistics rollup (docs/statistics.md): counters per day and dimensions, kept current from
the case events by `rollup.py`. Dashboards read these rows only, never the cases table.

One narrow table rather than one column per figure: a new figure is a new metric name, not a
migration, and every dashboard query is one GROUP BY over (metric, bucket). The dimensions are
plain integers (0 = none) instead of foreign keys: the rows are derived data, rebuilt at will,
and a unique key over nullable columns would not be unique on PostgreSQL.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

NO_BUCKET = -1  # a plain counter; histograms use the bucket for the working days taken


class CaseFigure(models.Model):
    """How many times `metric` happened on `day` to cases of one station, deputy, category and
    channel, at one department (0 before any assignment). For a duration histogram (`wd.<step>`)
    `bucket` is the working days the step took."""

    day = models.DateField(_("day"))
    region_path = models.CharField(_("region path"), max_length=255)
    station_id = models.PositiveIntegerField(_("station"))
    deputy_id = models.PositiveIntegerField(_("deputy"), default=0)
    department_id = models.PositiveIntegerField(_("department"), default=0)
    category_id = models.PositiveIntegerField(_("category"))
    channel = models.CharField(_("channel"), max_length=16)
    metric = models.CharField(_("metric"), max_length=32)
    bucket = models.SmallIntegerField(_("bucket"), default=NO_BUCKET)
    count = models.IntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("case figure")
        verbose_name_plural = _("case figures")
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "day",
                    "station_id",
                    "deputy_id",
                    "department_id",
                    "category_id",
                    "channel",
                    "metric",
                    "bucket",
                ],
                name="casefigure_one_row_per_key",
            )
        ]
        indexes = [
            # A region's figures over a date range: prefix match on the path, then the days.
            models.Index(fields=["region_path", "day"]),
            models.Index(fields=["station_id", "day"]),
            models.Index(fields=["department_id", "day"]),
            models.Index(fields=["deputy_id", "day"]),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.metric} {self.count}"


class Grain(models.TextChoices):
    MONTH = "m", _("month")
    DAY = "d", _("day")


class RegionFigure(models.Model):
    """The coarse rollup read by committee and public pages (docs/statistics.md, "Two rollup
    tables"): `CaseFigure` summed per region at every level (province, city, county, township;
    0: everything) and per month — or per day, for the edge days of a period that does not
    start or end on a month boundary — in narrow slices of one dimension at a time. `dimension`
    is "" for the plain totals (every metric and bucket), or "channel", "category" or
    "department" with `value` the channel code or the id, for the metrics a page groups by it.

    A region's row set is matched by `region_id` exactly: no path prefix, no station, deputy or
    department scope — those pages read the fine table."""

    region_id = models.PositiveIntegerField(_("region"))
    grain = models.CharField(_("grain"), max_length=1, choices=Grain.choices)
    day = models.DateField(_("day"))  # the first of the month for grain "m"
    dimension = models.CharField(_("dimension"), max_length=12, blank=True)
    value = models.CharField(_("value"), max_length=16, blank=True)
    metric = models.CharField(_("metric"), max_length=32)
    bucket = models.SmallIntegerField(_("bucket"), default=NO_BUCKET)
    count = models.IntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("region figure")
        verbose_name_plural = _("region figures")
        constraints = [
            # Also the index every page reads: one region, one slice, one grain, a range of days
            # (coarse.rows_of puts each of them in every arm of its OR, one index range each).
            models.UniqueConstraint(
                fields=["region_id", "dimension", "grain", "day", "value", "metric", "bucket"],
                name="regionfigure_one_row_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.day} {self.metric} {self.count}"


class RollupMark(models.Model):
    """The high-water mark: the last event id counted into the rollup, per event table."""

    source = models.CharField(_("source"), max_length=32, unique=True)
    last_id = models.BigIntegerField(_("last event counted"), default=0)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("rollup mark")
        verbose_name_plural = _("rollup marks")

    def __str__(self) -> str:
        return f"{self.source} {self.last_id}"


class WorkFigure(models.Model):
    """The stations' and deputies' work (docs/statistics.md, "Stations and deputies"): how many
    times `metric` happened on `day` at one station, for one deputy (0: the station's total) and
    one activity kind (0: none). Kept current from the audit events by `work.py`, like the case
    rollup from the case events."""

    day = models.DateField(_("day"))
    region_path = models.CharField(_("region path"), max_length=255)
    station_id = models.PositiveIntegerField(_("station"))
    deputy_id = models.PositiveIntegerField(_("deputy"), default=0)
    kind_id = models.PositiveIntegerField(_("activity kind"), default=0)
    metric = models.CharField(_("metric"), max_length=32)
    count = models.IntegerField(_("count"), default=0)

    class Meta:
        verbose_name = _("work figure")
        verbose_name_plural = _("work figures")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "station_id", "deputy_id", "kind_id", "metric"],
                name="workfigure_one_row_per_key",
            )
        ]
        indexes = [
            models.Index(fields=["region_path", "day"]),
            models.Index(fields=["station_id", "day"]),
            models.Index(fields=["deputy_id", "day"]),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.metric} {self.count}"


class DeputyYear(models.Model):
    """One deputy's 三个一 for one year as `liaison/records/three.py` counts it, kept by the
    worker (`deputies.refresh`) so that a province's rates are one GROUP BY, not five queries
    over every deputy's year per page view."""

    deputy = models.ForeignKey(
        "directory.Deputy", verbose_name=_("deputy"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    region_path = models.CharField(_("region path"), max_length=255)
    level = models.PositiveSmallIntegerField(_("level"))
    contact_months = models.PositiveSmallIntegerField(_("months with a contact"), default=0)
    months_due = models.PositiveSmallIntegerField(_("months ended or begun"), default=0)
    contact_missed = models.PositiveSmallIntegerField(_("months missed"), default=0)
    activity_quarters = models.PositiveSmallIntegerField(_("quarters with an activity"), default=0)
    quarters_due = models.PositiveSmallIntegerField(_("quarters ended or begun"), default=0)
    activity_missed = models.PositiveSmallIntegerField(_("quarters missed"), default=0)
    reported = models.BooleanField(_("reported to the voters"), default=False)
    behind = models.BooleanField(_("behind"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("deputy's year")
        verbose_name_plural = _("deputies' years")
        constraints = [
            models.UniqueConstraint(fields=["deputy", "year"], name="deputyyear_once"),
        ]
        indexes = [models.Index(fields=["year", "region_path"])]

    def __str__(self) -> str:
        return f"{self.deputy_id} {self.year}"


class StatsReport(models.Model):
    """A PDF report of a region's figures for a month, a quarter or a year (docs/statistics.md,
    "Reports"): queued by the worker after each period ends, or on demand by a committee, and
    written by the worker's "stats.reports" drain."""

    class Period(models.TextChoices):
        MONTH = "month", _("Month")
        QUARTER = "quarter", _("Quarter")
        YEAR = "year", _("Year")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being written")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    region = models.ForeignKey(
        "directory.Region", verbose_name=_("region"), on_delete=models.PROTECT
    )
    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    state = models.CharField(_("state"), max_length=8, choices=State.choices, default=State.QUEUED)
    # Empty for the reports the worker writes after each period.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to="stats-reports/", blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    heartbeat_at = models.DateTimeField(_("heartbeat"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("statistics report")
        verbose_name_plural = _("statistics reports")
        indexes = [models.Index(fields=["region", "period", "start"])]

    def __str__(self) -> str:
        return f"{self.region} {self.period} {self.start}"
