"""Staff accounts' personal data and the login records (docs/privacy.md) and their retention."""

from datetime import datetime

from axes.models import AccessAttempt, AccessFailureLog, AccessLog

from liaison.core import privacy, registry

from .models import User

privacy.declare(
    User,
    ["username", "full_name", "first_name", "last_name", "phone", "email", "wechat_openid"],
    what="Staff account: login name, name, phone, e-mail, WeChat openid",
    purpose="Signing in; notices to staff (urging, reminders) by e-mail, SMS or WeChat.",
    full="Administrators (accounts in the admin); the account itself.",
    hidden="Citizens: public pages show a role, a station or a department, never a staff "
    "member's name (`actor_label`).",
    kept="While the account exists; an account that acted is deactivated, not deleted (the "
    "audit trail points to it).",
)
for model, what in (
    (AccessAttempt, "Failed logins being counted for the lockout"),
    (AccessFailureLog, "Every failed login"),
    (AccessLog, "Every login and logout"),
):
    privacy.declare(
        model,
        ["username", "ip_address", "user_agent"],
        what=f"{what}: login name, IP address, browser",
        purpose="Lockout against password guessing; a record administrators read.",
        full="Administrators (the admin, Axes).",
        hidden="Everybody else.",
        kept="LIAISON_RETENTION_DAYS; deleted by the `core.retention` job (a counted failure "
        "also when the account logs in or an administrator unlocks it).",
    )


@registry.retention.register
def anonymise(cutoff: datetime) -> dict[str, int]:
    deleted = 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        deleted += (
            model.objects.filter(attempt_time__lt=cutoff).delete()[1].get(model._meta.label, 0)
        )
    return {"login records": deleted}
