from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import services
from .models import CalendarDay
from .notice import NoticeError

NOTICE_EXAMPLE = """元旦: 01-01~01-03; 调休上班 01-04
春节: 02-15~02-23; 调休上班 02-14, 02-28
清明节: 04-04~04-06
劳动节: 05-01~05-05; 调休上班 05-09
端午节: 06-19~06-21
中秋节: 09-25~09-27
国庆节: 10-01~10-07; 调休上班 09-20, 10-10"""


def _next_year() -> int:
    return timezone.localdate().year + 1


class NoticeForm(forms.Form):
    """国务院办公厅关于YYYY年部分节假日安排的通知, typed in one line per holiday."""

    year = forms.IntegerField(
        label=gettext_lazy("Year"), min_value=2000, max_value=2100, initial=_next_year
    )
    text = forms.CharField(
        label=gettext_lazy("Holidays"),
        widget=forms.Textarea(
            attrs={
                "rows": 9,
                "cols": 60,
                "placeholder": "国庆节: 10-01~10-07; 调休上班 09-20, 10-10",
            }
        ),
        max_length=5000,
        help_text=gettext_lazy(
            "One line per holiday, in the notice's order: the name, a colon, the days off "
            "(first~last), then a semicolon, “调休上班” and the make-up working days."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Document number"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Optional, for example 国办发明电〔2024〕12号."),
    )
    replace = forms.BooleanField(
        label=gettext_lazy("Replace the schedule already loaded for this year"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.line_errors = []
        self.holidays = []

    def clean(self):
        cleaned = super().clean()
        self.line_errors = []
        self.holidays = []
        year, text = cleaned.get("year"), cleaned.get("text")
        if year is None or not text:
            return cleaned
        try:
            self.holidays = services.check_notice(year, text, replace=cleaned.get("replace"))
        except NoticeError as e:
            self.line_errors = e.errors
            raise forms.ValidationError(
                _("Nothing was saved: correct the lines listed below.")
            ) from None
        except services.YearAlreadyLoaded as e:
            self.add_error(
                "replace",
                _(
                    "The %(year)s schedule is already loaded (%(source)s, %(when)s). Tick this "
                    "box to replace it with this notice."
                )
                % {
                    "year": e.schedule.year,
                    "source": e.schedule.get_source_display(),
                    "when": timezone.localtime(e.schedule.loaded_at).strftime("%Y-%m-%d"),
                },
            )
        return cleaned


class CalendarDayForm(forms.ModelForm):
    class Meta:
        model = CalendarDay
        fields = ["date", "kind", "name", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].required = False
        self.fields["year"].help_text = _(
            "The year of the notice that announced the day; empty: the date's year."
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("year") and cleaned.get("date"):
            cleaned["year"] = cleaned["date"].year
            self.instance.year = cleaned["year"]
        return cleaned
