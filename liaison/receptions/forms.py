"""The registration form (接待选民登记表): the visit, then one row per matter raised.

Field names follow `services.register_visit`'s arguments, so its ValidationErrors land on the
fields; a matter's errors come back keyed `matters.<index>.<field>`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.cases.filters import DateInput, check_date_range, region_in_scope
from liaison.cases.models import Case
from liaison.cases.staff_entry import offer_stations
from liaison.core.permissions import restrict
from liaison.core.phones import normalize_phone, validate_mobile
from liaison.directory.models import Category, Region, Station

from .models import Visit, today, validate_contact_phone
from .services import MAX_MATTERS, Matter


class VisitForm(forms.Form):
    station = forms.ModelChoiceField(label=_("Station"), queryset=None)
    received_on = forms.DateField(
        label=_("Reception day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    visitor_name = forms.CharField(
        label=_("Visitor's name"), max_length=Visit._meta.get_field("visitor_name").max_length
    )
    visitor_phone = forms.CharField(
        label=_("Visitor's phone"),
        max_length=20,
        help_text=_("Mobile, or landline with area code (0571-87654321)."),
    )
    answer_mobile = forms.CharField(
        label=_("Mobile for the SMS answer"),
        max_length=20,
        required=False,
        help_text=_(
            "Only when the phone above is a landline. Without a mobile the answer goes by "
            "reply letter to the address below."
        ),
    )
    visitor_address = forms.CharField(
        label=_("Visitor's address"),
        max_length=Visit._meta.get_field("visitor_address").max_length,
        required=False,
    )
    deputies = forms.ModelMultipleChoiceField(
        label=_("Deputies who received the visitor"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    confidential = forms.BooleanField(
        label=_("The visitor asks to keep their identity confidential"), required=False
    )
    public_consent = forms.BooleanField(
        label=_("The matters may be shown publicly once anonymised"), required=False
    )
    privacy_accepted = forms.BooleanField(
        label=_("The visitor was shown the privacy notice and agreed"),
        error_messages={"required": _("The visitor must agree to the privacy notice first.")},
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("received_on", today())
        super().__init__(*args, **kwargs)
        offer_stations(self, user, "deputies")

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > today():
            raise forms.ValidationError(_("The reception day cannot be in the future."))
        return day

    def clean_visitor_phone(self):
        phone = normalize_phone(self.cleaned_data["visitor_phone"])
        validate_contact_phone(phone)
        return phone

    def clean_answer_mobile(self):
        phone = normalize_phone(self.cleaned_data["answer_mobile"])
        if phone:
            validate_mobile(phone)
        return phone

    def clean(self):
        data = super().clean()
        station = data.get("station")
        if station:
            for deputy in data.get("deputies") or ():
                if not deputy.stations.filter(pk=station.pk).exists():
                    self.add_error(
                        "deputies",
                        _("%(name)s does not sit in this station.") % {"name": deputy.name},
                    )
        return data


class MatterForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True)
    )
    title = forms.CharField(label=_("Title"), max_length=Case._meta.get_field("title").max_length)
    description = forms.CharField(
        label=_("What was raised"), widget=forms.Textarea(attrs={"rows": 3})
    )
    proposed_handling = forms.CharField(
        label=_("Proposed handling"),
        max_length=200,
        required=False,
        help_text=_("For example: answered on the spot, assign to a department, refer."),
    )

    def matter(self) -> Matter:
        return Matter(**self.cleaned_data)


class BaseMatterFormSet(forms.BaseFormSet):
    def matters(self) -> list[Matter]:
        return [form.matter() for form in self.forms if form.has_changed()]


MatterFormSet = forms.formset_factory(
    MatterForm,
    formset=BaseMatterFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=MAX_MATTERS,
    validate_max=True,
)


VISIT_SORTS = [("-received", _("Latest first")), ("received", _("Earliest first"))]


class VisitFilter(forms.Form):
    """The visit list's filters (GET), shared by its export; the statistics' visitor counts
    (接待人次) link here with a period, a region or a station. A station or region outside the
    account's scope is a form error, never its visits."""

    received_from = forms.DateField(label=_("Received from"), required=False, widget=DateInput())
    received_to = forms.DateField(label=_("Received until"), required=False, widget=DateInput())
    station = forms.ModelChoiceField(
        label=_("Station"),
        queryset=Station.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("No such station in your scope.")},
    )
    region = forms.CharField(label=_("Region (division code)"), max_length=12, required=False)
    q = forms.CharField(label=_("Search"), max_length=50, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=VISIT_SORTS, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        # The stations whose visits the account sees (the same people as "visit.view").
        stations = restrict(Station.objects.all(), user, "station.change").order_by("name")
        self.fields["station"].queryset = stations
        self.fields["station"].empty_label = _("All my stations")

    def clean_region(self) -> Region | None:
        return region_in_scope(self.user, self.cleaned_data.get("region"))

    def clean(self):
        data = super().clean()
        check_date_range(self, "received_from", "received_to")
        return data

    def visits(self, visits):
        """`visits` (already scoped) narrowed by the filters, in the chosen order."""
        data = self.cleaned_data
        if data.get("received_from"):
            visits = visits.filter(received_on__gte=data["received_from"])
        if data.get("received_to"):
            visits = visits.filter(received_on__lte=data["received_to"])
        if data.get("station"):
            visits = visits.filter(station=data["station"])
        if data.get("region"):
            visits = visits.filter(station__region__path__startswith=data["region"].path)
        q = (data.get("q") or "").strip()
        if q.isdigit() and len(q) == 4:
            visits = visits.filter(visitor_phone__endswith=q)
        elif q:
            visits = visits.filter(visitor_name__contains=q)
        if data.get("sort") == "received":
            return visits.order_by("received_on", "id")
        return visits.order_by("-received_on", "-id")
