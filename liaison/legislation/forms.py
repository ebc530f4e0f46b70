"""The forms of the consultation pages: they check what a browser can get wrong; the services
check the rules again."""

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from liaison.core.phones import normalize_phone, validate_mobile
from liaison.directory.models import Region, Station

from .models import Adoption, Article, Audience, DraftKind, OfflineKind, ReportType
from .services.comments import MAX_TEXT

DOCX_MAX_BYTES = 5 * 2**20
TEXT_MAX_CHARS = 2_000_000


class DateInput(forms.DateInput):
    input_type = "date"


class DraftForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=DraftKind.choices,
        initial=DraftKind.DRAFT,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    report_type = forms.ChoiceField(
        label=_("Which work report"),
        choices=[("", _("(not a work report)")), *ReportType.choices],
        required=False,
        help_text=_("Work reports only: 政府工作报告, 预算报告, 计划报告 …"),
    )
    session = forms.CharField(
        label=_("Congress session (届次会议)"),
        max_length=100,
        required=False,
        help_text=_("Work reports only, e.g. 江滨区第十八届人大第五次会议."),
    )
    audience = forms.ChoiceField(
        label=_("Who may read and comment"),
        choices=Audience.choices,
        initial=Audience.PUBLIC,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Work reports only; a draft regulation and a call are always public."),
    )
    issuing_body = forms.CharField(
        label=_("Issuing body"),
        max_length=100,
        help_text=_("The standing committee that asks for comments, e.g. 西湖区人大常委会."),
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())
    explanation = forms.CharField(
        label=_("Explanation (起草说明)"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    opens_on = forms.DateField(label=_("Comments open on"), widget=DateInput)
    closes_on = forms.DateField(label=_("Comments close on"), widget=DateInput)
    stations = forms.ModelMultipleChoiceField(
        label=_("Contact-point stations"),
        queryset=Station.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_audience(self):
        return self.cleaned_data.get("audience") or Audience.PUBLIC

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        regions = Region.objects.all()
        if not user.is_administrator and user.region_id:
            regions = regions.filter(path__startswith=user.region.path)
        self.fields["region"].queryset = regions.filter(level__lte=4)
        stations = Station.objects.filter(is_active=True).select_related("region")
        if not user.is_administrator and user.region_id:
            stations = stations.filter(region__path__startswith=user.region.path)
        self.fields["stations"].queryset = stations


class ImportForm(forms.Form):
    text = forms.CharField(
        label=_("Paste the text"),
        required=False,
        max_length=TEXT_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_(
            "Chapters start with 第X章, articles with 第X条 (第一条, 第二十三条 …). A work report: "
            "paragraphs are separated by blank lines; 一、 and （一） start headings."
        ),
    )
    file = forms.FileField(
        label=_("Or choose a Word file (.docx)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".docx"}),
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("text", "").strip()) == bool(data.get("file")):
            raise ValidationError(_("Paste the text or choose a .docx file (one of the two)."))
        upload = data.get("file")
        if upload is not None and upload.size > DOCX_MAX_BYTES:
            raise ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s.")
                % {
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(DOCX_MAX_BYTES),
                }
            )
        return data


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Your opinion"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Please write your opinion.")},
    )
    name = forms.CharField(label=_("Your name (optional)"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("Your mobile phone"),
        max_length=20,
        help_text=_(
            "We send a code to confirm it, and later what became of your opinion. It is never "
            "shown."
        ),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Please give your mobile number.")},
    )
    consent = forms.BooleanField(
        label=_("My opinion may be shown on this page, with my name if I gave one"),
        required=False,
        help_text=_("Without this, your opinion is counted and reported but not shown."),
    )
    # A honeypot: hidden from people, filled in by form-filling robots.
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data["phone"])
        validate_mobile(phone)
        return phone

    @property
    def is_robot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class DeputyCommentForm(forms.Form):
    """A signed-in deputy's opinion on a work report: the account is known, no phone."""

    text = forms.CharField(
        label=_("Your opinion"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Please write your opinion.")},
    )
    consent = forms.BooleanField(
        label=_("My opinion may be shown with my name to those who read the report"),
        required=False,
        help_text=_("Without this, your opinion is counted and reported but not shown."),
    )


class ArticleChoiceField(forms.ModelChoiceField):
    draft = None

    def label_from_instance(self, article):
        from .importing import numeral

        unit = "段" if self.draft is not None and self.draft.is_report else "条"
        return f"第{numeral(article.number)}{unit}"


class OfflineForm(forms.Form):
    article = ArticleChoiceField(
        label=_("Article"),
        queryset=Article.objects.none(),
        required=False,
        empty_label=_("The whole draft"),
    )
    offline_kind = forms.ChoiceField(label=_("Where was it said?"), choices=OfflineKind.choices)
    station = forms.ModelChoiceField(label=_("Station"), queryset=Station.objects.none())
    people = forms.IntegerField(
        label=_("Number of people who gave this opinion"), min_value=1, max_value=10_000
    )
    text = forms.CharField(
        label=_("The opinion"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, draft, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = draft.articles.order_by("order")
        self.fields["article"].draft = draft
        if draft.is_report:
            self.fields["article"].label = _("Paragraph")
            self.fields["article"].empty_label = _("The whole report")
        stations = draft.stations.all()
        if user.station_id:
            stations = stations.filter(pk=user.station_id)
        self.fields["station"].queryset = stations


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason for hiding"), max_length=200)


class TagForm(forms.Form):
    tags = forms.CharField(
        label=_("Tags"), max_length=300, required=False, help_text=_("Separated by commas.")
    )


class MergeForm(forms.Form):
    into = forms.IntegerField(
        label=_("Merge into comment number"), min_value=1, max_value=2**31 - 1
    )


class AdoptForm(forms.Form):
    adoption = forms.ChoiceField(label=_("Adoption"), choices=Adoption.choices)
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
