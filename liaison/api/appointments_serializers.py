"""The request and response bodies of the booking endpoints (liaison/api/appointments.py)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from liaison.appointments import services as appointments
from liaison.appointments.models import AppointmentStatus
from liaison.appointments.slots import has_begun

from .fields import MobileField, MustBeTrueField


@extend_schema_field(
    {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$", "example": "09:30"}
)
class HourMinuteField(serializers.TimeField):
    """A local time as the station's timetable shows it, "09:30": not an RFC 3339 time (no
    seconds, no offset; the station's time zone is Asia/Shanghai), so the schema says so."""

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class DeputyRefSerializer(serializers.Serializer):
    public_code = serializers.CharField()
    name = serializers.CharField()


class SlotSerializer(serializers.Serializer):
    slot = serializers.CharField(source="key", help_text="Send this value to book the slot.")
    date = serializers.DateField()
    start_time = HourMinuteField()
    end_time = HourMinuteField()
    capacity = serializers.IntegerField()
    places_left = serializers.IntegerField()
    place = serializers.CharField()
    deputies = DeputyRefSerializer(many=True, help_text="Deputies on duty at this reception.")


class StationSlotsSerializer(serializers.Serializer):
    station = serializers.CharField()
    days = serializers.IntegerField(help_text="How many days ahead bookings open.")
    slots = SlotSerializer(many=True)


class BookingBodySerializer(serializers.Serializer):
    """Documents the body; the booking page's form (BookingForm) validates it."""

    slot = serializers.CharField(help_text="A slot's value from …/slots, e.g. 2025-09-29T09:30.")
    deputy = serializers.CharField(
        required=False, allow_blank=True, help_text="Public code of a deputy on duty (optional)."
    )
    topic = serializers.CharField(max_length=200)
    name = serializers.CharField(max_length=50)
    phone = MobileField()
    privacy_accepted = MustBeTrueField(help_text="Must be true.")


class PendingSerializer(serializers.Serializer):
    pending = serializers.CharField(help_text="Give it to …/verify with the SMS code.")
    status = serializers.CharField(help_text='"pending": the phone is not confirmed yet.')
    resend_after = serializers.IntegerField(help_text="Seconds before a new code may be asked.")


class VerifyBodySerializer(serializers.Serializer):
    pending = serializers.CharField(max_length=200)
    code = serializers.CharField(max_length=12, help_text="The 6-digit code sent by SMS.")


class ResendBodySerializer(serializers.Serializer):
    pending = serializers.CharField(max_length=200)


class BookingSerializer(serializers.Serializer):
    """The citizen's booking: no name, no phone."""

    code = serializers.CharField(help_text="The 8-digit booking code.")
    status = serializers.ChoiceField(choices=AppointmentStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    station = serializers.CharField(source="station.public_code")
    station_name = serializers.CharField(source="station.name")
    date = serializers.DateField()
    start_time = HourMinuteField()
    end_time = HourMinuteField()
    deputy = DeputyRefSerializer(allow_null=True)
    topic = serializers.CharField()
    cancel_reason = serializers.CharField(help_text="The station's reason when it cancelled.")
    changeable = serializers.SerializerMethodField(
        help_text="Open and not begun: may be cancelled or rescheduled."
    )

    def get_changeable(self, appointment) -> bool:
        return appointment.status in appointments.OPEN and not has_begun(appointment)


class Last4BodySerializer(serializers.Serializer):
    phone_last4 = serializers.RegexField(r"^\d{4}$", help_text="The phone's last 4 digits.")


class RescheduleBodySerializer(Last4BodySerializer):
    slot = serializers.CharField(help_text="A slot's value from …/slots.")
    deputy = serializers.CharField(
        required=False, allow_blank=True, help_text="Public code of a deputy on duty (optional)."
    )


class StaffAppointmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    status = serializers.ChoiceField(choices=AppointmentStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    station = serializers.CharField(source="station.public_code")
    date = serializers.DateField()
    start_time = HourMinuteField()
    end_time = HourMinuteField()
    deputy = serializers.CharField(source="deputy.public_code", allow_null=True, default=None)
    topic = serializers.CharField()
    name = serializers.CharField()
    phone = serializers.CharField(source="masked_phone", help_text="Always masked.")
    cancel_reason = serializers.CharField()
    visit = serializers.IntegerField(source="visit_id", allow_null=True)
    created_at = serializers.DateTimeField()
    verified_at = serializers.DateTimeField(allow_null=True)


class MoveBodySerializer(serializers.Serializer):
    slot = serializers.CharField(help_text="A slot's value from /api/v1/stations/{code}/slots.")
    deputy = serializers.CharField(required=False, allow_blank=True, help_text="Public code.")


class CancelBodySerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, help_text="Sent to the citizen by SMS.")
