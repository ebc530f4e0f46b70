"""预算联网监督 — a region's budget for a year (Budget), its lines by department and function
classification (BudgetLine), the cumulative execution month by month (MonthlyExecution), and the
questions and opinions deputies raise on a department or a line (BudgetQuestion).

Amounts are Decimal in 万元. Every change goes through `services.py`, which records an audit event.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from liaison.core.models import TimeStampedModel
from liaison.directory.models import Department, Region

AMOUNT = {"max_digits": 14, "decimal_places": 2}


class Budget(TimeStampedModel):
    """一个地区某年度的预算 — published or a draft; public if the committee marks it so."""

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="budgets"
    )
    region_path = models.CharField(_("region path"), max_length=255, db_index=True)
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    published = models.BooleanField(_("published"), default=False)
    public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown to everybody, not only to deputies.")
    )

    class Meta:
        verbose_name = _("budget")
        verbose_name_plural = _("budgets")
        ordering = ["-year", "region_path"]
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="budget_region_year_unique")
        ]

    def __str__(self) -> str:
        return self.title


class BudgetLine(models.Model):
    """一行预算 — a department's amount under one function classification (功能分类) and, where
    the finance bureau's table gives it, one economic classification (经济分类, e.g. 30101
    基本工资); a line without one has empty economic fields."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="lines")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    function_code = models.CharField(_("function classification code"), max_length=16)
    function_name = models.CharField(_("function classification name"), max_length=100)
    economic_code = models.CharField(
        _("economic classification code"), max_length=16, blank=True, default=""
    )
    economic_name = models.CharField(
        _("economic classification name"), max_length=100, blank=True, default=""
    )
    budgeted = models.DecimalField(_("initial budget (10k yuan)"), **AMOUNT)
    adjusted = models.DecimalField(_("adjusted budget (10k yuan)"), **AMOUNT)
    executed = models.DecimalField(
        _("executed to date (10k yuan)"), default=Decimal(0), **AMOUNT
    )  # the latest month's cumulative figure, copied for cheap sums
    executed_month = models.PositiveSmallIntegerField(_("executed up to month"), default=0)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["budget", "department__name", "function_code", "economic_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "department", "function_code", "economic_code"],
                name="budget_line_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.function_code} {self.function_name}"


class MonthlyExecution(models.Model):
    """月度执行 — the amount executed from January to the end of `month` (累计执行数)."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="executions")
    month = models.PositiveSmallIntegerField(_("month"))
    executed = models.DecimalField(_("executed cumulative (10k yuan)"), **AMOUNT)

    class Meta:
        verbose_name = _("monthly execution")
        verbose_name_plural = _("monthly executions")
        ordering = ["line", "month"]
        constraints = [
            models.UniqueConstraint(fields=["line", "month"], name="budget_execution_unique")
        ]

    def __str__(self) -> str:
        return f"{self.line} {self.month}"


class QuestionKind(models.TextChoices):
    QUESTION = "question", _("Question")  # 询问
    OPINION = "opinion", _("Opinion")  # 意见


class BudgetQuestion(TimeStampedModel):
    """询问/意见 — a deputy's question or opinion on a department or one of its lines."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="questions")
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.PROTECT, related_name="+"
    )
    line = models.ForeignKey(
        BudgetLine,
        verbose_name=_("budget line"),
        on_delete=models.SET_NULL,  # a new import replaces the lines: the question stays
        null=True,
        blank=True,
        related_name="questions",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=QuestionKind.choices)
    text = models.TextField(_("text"))
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reply = models.TextField(_("reply"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("budget question")
        verbose_name_plural = _("budget questions")
        ordering = ["-created_at"]
