from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "liaison.workdays"
    verbose_name = _("Working-day calendar")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .models import CalendarDay, ScheduleYear

        # Whatever writes a day or a year (a service, the admin, a data migration, a test):
        # every process's shared calendar is read again (deadlines.shared_calendar).
        for model in (CalendarDay, ScheduleYear):
            for signal in (post_save, post_delete):
                signal.connect(_changed, sender=model, dispatch_uid=f"calendar-{model.__name__}")


def _changed(**kwargs):
    from .deadlines import calendar_changed

    calendar_changed()
