"""The statistics rollup (docs/statistics.md): counters per day and dimensions, kept current from
the case events by `rollup.py`. Dashboards read these rows only, never the cases table.

One narrow table rather than one column per figure: a new figure is a new metric name, not a
migration, and every dashboard query is one GROUP BY over (metric, bucket). The dimensions are
plain integers (0 = none) instead of foreign keys: the rows are derived data, rebuilt at will,
and a unique key over nullable columns would not be unique on PostgreSQL.
"""

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
