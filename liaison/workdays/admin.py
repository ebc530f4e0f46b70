"""The calendar in the admin: administrators only, every change through services (audited)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from . import services
from .forms import NOTICE_EXAMPLE, CalendarDayForm, NoticeForm
from .models import CalendarDay, DayKind, ScheduleYear
from .notice import weekday_name
from .selectors import missing_years


class AdministratorsOnlyMixin:
    """The holiday calendar is the administrators' (SPEC: "administrator … holiday calendar")."""

    change_list_template = "admin/workdays/change_list.html"

    def _is_administrator(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_staff and user.is_administrator

    def has_module_permission(self, request):
        return self._is_administrator(request)

    def has_view_permission(self, request, obj=None):
        return self._is_administrator(request)

    def has_add_permission(self, request):
        return self._is_administrator(request)

    def has_change_permission(self, request, obj=None):
        return self._is_administrator(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "workdays_missing_years": missing_years()}
        return super().changelist_view(request, extra_context)


@admin.register(CalendarDay)
class CalendarDayAdmin(AdministratorsOnlyMixin, admin.ModelAdmin):
    form = CalendarDayForm
    list_display = ["date", "weekday", "kind", "name", "year"]
    list_filter = ["kind", "year"]
    date_hierarchy = "date"
    search_fields = ["name"]
    ordering = ["-date"]

    @admin.display(description=gettext_lazy("weekday"))
    def weekday(self, obj):
        return weekday_name(obj.date)

    def has_delete_permission(self, request, obj=None):
        return self._is_administrator(request)

    def save_model(self, request, obj, form, change):
        services.save_day(obj, actor=request.user, changed_fields=form.changed_data)

    def delete_model(self, request, obj):
        services.remove_days([obj], actor=request.user)

    def delete_queryset(self, request, queryset):
        services.remove_days(queryset, actor=request.user)


@admin.register(ScheduleYear)
class ScheduleYearAdmin(AdministratorsOnlyMixin, admin.ModelAdmin):
    list_display = ["year", "source", "loaded_at", "loaded_by", "note", "holidays", "makeup_days"]
    list_select_related = ["loaded_by"]
    actions = None

    def get_queryset(self, request):
        def count(kind):
            days = (
                CalendarDay.objects.filter(year=OuterRef("year"), kind=kind)
                .order_by()
                .values("year")
                .annotate(n=Count("id"))
                .values("n")
            )
            return Subquery(days, output_field=IntegerField())

        return (
            super()
            .get_queryset(request)
            .annotate(n_holidays=count(DayKind.HOLIDAY), n_makeup=count(DayKind.MAKEUP))
        )

    @admin.display(description=gettext_lazy("days off"))
    def holidays(self, obj):
        return obj.n_holidays or 0

    @admin.display(description=gettext_lazy("make-up working days"))
    def makeup_days(self, obj):
        return obj.n_makeup or 0

    def get_fields(self, request, obj=None):
        return (
            ["year", "note"]
            if obj is None
            else ["year", "source", "loaded_at", "loaded_by", "note"]
        )

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else ["year", "source", "loaded_at", "loaded_by"]

    def has_delete_permission(self, request, obj=None):
        return False  # a wrong schedule is replaced by importing the notice again

    def save_model(self, request, obj, form, change):
        if change:
            services.set_schedule_note(obj, form.cleaned_data["note"], actor=request.user)
        else:
            saved = services.mark_year_loaded(
                form.cleaned_data["year"], actor=request.user, note=form.cleaned_data["note"]
            )
            obj.pk = saved.pk

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_notice_view),
                name="workdays_scheduleyear_import",
            ),
            *super().get_urls(),
        ]

    def import_notice_view(self, request):
        """Enter a year's State Council notice: check (preview), then save."""
        if not self._is_administrator(request):
            raise PermissionDenied
        if request.method != "POST":
            return self._render_import(request, NoticeForm())
        form = NoticeForm(request.POST)
        if not form.is_valid():
            return self._render_import(request, form, status=400)
        if "save" not in request.POST:
            return self._render_import(request, form, preview=True)
        data = form.cleaned_data
        try:
            services.load_notice(
                data["year"],
                data["text"],
                actor=request.user,
                replace=data["replace"],
                note=data["note"],
            )
        except (services.NoticeError, services.YearAlreadyLoaded):
            # The calendar changed between the check and the save: check again.
            form = NoticeForm(request.POST)
            form.is_valid()
            return self._render_import(request, form, status=409)
        days = sum(len(h.days_off) for h in form.holidays)
        makeup = sum(len(h.makeup_days) for h in form.holidays)
        messages.success(
            request,
            _("The %(year)s holiday schedule is loaded: %(days)s, %(makeup)s.")
            % {
                "year": data["year"],
                "days": ngettext("%(n)s day off", "%(n)s days off", days) % {"n": days},
                "makeup": ngettext(
                    "%(n)s make-up working day", "%(n)s make-up working days", makeup
                )
                % {"n": makeup},
            },
        )
        return redirect(reverse("admin:workdays_scheduleyear_changelist"))

    def _render_import(self, request, form, *, preview=False, status=200):
        rows = []
        if preview:
            for holiday in form.holidays:
                rows.append(
                    {
                        "holiday": holiday,
                        "first": holiday.days_off[0],
                        "last": holiday.days_off[-1],
                        "weekdays_off": sum(1 for d in holiday.days_off if d.weekday() < 5),
                        "makeup": [(d, weekday_name(d)) for d in holiday.makeup_days],
                        "first_weekday": weekday_name(holiday.days_off[0]),
                        "last_weekday": weekday_name(holiday.days_off[-1]),
                    }
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import a State Council holiday notice"),
            "opts": self.model._meta,
            "form": form,
            "preview": preview,
            "rows": rows,
            "example": NOTICE_EXAMPLE,
            "line_errors": getattr(form, "line_errors", []),
        }
        return TemplateResponse(request, "admin/workdays/import.html", context, status=status)
