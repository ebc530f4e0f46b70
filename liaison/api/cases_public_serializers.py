"""The request and response bodies of the citizen's case endpoints (liaison/api/cases_public.py)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from liaison.cases.models import Rating
from liaison.cases.public_forms import PhotosField
from liaison.cases.services import MAX_PHOTOS
from liaison.cases.workflow import Status
from liaison.directory import selectors as directory
from liaison.directory.models import Category

from .fields import MobileField, MustBeTrueField

# The status of a case that waits for its SMS code (not a workflow status: not yet a case).
AWAITING = "awaiting_phone_verification"


class CategoryField(serializers.SlugRelatedField):
    """An active category by code, from the directory kept in memory (directory.selectors)."""

    def to_internal_value(self, data):
        found = directory.active_category(str(data)) if isinstance(data, str | int) else None
        if found is None:
            return super().to_internal_value(data)  # its own precise error
        return found


class SubmitSerializer(serializers.Serializer):
    station = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=16,
        help_text="Public code of the station (or give deputy). With deputy: one of the "
        "deputy's stations, where the message is filed (default: the deputy's first station).",
    )
    deputy = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=16,
        help_text="Public code of the deputy (or give station).",
    )
    category = CategoryField(slug_field="code", queryset=Category.objects.filter(is_active=True))
    title = serializers.CharField(max_length=120)
    description = serializers.CharField(max_length=5000)
    location_text = serializers.CharField(max_length=200, required=False, allow_blank=True)
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False
    )
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-180, max_value=180, required=False
    )
    citizen_name = serializers.CharField(max_length=50, required=False, allow_blank=True)
    citizen_phone = MobileField()
    confidential = serializers.BooleanField(default=False)
    public_consent = serializers.BooleanField(default=False)
    privacy_accepted = MustBeTrueField(help_text="Must be true.")
    photos = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        max_length=MAX_PHOTOS,
        help_text="Up to 9 images (multipart only), checked by content, EXIF removed.",
    )

    def validate_privacy_accepted(self, value):
        if not value:
            raise serializers.ValidationError(_("Please read and accept the privacy notice."))
        return value

    def validate_photos(self, files):
        # The web form's own check: count, total size, each decoded and re-encoded.
        return PhotosField(required=False).clean(files)

    def validate(self, data):
        if ("latitude" in data) != ("longitude" in data):
            raise serializers.ValidationError(
                {"latitude": _("The location is not a valid position.")}
            )
        deputy = None
        if data.get("deputy"):
            deputy = directory.message_deputy(data["deputy"])
            stations = deputy.public_stations if deputy else []
            if not stations:
                raise serializers.ValidationError(
                    {"deputy": _("No active deputy takes messages with this code.")}
                )
            # The citizen may choose among the deputy's stations; else the first (as the page).
            station = stations[0]
            if data.get("station"):
                station = next((s for s in stations if s.public_code == data["station"]), None)
                if station is None:
                    raise serializers.ValidationError(
                        {
                            "station": _(
                                "This deputy does not receive messages at that station: give "
                                "the public code of one of the deputy's stations, or none."
                            )
                        }
                    )
        elif data.get("station"):
            station = directory.public_stations().filter(public_code=data["station"]).first()
            if station is None:
                raise serializers.ValidationError(
                    {"station": _("No active station has this code.")}
                )
        else:
            raise serializers.ValidationError(
                {"station": _("Give the station's or the deputy's public code.")}
            )
        data["station"], data["deputy"] = station, deputy
        return data


class SubmitResultSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    status = serializers.CharField(help_text=f'"{AWAITING}", or the case status when verified.')
    verify_url = serializers.URLField(allow_null=True, help_text="POST the SMS code here.")
    tracking_url = serializers.URLField()


class CodeSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=12, help_text="The 6-digit code sent by SMS.")


class Last4Serializer(serializers.Serializer):
    phone_last4 = serializers.RegexField(r"^\d{4}$", help_text="The phone's last 4 digits.")


class SupplementSerializer(Last4Serializer):
    text = serializers.CharField(max_length=5000)


class WithdrawSerializer(Last4Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class RateSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True)
    token = serializers.CharField(max_length=200, help_text="The token of the rating link.")


class StatusSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()


class PublicEventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    verb = serializers.CharField()
    what = serializers.CharField()
    who = serializers.CharField()
    status = serializers.CharField(help_text="The status label after the event, or empty.")
    note = serializers.CharField(allow_blank=True)


class MainCaseSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)
    due_provisional = serializers.BooleanField()
    raised_by = serializers.IntegerField()
    timeline = PublicEventSerializer(many=True)


class TrackSerializer(StatusSerializer):
    title = serializers.CharField()
    category = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField(allow_null=True, help_text="The current step's deadline.")
    due_provisional = serializers.BooleanField()
    rating = serializers.CharField(allow_blank=True)
    supporters = serializers.IntegerField(
        help_text="Citizens who supported the matter (附议) on its public page (0 unless the "
        "citizen agreed to publication)."
    )
    can_supplement = serializers.BooleanField()
    can_withdraw = serializers.BooleanField()
    can_rate = serializers.BooleanField()
    rating_token = serializers.CharField(help_text="For POST …/rate, as in the SMS link.")
    timeline = PublicEventSerializer(many=True)
    merged_into = MainCaseSerializer(allow_null=True, help_text="The case this one follows.")
