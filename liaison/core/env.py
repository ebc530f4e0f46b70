"""The one place that reads the environment (docs/design.md, rule 7). `liaison/settings.py` calls
these helpers; nothing else in the code reads `os.environ` for a setting. A value that cannot be
read stops the start with a message naming the variable, instead of a traceback from `int()`."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = {"1", "true", "yes", "on"}
FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None or value.strip() == "" else value.strip()


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_path(name: str, default: Path | str) -> Path:
    return Path(env_str(name, str(default)))


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off, not {value!r}."
    )


def env_int(name: str, default: int, *, minimum: int | None = 0) -> int:
    value = _raw(name)
    if value is None:
        return default
    # int() would accept "²" as a digit elsewhere; here only plain ASCII digits are a number.
    if not (value.isascii() and value.lstrip("-").isdigit()):
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.")
    number = int(value)
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_float(name: str, default: float, *, minimum: float | None = 0) -> float:
    value = _raw(name)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_prefixed(prefix: str) -> dict[str, str]:
    """Every set variable that starts with `prefix`, by the rest of its name in lower case:
    LIAISON_SMS_TEMPLATE_CASE_RECEIVED=1234567 → {"case_received": "1234567"}."""
    return {
        name[len(prefix) :].lower(): value
        for name in sorted(os.environ)
        if name.startswith(prefix) and (value := _raw(name)) is not None
    }


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = env_str(name, default).lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def tile_origins(name: str, template: str, subdomains: str) -> list[str]:
    """The origins a map's tile URL template (Leaflet's, with {s}, {z}, {x}, {y}) loads images
    from, one per subdomain: the Content-Security-Policy must allow exactly these."""
    if not template:
        return []
    origins: list[str] = []
    for subdomain in subdomains or "-":
        parts = urlsplit(template.replace("{s}", subdomain))
        if parts.scheme not in ("http", "https") or not parts.netloc or "{" in parts.netloc:
            raise ImproperlyConfigured(
                f"{name} must be an http(s) URL whose host has no placeholder but {{s}}, "
                f"not {template!r}."
            )
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return origins
