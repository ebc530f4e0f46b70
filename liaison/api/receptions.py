"""Staff receptions over the API (接待选民登记): the visits in the account's scope, and
registering one with its matters. Thin, like liaison/receptions/views.py: the same forms
(VisitForm, MatterForm) validate the body, `services.register_visit` writes the visit and one
case per matter in one transaction (a refused matter leaves nothing behind), and the list comes
from `selectors.visible_visits` (restrict()). The visitor's phone is always masked here."""

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers
from rest_framework.response import Response

from liaison.core.permissions import may_at_all
from liaison.receptions import selectors, services
from liaison.receptions.forms import MatterForm, VisitForm

from .cases_staff import StaffView
from .fields import MustBeTrueField

TAG = ["staff receptions"]


class MatterSerializer(serializers.Serializer):
    position = serializers.IntegerField()
    tracking_number = serializers.CharField(source="case.tracking_number")
    title = serializers.CharField(source="case.title")
    category = serializers.CharField(source="case.category.code")
    proposed_handling = serializers.CharField()


class VisitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    station = serializers.CharField(source="station.public_code")
    received_on = serializers.DateField()
    visitor_name = serializers.CharField()
    visitor_phone = serializers.CharField(source="masked_phone", help_text="Always masked.")
    deputies = serializers.SerializerMethodField(help_text="Deputies' public codes.")
    notes = serializers.CharField()
    matters = MatterSerializer(many=True)
    tracking_numbers = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_deputies(self, visit) -> list[str]:
        return [deputy.public_code for deputy in visit.deputies.all()]

    def get_tracking_numbers(self, visit) -> list[str]:
        return [matter.case.tracking_number for matter in visit.matters.all()]


class MatterBodySerializer(serializers.Serializer):
    category = serializers.CharField(help_text="Category code.")
    title = serializers.CharField(max_length=120)
    description = serializers.CharField()
    proposed_handling = serializers.CharField(max_length=200, required=False, allow_blank=True)


class VisitBodySerializer(serializers.Serializer):
    """Documents the body; the registration page's forms validate it."""

    station = serializers.CharField(help_text="Public code of the station.")
    received_on = serializers.DateField(help_text="Not in the future.")
    visitor_name = serializers.CharField(max_length=50)
    visitor_phone = serializers.CharField(max_length=20, help_text="Mobile or landline.")
    answer_mobile = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="When the phone is a landline."
    )
    visitor_address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    deputies = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="Deputies' public codes."
    )
    notes = serializers.CharField(required=False, allow_blank=True)
    confidential = serializers.BooleanField(required=False)
    public_consent = serializers.BooleanField(required=False)
    privacy_accepted = MustBeTrueField()
    matters = MatterBodySerializer(many=True, help_text=f"1 to {services.MAX_MATTERS}.")


def _refuse(errors: dict, prefix: str = "") -> None:
    raise serializers.ValidationError(
        {
            (prefix + name if name != "__all__" else prefix.rstrip(".") or "non_field_errors"): [
                str(message) for message in messages
            ]
            for name, messages in errors.items()
        }
    )


def _pk(queryset, field: str, code) -> int:
    """The id the form's choices use for a code; 0 (no row) when unknown."""
    return queryset.filter(**{field: str(code)}).values_list("pk", flat=True).first() or 0


class VisitList(StaffView, generics.ListAPIView):
    serializer_class = VisitSerializer

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not may_at_all(request.user, "case.enter"):
            raise exceptions.PermissionDenied(
                gettext("Only station and committee staff register visits.")
            )

    def get_queryset(self):
        return selectors.visible_visits(self.request.user).prefetch_related(
            "deputies", "matters__case__category"
        )

    @extend_schema(tags=TAG, summary="The visits in the account's scope (newest first)")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=TAG,
        summary="Register a visit and its matters (接待选民登记)",
        description="One case per matter (channel reception), all or nothing. A matter's "
        "error names its field as matters.<index>.<field>.",
        request=VisitBodySerializer,
        responses={201: VisitSerializer},
    )
    def post(self, request, *args, **kwargs):
        user, body = request.user, request.data
        if not isinstance(body, dict):
            raise serializers.ValidationError(gettext("Send a JSON object."))
        data = {k: v for k, v in body.items() if k not in ("deputies", "matters")}
        form = VisitForm(data, user=user)
        if data.get("station") not in (None, ""):
            data["station"] = _pk(form.fields["station"].queryset, "public_code", data["station"])
        codes = body.get("deputies") or []
        if not isinstance(codes, list):
            codes = [codes]
        data["deputies"] = [_pk(form.fields["deputies"].queryset, "public_code", c) for c in codes]
        form = VisitForm(data, user=user)
        if not form.is_valid():
            _refuse(form.errors)
        rows = body.get("matters")
        if not isinstance(rows, list) or not rows:
            raise serializers.ValidationError(
                {"matters": [gettext("Record at least one matter the visitor raised.")]}
            )
        if len(rows) > services.MAX_MATTERS:
            raise serializers.ValidationError(
                {
                    "matters": [
                        gettext("Record at most %(max)d matters per visit.")
                        % {"max": services.MAX_MATTERS}
                    ]
                }
            )
        matters = []
        for position, row in enumerate(rows):
            row = dict(row) if isinstance(row, dict) else {}
            matter_form = MatterForm(row)
            if row.get("category") not in (None, ""):
                row["category"] = _pk(
                    matter_form.fields["category"].queryset, "code", row["category"]
                )
                matter_form = MatterForm(row)
            if not matter_form.is_valid():
                _refuse(matter_form.errors, prefix=f"matters.{position}.")
            matters.append(matter_form.matter())
        clean = form.cleaned_data
        visit = services.register_visit(
            actor=user,
            station=clean["station"],
            received_on=clean["received_on"],
            visitor_name=clean["visitor_name"],
            visitor_phone=clean["visitor_phone"],
            answer_mobile=clean["answer_mobile"],
            visitor_address=clean["visitor_address"],
            deputies=list(clean["deputies"]),
            notes=clean["notes"],
            confidential=clean["confidential"],
            public_consent=clean["public_consent"],
            privacy_accepted=clean["privacy_accepted"],
            matters=matters,
        )
        visit = self.get_queryset().get(pk=visit.pk)
        return Response(VisitSerializer(visit).data, status=201)
