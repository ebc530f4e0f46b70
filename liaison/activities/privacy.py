"""The personal data of activities (docs/privacy.md, liaison/core/privacy.py) and its retention."""

from datetime import datetime

from liaison.core import privacy, registry

from .models import ActivityGuest, ActivityKind, ActivityPhoto, PendingSignUp, SignUp

privacy.declare(
    SignUp,
    ["name", "phone"],
    what="Name and mobile of who signed up for an activity (活动报名)",
    purpose="Notices of changes by SMS; the check-in list.",
    full="The name: staff of the activity's station, the committee above it, administrators.",
    masked="The phone, to the same staff (`activity.view`).",
    hidden="Deputies, departments, public pages (only the count is public).",
    kept="Until the activity is over, then LIAISON_RETENTION_DAYS; anonymised by the "
    "`core.retention` job (the sign-up stays, for the attendance figures).",
)
privacy.declare(
    PendingSignUp,
    ["name", "phone"],
    what="Name and mobile of an online sign-up waiting for its SMS code",
    purpose="Sending the code; the sign-up once the phone is confirmed.",
    full="Nobody: no page or list shows a sign-up before it is confirmed.",
    kept="Until the code is typed (it becomes a sign-up), at most a day: the "
    "`activities.delete_unverified_sign_ups` job deletes the rest.",
)
privacy.declare(
    ActivityGuest,
    ["name"],
    what="Name of an invited outside guest of an activity (officials, lawyers, residents' "
    "representatives)",
    purpose="The public activity page says who will be there.",
    full="Everybody (the activity page), with the organisation.",
    kept="With the activity, as a record of the deputies' work; staff remove a guest.",
)
privacy.declare(
    ActivityPhoto,
    ["image"],
    what="Photos of a held activity (may show citizens)",
    purpose="Evidence of the deputies' work (履职记录).",
    full="Staff who see the activity.",
    hidden="Public pages (they may show citizens who did not agree to be published).",
    kept="With the activity, as a record of the deputies' work; staff remove single photos.",
)


@registry.retention.register
def anonymise(cutoff: datetime) -> dict[str, int]:
    count = privacy.blank_fields(
        SignUp.objects.filter(activity__ends_at__lt=cutoff), "name", "phone"
    )
    return {"sign-ups": count}


privacy.not_personal(ActivityKind, "name", "a kind of activity")
privacy.not_personal(ActivityKind, "name_en", "a kind of activity")
