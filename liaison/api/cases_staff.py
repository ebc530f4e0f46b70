"""Staff side of the case API: the queue, one case, and the workflow actions.

Thin, like liaison/cases/staff_views.py, and built on the same parts: the queue is
`queues.queue()` over `queues.scoped_cases(user)` (restrict()), a case outside the scope is a
404, and each action validates its body with the web page's own form (staff_forms.py) and runs
the web page's own service call (liaison/cases/actions.py). The citizen's phone is always masked
here: the full number is for a person on the phone, through the logged "reveal" button of the web
page.

Authentication: a session, or a personal token with the "staff" scope acting as its user. An
application key acts as no one and gets 403.
"""

from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, generics, serializers, views
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from liaison.cases import queues, selectors, services, staff_entry, triage_hints
from liaison.cases import staff_forms as f
from liaison.cases.actions import ACTIONS, offered_actions
from liaison.cases.filters import EVENTS, STATES, CaseFilter
from liaison.cases.models import Case, Channel
from liaison.cases.workflow import MACHINE, Status
from liaison.core.errors import ConcurrentChange
from liaison.core.permissions import may_at_all

from . import case_files
from .errors import RequestedLanguageMixin
from .fields import IdField, MustBeTrueField
from .models import Scope
from .pagination import CappedPagination
from .permissions import HasScope
from .schema import ErrorSerializer
from .views import invalid, text_param

# --- serializers -------------------------------------------------------------------------------

FLAGS = ["none", "yellow", "red"]


class StaffCaseSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    category = serializers.CharField(source="category.code")
    station = serializers.CharField(source="station.public_code")
    deputy = serializers.CharField(source="deputy.public_code", allow_null=True, default=None)
    due_at = serializers.DateTimeField(allow_null=True)
    provisional = serializers.BooleanField(
        source="due_provisional", help_text="The due date counts a year without a schedule."
    )
    flag = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    citizen_phone = serializers.CharField(
        source="masked_phone", help_text="Always masked (e.g. 139****5678)."
    )

    def get_flag(self, case) -> str:
        now, cutoff = self.context["now"], self.context["cutoff"]
        return queues.flag(case, now, cutoff) or "none"


class EventSerializer(serializers.Serializer):
    created_at = serializers.DateTimeField()
    verb = serializers.CharField()
    label = serializers.SerializerMethodField()
    actor_label = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    to_status_label = serializers.SerializerMethodField()
    note = serializers.CharField(
        help_text="Staff only, unless the event's words are for the citizen (see public_note)."
    )
    public_note = serializers.CharField(
        help_text="What the citizen's timeline and Open311 show for this event: a reply, an "
        "answer, guidance, or the message to the citizen (to_citizen) beside a staff note."
    )
    is_public = serializers.BooleanField(help_text="Shown on the citizen's timeline too.")
    details = serializers.SerializerMethodField()

    def get_label(self, event) -> str:
        return str(selectors.event_label(event))

    def get_to_status_label(self, event) -> str:
        return str(selectors.status_label(event.to_status)) if event.to_status else ""

    def get_details(self, event) -> list[str]:
        hidden = self.context.get("hidden_related", set())
        return [str(line) for line in selectors.event_details(event, hidden)]


class AssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    role = serializers.CharField()
    state = serializers.CharField()
    round = serializers.IntegerField()
    contact_shared = serializers.BooleanField()
    sign_due_at = serializers.DateTimeField(allow_null=True)
    report_due_at = serializers.DateTimeField(allow_null=True)
    extension_requested_days = serializers.IntegerField(allow_null=True)
    result = serializers.CharField()


class SuggestedDepartmentSerializer(serializers.Serializer):
    department = serializers.CharField(help_text="Department code.")
    department_name = serializers.CharField()
    role = serializers.CharField(help_text="lead (主办) or co (协办).")


class DepartmentHintSerializer(serializers.Serializer):
    department = serializers.CharField(help_text="Department code.")
    department_name = serializers.CharField()
    score = serializers.FloatField(help_text="The model's probability, 0 to 1.")
    reason = serializers.CharField(help_text="Why, in words a committee worker can check.")


class SimilarCaseSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    title = serializers.CharField()
    similarity = serializers.FloatField(help_text="Text similarity plus place and category, 0-1.")
    why = serializers.CharField()


class RelatedCaseSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()


class StaffCaseDetailSerializer(StaffCaseSerializer):
    description = serializers.CharField()
    location_text = serializers.CharField()
    channel = serializers.CharField()
    citizen_name = serializers.SerializerMethodField()
    citizen_landline = serializers.CharField(
        source="masked_landline", help_text="Always masked; empty when none was given."
    )
    has_postal_address = serializers.SerializerMethodField(
        help_text="A citizen without a mobile may be answered by reply letter (staff page)."
    )
    confidential = serializers.BooleanField()
    merged_into = serializers.CharField(
        source="merged_into.tracking_number", allow_null=True, default=None
    )
    rating = serializers.CharField()
    supporters = serializers.IntegerField(
        help_text="Citizens who added their support (附议) on the public page; never who."
    )
    closed_at = serializers.DateTimeField(allow_null=True)
    assignments = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()
    photos_withheld = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()
    suggested = serializers.SerializerMethodField(
        help_text="The routing rules' suggestion for the assign action (empty when it is not "
        "offered). Only a suggestion: the assign body has no default, send the codes to take it."
    )

    suggested_departments = serializers.SerializerMethodField(
        help_text="分办建议: the departments that handled similar messages, learned from past "
        "assignments (docs/triage.md), while the case is to be reviewed or assigned. Never a "
        "default."
    )
    similar_cases = serializers.SerializerMethodField(
        help_text="Open cases of the last 90 days in your scope that this message resembles, "
        "while it may be merged (empty otherwise)."
    )

    related_cases = serializers.SerializerMethodField(
        help_text="关联留言: cases linked to this one as related, those in your scope only."
    )

    @extend_schema_field(RelatedCaseSerializer(many=True))
    def get_related_cases(self, case) -> list[dict]:
        rows = selectors.related_cases(case, self.context["request"].user)
        return RelatedCaseSerializer(rows, many=True).data

    def get_citizen_name(self, case) -> str:
        # As the web page (selectors.may_see_name): empty when withheld.
        user = self.context["request"].user
        return case.citizen_name if selectors.may_see_name(case, user) else ""

    def get_has_postal_address(self, case) -> bool:
        return bool(case.citizen_address)

    @extend_schema_field(AssignmentSerializer(many=True))
    def get_assignments(self, case) -> list[dict]:
        rows = case.assignments.select_related("department").order_by("created_at", "id")
        return AssignmentSerializer(rows, many=True).data

    @extend_schema_field(case_files.PhotoLinkSerializer(many=True))
    def get_photos(self, case) -> list[dict]:
        """The citizen's photos with signed links (empty when withheld)."""
        rows = case_files.photo_links(self.context["request"], case)
        return case_files.PhotoLinkSerializer(rows, many=True).data

    def get_photos_withheld(self, case) -> bool:
        """True when the case has photos this account may not see: a department without the
        citizen's consent to share their personal information."""
        return case_files.photos_withheld(self.context["request"], case)

    @extend_schema_field(case_files.AttachmentLinkSerializer(many=True))
    def get_attachments(self, case) -> list[dict]:
        """The departments' result attachments with signed links."""
        rows = case_files.attachment_links(self.context["request"], case)
        return case_files.AttachmentLinkSerializer(rows, many=True).data

    @extend_schema_field(EventSerializer(many=True))
    def get_timeline(self, case) -> list[dict]:
        events = list(selectors.timeline(case, public=False))
        hidden = selectors.hidden_related(events, self.context["request"].user)
        return EventSerializer(events, many=True, context={"hidden_related": hidden}).data

    def get_actions(self, case) -> list[str]:
        return offered_actions(case, self.context["request"].user)

    @extend_schema_field(SuggestedDepartmentSerializer(many=True))
    def get_suggested(self, case) -> list[dict]:
        if "assign" not in offered_actions(case, self.context["request"].user):
            return []
        rows = [
            {"department": d.code, "department_name": d.name, "role": role}
            for d, role in selectors.suggested_departments(case)
        ]
        return SuggestedDepartmentSerializer(rows, many=True).data

    @extend_schema_field(DepartmentHintSerializer(many=True))
    def get_suggested_departments(self, case) -> list[dict]:
        offered = offered_actions(case, self.context["request"].user)
        if not {"accept", "assign"} & set(offered):
            return []
        rows = [
            {
                "department": hint.department.code,
                "department_name": hint.department.name,
                "score": hint.score,
                "reason": hint.reason,
            }
            for hint in triage_hints.department_hints(case)
        ]
        return DepartmentHintSerializer(rows, many=True).data

    @extend_schema_field(SimilarCaseSerializer(many=True))
    def get_similar_cases(self, case) -> list[dict]:
        user = self.context["request"].user
        if "merge" not in offered_actions(case, user):
            return []
        rows = [
            {
                "tracking_number": item.case.tracking_number,
                "title": item.case.title,
                "similarity": item.similarity,
                "why": item.why,
            }
            for item in triage_hints.similar_cases(case, user)
        ]
        return SimilarCaseSerializer(rows, many=True).data


# --- the queue ---------------------------------------------------------------------------------

ORDERINGS = {
    "due_at": "due",
    "-created_at": "newest",
    "created_at": "oldest",
    "-supporters": "supporters",
}
BOOLEANS = {"true": True, "false": False}


class StaffView(RequestedLanguageMixin):
    # IsAuthenticated turns away application keys (they act as no one) with 403.
    permission_classes = [IsAuthenticated, HasScope]
    required_scope = Scope.STAFF


def bool_param(params, name: str) -> bool:
    raw = params.get(name)
    if raw in (None, ""):
        return False
    if raw.lower() not in BOOLEANS:
        raise invalid(name, _("Give true or false."))
    return BOOLEANS[raw.lower()]


def date_param(params, name: str):
    raw = params.get(name)
    if raw in (None, ""):
        return None
    try:
        return serializers.DateField().to_internal_value(raw)
    except serializers.ValidationError as error:
        raise invalid(name, error.detail[0]) from error


# The API's names for the filter's fields (liaison/cases/filters.py), where they differ.
API_NAMES = {"created_after": "received_from", "created_before": "received_to"}
FORM_NAMES = {form: api for api, form in API_NAMES.items()}
FILTER_PARAMS = [
    "status",
    "category",
    "station",
    "deputy",
    "department",
    "channel",
    "created_after",
    "created_before",
    "q",
    "region",
    "state",
    "event",
]


STAFF_QUEUE_PARAMETERS = [
    OpenApiParameter("status", str, enum=Status.values),
    OpenApiParameter(
        "category",
        str,
        description="Category code. Unknown codes, and rows outside the "
        "account's scope, are 400 (as every bad filter).",
    ),
    OpenApiParameter("station", str, description="Station public code."),
    OpenApiParameter("deputy", str, description="Deputy public code."),
    OpenApiParameter(
        "department",
        str,
        description="Department code: the cases it was ever assigned (committees, departments).",
    ),
    OpenApiParameter("channel", str, enum=Channel.values),
    OpenApiParameter("overdue", bool, description="Open cases past their due time."),
    OpenApiParameter("due_soon", bool, description="Due by the end of the next working day."),
    OpenApiParameter(
        "created_after", OpenApiTypes.DATE, description="Received on or after (Asia/Shanghai)."
    ),
    OpenApiParameter(
        "created_before",
        OpenApiTypes.DATE,
        description="Received on or before (Asia/Shanghai); at most 10 years after created_after.",
    ),
    OpenApiParameter("q", str, description="Tracking number, or part of the title or text."),
    OpenApiParameter(
        "region",
        str,
        description="Division code of a region in the account's scope (committees): its cases.",
    ),
    OpenApiParameter(
        "state", str, enum=[value for value, _label in STATES], description="Open or closed now."
    ),
    OpenApiParameter(
        "event",
        str,
        enum=[value for value, _label in EVENTS],
        description="What happened between created_after and created_before (the statistics' "
        "counts): the dates are then of that event instead of the day received.",
    ),
    OpenApiParameter("ordering", str, enum=list(ORDERINGS), description="due_at by default."),
]


NEW_CASE_CODES = {"station": "public_code", "deputy": "public_code", "category": "code"}


class NewCaseSerializer(serializers.Serializer):
    """Documents the body; staff_entry.StaffCaseForm validates it."""

    station = serializers.CharField(help_text="Public code of the station.")
    channel = serializers.ChoiceField(choices=[Channel.PHONE, Channel.LETTER])
    deputy = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Public code of the deputy addressed (empty: the station as a whole).",
    )
    category = serializers.CharField(help_text="Category code.")
    title = serializers.CharField(max_length=Case._meta.get_field("title").max_length)
    description = serializers.CharField()
    location_text = serializers.CharField(required=False, allow_blank=True)
    citizen_name = serializers.CharField(required=False, allow_blank=True)
    citizen_phone = serializers.CharField(
        max_length=20,
        required=False,
        allow_blank=True,
        help_text="Mainland mobile number. Without one, give citizen_landline or "
        "citizen_address (the answer then goes by reply letter); one of the three is required.",
    )
    citizen_landline = serializers.CharField(
        max_length=20, required=False, allow_blank=True, help_text="With area code: 0571-87654321."
    )
    citizen_address = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text="Postal address."
    )
    confidential = serializers.BooleanField(required=False)
    public_consent = serializers.BooleanField(required=False)
    privacy_accepted = MustBeTrueField(
        help_text="The citizen agreed to the privacy notice (read out, or on the reply letter)."
    )


@extend_schema(tags=["staff cases"])
class StaffCaseList(StaffView, generics.ListAPIView):
    serializer_class = StaffCaseSerializer
    pagination_class = CappedPagination

    @extend_schema(
        summary="The staff queue: every case in the account's scope",
        parameters=STAFF_QUEUE_PARAMETERS,
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="Enter a phone call or a letter (电话、来信登记)",
        description="Station staff, committee staff and administrators. The body is the staff "
        "entry page's form (liaison/cases/staff_entry.py); rows by code. Answers the new case "
        "(phone masked).",
        request=NewCaseSerializer,
        responses={201: StaffCaseDetailSerializer},
    )
    def post(self, request, *args, **kwargs):
        user = request.user
        if not may_at_all(user, "case.enter"):
            raise exceptions.PermissionDenied(
                gettext("Only station and committee staff enter cases.")
            )
        data = request.data.copy() if hasattr(request.data, "getlist") else dict(request.data)
        form = staff_entry.StaffCaseForm(data, user=user)
        for name, attr in NEW_CASE_CODES.items():
            code = form.data.get(name)
            if code not in (None, ""):
                queryset = form.fields[name].queryset
                form.data[name] = (
                    queryset.filter(**{attr: str(code)}).values_list("pk", flat=True).first() or 0
                )
        if not form.is_valid():
            _refuse(form)
        data = form.cleaned_data
        case = services.submit_case(
            **{k: v for k, v in data.items() if k != "privacy_accepted"},
            privacy_accepted=True,
            privacy_consent={"how": staff_entry.CONSENT_HOW[data["channel"]]},
            actor=user,
        )
        return detail_response(request, case, status=201)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context.update(now=self.now, cutoff=self.cutoff)
        return context

    def get_queryset(self):
        """The queue's own filter (liaison/cases/filters.py) over the query parameters, rows by
        their codes: unknown codes and rows outside the scope are 400, like every bad filter."""
        user, params = self.request.user, self.request.query_params
        self.now = timezone.now()
        self.cutoff = queues.soon_cutoff(self.now)
        ordering = params.get("ordering") or "due_at"
        if ordering not in ORDERINGS:
            raise invalid(
                "ordering", _("Not a valid choice: %(value)s.") % {"value": ordering[:50]}
            )
        data = {"tab": "all", "sort": ORDERINGS[ordering]}
        for name in FILTER_PARAMS:
            value = text_param(params, name, 100)
            if value:
                data[API_NAMES.get(name, name)] = value
        data["overdue"] = "on" if bool_param(params, "overdue") else ""
        due_soon = bool_param(params, "due_soon")
        form = CaseFilter(data, user=user, by_code=True)
        if not form.is_valid():
            name, messages = next(iter(form.errors.items()))
            raise invalid(FORM_NAMES.get(name, name), messages[0])
        cases = form.cases(now=self.now, cutoff=self.cutoff)
        if due_soon:
            cases = cases.filter(queues.tab_filters(user, self.now, self.cutoff)["soon"])
        return cases


# --- one case ----------------------------------------------------------------------------------


def case_or_404(user, tracking_number: str) -> Case:
    if "\x00" in tracking_number:  # PostgreSQL refuses NUL in a query; it matches nothing
        raise Http404
    case = (
        queues.scoped_cases(user)
        .select_related("station", "deputy", "category", "merged_into")
        .filter(tracking_number=tracking_number)
        .first()
    )
    if case is None:
        raise exceptions.NotFound(gettext("No case with this number in your scope."))
    return case


def detail_response(request, case: Case, status: int = 200) -> Response:
    now = timezone.now()
    context = {"request": request, "now": now, "cutoff": queues.soon_cutoff(now)}
    return Response(StaffCaseDetailSerializer(case, context=context).data, status=status)


class StaffCaseDetail(StaffView, views.APIView):
    @extend_schema(
        tags=["staff cases"],
        summary="One case: timeline, assignments and the actions offered now",
        responses=StaffCaseDetailSerializer,
    )
    def get(self, request, tracking_number: str):
        return detail_response(request, case_or_404(request.user, tracking_number))


# --- actions -----------------------------------------------------------------------------------

# Form fields that name a row: the API takes the row's public code instead of a database id.
CODE_FIELDS = {
    "deputy": "public_code",
    "lead_department": "code",
    "co_departments": "code",
    "referral_channel": "code",
}
CODE_HELP = {
    "deputy": "Public code of the deputy who will reply (when the case names none).",
    "lead_department": "Department code.",
    "co_departments": "Department codes.",
    "referral_channel": "Referral channel code.",
    "into": "Tracking number of the main case.",
    "assignment": "Id of the assignment whose extension request is decided (see assignments).",
}


def _serializer_field(name: str, field):
    """The body field documenting (and typing) one form field."""
    common = {
        "required": field.required,
        "help_text": CODE_HELP.get(name) or field.help_text or None,
    }
    if isinstance(field, f.MultipleFileField):
        return serializers.ListField(child=serializers.FileField(), **common)
    if isinstance(field, django_forms.TypedChoiceField):
        return serializers.BooleanField(**common)  # settle, approve: "1"/"0" on the page
    if isinstance(field, django_forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.CharField(), **common)
    if isinstance(field, django_forms.ModelChoiceField):
        if name == "assignment":
            return IdField(**common)
        return serializers.CharField(**common)
    if isinstance(field, django_forms.MultipleChoiceField):
        return serializers.ListField(child=serializers.ChoiceField(choices=field.choices), **common)
    if isinstance(field, django_forms.ChoiceField):
        return serializers.ChoiceField(choices=field.choices, **common)
    if isinstance(field, django_forms.IntegerField):
        return serializers.IntegerField(
            min_value=field.min_value, max_value=field.max_value, **common
        )
    if isinstance(field, django_forms.BooleanField):
        # A required box (confirm) must be ticked: the schema says true.
        return (MustBeTrueField if field.required else serializers.BooleanField)(**common)
    return serializers.CharField(
        max_length=field.max_length, allow_blank=not field.required, **common
    )


def body_serializer(name: str, form_class) -> type[serializers.Serializer]:
    fields = {
        "expected_status": serializers.ChoiceField(
            choices=Status.choices,
            required=False,
            help_text="The status the client saw: if the case has moved since, 409 "
            "concurrent_change and nothing is done.",
        )
    }
    for field_name, field in form_class.base_fields.items():
        if field_name != "seen_status":
            fields[field_name] = _serializer_field(field_name, field)
    class_name = "".join(part.title() for part in name.split("_")) + "ActionSerializer"
    return type(class_name, (serializers.Serializer,), fields)


def _form_data(request, case: Case) -> dict:
    data = request.data.copy() if hasattr(request.data, "getlist") else dict(request.data)
    data["seen_status"] = data.get("expected_status") or case.status
    for name in ("settle", "approve"):
        value = data.get(name)
        if isinstance(value, bool) or str(value).lower() in BOOLEANS:
            data[name] = "1" if value is True or str(value).lower() == "true" else "0"
    return data


def _codes_to_ids(form) -> None:
    """Public codes to the ids the form's choices use; an unknown code becomes an id that no row
    has, so the form says "select a valid choice"."""
    for name, attr in CODE_FIELDS.items():
        if name not in form.fields or name not in form.data:
            continue
        queryset = form.fields[name].queryset
        if name == "co_departments":
            raw = form.data.getlist(name) if hasattr(form.data, "getlist") else form.data[name]
            codes = raw if isinstance(raw, list) else [raw]
            ids = [
                queryset.filter(**{attr: str(c)}).values_list("pk", flat=True).first() or 0
                for c in codes
            ]
            if hasattr(form.data, "setlist"):
                form.data.setlist(name, ids)
            else:
                form.data[name] = ids
        else:
            code = form.data.get(name)
            if code not in (None, ""):
                pk = queryset.filter(**{attr: str(code)}).values_list("pk", flat=True).first()
                form.data[name] = pk or 0


def _refuse(form) -> None:
    errors = {}
    for name, messages in form.errors.items():
        key = "expected_status" if name == "seen_status" else name
        errors["non_field_errors" if key == "__all__" else key] = list(messages)
    raise serializers.ValidationError(errors)


class StaffCaseAction(StaffView, views.APIView):
    action_name = ""

    def post(self, request, tracking_number: str):
        spec = ACTIONS[self.action_name]
        case = case_or_404(request.user, tracking_number)
        form = spec.form(_form_data(request, case), request.FILES, case=case, user=request.user)
        _codes_to_ids(form)
        if not form.is_valid():
            _refuse(form)
        seen = form.cleaned_data["seen_status"]
        if seen != case.status:
            # Stricter than the web page (whose service lets an action through when it is still
            # allowed): an API client that names a status wants to act on that state only. The
            # service checks again under its lock.
            raise ConcurrentChange(MACHINE.changed(case))
        case.status = seen
        try:
            changed = spec.perform(case, request.user, form)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise serializers.ValidationError(error.message_dict) from error
            raise
        try:
            fresh = case_or_404(request.user, changed.tracking_number)
        except exceptions.NotFound:
            fresh = changed
        return detail_response(request, fresh)


ACTION_ERRORS = {
    200: StaffCaseDetailSerializer,
    400: OpenApiResponse(ErrorSerializer, description="Invalid body; `field` names it."),
    403: OpenApiResponse(
        ErrorSerializer,
        description="not_allowed: the account's role or scope may not take this action; "
        "permission_denied: an application key or a token without the staff scope.",
    ),
    404: OpenApiResponse(ErrorSerializer, description="No such case in the account's scope."),
    409: OpenApiResponse(
        ErrorSerializer,
        description="transition_refused: the case's status does not allow it; "
        "concurrent_change: the case moved since expected_status.",
    ),
}


def _action_view(name: str, spec):
    body = body_serializer(name, spec.form)

    # A function per action, so that each operation carries its own schema.
    def post(self, request, tracking_number: str):
        return StaffCaseAction.post(self, request, tracking_number)

    post = extend_schema(
        tags=["staff cases"],
        summary=str(spec.title),
        operation_id=f"staff_case_{name}",
        request={"application/json": body, "multipart/form-data": body},
        responses=ACTION_ERRORS,
    )(post)
    class_name = body.__name__.replace("ActionSerializer", "ActionView")
    return type(class_name, (StaffCaseAction,), {"action_name": name, "post": post})


ACTION_VIEWS = {name: _action_view(name, spec) for name, spec in ACTIONS.items()}
