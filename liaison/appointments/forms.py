"""Forms of online appointments (线上预约): booking, the citizen's lookup and reschedule, the
staff filters and actions. The slot is a radio list of the offered slots, but any well-formed
slot is passed on, so the services say precisely why one cannot be booked (past, closed, full)."""

from django import forms
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from liaison.cases.public_forms import CodeForm, UnlockForm, digits, privacy_accepted_field
from liaison.core.phones import normalize_phone, validate_mobile
from liaison.directory.models import Deputy

from .models import AppointmentStatus
from .slots import parse_key

__all__ = ["BookingForm", "CodeForm", "LookupForm", "RescheduleForm", "StaffFilterForm"]


def slot_choices(slots) -> list:
    """Grouped by day, each with its time, places left and deputies on duty."""
    groups: dict = {}
    for slot in slots:
        day = (
            f"{formats.date_format(slot.date, 'DATE_FORMAT')} "
            f"({formats.date_format(slot.date, 'l')})"
        )
        places = ngettext("%(n)d place left", "%(n)d places left", slot.places_left) % {
            "n": slot.places_left
        }
        label = f"{slot.start_time:%H:%M}–{slot.end_time:%H:%M} · {places}"
        if slot.deputies:
            label += " · " + str(_("on duty:")) + " " + "、".join(d.name for d in slot.deputies)
        groups.setdefault(day, []).append((slot.key, label))
    return list(groups.items())


def duty_deputies(slots) -> list:
    """The deputies on duty in `slots`, each once, by name."""
    found = {}
    for slot in slots:
        for deputy in slot.deputies:
            found.setdefault(deputy.pk, deputy)
    return sorted(found.values(), key=lambda d: d.name)


class SlotForm(forms.Form):
    """A slot (radio list) and, optionally, a deputy on duty at it."""

    slot = forms.CharField(
        label=_("Day and time"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Please choose a day and time.")},
    )
    deputy = forms.ModelChoiceField(
        label=_("With a deputy (optional)"),
        queryset=Deputy.objects.none(),
        required=False,
        empty_label=_("Any deputy on duty"),
        help_text=_("The deputy must be on duty at the time you choose."),
    )

    def __init__(self, *args, slots, station, **kwargs):
        super().__init__(*args, **kwargs)
        self.station = station
        self.fields["slot"].widget.choices = slot_choices(slots)
        self.fields["deputy"].queryset = Deputy.objects.filter(stations=station, is_active=True)
        on_duty = duty_deputies(slots)
        self.fields["deputy"].widget.choices = [("", self.fields["deputy"].empty_label)] + [
            (d.pk, d.name) for d in on_duty
        ]
        if not on_duty:
            self.fields["deputy"].widget = forms.HiddenInput()

    def clean_slot(self):
        parsed = parse_key(self.cleaned_data["slot"])
        if parsed is None:
            raise forms.ValidationError(_("Please choose one of the listed days and times."))
        return parsed


class BookingForm(SlotForm):
    topic = forms.CharField(
        label=_("What do you want to talk about?"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Please say in a few words what you want to talk about.")},
    )
    name = forms.CharField(
        label=_("Your name"),
        max_length=50,
        error_messages={"required": _("Please give your name.")},
    )
    phone = forms.CharField(
        label=_("Your mobile phone"),
        max_length=20,
        help_text=_("We send a code to confirm it, and a reminder the day before."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Please give your mobile number.")},
    )
    privacy_accepted = privacy_accepted_field()
    # A honeypot: hidden from people, filled in by form-filling robots. Out of the tab order, as
    # it sits in an aria-hidden box (WCAG 4.1.2: nothing focusable inside aria-hidden).
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data["phone"])
        validate_mobile(phone)
        return phone

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def booking(self) -> dict:
        """The valid form as `services.book` arguments."""
        data = self.cleaned_data
        day, start = data["slot"]
        return {
            "station": self.station,
            "day": day,
            "start_time": start,
            "deputy": data["deputy"],
            "topic": data["topic"],
            "name": data["name"],
            "phone": data["phone"],
            "language": translation.get_language() or "",
        }


class RescheduleForm(SlotForm):
    pass


class LookupForm(UnlockForm):
    """My booking: the 8-digit booking code and the phone's last 4 digits."""

    code = forms.CharField(
        label=_("Booking code"),
        max_length=20,
        help_text=_("8 digits, from the text message you received."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Please type the booking code.")},
    )
    field_order = ["code", "last4"]

    def clean_code(self):
        code = digits(self.cleaned_data["code"])
        if len(code) != 8:
            raise forms.ValidationError(_("The booking code has 8 digits."))
        return code


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to the citizen by SMS)"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Please give the reason: the citizen is told it by SMS.")},
    )


class StaffFilterForm(forms.Form):
    station = forms.ModelChoiceField(
        label=_("Station"), queryset=None, required=False, empty_label=_("All my stations")
    )
    day = forms.DateField(
        label=_("Day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status"))]
        + [c for c in AppointmentStatus.choices if c[0] != AppointmentStatus.PENDING],
    )
    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("Name, topic, booking code or the phone's last 4 digits."),
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("date", _("Soonest first")),
            ("-date", _("Latest first")),
            ("-created", _("Newest bookings first")),
        ],
    )

    def __init__(self, *args, stations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["station"].queryset = stations
