from . import inbox


def unread_notices(request) -> dict:
    """The unread badge on every page of a signed-in account (one indexed count)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notices": inbox.unread_count(user)}
