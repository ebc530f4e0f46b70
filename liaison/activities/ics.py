"""An iCalendar feed (RFC 5545), written by hand: a few lines of text, not worth a dependency."""

from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone

from .models import Activity


def escape(text: str) -> str:
    """RFC 5545 §3.3.11: backslash, semicolon, comma and newlines in TEXT values."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """RFC 5545 §3.1: lines longer than 75 octets continue on the next line after CRLF + space,
    never splitting a UTF-8 character."""
    out, current, size = [], "", 0
    for char in line:
        width = len(char.encode())
        limit = 75 if not out else 74  # continuation lines start with one space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(name: str, activities, *, domain: str = "") -> str:
    domain = domain or settings.SITE_URL.split("//")[-1].split("/")[0] or "liaison"
    stamp = utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Liaison//Activities//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for activity in activities:
        lines += _event(activity, stamp, domain)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)


def _event(activity: Activity, stamp: str, domain: str) -> list[str]:
    url = settings.SITE_URL.rstrip("/") + f"/a/{activity.public_code}/"
    return [
        "BEGIN:VEVENT",
        f"UID:activity-{activity.public_code}@{domain}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{utc(activity.starts_at)}",
        f"DTEND:{utc(activity.ends_at)}",
        f"SUMMARY:{escape(activity.title)}",
        f"DESCRIPTION:{escape(activity.description)}",
        f"LOCATION:{escape(activity.place)}",
        f"URL:{url}",
        "STATUS:CONFIRMED",
        "END:VEVENT",
    ]
