"""Forms of the staff pages: one small form per workflow action (the queue's filters are
filters.py).

Every action form carries `seen_status`, the status the person saw when the page was drawn: the
view hands it to the service, which turns a case that moved meanwhile into `ConcurrentChange`.
Field names follow the services' argument names, so their ValidationErrors land on the fields.
"""

from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _

from liaison.directory.models import Department, Deputy

from . import queues, selectors
from .models import Assignment, Case, Delivery, RatedVia, Rating, RejectReason
from .services import CONSENT_FIELDS, MAX_EXTENSION_DAYS
from .workflow import Status

TEXTAREA = forms.Textarea(attrs={"rows": 4})
SHORT_TEXTAREA = forms.Textarea(attrs={"rows": 2})


class ActionForm(forms.Form):
    """The base of every action: the status the person saw."""

    seen_status = forms.ChoiceField(
        label=_("Status when the page was opened"), choices=Status.choices, widget=forms.HiddenInput
    )

    def __init__(self, *args, case: Case, user, **kwargs):
        kwargs.setdefault("initial", {})["seen_status"] = case.status
        kwargs.setdefault("auto_id", f"id_{self.action}_%s")
        super().__init__(*args, **kwargs)
        self.case, self.user = case, user


# Every free-text note says who reads it: the note is internal (staff only); where the citizen
# should read something, a separate message is offered (CaseEvent.public_note).
INTERNAL_NOTE = _("Internal note (staff only)")


def internal_note_field():
    return forms.CharField(
        label=INTERNAL_NOTE, max_length=2000, required=False, widget=SHORT_TEXTAREA
    )


class NoteForm(ActionForm):
    note = internal_note_field()


class CitizenMessageForm(NoteForm):
    """A staff action the citizen sees on their timeline: an internal note and, optionally, a
    message to the citizen."""

    to_citizen = forms.CharField(
        label=_("Message to the citizen (shown on the tracking page)"),
        help_text=_("Optional. Leave empty and the citizen sees only the step itself."),
        max_length=1000,
        required=False,
        widget=SHORT_TEXTAREA,
    )


class AcceptForm(CitizenMessageForm):
    action = "accept"
    deputy = forms.ModelChoiceField(
        label=_("Deputy who will reply"), queryset=Deputy.objects.none(), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case.deputy_id:
            del self.fields["deputy"]  # already addressed to a deputy
        else:
            self.fields["deputy"].queryset = self.case.station.deputies.filter(is_active=True)
            self.fields["deputy"].required = True


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Reason"), widget=SHORT_TEXTAREA)


class RequestInfoForm(ReasonForm):
    action = "request_info"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("What is missing (sent to the citizen)")


class ConfirmMixin(forms.Form):
    confirm = forms.BooleanField(
        label=_("I confirm: this ends the case and cannot be undone."),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class MergeForm(CitizenMessageForm, ConfirmMixin):
    action = "merge"
    into = forms.CharField(label=_("Tracking number of the main case"), max_length=16)
    field_order = ["seen_status", "into", "note", "to_citizen", "confirm"]

    def clean_into(self):
        number = self.cleaned_data["into"].strip()
        main = queues.scoped_cases(self.user).filter(tracking_number=number).first()
        if main is None:
            raise forms.ValidationError(_("There is no case with this number that you can see."))
        return main


class RejectForm(CitizenMessageForm, ConfirmMixin):
    action = "reject"
    reason = forms.ChoiceField(label=_("Reason"), choices=RejectReason.choices)
    field_order = ["seen_status", "reason", "note", "to_citizen", "confirm"]


class ReferForm(NoteForm):
    action = "refer"
    referral_channel = forms.ModelChoiceField(
        label=_("Proper channel"), queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    field_order = ["seen_status", "referral_channel", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import ReferralChannel

        self.fields["referral_channel"].queryset = ReferralChannel.objects.filter(is_active=True)


# A few openings a deputy may start from (templates allowed; the words stay the deputy's own).
REPLY_TEMPLATES = [
    _(
        "Thank you for your message. I have read it carefully and will ask the department "
        "responsible to look into it; you will hear from us within 15 working days."
    ),
    _(
        "Thank you for your message. I have looked into the matter: the situation has been "
        "explained to me as follows, and I consider it settled. "
    ),
    _(
        "Thank you for your message. I have passed it on and proposed that it be assigned to the "
        "responsible department. "
    ),
]


class ReplyForm(ActionForm):
    """The deputy's first reply (≤3 working days). 办结 or 建议交办."""

    action = "reply"
    text = forms.CharField(label=_("Reply to the citizen"), widget=TEXTAREA)
    settle = forms.TypedChoiceField(
        label=_("What the reply does"),
        choices=[
            ("1", _("It settles the matter: ask the citizen to rate it")),
            ("0", _("Propose that the matter be assigned to a department")),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )


class AnswerForm(ActionForm):
    action = "answer"
    text = forms.CharField(label=_("Answer to the citizen"), widget=TEXTAREA)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the service checks each (content, size, count)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf,image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class ReportForm(ActionForm):
    action = "report"
    text = forms.CharField(label=_("Result of the handling"), widget=TEXTAREA)
    attachments = MultipleFileField(
        label=_("Attachments"),
        help_text=_("Up to 5 files: PDF documents or photos."),
        required=False,
    )

    @property
    def is_lead(self) -> bool:
        """The account reports for the lead department (whose report waits for co-handlers)."""
        return self.case.assignments.filter(
            department_id=self.user.department_id,
            role=Assignment.Role.LEAD,
            state=Assignment.State.SIGNED,
        ).exists()


class SupplementForm(ActionForm):
    action = "supplement"
    text = forms.CharField(label=_("Information the citizen gave (phone, letter)"), widget=TEXTAREA)


def departments_for(case: Case):
    """The departments the assignment service accepts for `case`: active, and in the case's
    region or a region above it (a street's office, a district bureau)."""
    parts = [p for p in case.region_path.strip("/").split("/") if p]
    paths = ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]
    return Department.objects.filter(is_active=True, region__path__in=paths).order_by(
        "level", "name"
    )


def _suggested_label(department, *, pks: set) -> str:
    if department.pk in pks:
        return _("%(department)s (suggested)") % {"department": department.name}
    return str(department)


class AssignForm(ActionForm):
    """交办/转办: one lead (主办), optional co-handlers (协办), and the citizen's consent when
    their contact details go to the departments."""

    action = "assign"
    lead_department = forms.ModelChoiceField(label=_("Lead department"), queryset=None)
    co_departments = forms.ModelMultipleChoiceField(
        label=_("Co-handling departments"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    instructions = forms.CharField(label=_("Instructions"), required=False, widget=SHORT_TEXTAREA)
    share_contact = forms.BooleanField(
        label=_("Share the citizen's contact details with the departments"), required=False
    )
    consent_how = forms.CharField(
        label=_("How the citizen agreed"),
        help_text=_("For example: by phone with the station on 26 September."),
        max_length=200,
        required=False,
    )
    consent_what = forms.MultipleChoiceField(
        label=_("What may be shared"),
        choices=[("citizen_name", _("Name")), ("citizen_phone", _("Mobile phone"))],
        initial=sorted(CONSENT_FIELDS),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, use_suggestion: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = departments_for(self.case)
        self.fields["lead_department"].queryset = allowed
        self.fields["lead_department"].empty_label = _("Choose the lead department")
        self.fields["co_departments"].queryset = allowed
        # The routing rules' suggestion is marked, never preselected: a form sent without a look
        # must not assign the case (issue 16). `use_suggestion` fills it in when staff take it
        # ("Use the suggestion", a link that reloads the page, so it works without JavaScript).
        self.suggestion = selectors.suggested_departments(self.case)
        lead = [d.pk for d, role in self.suggestion if role == Assignment.Role.LEAD]
        co = [d.pk for d, role in self.suggestion if role == Assignment.Role.CO]
        if use_suggestion and lead:
            self.initial["lead_department"] = lead[0]
            self.initial["co_departments"] = co
        for name, pks in (("lead_department", lead), ("co_departments", co)):
            self.fields[name].label_from_instance = partial(_suggested_label, pks=set(pks))

    @property
    def suggested_lead(self):
        """The department the routing rules suggest as lead, or None."""
        return next((d for d, role in self.suggestion if role == Assignment.Role.LEAD), None)

    @property
    def suggested_co(self) -> list:
        return [d for d, role in self.suggestion if role == Assignment.Role.CO]

    def consent(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("share_contact"):
            return None
        return {"how": data.get("consent_how", ""), "what": data.get("consent_what") or []}


class ReleaseCoHandlersForm(NoteForm):
    action = "release_co_handlers"


class SignForm(ActionForm):
    action = "sign"


class ReturnForm(ReasonForm):
    action = "return"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = _("Why the assignment is not yours")


class ExtensionForm(ActionForm):
    action = "request_extension"
    days_requested = forms.IntegerField(
        label=_("Extra working days"), min_value=1, max_value=MAX_EXTENSION_DAYS
    )
    reason = forms.CharField(label=_("Reason"), widget=SHORT_TEXTAREA)


class DecideExtensionForm(ActionForm):
    action = "decide_extension"
    assignment = forms.ModelChoiceField(label=_("Request"), queryset=None, empty_label=None)
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve")), ("0", _("Refuse"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    days_granted = forms.IntegerField(
        label=_("Working days granted"),
        help_text=_("Leave empty to grant what was asked."),
        min_value=1,
        max_value=MAX_EXTENSION_DAYS,
        required=False,
    )
    note = internal_note_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignment"]
        field.queryset = Assignment.objects.filter(
            case=self.case, extension_requested_days__isnull=False
        ).select_related("department")
        field.label_from_instance = lambda a: (
            _("%(department)s asks for %(days)d days")
            % {
                "department": a.department.name,
                "days": a.extension_requested_days,
            }
        )


class UrgeForm(NoteForm):
    action = "urge"


class SuperviseForm(NoteForm):
    action = "supervise"


class WithdrawForm(ActionForm, ConfirmMixin):
    action = "withdraw"
    reason = forms.CharField(label=_("What the citizen said"), required=False)
    field_order = ["seen_status", "reason", "confirm"]


class DeliveryForm(NoteForm):
    """送达 — how the answer reached a citizen without a mobile."""

    action = "record_delivery"
    how = forms.ChoiceField(
        label=_("How the answer was delivered"),
        choices=Delivery.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the answer was delivered.")},
    )
    field_order = ["seen_status", "how", "note"]


class StaffRatingForm(ActionForm):
    """The rating a citizen gave by phone or on the reply letter's return slip."""

    action = "rate"
    rating = forms.ChoiceField(
        label=_("The citizen's rating"),
        choices=Rating.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the ratings.")},
    )
    via = forms.ChoiceField(
        label=_("How the citizen gave it"),
        choices=RatedVia.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the citizen gave the rating.")},
    )
    comment = forms.CharField(
        label=_("What the citizen said (optional)"),
        max_length=1000,
        required=False,
        widget=SHORT_TEXTAREA,
    )
