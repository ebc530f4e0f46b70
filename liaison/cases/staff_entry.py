"""Staff entry of a phone call or a letter (电话、来信登记): the station writes the case for the
citizen. No SMS code (the staff member heard the citizen); the privacy notice is read out on the
phone or printed on the reply letter, and how it was given is kept in the submission event."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from liaison.accounts.models import Role
from liaison.core.errors import NotAllowed
from liaison.core.permissions import may_at_all, restrict
from liaison.core.phones import normalize_phone, validate_landline, validate_mobile
from liaison.directory.models import Category, Deputy, Station

from . import services
from .models import Case, Channel

# How the privacy notice reached a citizen who did not use the online form.
CONSENT_HOW = {
    Channel.PHONE: "read_out_on_phone",  # 电话中宣读
    Channel.LETTER: "printed_on_reply_letter",  # 随回函寄送
}


CONTACT_FIELDS = ("citizen_phone", "citizen_landline", "citizen_address")
NO_CONTACT = _(
    "Give the citizen's mobile phone, a landline or a postal address: the answer must reach them."
)


def stations_for(user):
    """The stations the account enters matters for (the "case.enter" row)."""
    return restrict(Station.objects.filter(is_active=True), user).order_by("name")


def offer_stations(form, user, deputies_field: str) -> None:
    """Station staff get their own station chosen; deputies are those of the offered stations.
    Shared by every form where staff write down what a citizen brought in."""
    stations = stations_for(user)
    form.fields["station"].queryset = stations
    if user.role == Role.STATION_STAFF:
        form.fields["station"].initial = user.station_id
        form.fields["station"].empty_label = None
    form.fields[deputies_field].queryset = (
        Deputy.objects.filter(is_active=True, stations__in=stations).distinct().order_by("name")
    )


def grouped(number: str) -> str:
    """381 255 9047 — easy to read out on the phone."""
    return f"{number[:3]} {number[3:6]} {number[6:]}"


class StaffCaseForm(forms.Form):
    station = forms.ModelChoiceField(label=_("Station"), queryset=Station.objects.none())
    channel = forms.ChoiceField(
        label=_("How the matter reached us"),
        choices=[(Channel.PHONE, Channel.PHONE.label), (Channel.LETTER, Channel.LETTER.label)],
        widget=forms.RadioSelect,
    )
    deputy = forms.ModelChoiceField(
        label=_("Deputy addressed"),
        queryset=Deputy.objects.none(),
        required=False,
        help_text=_("Leave empty for the station as a whole."),
    )
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    title = forms.CharField(label=_("Title"), max_length=Case._meta.get_field("title").max_length)
    description = forms.CharField(
        label=_("What the citizen raised"), widget=forms.Textarea(attrs={"rows": 5})
    )
    location_text = forms.CharField(
        label=_("Where"),
        max_length=Case._meta.get_field("location_text").max_length,
        required=False,
    )
    citizen_name = forms.CharField(
        label=_("Citizen's name"),
        max_length=Case._meta.get_field("citizen_name").max_length,
        required=False,
    )
    citizen_phone = forms.CharField(
        label=_("Citizen's mobile phone"),
        max_length=20,
        required=False,
        help_text=_(
            "For the answer by SMS. Without a mobile, give a landline or a postal address: "
            "the answer then goes by reply letter."
        ),
    )
    citizen_landline = forms.CharField(
        label=_("Citizen's landline"),
        max_length=20,
        required=False,
        help_text=_("With the area code, e.g. 0571-87654321."),
    )
    citizen_address = forms.CharField(
        label=_("Citizen's postal address"),
        max_length=Case._meta.get_field("citizen_address").max_length,
        required=False,
        help_text=_("Where the reply letter is sent."),
    )
    confidential = forms.BooleanField(
        label=_("The citizen asks to keep their identity confidential"), required=False
    )
    public_consent = forms.BooleanField(
        label=_("The case may be shown publicly once anonymised"), required=False
    )
    privacy_accepted = forms.BooleanField(
        label=_(
            "The citizen agreed to the privacy notice (read out on the phone, or printed on "
            "the reply letter)"
        ),
        error_messages={"required": _("The citizen must agree to the privacy notice first.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        offer_stations(self, user, "deputy")
        self.fields["category"].queryset = Category.objects.filter(is_active=True)

    def clean_citizen_phone(self):
        phone = normalize_phone(self.cleaned_data["citizen_phone"])
        if phone:
            validate_mobile(phone)
        return phone

    def clean_citizen_landline(self):
        landline = normalize_phone(self.cleaned_data["citizen_landline"])
        if landline:
            validate_landline(landline)
        return landline

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in CONTACT_FIELDS) and not any(
            name in self.errors for name in CONTACT_FIELDS
        ):
            self.add_error("citizen_phone", NO_CONTACT)
        station, deputy = data.get("station"), data.get("deputy")
        if station and deputy and not deputy.stations.filter(pk=station.pk).exists():
            self.add_error("deputy", _("This deputy does not sit in this station."))
        return data


@login_required
def new_case(request):
    """电话、来信登记 — one case from a phone call or a letter."""
    if not may_at_all(request.user, "case.enter"):
        raise PermissionDenied(gettext("Only station and committee staff enter cases."))
    form = StaffCaseForm(request.POST or None, user=request.user)
    if request.method != "POST":
        return render(request, "cases/staff/new_case.html", {"form": form})
    if form.is_valid():
        data = form.cleaned_data
        try:
            case = services.submit_case(
                **{k: v for k, v in data.items() if k != "privacy_accepted"},
                privacy_accepted=True,
                privacy_consent={"how": CONSENT_HOW[data["channel"]]},
                actor=request.user,
            )
        except NotAllowed as refused:
            raise PermissionDenied(str(refused.message)) from refused
        except ValidationError as invalid:
            for field, errors in invalid.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                gettext("Case registered. Tracking number to read out: %(number)s")
                % {"number": grouped(case.tracking_number)},
            )
            return redirect("staff:case-detail", tracking_number=case.tracking_number)
    return render(request, "cases/staff/new_case.html", {"form": form}, status=400)
