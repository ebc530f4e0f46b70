"""Forms of the suggestion pages: the three lists' filters, the draft, one form per action.

Action forms carry `seen_status`, the status the person saw: the service turns a suggestion that
moved meanwhile into `ConcurrentChange` (409, "look at it again")."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from liaison.activities.models import Activity
from liaison.cases.filters import DateInput, check_date_range, region_in_scope
from liaison.cases.models import Case, Rating
from liaison.core.permissions import restrict
from liaison.directory.models import Category, Department, Deputy, Region, Station

from . import selectors, services
from .models import Grade, SessionKind, SuggestionAssignment
from .workflow import Status

TEXTAREA = forms.Textarea(attrs={"rows": 5})
SHORT = forms.Textarea(attrs={"rows": 2})
ANY = [("", _("Any"))]


def _years():
    this = timezone.localdate().year
    return [(y, str(y)) for y in range(this + 1, this - 6, -1)]


class ListForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    sorts: dict = {}
    filter_names: tuple = ()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["sort"].choices = [(k, v[0]) for k, v in self.sorts.items()]
        self.fields["year"].choices = ANY + _years()

    def query(self) -> selectors.ListQuery:
        data = self.cleaned_data
        return selectors.ListQuery(
            q=(data.get("q") or "").strip(),
            sort=data.get("sort") or "",
            filters={name: data.get(name) for name in (*self.filter_names, "year")},
        )


class SuggestionListForm(ListForm):
    sorts = selectors.SUGGESTION_SORTS
    filter_names = (
        "status",
        "category",
        "session_kind",
        "from_station",
        "key",
        "submitted_from",
        "submitted_to",
        "region",
        "station",
    )
    status = forms.ChoiceField(label=_("Status"), choices=ANY + Status.choices, required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False, empty_label=_("Any")
    )
    session_kind = forms.ChoiceField(
        label=_("Submitted"), choices=ANY + SessionKind.choices, required=False
    )
    from_station = forms.ChoiceField(
        label=_("From station work"),
        choices=[*ANY, ("yes", _("Yes")), ("no", _("No"))],
        required=False,
    )
    key = forms.BooleanField(label=_("Key suggestions only"), required=False)
    # The statistics' suggestion counts link here with their period and place (stats/links.py).
    submitted_from = forms.DateField(label=_("Submitted from"), required=False, widget=DateInput())
    submitted_to = forms.DateField(label=_("Submitted until"), required=False, widget=DateInput())
    region = forms.CharField(label=_("Region (division code)"), max_length=12, required=False)
    station = forms.ModelChoiceField(
        label=_("Station"),
        queryset=Station.objects.none(),
        required=False,
        empty_label=_("Any"),
        error_messages={"invalid_choice": _("No such station in your scope.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["station"].queryset = restrict(Station.objects.all(), user).order_by("name")

    def clean_region(self) -> Region | None:
        return region_in_scope(self.user, self.cleaned_data.get("region"))

    def clean(self):
        data = super().clean()
        check_date_range(self, "submitted_from", "submitted_to")
        return data


class AssignmentListForm(ListForm):
    sorts = selectors.ASSIGNMENT_SORTS
    filter_names = ("department", "role", "state", "overdue", "key")
    department = forms.ModelChoiceField(
        label=_("Unit"), queryset=Department.objects.none(), required=False, empty_label=_("Any")
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=ANY + SuggestionAssignment.Role.choices, required=False
    )
    state = forms.ChoiceField(
        label=_("State"), choices=ANY + SuggestionAssignment.State.choices, required=False
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    key = forms.BooleanField(label=_("Key suggestions only"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            pk__in=selectors.visible_assignments(user).values("department_id")
        ).order_by("name")


class OutcomeListForm(ListForm):
    sorts = selectors.OUTCOME_SORTS
    filter_names = ("grade", "evaluation", "category")
    grade = forms.ChoiceField(label=_("Grade"), choices=ANY + Grade.choices, required=False)
    evaluation = forms.ChoiceField(
        label=_("Deputy's evaluation"), choices=ANY + Rating.choices, required=False
    )
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.all(), required=False, empty_label=_("Any")
    )


class SuggestionForm(forms.Form):
    """起草 / 修改. A deputy drafts as the lead; station staff choose a deputy of the station."""

    lead_deputy = forms.ModelChoiceField(label=_("Lead deputy"), queryset=Deputy.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    reasons = forms.CharField(label=_("Reasons (案由)"), widget=TEXTAREA)
    proposals = forms.CharField(label=_("Proposals"), widget=TEXTAREA)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True)
    )
    session_kind = forms.ChoiceField(label=_("Submitted"), choices=SessionKind.choices)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    congress = forms.CharField(label=_("Congress session"), max_length=100, required=False)
    cosigners = forms.ModelMultipleChoiceField(
        label=_("Co-signers (附议)"),
        queryset=Deputy.objects.filter(is_active=True).order_by("name"),
        required=False,
        help_text=_("Each co-signer confirms from their own account before it can be submitted."),
    )
    cases = forms.ModelMultipleChoiceField(
        label=_("From cases"), queryset=Case.objects.none(), required=False
    )
    activities = forms.ModelMultipleChoiceField(
        label=_("From activities"), queryset=Activity.objects.none(), required=False
    )

    def __init__(self, *args, user, suggestion=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()
        self.fields["year"].initial = timezone.localdate().year
        # The deputies the account writes for; a deputy's own name even when no longer active,
        # so that the service says why it cannot be drafted.
        deputies = restrict(Deputy.objects.all(), user, "deputy.speak_for").filter(
            Q(is_active=True) | Q(pk=user.deputy_id)
        )
        if user.deputy_id:
            self.fields["lead_deputy"].initial = user.deputy_id
        self.fields["lead_deputy"].queryset = deputies.order_by("name")
        if suggestion is not None:  # the lead deputy stays
            del self.fields["lead_deputy"]
        stations = restrict(Station.objects.all(), user).values("pk")
        self.fields["cases"].queryset = restrict(Case.objects.verified(), user).order_by(
            "-created_at"
        )
        self.fields["activities"].queryset = Activity.objects.filter(station__in=stations).order_by(
            "-starts_at"
        )
        self.fields["cases"].label_from_instance = lambda c: f"{c.tracking_number} {c.title}"


class ActionForm(forms.Form):
    seen_status = forms.ChoiceField(
        label=_("Status when the page was opened"), choices=Status.choices, widget=forms.HiddenInput
    )

    def __init__(self, *args, suggestion, user=None, **kwargs):
        kwargs.setdefault("initial", {})["seen_status"] = suggestion.status
        kwargs.setdefault("auto_id", f"id_{self.action}_%s")
        super().__init__(*args, **kwargs)
        self.suggestion = suggestion
        self.user = user


class PlainForm(ActionForm):
    action = "plain"


class ReturnForm(ActionForm):
    action = "return"
    reason = forms.CharField(label=_("Reason for returning"), widget=SHORT)


class AcceptForm(ActionForm):
    action = "accept"
    note = forms.CharField(label=_("Note"), required=False, widget=SHORT)


class AssignForm(ActionForm):
    action = "assign"
    lead = forms.ModelChoiceField(label=_("Lead unit (主办)"), queryset=Department.objects.none())
    joint = forms.ModelMultipleChoiceField(
        label=_("Joint units (会办)"), queryset=Department.objects.none(), required=False
    )
    co = forms.ModelMultipleChoiceField(
        label=_("Co-handling units (协办)"), queryset=Department.objects.none(), required=False
    )
    is_complex = forms.BooleanField(
        label=_("Complex: answer within 6 months instead of 3"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the units of the committee's area are offered (services checks it again).
        units = services.assignable_units(self.user)
        for name in ("lead", "joint", "co"):
            self.fields[name].queryset = units


class ChangeRequestForm(ActionForm):
    action = "request_change"
    reason = forms.CharField(label=_("Why the assignment is wrong"), widget=SHORT)


class DecideChangeForm(ActionForm):
    action = "decide_change"
    assignment = forms.ModelChoiceField(
        label=_("Request"), queryset=SuggestionAssignment.objects.none()
    )
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Approve and reassign")), ("no", _("Refuse"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    department = forms.ModelChoiceField(
        label=_("New unit"), queryset=Department.objects.none(), required=False
    )
    note = forms.CharField(label=_("Note"), required=False, widget=SHORT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = services.assignable_units(self.user)
        self.fields["assignment"].queryset = self.suggestion.assignments.filter(
            state=SuggestionAssignment.State.CHANGE_REQUESTED
        ).select_related("department")
        self.fields["assignment"].label_from_instance = lambda a: (
            f"{a.department.name} ({a.get_role_display()})"
        )


class OpinionForm(ActionForm):
    action = "opinion"
    text = forms.CharField(label=_("Opinion for the lead unit"), widget=TEXTAREA)


class AnswerForm(ActionForm):
    action = "answer"
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices, widget=forms.RadioSelect)
    answer = forms.CharField(label=_("Answer"), widget=TEXTAREA)
    achieved = forms.CharField(label=_("What was achieved"), required=False, widget=SHORT)
    grade_reasons = forms.CharField(
        label=_("Reasons it cannot be solved now (grade D)"), required=False, widget=SHORT
    )


class EvaluateForm(ActionForm):
    action = "evaluate"
    evaluation = forms.ChoiceField(
        label=_("Your evaluation"), choices=Rating.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Comment"), required=False, widget=SHORT)


class KeyForm(ActionForm):
    action = "key"
    is_key = forms.BooleanField(label=_("Key suggestion (重点督办)"), required=False)
    note = forms.CharField(label=_("Supervising leader"), max_length=200, required=False)


class PublicRatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Your rating"), choices=Rating.choices, widget=forms.RadioSelect
    )
