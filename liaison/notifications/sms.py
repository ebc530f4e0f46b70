"""Every text message Liaison sends, as the template a gateway must approve (短信模板).

Chinese SMS gateways (Tencent Cloud, Alibaba Cloud) deliver only texts whose template was approved
beforehand, under an approved signature (签名); a message names its template ID and fills in its
variables. So every SMS here is a *kind* with a fixed text and named parameters: the outbox row
keeps the kind and the parameters (what the gateway gets) and the text rendered from them in the
recipient's language (what the console, the file backend and the staff screens show). The
template to register with the gateway is this text in Chinese with `%(name)s` written as the
gateway's variable: `${name}` at Alibaba Cloud, `{1}`, `{2}` … in `params` order at Tencent Cloud.
docs/notifications.md lists them all.

A variable may not hold free text: gateways cap each variable (Alibaba Cloud: 35 characters) and
reject links and brackets in it, so replies and reasons stay on the tracking page and the SMS
points there.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .backends import PermanentFailure

# Alibaba Cloud's limit per variable, the stricter of the two gateways for text variables.
PARAM_LIMIT = 35
# A link variable is the site's address plus a short path; gateways allow longer link variables.
LINK_LIMIT = 100
# 【】 frame the signature; gateways refuse them (and line breaks) inside a variable.
FORBIDDEN = set("【】\r\n")


@dataclass(frozen=True)
class SmsTemplate:
    kind: str
    text: Promise  # lazily translated, with %(param)s for each parameter
    params: tuple[str, ...]
    to_staff: bool = False  # quiet hours apply (no SMS to staff at night)

    def render(self, params: dict) -> str:
        return str(self.text) % {name: params[name] for name in self.params}


TEMPLATES = {
    t.kind: t
    for t in [
        # --- codes (验证码): sent at any hour ------------------------------------------------
        SmsTemplate(
            "case_code",
            _(
                "Your code to confirm your message is %(code)s (valid for 10 minutes). If you "
                "did not leave a message, please ignore this text."
            ),
            ("code",),
        ),
        SmsTemplate(
            "tracking_code",
            _("Your code to open message %(number)s is %(code)s (valid for 10 minutes)."),
            ("number", "code"),
        ),
        SmsTemplate(
            "lookup_code",
            _(
                "Your code to see your messages and bookings is %(code)s (valid for 10 "
                "minutes). If you did not ask for it, please ignore this text."
            ),
            ("code",),
        ),
        SmsTemplate(
            "booking_code",
            _(
                "Your code to confirm your booking at %(station)s is %(code)s (valid for 10 "
                "minutes). If you did not book, please ignore this text."
            ),
            ("station", "code"),
        ),
        SmsTemplate(
            "comment_code",
            _(
                "Your code to confirm your opinion on a draft regulation is %(code)s (valid for "
                "10 minutes). If you did not comment, please ignore this text."
            ),
            ("code",),
        ),
        SmsTemplate(
            "activity_code",
            _(
                "Your code to confirm your sign-up for “%(title)s” is %(code)s (valid for 10 "
                "minutes). If you did not sign up, please ignore this text."
            ),
            ("title", "code"),
        ),
        SmsTemplate(
            "project_rating_code",
            _(
                "Your code to rate the livelihood project “%(title)s” is %(code)s (valid for 10 "
                "minutes). If you did not ask for it, please ignore this text."
            ),
            ("title", "code"),
        ),
        SmsTemplate(
            "case_support_code",
            _(
                "Your code to support a matter raised with your deputy is %(code)s (valid for 10 "
                "minutes). If you did not ask for it, please ignore this text."
            ),
            ("code",),
        ),
        # --- a citizen's message (留言) ---------------------------------------------------
        SmsTemplate(
            "case_received",
            _(
                "Your message has been received. Tracking number %(number)s; follow it at "
                "%(url)s with the last 4 digits of your phone."
            ),
            ("number", "url"),
        ),
        SmsTemplate(
            "case_info_requested",
            _("About your message %(number)s: we need more information. Please add it at %(url)s"),
            ("number", "url"),
        ),
        SmsTemplate(
            "case_referred",
            _(
                "About your message %(number)s: it belongs to another channel. Where to turn is "
                "at %(url)s"
            ),
            ("number", "url"),
        ),
        SmsTemplate(
            "case_merged",
            _(
                "Your message %(number)s raises the same matter as an earlier one; it is handled "
                "together with it, and you will receive the answer. Follow it at %(url)s"
            ),
            ("number", "url"),
        ),
        SmsTemplate(
            "case_replied",
            _("Deputy %(name)s replied to your message %(number)s. Read the reply at %(url)s"),
            ("name", "number", "url"),
        ),
        SmsTemplate(
            "case_answered",
            _(
                "Your message %(number)s has been answered. Please read the answer and rate it: "
                "%(url)s"
            ),
            ("number", "url"),
        ),
        SmsTemplate(
            "case_answered_merged",
            _(
                "The matter of your message %(number)s has been answered. Read the answer at "
                "%(url)s"
            ),
            ("number", "url"),
        ),
        SmsTemplate(
            "case_answered_supported",
            _("A matter you supported has been answered. See %(url)s"),
            ("url",),
        ),
        SmsTemplate(
            "case_closed",
            _("Your message %(number)s is closed. Thank you. The record stays at %(url)s"),
            ("number", "url"),
        ),
        # --- bookings (预约接待) and activities ----------------------------------------------
        SmsTemplate(
            "booking_confirmed",
            _(
                "Booked: %(station)s, %(when)s, %(place)s. Booking code %(code)s. To change or "
                "cancel: %(url)s with the code and the last 4 digits of your phone."
            ),
            ("station", "when", "place", "code", "url"),
        ),
        SmsTemplate(
            "booking_cancelled",
            _("Your booking %(code)s (%(when)s, %(station)s) is cancelled."),
            ("code", "when", "station"),
        ),
        SmsTemplate(
            "booking_moved",
            _(
                "Your booking %(code)s is now on %(when)s at %(station)s, %(place)s (was "
                "%(before)s)."
            ),
            ("code", "when", "station", "place", "before"),
        ),
        SmsTemplate(
            "booking_accepted",
            _("%(station)s has confirmed your booking %(code)s on %(when)s."),
            ("station", "code", "when"),
        ),
        SmsTemplate(
            "booking_cancelled_by_station",
            _(
                "%(station)s had to cancel your booking %(code)s on %(when)s: %(reason)s. Please "
                "book another time or call the station."
            ),
            ("station", "code", "when", "reason"),
        ),
        SmsTemplate(
            "booking_reminder",
            _(
                "Reminder: tomorrow, %(when)s, you are expected at %(station)s, %(place)s "
                "(booking %(code)s). Cannot come? Cancel at %(url)s."
            ),
            ("when", "station", "place", "code", "url"),
        ),
        SmsTemplate(
            "activity_signed_up",
            _("You are signed up for “%(title)s” on %(when)s at %(place)s."),
            ("title", "when", "place"),
        ),
        SmsTemplate(
            "activity_changed",
            _("“%(title)s” has changed: now %(when)s at %(place)s."),
            ("title", "when", "place"),
        ),
        SmsTemplate(
            "activity_cancelled",
            _("“%(title)s” on %(when)s is cancelled. We are sorry for the trouble."),
            ("title", "when"),
        ),
        # --- drafts of regulations (立法征求意见) ----------------------------------------
        SmsTemplate(
            "comment_outcome",
            _(
                "Thank you for your opinion on “%(title)s”. Its outcome: %(outcome)s. The "
                "results are at %(url)s"
            ),
            ("title", "outcome", "url"),
        ),
        # --- staff and deputies -------------------------------------------------------------
        SmsTemplate(
            "staff_task",
            _("Liaison: %(what)s (%(number)s). Please sign in to act on it: %(url)s"),
            ("what", "number", "url"),
            to_staff=True,
        ),
        SmsTemplate(
            "duty_reminder",
            _("Liaison: you are on duty at %(station)s on %(when)s. Details: %(url)s"),
            ("station", "when", "url"),
            to_staff=True,
        ),
    ]
}


def template(kind: str) -> SmsTemplate:
    try:
        return TEMPLATES[kind]
    except KeyError:
        raise ValueError(f"Unknown SMS kind {kind!r}: add it to notifications/sms.py.") from None


def fit(value, limit: int = PARAM_LIMIT) -> str:
    """A variable cut to what gateways accept, with an ellipsis where it was cut."""
    text = " ".join(str(value).split())
    text = "".join(ch for ch in text if ch not in FORBIDDEN)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def prepare(kind: str, params: dict) -> dict[str, str]:
    """The parameters as they will be sent: every one present, as text, within its limit."""
    spec = template(kind)
    missing = [name for name in spec.params if name not in params]
    if missing:
        raise ValueError(f"SMS {kind!r} needs the parameters {', '.join(missing)}.")
    return {
        name: fit(params[name], LINK_LIMIT if name == "url" else PARAM_LIMIT)
        for name in spec.params
    }


def render(kind: str, params: dict) -> str:
    """The text a person reads, in the active language."""
    return template(kind).render(params)


def template_id(kind: str) -> str:
    """The gateway's ID for the kind: LIAISON_SMS_TEMPLATE_<KIND>; a placeholder in demo mode."""
    found = settings.SMS_TEMPLATE_IDS.get(kind)
    if found:
        return found
    if settings.DEMO_MODE or settings.DEBUG:
        return f"DEMO_{kind.upper()}"
    raise ImproperlyConfigured(
        f"LIAISON_SMS_TEMPLATE_{kind.upper()} is not set: register the template with the SMS "
        "gateway (docs/notifications.md) and set its ID."
    )


def ordered_params(kind: str, params: dict) -> list[str]:
    """Tencent Cloud's TemplateParamSet: the values in the template's order."""
    return [str(params[name]) for name in template(kind).params]


def check_params(kind: str, params: dict) -> None:
    """Refuse for good (PermanentFailure) what a gateway would refuse: a missing or unknown
    variable, one too long, or with characters gateways do not accept."""
    spec = template(kind)
    if set(params) != set(spec.params):
        raise PermanentFailure(
            f"SMS {kind}: parameters {sorted(params)} do not match the template {list(spec.params)}"
        )
    for name in spec.params:
        value = str(params[name])
        limit = LINK_LIMIT if name == "url" else PARAM_LIMIT
        if not value or len(value) > limit or FORBIDDEN & set(value):
            raise PermanentFailure(
                f"SMS {kind}: parameter {name!r} is empty, longer than {limit} characters or "
                "holds characters the gateway refuses"
            )


def missing_template_ids() -> list[str]:
    """The kinds without a template ID (a start-up check when a gateway backend is on)."""
    return [kind for kind in TEMPLATES if not settings.SMS_TEMPLATE_IDS.get(kind)]
