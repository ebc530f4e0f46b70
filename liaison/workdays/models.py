"""The statutory working-day calendar (法定工作日历).

A day is a working day when it is a weekday, unless it is a holiday (法定节假日放假), or when it
is a make-up working day (调休上班) on a weekend. Only these exceptions are stored. A year's
schedule is known once its `ScheduleYear` row exists; until then the year is counted on weekends
alone and the deadlines that reach it are provisional.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.models import TimeStampedModel


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Holiday")  # 放假
    MAKEUP = "makeup", _("Make-up working day")  # 调休上班


class Source(models.TextChoices):
    PACKAGE = "package", _("chinese-calendar package")
    NOTICE = "notice", _("State Council notice")  # 国务院办公厅关于……部分节假日安排的通知
    MANUAL = "manual", _("Entered by hand")


YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]


def is_weekend(day) -> bool:
    return day.weekday() >= 5


class CalendarDay(TimeStampedModel):
    """One exception to "weekdays work, weekends rest".

    Holidays are stored for every day of the break, weekends included, so that an explanation
    can say "10-04 National Day" instead of "10-04 weekend".
    """

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    name = models.CharField(
        _("holiday"), max_length=100, help_text=_("As the State Council notice names it.")
    )
    # The notice that announced the day: 2011-12-31 (a Saturday worked) is in the 2012 notice.
    year = models.PositiveSmallIntegerField(
        _("schedule year"), db_index=True, validators=YEAR_VALIDATORS
    )

    class Meta:
        verbose_name = _("holiday or make-up working day")
        verbose_name_plural = _("holidays and make-up working days")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                name="workdays_day_kind_valid", condition=models.Q(kind__in=DayKind.values)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}"

    def clean(self):
        if self.date and self.kind == DayKind.MAKEUP and not is_weekend(self.date):
            raise ValidationError(
                {"kind": _("A make-up working day is always a Saturday or a Sunday.")}
            )
        if self.date and self.year and abs(self.year - self.date.year) > 1:
            raise ValidationError(
                {"year": _("The schedule year must be the date's year or next to it.")}
            )


class ScheduleYear(models.Model):
    """The record that a year's holiday schedule is loaded: where it came from, who loaded it."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=YEAR_VALIDATORS)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    loaded_at = models.DateTimeField(_("loaded at"))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("loaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("For example the notice's document number, such as 国办发明电〔2024〕12号."),
    )

    class Meta:
        verbose_name = _("holiday schedule")
        verbose_name_plural = _("holiday schedules")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                name="workdays_year_source_valid", condition=models.Q(source__in=Source.values)
            ),
        ]

    def __str__(self) -> str:
        return str(self.year)
