"""The citizen's forms: the message (码上找代表), the tracking lookup and the actions on a case.

The forms check what a browser can get wrong and re-encode the photos; the services check the
rules again (docs/cases.md).
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from liaison.core.images import reencode_image
from liaison.core.phones import normalize_phone, validate_mobile
from liaison.directory.models import Category, Station

from .models import Rating
from .services import MAX_PHOTOS
from .workflow import Status


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to 9 photos; each checked by content and re-encoded (EXIF and location dropped)."""

    widget = MultipleFileInput(attrs={"accept": "image/*", "multiple": True})

    def clean(self, data, initial=None):
        files = [f for f in (data or []) if f]
        if len(files) > MAX_PHOTOS:
            raise ValidationError(
                _("You can send at most %(max)d photos; you chose %(count)d.")
                % {"max": MAX_PHOTOS, "count": len(files)}
            )
        total = sum(f.size for f in files)
        if total > settings.MESSAGE_UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The photos together are too large (%(size)s); the limit is %(limit)s.")
                % {
                    "size": filesizeformat(total),
                    "limit": filesizeformat(settings.MESSAGE_UPLOAD_MAX_BYTES),
                }
            )
        photos, errors = [], []
        for number, upload in enumerate(files, start=1):
            try:
                photos.append(reencode_image(upload.read(settings.PHOTO_MAX_BYTES + 1)))
            except ValidationError as invalid:
                errors.append(
                    _("Photo %(number)d (%(name)s): %(problem)s")
                    % {"number": number, "name": upload.name, "problem": invalid.messages[0]}
                )
        if errors:
            raise ValidationError(errors)
        return photos


def privacy_accepted_field() -> forms.BooleanField:
    """The privacy notice's tick box of every citizen form that takes a phone (a message, a
    booking, an activity sign-up): one wording, one refusal."""
    return forms.BooleanField(
        label=_("I have read the privacy notice and agree"),
        error_messages={"required": _("Please read and accept the privacy notice.")},
    )


class StationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, station):
        return f"{station.name} · {station.address}" if station.address else station.name


class MessageForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("What is it about?"),
        queryset=Category.objects.filter(is_active=True),
        empty_label=_("Choose a category"),
        error_messages={
            "required": _("Please choose what your message is about."),
            "invalid_choice": _("Please choose one of the listed categories."),
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        help_text=_("A few words, e.g. “Street light broken at the school gate”."),
        error_messages={"required": _("Please give your message a title.")},
    )
    description = forms.CharField(
        label=_("What happened?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Please describe the matter.")},
    )
    location_text = forms.CharField(
        label=_("Where?"),
        max_length=200,
        required=False,
        help_text=_("Street and number, building, or a landmark nearby."),
    )
    latitude = forms.DecimalField(
        label=_("Location from your phone (latitude)"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        widget=forms.HiddenInput,
    )
    longitude = forms.DecimalField(
        label=_("Location from your phone (longitude)"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        widget=forms.HiddenInput,
    )
    photos = PhotosField(
        label=_("Photos (optional)"),
        required=False,
        help_text=_("Up to 9 photos. Their location data is removed."),
    )
    citizen_name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    citizen_phone = forms.CharField(
        label=_("Your mobile phone"),
        max_length=20,
        help_text=_("We send a code to confirm it, and the answer later."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Please give your mobile number: the answer is sent to it.")},
    )
    confidential = forms.BooleanField(
        label=_("Keep my identity confidential"),
        required=False,
        help_text=_("Only the station and the deputy will know who you are."),
    )
    public_consent = forms.BooleanField(
        label=_("My message may be shown publicly once my personal details are removed"),
        required=False,
    )
    privacy_accepted = privacy_accepted_field()
    # A honeypot: hidden from people, filled in by form-filling robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args, stations=(), **kwargs):
        """`stations`: a deputy's public stations, their home station first. When there are
        several the citizen chooses where the message is filed (the home one preselected)."""
        super().__init__(*args, **kwargs)
        if len(stations) > 1:
            self.fields["station"] = StationChoiceField(
                label=_("Which station should handle your message?"),
                queryset=Station.objects.filter(pk__in=[s.pk for s in stations]),
                initial=stations[0].pk,
                empty_label=None,
                widget=forms.RadioSelect,
                help_text=_("The deputy receives citizens at each of these stations."),
                error_messages={
                    "required": _("Please choose the station that should handle your message."),
                    "invalid_choice": _(
                        "This deputy does not receive messages at that station. Please choose "
                        "one of the stations listed."
                    ),
                },
            )

    def clean_citizen_phone(self):
        phone = normalize_phone(self.cleaned_data["citizen_phone"])
        validate_mobile(phone)
        return phone

    def clean(self):
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error(
                None, _("The location from your phone was incomplete; please try again.")
            )
        return data

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website", "").strip())


def digits(value: str) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit())


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code from the text message"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
        error_messages={"required": _("Please type the code from the text message.")},
    )

    def clean_code(self):
        code = digits(self.cleaned_data["code"])
        if len(code) != 6:
            raise ValidationError(_("The code has 6 digits."))
        return code


class UnlockForm(forms.Form):
    last4 = forms.CharField(
        label=_("The last 4 digits of your mobile phone"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Please type the last 4 digits of your phone.")},
    )

    def clean_last4(self):
        last4 = digits(self.cleaned_data["last4"])
        if len(last4) != 4:
            raise ValidationError(_("Please type exactly 4 digits."))
        return last4


class LookupForm(UnlockForm):
    number = forms.CharField(
        label=_("Tracking number"),
        max_length=20,
        help_text=_("10 digits, from the text message you received."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": _("Please type the tracking number.")},
    )
    field_order = ["number", "last4"]

    def clean_number(self):
        number = digits(self.cleaned_data["number"])
        if len(number) != 10:
            raise ValidationError(_("The tracking number has 10 digits."))
        return number


class SupplementForm(forms.Form):
    text = forms.CharField(
        label=_("The information that was asked for"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Please write the information that was asked for.")},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw it? (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Your rating"),
        choices=Rating.choices,
        error_messages={
            "required": _("Please choose one of the three answers."),
            "invalid_choice": _("Please choose one of the three answers."),
        },
    )
    comment = forms.CharField(
        label=_("Anything to add? (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # The status the citizen saw (answered): a rating after the case moved is refused by the
    # state machine even after the confirmation step. Missing from older pages: read anew.
    seen_status = forms.ChoiceField(
        label=_("Status when the page was opened"), choices=Status.choices, required=False
    )


class PhoneForm(forms.Form):
    """ "My messages and bookings": the mobile number the messages were sent from."""

    phone = forms.CharField(
        label=_("Your mobile phone"),
        max_length=20,
        help_text=_("The number you left your messages or bookings with."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Please type your mobile number.")},
    )

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data["phone"])
        validate_mobile(phone)
        return phone
