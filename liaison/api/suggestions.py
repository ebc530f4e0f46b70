"""Formal suggestions (代表建议) over the API, and a deputy's public record.

Public: the answered suggestions and one of them, as the public pages show them (deputies,
units, grade, answer, outcome — never the citizens whose messages they grew from, only how many)
and rating the result (`services.rate_publicly`: once per voter, limited per client address).
On the page the voter is a random browser cookie; here the client sends its own random `voter`
id (a mini-program's per-user id, say), stored only hashed, as the cookie is.

Staff: the three lists (建议清单、交办清单、效果清单) with the pages' filters, validated by the
pages' forms (SuggestionListForm, AssignmentListForm, OutcomeListForm) and read by the same
selectors (restrict()). Read-only.

The deputy's public record is what the public deputy page shows
(records.templatetags.records_public.deputy_public_record): this year's counts, 三个一, up to ten
public cases (title, date, status) and the registered suggestions."""

from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, serializers, status, views
from rest_framework.response import Response

from liaison.cases import links
from liaison.cases.models import Rating
from liaison.core import ratelimit
from liaison.directory import selectors as directory
from liaison.records.templatetags.records_public import deputy_public_record
from liaison.suggestions import forms as f
from liaison.suggestions import selectors, services
from liaison.suggestions.models import Grade, SessionKind, SuggestionAssignment
from liaison.suggestions.workflow import Status

from .appointments import form_errors
from .appointments_serializers import DeputyRefSerializer
from .cases_public import _is_partner, _too_many
from .cases_staff import StaffView
from .schema import ErrorSerializer
from .views import PublicView, text_param

TAG = ["suggestions"]
STAFF_TAG = ["staff suggestions"]


# --- serializers ---------------------------------------------------------------------------------


class PublicSuggestionSerializer(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField()
    lead_deputy = DeputyRefSerializer()
    category = serializers.CharField(source="category.code")
    category_name = serializers.CharField(source="category.display_name")
    year = serializers.IntegerField()
    grade = serializers.ChoiceField(choices=Grade.choices)
    answered_at = serializers.DateTimeField()


class UnitSerializer(serializers.Serializer):
    code = serializers.CharField(source="department.code")
    name = serializers.CharField(source="department.name")
    role = serializers.ChoiceField(choices=SuggestionAssignment.Role.choices)
    role_label = serializers.CharField(source="get_role_display")


class RatingCountSerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    label = serializers.CharField()
    count = serializers.IntegerField()


class PublicSuggestionDetailSerializer(PublicSuggestionSerializer):
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    session_kind = serializers.ChoiceField(choices=SessionKind.choices)
    congress = serializers.CharField()
    cosigners = DeputyRefSerializer(many=True, help_text="Confirmed co-signers (附议).")
    units = UnitSerializer(many=True)
    reasons = serializers.CharField()
    proposals = serializers.CharField()
    grade_label = serializers.CharField(source="get_grade_display")
    answer = serializers.CharField()
    grade_reasons = serializers.CharField()
    achieved = serializers.CharField(help_text="What was achieved.")
    evaluation = serializers.CharField(help_text="The deputy's evaluation, or empty.")
    reanswer_pending = serializers.BooleanField(
        help_text="The deputy asked for a new answer; it is being prepared."
    )
    from_cases = serializers.IntegerField(help_text="How many citizens' messages it grew from.")
    from_activities = serializers.ListField(child=serializers.CharField())
    ratings = RatingCountSerializer(many=True, help_text="The public ratings so far.")


class RateBodySerializer(serializers.Serializer):
    rating = serializers.ChoiceField(choices=Rating.choices)
    voter = serializers.RegexField(
        r"^[A-Za-z0-9_-]{16,64}$",
        help_text="The client's own random id for this person (16–64 letters, digits, _ or -): "
        "one rating per voter and suggestion. Stored only hashed.",
    )


class RatedSerializer(serializers.Serializer):
    number = serializers.CharField()
    rating = serializers.ChoiceField(choices=Rating.choices)
    ratings = RatingCountSerializer(many=True)


class StaffSuggestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(allow_null=True)
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    lead_deputy = serializers.CharField(source="lead_deputy.public_code")
    lead_deputy_name = serializers.CharField(source="lead_deputy.name")
    cosigner_count = serializers.IntegerField()
    category = serializers.CharField(source="category.code")
    session_kind = serializers.ChoiceField(choices=SessionKind.choices)
    year = serializers.IntegerField()
    from_station_work = serializers.BooleanField()
    is_key = serializers.BooleanField()
    created_at = serializers.DateTimeField()


class StaffAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    suggestion = serializers.CharField(source="suggestion.number", allow_null=True)
    title = serializers.CharField(source="suggestion.title")
    lead_deputy_name = serializers.CharField(source="suggestion.lead_deputy.name")
    department = serializers.CharField(source="department.code")
    department_name = serializers.CharField(source="department.name")
    role = serializers.ChoiceField(choices=SuggestionAssignment.Role.choices)
    state = serializers.ChoiceField(choices=SuggestionAssignment.State.choices)
    state_label = serializers.CharField(source="get_state_display")
    assigned_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    overdue = serializers.SerializerMethodField()
    is_key = serializers.BooleanField(source="suggestion.is_key")

    def get_overdue(self, assignment) -> bool:
        return selectors.is_overdue(assignment, self.context["now"])


class StaffOutcomeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    title = serializers.CharField()
    lead_deputy_name = serializers.CharField(source="lead_deputy.name")
    category = serializers.CharField(source="category.code")
    grade = serializers.ChoiceField(choices=Grade.choices)
    lead_unit = serializers.SerializerMethodField()
    evaluation = serializers.CharField()
    achieved = serializers.CharField()
    answered_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=Status.choices)

    def get_lead_unit(self, suggestion) -> str | None:
        for assignment in suggestion.assignments.all():
            lead = assignment.role == SuggestionAssignment.Role.LEAD
            if lead and assignment.state != SuggestionAssignment.State.WITHDRAWN:
                return assignment.department.code
        return None


# --- public --------------------------------------------------------------------------------------


def _ratings(suggestion) -> list[dict]:
    counts = selectors.public_counts(suggestion)
    return [
        {"rating": value, "label": str(label), "count": counts.get(value, 0)}
        for value, label in Rating.choices
    ]


def _deputy(deputy) -> dict:
    return {"public_code": deputy.public_code, "name": deputy.name}


class PublicSuggestionList(PublicView, generics.ListAPIView):
    serializer_class = PublicSuggestionSerializer

    @extend_schema(
        tags=TAG,
        summary="Answered suggestions (办理结果网上晒), newest answer first",
        parameters=[OpenApiParameter("q", str, description="Number, title or lead deputy.")],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        qs = selectors.public_suggestions()
        if q := text_param(self.request.query_params, "q", 100):
            qs = selectors.search(qs, q)
        return qs.order_by("-answered_at", "-id")


def _public_suggestion(number: str):
    found = selectors.public_suggestions().filter(number=number.replace("\x00", "")).first()
    if found is None:
        raise exceptions.NotFound(gettext("No answered suggestion with this number."))
    return found


class PublicSuggestionDetail(PublicView, views.APIView):
    @extend_schema(
        tags=TAG,
        summary="One answered suggestion: deputies, units, answer, outcome, ratings",
        responses={200: PublicSuggestionDetailSerializer},
    )
    def get(self, request, number):
        s = _public_suggestion(number)
        units = s.assignments.exclude(state="withdrawn").select_related("department")
        cosigners = s.cosigners.filter(confirmed_at__isnull=False).select_related("deputy")
        body = {
            **PublicSuggestionSerializer(s).data,
            "status": s.status,
            "status_label": s.get_status_display(),
            "session_kind": s.session_kind,
            "congress": s.congress,
            "cosigners": [_deputy(c.deputy) for c in cosigners],
            "units": UnitSerializer(units.order_by("role", "id"), many=True).data,
            "reasons": s.reasons,
            "proposals": s.proposals,
            "grade_label": s.get_grade_display(),
            "answer": s.answer,
            "grade_reasons": s.grade_reasons,
            "achieved": s.achieved,
            "evaluation": s.evaluation,
            "reanswer_pending": s.round > 1 and s.status == Status.ASSIGNED,
            "from_cases": s.cases.count(),
            "from_activities": [a.title for a in s.activities.all()],
            "ratings": _ratings(s),
        }
        return Response(body)  # already serialized, in the documented shape


class RateSuggestion(PublicView, views.APIView):
    @extend_schema(
        tags=TAG,
        summary="Rate the result (办理结果网上评): 满意 / 基本满意 / 不满意",
        description="Once per voter id (a second rating is 409 already_rated); at most "
        "LIAISON_RATE_SUGGESTION_RATINGS_PER_IP an hour per client address (an application key "
        "with cases:submit is counted by its own throttle instead), then 429.",
        request=RateBodySerializer,
        responses={
            201: RatedSerializer,
            409: OpenApiResponse(ErrorSerializer, description="already_rated"),
        },
    )
    def post(self, request, number):
        s = _public_suggestion(number)
        body = RateBodySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        partner = _is_partner(request)
        ip = ratelimit.client_ip(request)
        if not partner and services.PUBLIC_RATINGS_PER_IP.exceeded(ip):
            raise _too_many(gettext("Too many ratings from your network. Try later."))
        # Hashed as the page hashes its cookie; "api:" keeps the two kinds of voter apart.
        voter = services.voter_hash(f"api:{data['voter']}")
        services.rate_publicly(s, rating=data["rating"], voter=voter)
        if not partner:
            services.PUBLIC_RATINGS_PER_IP.hit(ip)
        body = {"number": s.number, "rating": data["rating"], "ratings": _ratings(s)}
        return Response(body, status=status.HTTP_201_CREATED)


# --- a deputy's public record --------------------------------------------------------------------


class FiguresSerializer(serializers.Serializer):
    people_received = serializers.IntegerField()
    cases_answered = serializers.IntegerField()
    activities = serializers.IntegerField(help_text="Held activities attended.")
    contact_months = serializers.IntegerField(help_text="Months with contact with voters.")
    months_so_far = serializers.IntegerField()
    activity_quarters = serializers.IntegerField(help_text="Quarters with an activity.")
    quarters_so_far = serializers.IntegerField()
    suggestions = serializers.IntegerField(help_text="Registered suggestions of the year.")
    reported = serializers.BooleanField(help_text="The annual report to voters took place.")


CELL_STATES = "done, missed, late (the current period, reminders going out), open or future."


class CellSerializer(serializers.Serializer):
    period = serializers.IntegerField(help_text="Month 1–12 or quarter 1–4.")
    state = serializers.CharField(help_text=CELL_STATES)


class ThreeOnesSerializer(serializers.Serializer):
    months = CellSerializer(many=True)
    quarters = CellSerializer(many=True)
    report = serializers.CharField(help_text=CELL_STATES)
    behind = serializers.BooleanField()


class PublicCaseSerializer(serializers.Serializer):
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField(source="get_status_display")
    created_at = serializers.DateTimeField()
    supporters = serializers.IntegerField(help_text="Citizens who added their support (附议).")
    page = serializers.SerializerMethodField(help_text="The public case page, where one supports.")

    def get_page(self, case) -> str:
        return links.public_url(case)


class RecordSuggestionSerializer(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField(source="get_status_display")
    co_signed = serializers.SerializerMethodField()
    answered = serializers.SerializerMethodField(help_text="Open at /api/v1/suggestions/{number}/.")

    def get_co_signed(self, suggestion) -> bool:
        return not suggestion.is_lead

    def get_answered(self, suggestion) -> bool:
        return suggestion.answered_at is not None


class DeputyRecordSerializer(serializers.Serializer):
    deputy = serializers.CharField()
    year = serializers.IntegerField()
    figures = FiguresSerializer()
    three_ones = ThreeOnesSerializer()
    public_cases = PublicCaseSerializer(many=True, help_text="Up to ten, newest first.")
    suggestions = RecordSuggestionSerializer(many=True, help_text="Up to ten, newest first.")


class DeputyRecord(PublicView, views.APIView):
    @extend_schema(
        tags=["directory"],
        summary="A deputy's public record this year (履职): counts, 三个一, public cases",
        description="What the public deputy page shows: people received, cases answered, "
        "activities attended, the 三个一 cells, up to ten cases whose citizen agreed to "
        "publication (title, date, status) and the registered suggestions of the year.",
        responses={200: DeputyRecordSerializer},
    )
    def get(self, request, public_code):
        deputy = directory.public_deputies().filter(public_code=public_code.replace("\x00", ""))
        deputy = deputy.first()
        if deputy is None:
            raise exceptions.NotFound(gettext("No active deputy with this code."))
        shown = deputy_public_record(deputy)
        progress, suggestions = shown["progress"], shown["suggestions"]
        body = {
            "deputy": deputy.public_code,
            "year": shown["year"],
            "figures": {
                **shown["figures"],
                "contact_months": len(progress.contact_months),
                "months_so_far": progress.months_so_far,
                "activity_quarters": len(progress.activity_quarters),
                "quarters_so_far": progress.quarters_so_far,
                "suggestions": len(suggestions),
                "reported": progress.reported,
            },
            "three_ones": {
                "months": [{"period": m, "state": s} for m, s in progress.months],
                "quarters": [{"period": q, "state": s} for q, s in progress.quarters],
                "report": progress.report_state,
                "behind": progress.behind,
            },
            "public_cases": shown["public_cases"],
            "suggestions": suggestions[:10],
        }
        return Response(DeputyRecordSerializer(body).data)


# --- staff: the three lists ----------------------------------------------------------------------


def _list_form(form_class, request):
    """The page's list form over the query string, rows named by code (category, department),
    and whether a code names nothing: then the list is empty, as the public lists do with an
    unknown code (docs/api.md, "Lists")."""
    user = request.user
    data = {k: v.replace("\x00", "") for k, v in request.query_params.items()}
    form = form_class(data, user=user)
    unknown = False
    for name in ("category", "department"):
        code = data.get(name)
        if name in form.fields and code:
            queryset = form.fields[name].queryset
            data[name] = queryset.filter(code=code).values_list("pk", flat=True).first() or ""
            unknown = unknown or not data[name]
    form = form_class(data, user=user)
    if "year" in form.fields:
        # The page offers the recent years in a menu; the API takes any year the schema allows.
        form.fields["year"].choices = [("", "")] + [(y, str(y)) for y in YEARS]
    if not form.is_valid():
        form_errors(form)
    return form.query(), unknown


YEARS = range(2000, 2101)
COMMON = [
    OpenApiParameter("q", str, description="Number, title or lead deputy."),
    OpenApiParameter(
        "year", {"type": "integer", "minimum": YEARS[0], "maximum": YEARS[-1]}, required=False
    ),
]


class StaffSuggestionList(StaffView, generics.ListAPIView):
    serializer_class = StaffSuggestionSerializer

    @extend_schema(
        tags=STAFF_TAG,
        summary="建议清单 — the suggestions in the account's scope",
        parameters=[
            *COMMON,
            OpenApiParameter("status", str, enum=Status.values),
            OpenApiParameter("category", str, description="Category code."),
            OpenApiParameter("session_kind", str, enum=SessionKind.values),
            OpenApiParameter("from_station", str, enum=["yes", "no"]),
            OpenApiParameter("key", bool, description="Key suggestions only."),
            OpenApiParameter("sort", str, enum=list(selectors.SUGGESTION_SORTS)),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query, unknown = _list_form(f.SuggestionListForm, self.request)
        rows = selectors.suggestion_list(self.request.user, query)
        return rows.none() if unknown else rows


class StaffAssignmentList(StaffView, generics.ListAPIView):
    serializer_class = StaffAssignmentSerializer

    @extend_schema(
        tags=STAFF_TAG,
        summary="交办清单 — the assignments in the account's scope",
        parameters=[
            *COMMON,
            OpenApiParameter("department", str, description="Unit (department) code."),
            OpenApiParameter("role", str, enum=SuggestionAssignment.Role.values),
            OpenApiParameter("state", str, enum=SuggestionAssignment.State.values),
            OpenApiParameter("overdue", bool, description="Overdue only."),
            OpenApiParameter("key", bool, description="Key suggestions only."),
            OpenApiParameter("sort", str, enum=list(selectors.ASSIGNMENT_SORTS)),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "now": self.now}

    def get_queryset(self):
        self.now = timezone.now()
        query, unknown = _list_form(f.AssignmentListForm, self.request)
        rows = selectors.assignment_list(self.request.user, query, self.now)
        return rows.none() if unknown else rows


class StaffOutcomeList(StaffView, generics.ListAPIView):
    serializer_class = StaffOutcomeSerializer

    @extend_schema(
        tags=STAFF_TAG,
        summary="效果清单 — answered suggestions: grade, lead unit, evaluation, outcome",
        parameters=[
            *COMMON,
            OpenApiParameter("grade", str, enum=Grade.values),
            OpenApiParameter("evaluation", str, enum=Rating.values),
            OpenApiParameter("category", str, description="Category code."),
            OpenApiParameter("sort", str, enum=list(selectors.OUTCOME_SORTS)),
        ],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query, unknown = _list_form(f.OutcomeListForm, self.request)
        rows = selectors.outcome_list(self.request.user, query)
        return rows.none() if unknown else rows.prefetch_related("assignments__department")
