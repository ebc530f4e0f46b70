from django.conf import settings

DISPLAY_COOKIE = "liaison_display"
DISPLAY_OPTIONS = ("large", "contrast")


def display_options(request) -> set[str]:
    raw = request.COOKIES.get(DISPLAY_COOKIE, "")
    return {option for option in raw.split(",") if option in DISPLAY_OPTIONS}


def display_preferences(request):
    """Large type and high contrast for elderly users, chosen without JavaScript (a cookie)."""
    options = display_options(request)
    return {
        "display_large": "large" in options,
        "display_contrast": "contrast" in options,
        "demo_mode": settings.DEMO_MODE,
    }
