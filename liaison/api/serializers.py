"""Public fields only: nothing here may carry personal data beyond what a deputy's public sign
shows (name, level, constituency, public phone, photo, short bio)."""

from rest_framework import serializers

from liaison.directory.models import Category, Department, Deputy, Region, Station
from liaison.workdays.models import CalendarDay


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent"]


class StationSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = Station
        fields = [
            "public_code",
            "code",
            "name",
            "kind",
            "region",
            "region_name",
            "address",
            "latitude",
            "longitude",
            "opening_hours",
            "reception_days",
            "phone",
            "url",
        ]

    def get_url(self, station) -> str:
        return self.context["request"].build_absolute_uri(station.get_absolute_url())


class StationDetailSerializer(StationSerializer):
    class Meta(StationSerializer.Meta):
        fields = [*StationSerializer.Meta.fields, "rules", "process"]


class DeputySerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    constituency_regions = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text="Codes of the regions whose residents the deputy represents.",
    )
    stations = serializers.SerializerMethodField()
    contact_blocks = serializers.ListField(
        source="contact_block_list", child=serializers.CharField(), read_only=True
    )
    photo = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Deputy
        fields = [
            "public_code",
            "name",
            "level",
            "term",
            "region",
            "constituency",
            "constituency_regions",
            "contact_blocks",
            "public_phone",
            "occupation",
            "bio",
            "photo",
            "stations",
            "url",
        ]

    def get_stations(self, deputy) -> list[str]:
        # Prefetched with active stations only (see the view's queryset).
        return [station.public_code for station in deputy.public_stations]

    def get_photo(self, deputy) -> str | None:
        if not deputy.photo:
            return None
        return self.context["request"].build_absolute_uri(deputy.photo.url)

    def get_url(self, deputy) -> str:
        return self.context["request"].build_absolute_uri(deputy.get_absolute_url())


class DepartmentSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Department
        fields = ["code", "name", "level", "region", "phone"]


class CategorySerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True)

    class Meta:
        model = Category
        fields = ["code", "name", "name_en", "display_name", "handling_days"]


class AddWorkingDaysQuerySerializer(serializers.Serializer):
    # "from" is a keyword in Python; the field is renamed below.
    start = serializers.DateField(help_text="YYYY-MM-DD: the event's day, which does not count.")
    days = serializers.IntegerField(min_value=1, max_value=366)

    def to_internal_value(self, data):
        data = {"start": data.get("from"), "days": data.get("days")}
        try:
            return super().to_internal_value({k: v for k, v in data.items() if v is not None})
        except serializers.ValidationError as error:
            detail = error.detail
            if isinstance(detail, dict) and "start" in detail:
                detail = {"from" if k == "start" else k: v for k, v in detail.items()}
            raise serializers.ValidationError(detail) from error


class WorkingDayResultSerializer(serializers.Serializer):
    date = serializers.DateField()
    provisional = serializers.BooleanField(
        help_text="True when a year without a loaded holiday schedule is involved."
    )


class CalendarDaySerializer(serializers.ModelSerializer):
    class Meta:
        model = CalendarDay
        fields = ["date", "name"]


class CalendarYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    loaded = serializers.BooleanField()
    holidays = CalendarDaySerializer(many=True)
    makeup_working_days = CalendarDaySerializer(many=True)
