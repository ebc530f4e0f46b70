"""Nothing personal in the calendar (docs/privacy.md)."""

from liaison.core import privacy

from .models import CalendarDay

privacy.not_personal(CalendarDay, "name", "the name of a holiday")
